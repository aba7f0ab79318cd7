// The one layout engine of the page: elkjs's layered algorithm, run in its own Web Worker so that laying out a
// DenseNet-201 never takes main-thread time from the notebook. Loaded with the first architecture graph shown.
import ELK from 'elkjs/lib/elk-api';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { ElkNode } from 'elkjs/lib/elk-api';

let engine: InstanceType<typeof ELK> | null = null;

/** A layout that has not come back by then has failed (a worker that could not start never answers). */
const LAYOUT_TIMEOUT_MS = 30_000;

export function layoutWithElk(graph: ElkNode): Promise<ElkNode> {
  engine ??= new ELK({ workerUrl: elkWorkerUrl });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the graph layout did not finish in time')), LAYOUT_TIMEOUT_MS);
  });
  return Promise.race([engine.layout(graph) as Promise<ElkNode>, timeout]).finally(() => clearTimeout(timer));
}
