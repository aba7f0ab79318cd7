// The kernel's heartbeat, page side (issue 15, case 10): a worker that died or hangs with no cell to blame is noticed
// within two seconds, the page offers Restart, and cells waiting in the queue are not left stranded.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Heartbeat, HEARTBEAT_EVERY_MS, HEARTBEAT_LAPSE_MS, type HeartbeatPort } from '../../../src/ui/core/heartbeat';
import { RuntimeClient } from '../../../src/ui/core/runtime-client';
import { FakeWorker } from './fake-worker';
import type { PageToKernel } from '../../../src/protocol';
import { INTERRUPT_STALL_MS, RunController } from '../../../src/ui/core/run-controller';
import { NotebookStore } from '../../../src/ui/core/notebook-store';
import { notebookFromCells } from '../../../src/ui/core/scratch';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A worker whose heartbeat answers while `alive` is true, as the real worker's event loop does. */
class BeatingWorker extends FakeWorker {
  alive = true;
  private pong: () => void = () => {};
  readonly heartbeat: HeartbeatPort = {
    ping: () => {
      if (this.alive) queueMicrotask(() => this.pong());
    },
    onPong: (listener) => {
      this.pong = listener;
    },
  };
  override postMessage(message: PageToKernel): void {
    super.postMessage(message);
    // The kernel acknowledges interrupts while it lives.
    if (message.msg_type === 'interrupt_request' && this.alive) this.reply({ msg_type: 'interrupt_reply', parent_id: message.msg_id, content: { status: 'ok' } });
  }
  override terminate(): void {
    this.alive = false;
  }
}

function setup(cells: Array<string | { source: string; executionCount: number }>) {
  const workers: BeatingWorker[] = [];
  const store = new NotebookStore(notebookFromCells(cells.map((c) => (typeof c === 'string' ? c : c.source))));
  cells.forEach((c, i) => {
    if (typeof c !== 'string') store.dispatch({ type: 'setExecutionCount', cellId: store.getSnapshot().cells[i].id, count: c.executionCount });
  });
  const controller = new RunController(store, () => new RuntimeClient({ createWorker: () => (workers.push(new BeatingWorker()), workers[workers.length - 1]) }));
  controller.start();
  const worker = () => workers[workers.length - 1];
  const ready = () => {
    worker().reply({ msg_type: 'kernel_ready', content: { backend: 'webgpu', tfjs_version: '4.22.0' } });
    worker().reply({ msg_type: 'status', content: { execution_state: 'idle' } });
  };
  ready();
  const ids = store.getSnapshot().cells.map((c) => c.id);
  return { store, controller, worker, ids, ready };
}

describe('Heartbeat', () => {
  it('says "not responding" within 2 s of the last echo, and "responding" when echoes come back', async () => {
    let t = 0;
    let alive = true;
    let pong: () => void = () => {};
    const changes: Array<[number, boolean]> = [];
    const beat = new Heartbeat(
      { ping: () => alive && pong(), onPong: (l) => (pong = l) },
      (responding) => changes.push([t, responding]),
      { now: () => t, every: (ms, tick) => (setInterval(() => ((t += ms), tick()), ms), () => {}) },
    );
    beat.start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(changes).toEqual([]);
    alive = false;
    const diedAt = t;
    await vi.advanceTimersByTimeAsync(3000);
    expect(changes).toHaveLength(1);
    expect(changes[0][1]).toBe(false);
    expect(changes[0][0] - diedAt).toBeLessThanOrEqual(HEARTBEAT_LAPSE_MS + 2 * HEARTBEAT_EVERY_MS);
    expect(changes[0][0] - diedAt).toBeLessThan(2000);
    expect(HEARTBEAT_LAPSE_MS + 2 * HEARTBEAT_EVERY_MS).toBeLessThan(2000);
    alive = true;
    await vi.advanceTimersByTimeAsync(HEARTBEAT_EVERY_MS);
    expect(changes.at(-1)?.[1]).toBe(true);
  });

  it('a throttled timer (a background tab ticking once a minute) is no silence', () => {
    let t = 0;
    let tick: () => void = () => {};
    let pong: () => void = () => {};
    const changes: boolean[] = [];
    const beat = new Heartbeat({ ping: () => pong(), onPong: (l) => (pong = l) }, (r) => changes.push(r), {
      now: () => t,
      every: (_ms, f) => ((tick = f), () => {}),
    });
    beat.start();
    for (let i = 0; i < 5; i++) {
      t += 60_000;
      tick();
    }
    expect(changes).toEqual([]);
  });
});

