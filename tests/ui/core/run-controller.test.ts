// The page side of the kernel's run queue against a fake worker: queued and running states from the kernel's
// messages, outputs into the right cell, aborted runs, interrupt, restart.
import { describe, expect, it } from 'vitest';
import { RuntimeClient } from '../../../src/ui/core/runtime-client';
import { FakeWorker } from './fake-worker';
import type { ExecuteRequest } from '../../../src/protocol';
import { RunController } from '../../../src/ui/core/run-controller';
import { NotebookStore } from '../../../src/ui/core/notebook-store';
import { notebookFromCells } from '../../../src/ui/core/scratch';

const tick = () => new Promise((r) => setTimeout(r, 0));

function setup(cells: string[]) {
  const workers: FakeWorker[] = [];
  const store = new NotebookStore(notebookFromCells(cells));
  const controller = new RunController(store, () => new RuntimeClient({ interruptTimeoutMs: 20, createWorker: () => (workers.push(new FakeWorker()), workers[workers.length - 1]) }));
  controller.start();
  const worker = () => workers[workers.length - 1];
  worker().reply({ msg_type: 'kernel_ready', content: { backend: 'webgpu', tfjs_version: '4.22.0', adapter: { vendor: 'google', architecture: 'swiftshader' } } });
  worker().reply({ msg_type: 'status', content: { execution_state: 'idle' } });
  const ids = store.getSnapshot().cells.map((c) => c.id);
  const finish = (req: ExecuteRequest, count: number, status: 'ok' | 'error' = 'ok') =>
    worker().reply({ msg_type: 'execute_reply', parent_id: req.msg_id, content: { status, execution_count: count } });
  /** The kernel takes the request from its queue. */
  const busy = (req: ExecuteRequest) => worker().reply({ msg_type: 'status', parent_id: req.msg_id, content: { execution_state: 'busy' } });
  return { store, controller, worker, ids, finish, busy };
}

describe('RunController', () => {
  it('reports the kernel backend and state', () => {
    const { controller } = setup(['1']);
    expect(controller.getSnapshot()).toMatchObject({ state: 'idle', info: { backend: 'webgpu', adapter: { architecture: 'swiftshader' } } });
  });

  it('sends every run to the kernel at once; a cell is queued until the kernel is busy with it', async () => {
    const { controller, worker, ids, store, finish, busy } = setup(['a', 'b']);
    controller.runAll();
    expect(worker().executes().map((r) => [r.content.code, r.content.cell_label])).toEqual([['a', 'Cell 1'], ['b', 'Cell 2']]);
    expect(controller.getSnapshot().runs).toEqual({ [ids[0]]: 'queued', [ids[1]]: 'queued' });
    const [first, second] = worker().executes();
    busy(first);
    expect(controller.getSnapshot().runs).toEqual({ [ids[0]]: 'running', [ids[1]]: 'queued' });
    worker().reply({ msg_type: 'stream', parent_id: first.msg_id, content: { name: 'stdout', text: 'hi\n' } });
    worker().reply({ msg_type: 'execute_result', parent_id: first.msg_id, content: { execution_count: 1, data: { 'text/plain': '1' }, metadata: {} } });
    finish(first, 1);
    await tick();
    expect(store.getSnapshot().cells[0]).toMatchObject({ executionCount: 1, outputs: [{ output_type: 'stream', text: 'hi\n' }, { output_type: 'execute_result' }] });
    busy(second);
    finish(second, 2);
    await tick();
    expect(controller.getSnapshot().runs).toEqual({});
    expect(controller.getSnapshot().finished).toEqual({ [ids[0]]: 1, [ids[1]]: 1 });
    // Clicking Run on a cell that is already waiting does not send it twice.
    controller.run([ids[0]]);
    controller.run([ids[0]]);
    expect(worker().executes()).toHaveLength(3);
  });

  it("stop on error is the kernel's: an aborted cell keeps its old outputs and gets no count", async () => {
    const { controller, worker, ids, store, finish, busy } = setup(['bad', 'next']);
    const old = [{ output_type: 'stream' as const, name: 'stdout' as const, text: 'from before\n' }];
    store.dispatch({ type: 'setOutputs', cellId: ids[1], outputs: old });
    controller.runAll();
    const [first, second] = worker().executes();
    busy(first);
    worker().reply({ msg_type: 'error', parent_id: first.msg_id, content: { ename: 'Error', evalue: 'x', traceback: [], line: 1 } });
    finish(first, 1, 'error');
    busy(second);
    worker().reply({ msg_type: 'execute_reply', parent_id: second.msg_id, content: { status: 'aborted', execution_count: null } });
    await tick();
    expect(controller.getSnapshot().runs).toEqual({});
    expect(controller.getSnapshot().finished[ids[1]]).toBe(1);
    expect(store.getSnapshot().cells[1]).toMatchObject({ executionCount: null, outputs: old });
  });

  it('interrupt goes to the kernel, which aborts what is queued', async () => {
    const { controller, worker } = setup(['a', 'b']);
    controller.runAll();
    const interrupted = controller.interrupt();
    const request = worker().received.find((m) => m.msg_type === 'interrupt_request')!;
    worker().reply({ msg_type: 'interrupt_reply', parent_id: request.msg_id, content: { status: 'ok' } });
    expect(await interrupted).toBe('ok');
  });

  it('says the kernel is not responding when an interrupt gets no reply', async () => {
    const { controller } = setup(['while (true) {}']);
    controller.runAll();
    expect(await controller.interrupt()).toBe('unresponsive');
    expect(controller.getSnapshot().notice?.kind).toBe('unresponsive');
  });

  it('restart ends the running cell, clears execution counts and keeps the sources', async () => {
    const { controller, worker, store, finish } = setup(['x', 'y']);
    controller.run([store.getSnapshot().cells[0].id]);
    finish(worker().executes()[0], 1);
    await tick();
    controller.run([store.getSnapshot().cells[1].id]);
    const old = worker();
    const restarted = controller.restart();
    expect(controller.getSnapshot().state).toBe('restarting');
    expect(worker()).not.toBe(old);
    worker().reply({ msg_type: 'kernel_ready', content: { backend: 'webgpu', tfjs_version: '4.22.0' } });
    worker().reply({ msg_type: 'status', content: { execution_state: 'idle' } });
    await restarted;
    expect(controller.getSnapshot()).toMatchObject({ state: 'idle', runs: {}, notice: { kind: 'restarted' } });
    expect(store.getSnapshot().cells.map((c) => [c.source, c.executionCount])).toEqual([['x', null], ['y', null]]);
    // The new kernel runs cells again.
    controller.run([store.getSnapshot().cells[1].id]);
    expect(worker().executes().map((r) => r.content.code)).toEqual(['y']);
  });

  it('leaving the page drops a "Kernel restarted" notice but keeps one about a stuck kernel', async () => {
    const { controller, worker } = setup(['x']);
    const restarted = controller.restart();
    worker().reply({ msg_type: 'kernel_ready', content: { backend: 'webgpu', tfjs_version: '4.22.0' } });
    worker().reply({ msg_type: 'status', content: { execution_state: 'idle' } });
    await restarted;
    expect(controller.getSnapshot().notice?.kind).toBe('restarted');
    controller.leftPage();
    expect(controller.getSnapshot().notice).toBeNull();

    const stuck = setup(['while (true) {}']);
    stuck.controller.runAll();
    expect(await stuck.controller.interrupt()).toBe('unresponsive');
    stuck.controller.leftPage();
    expect(stuck.controller.getSnapshot().notice?.kind).toBe('unresponsive');
  });
});
