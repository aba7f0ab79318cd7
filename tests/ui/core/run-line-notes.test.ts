// The page keeps what each cell's last run said about its lines (shape hints from execute_reply, the error's line)
// with the source that ran, and forgets it when the cell runs again. Against a fake worker, as run-controller.test.
import { describe, expect, it } from 'vitest';
import { RuntimeClient } from '../../../src/ui/core/runtime-client';
import { FakeWorker } from './fake-worker';
import { RunController } from '../../../src/ui/core/run-controller';
import { NotebookStore } from '../../../src/ui/core/notebook-store';
import { notebookFromCells } from '../../../src/ui/core/scratch';

const tick = () => new Promise((r) => setTimeout(r, 0));

function setup(source: string) {
  const worker = new FakeWorker();
  const store = new NotebookStore(notebookFromCells([source]));
  const controller = new RunController(store, () => new RuntimeClient({ createWorker: () => worker }));
  controller.start();
  worker.reply({ msg_type: 'kernel_ready', content: { backend: 'cpu', tfjs_version: '4.22.0' } });
  worker.reply({ msg_type: 'status', content: { execution_state: 'idle' } });
  const id = store.getSnapshot().cells[0].id;
  return { worker, store, controller, id };
}

describe('run line notes', () => {
  it('keeps the hints and error line of the last run with the source that ran, until the cell runs again', async () => {
    const source = 'const y = dense.apply(x);\ntf.add(a, b);';
    const { worker, store, controller, id } = setup(source);
    controller.run([id]);
    let req = worker.executes().at(-1)!;
    worker.reply({ msg_type: 'status', parent_id: req.msg_id, content: { execution_state: 'busy' } });
    worker.reply({ msg_type: 'error', parent_id: req.msg_id, content: { ename: 'Error', evalue: 'Operands could not be broadcast', traceback: [], line: 2, column: 1 } });
    worker.reply({ msg_type: 'execute_reply', parent_id: req.msg_id, content: { status: 'error', execution_count: 1, shape_hints: [{ line: 1, shapes: [[2, 3]] }] } });
    await tick();
    expect(controller.getSnapshot().lineNotes[id]).toEqual({
      source,
      hints: [{ line: 1, shapes: [[2, 3]] }],
      error: { line: 2, column: 1, message: 'Error: Operands could not be broadcast' },
    });

    // Edited since: the notes still describe the source that ran (the editor decides what still applies).
    store.dispatch({ type: 'setSource', cellId: id, source: 'const y = 1;' });
    controller.run([id]);
    req = worker.executes().at(-1)!;
    worker.reply({ msg_type: 'status', parent_id: req.msg_id, content: { execution_state: 'busy' } });
    expect(controller.getSnapshot().lineNotes[id]).toBeUndefined();
    worker.reply({ msg_type: 'execute_reply', parent_id: req.msg_id, content: { status: 'ok', execution_count: 2 } });
    await tick();
    expect(controller.getSnapshot().lineNotes).toEqual({});
  });
});
