// Training probes (`train.fit(model, ds, { probes: true })`): per block, the global L2 norm of its parameters'
// gradients at every step, and for models with SE blocks the mean gate of each per epoch; both drawn live and kept.
// The norms are reduced on the GPU to one small tensor per step, which fit() reads back asynchronously together with
// the loss, so probing adds no extra wait on the GPU queue.
import * as tf from '@tensorflow/tfjs';
import { CompositeLayer } from '../nn/core/composite';
import { gateMeans, seBlockPaths } from '../nn/inspect/se-gates';
import type { ImageDataset } from '../data/dataset';
import { LivePlot } from '../plots/live-plot';
import type { Clock, DisplaySink } from '../plots/sink';

/** Parameters whose gradient norm is one series: a block, or top-level layers that share a name prefix. */
export interface ProbeGroup {
  name: string;
  /** True for a block (a composite layer such as a residual, dense or SE block). */
  isBlock: boolean;
  variables: tf.Variable[];
}

/**
 * The groups of a model's trainable parameters, in model order: each top-level block on its own; other top-level
 * layers grouped by their name's prefix before the first dot ("b1.conv" and "b1.bn" are "b1"), else by name.
 */
export function probeGroups(model: tf.LayersModel): ProbeGroup[] {
  const groups = new Map<string, ProbeGroup>();
  for (const layer of model.layers) {
    const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    if (variables.length === 0) continue;
    const isBlock = layer instanceof CompositeLayer;
    const name = isBlock ? layer.name : layer.name.split('.')[0];
    const key = `${isBlock ? 'block' : 'layers'}:${name}`;
    const group = groups.get(key);
    if (group) group.variables.push(...variables);
    else groups.set(key, { name, isBlock, variables });
  }
  return [...groups.values()];
}

/**
 * Each group's global gradient norm sqrt(Σ g²) over its variables, stacked as one [groups] tensor (0 for a group
 * whose variables got no gradient). The caller owns the result; everything else is freed. The per-variable sums are
 * stacked, not added with tf.addN: WebGPU's addN binds one buffer per input and fails beyond the adapter's limit
 * (8 on many), where stack (a concat) splits its inputs into passes.
 */
export function gradientNorms(groups: ProbeGroup[], grads: tf.NamedTensorMap): tf.Tensor1D {
  return tf.tidy(() => tf.stack(groups.map((g) => {
    const squares = g.variables.flatMap((v) => (grads[v.name] ? [tf.sum(tf.square(grads[v.name]))] : []));
    return squares.length ? tf.sqrt(tf.sum(tf.stack(squares))) : tf.scalar(0);
  })) as tf.Tensor1D);
}

export interface ProbeOptions {
  plot: boolean;
  sink: DisplaySink | null;
  clock?: Clock;
}

/** Images the per-epoch gate means are measured on: the test split's first ones, the same every epoch. */
const GATE_IMAGES = 16;

/** What the probes recorded; `history.probes` after fit(…, { probes: true }). */
export class TrainingProbes {
  /** Group names in model order (the series' labels). */
  readonly groups: string[];
  /** Which groups are blocks (the rest are the stem, head and other top-level layers). */
  readonly blocks: string[];
  /** The step (batch number) of each recorded norm. */
  readonly steps: number[] = [];
  /** Per group, its gradient norm at each step. */
  readonly gradNorms: Record<string, number[]> = {};
  /** The epoch (0-based) of each gate point; empty for a model without SE blocks. */
  readonly gateEpochs: number[] = [];
  /** Per SE block path, its mean gate at the end of each epoch. */
  readonly gates: Record<string, number[]> = {};
  readonly normPlot: LivePlot | null;
  readonly gatePlot: LivePlot | null;
  /** The SE blocks' paths: the gate series. */
  readonly seBlocks: string[];

  constructor(model: tf.LayersModel, readonly probeGroupList: ProbeGroup[], private readonly opts: ProbeOptions) {
    this.groups = probeGroupList.map((g) => g.name);
    this.blocks = probeGroupList.filter((g) => g.isBlock).map((g) => g.name);
    for (const name of this.groups) this.gradNorms[name] = [];
    this.seBlocks = seBlockPaths(model);
    for (const path of this.seBlocks) this.gates[path] = [];
    this.normPlot = opts.plot ? new LivePlot({
      title: 'Gradient norm per block', xLabel: 'batch', yLabel: '‖gradient‖₂ (log)', yLog: true,
      series: this.groups.map((label) => ({ label })), sink: opts.sink, clock: opts.clock,
    }) : null;
    this.gatePlot = opts.plot && this.seBlocks.length ? new LivePlot({
      title: 'Mean SE gate per block', xLabel: 'epoch', yLabel: 'mean gate',
      series: this.seBlocks.map((label) => ({ label, points: true })), sink: opts.sink, clock: opts.clock,
    }) : null;
  }

  /** Shows the plots empty, so they sit under the loss curve from the start. */
  show(): void {
    this.normPlot?.show();
    this.gatePlot?.show();
  }

  recordStep(step: number, norms: ArrayLike<number>): void {
    this.steps.push(step);
    this.groups.forEach((name, i) => this.gradNorms[name].push(norms[i]));
    // A log axis has no place for 0 (a group that got no gradient): leave a gap there.
    this.normPlot?.add([step, ...this.groups.map((_, i) => (norms[i] > 0 ? norms[i] : null))]);
  }

  /** Measures each SE block's mean gate on a fixed batch of test images (nothing for a model without SE). */
  async recordEpoch(model: tf.LayersModel, ds: ImageDataset, epoch: number): Promise<void> {
    if (this.seBlocks.length === 0) return;
    const split = ds.test.count ? 'test' : 'train';
    const count = Math.min(GATE_IMAGES, ds.split(split).count);
    const { x, y } = ds.batchAt(split, Int32Array.from({ length: count }, (_, i) => i));
    let means: Map<string, number>;
    try {
      means = new Map((await gateMeans(model, x)).map((m) => [m.path, m.mean]));
    } finally {
      tf.dispose([x, y]);
    }
    this.gateEpochs.push(epoch);
    const row = this.seBlocks.map((path) => means.get(path) ?? NaN);
    this.seBlocks.forEach((path, i) => this.gates[path].push(row[i]));
    this.gatePlot?.add([epoch + 1, ...row.map((v) => (Number.isNaN(v) ? null : v))]);
    this.gatePlot?.flush();
  }

  flush(): void {
    this.normPlot?.flush();
    this.gatePlot?.flush();
  }
}