describe('RunController with a heartbeat', () => {
  it('a worker that dies while idle: noticed within 2 s, Restart offered; a cell queued meanwhile is not stranded', async () => {
    const { controller, worker, ids } = setup(['1 + 1']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(controller.getSnapshot().responding).toBe(true);
    worker().alive = false;
    await vi.advanceTimersByTimeAsync(2000);
    expect(controller.getSnapshot()).toMatchObject({ responding: false, notice: { kind: 'unresponsive', until: 'kernel answers' } });
    expect(controller.getSnapshot().notice?.text).toMatch(/no cell was running/);
    controller.run([ids[0]]);
    expect(controller.getSnapshot().runs).toEqual({ [ids[0]]: 'queued' });
    const restarted = controller.restart();
    expect(controller.getSnapshot().runs).toEqual({});
    expect(controller.getSnapshot().finished[ids[0]]).toBe(1);
    worker().reply({ msg_type: 'kernel_ready', content: { backend: 'webgpu', tfjs_version: '4.22.0' } });
    await restarted;
    expect(controller.getSnapshot()).toMatchObject({ responding: true, notice: { kind: 'restarted' } });
    await vi.advanceTimersByTimeAsync(3000);
    expect(controller.getSnapshot().responding).toBe(true);
  });

  it('a kernel that answers again takes its notice back; a stuck running cell changes the status only', async () => {
    const { controller, worker, ids } = setup(['while (true) {}']);
    worker().alive = false;
    await vi.advanceTimersByTimeAsync(2000);
    expect(controller.getSnapshot().notice?.until).toBe('kernel answers');
    worker().alive = true;
    await vi.advanceTimersByTimeAsync(HEARTBEAT_EVERY_MS * 2);
    expect(controller.getSnapshot()).toMatchObject({ responding: true, notice: null });

    controller.run([ids[0]]);
    const [req] = worker().executes();
    worker().reply({ msg_type: 'status', parent_id: req.msg_id, content: { execution_state: 'busy' } });
    worker().alive = false;
    await vi.advanceTimersByTimeAsync(2000);
    expect(controller.getSnapshot()).toMatchObject({ responding: false, notice: null, state: 'busy' });
  });
});

describe('RunController notices', () => {
  it('a page loaded over a notebook that ran before says its kernel is fresh', () => {
    const { controller } = setup([{ source: 'const x = 1', executionCount: 4 }]);
    expect(controller.getSnapshot().notice).toMatchObject({ kind: 'info' });
    expect(controller.getSnapshot().notice?.text).toMatch(/fresh kernel/);
    expect(setup(['const x = 1']).controller.getSnapshot().notice).toBeNull();
  });

  it('a cell that has not stopped 3 s after Interrupt gets a notice, which goes when the cell ends', async () => {
    const { controller, worker, ids } = setup(['await new Promise(() => {})']);
    controller.run([ids[0]]);
    const [req] = worker().executes();
    worker().reply({ msg_type: 'status', parent_id: req.msg_id, content: { execution_state: 'busy' } });
    await controller.interrupt();
    await vi.advanceTimersByTimeAsync(INTERRUPT_STALL_MS + 10);
    expect(controller.getSnapshot().notice).toMatchObject({ kind: 'unresponsive', until: 'cell ends' });
    expect(controller.getSnapshot().notice?.text).toMatch(/Cell 1 has not stopped 3 s after Interrupt/);
    worker().reply({ msg_type: 'execute_reply', parent_id: req.msg_id, content: { status: 'error', execution_count: 1 } });
    await vi.advanceTimersByTimeAsync(0);
    expect(controller.getSnapshot().notice).toBeNull();
  });
});
