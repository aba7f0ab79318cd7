// The page-side client against fake workers: request/reply matching, interrupt, restart, dead workers;
// and once end to end against a real KernelSession (CPU backend) standing in for the worker.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { RuntimeClient, KernelDeadError, type CellOutput, type KernelEvent, type WorkerLike } from '../../../src/ui/core/runtime-client';
import type { KernelToPage, PageToKernel } from '../../../src/protocol';
import { KernelSession } from '../../../src/runtime/session';
import { initBackend } from '../../../src/runtime/backend';
import { loadLibraries } from '../../../src/runtime/builtins';

class FakeWorker implements WorkerLike {
  readonly received: PageToKernel[] = [];
  terminated = false;
  private readonly listeners = new Map<string, Array<(e: never) => void>>();
  onPost: (m: PageToKernel) => void = () => {};

  postMessage(message: PageToKernel): void {
    this.received.push(structuredClone(message));
    this.onPost(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  addEventListener(type: string, listener: (e: never) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  /** The kernel side speaking. */
  reply(message: KernelToPage): void {
    for (const l of this.listeners.get('message') ?? []) l({ data: structuredClone(message) } as never);
  }
  fail(message: string): void {
    for (const l of this.listeners.get('error') ?? []) l({ message, preventDefault() {} } as never);
  }
}

function setup(interruptTimeoutMs = 2000) {
  const workers: FakeWorker[] = [];
  const events: KernelEvent[] = [];
  const client = new RuntimeClient({
    interruptTimeoutMs,
    createWorker: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
  });
  client.on((e) => events.push(e));
  return { client, workers, events, worker: () => workers[workers.length - 1] };
}

const ready: KernelToPage = { msg_type: 'kernel_ready', content: { backend: 'webgpu', tfjs_version: '4.22.0' } };

describe('RuntimeClient with a fake worker', () => {
  it('routes outputs by msg_id and resolves execute() with the execute_reply', async () => {
    const { client, worker } = setup();
    const outA: CellOutput[] = [];
    const outB: CellOutput[] = [];
    const a = client.execute('1', { cellLabel: 'Cell 1', onOutput: (o) => outA.push(o) });
    const b = client.execute('2', { onOutput: (o) => outB.push(o) });
    const [reqA, reqB] = worker().received;
    expect(reqA).toMatchObject({ msg_type: 'execute_request', content: { code: '1', cell_label: 'Cell 1' } });
    worker().reply({ msg_type: 'stream', parent_id: reqB.msg_id, content: { name: 'stdout', text: 'b\n' } });
    worker().reply({ msg_type: 'execute_result', parent_id: reqA.msg_id, content: { execution_count: 1, data: { 'text/plain': '1' }, metadata: {} } });
    worker().reply({ msg_type: 'execute_reply', parent_id: reqA.msg_id, content: { status: 'ok', execution_count: 1 } });
    await expect(a).resolves.toEqual({ status: 'ok', execution_count: 1 });
    worker().reply({ msg_type: 'execute_reply', parent_id: reqB.msg_id, content: { status: 'aborted', execution_count: null } });
    await expect(b).resolves.toEqual({ status: 'aborted', execution_count: null });
    expect(outA.map((o) => o.msg_type)).toEqual(['execute_result']);
    expect(outB.map((o) => o.msg_type)).toEqual(['stream']);
    // Output that arrives after the reply (work that outlived its cell) still reaches that cell.
    worker().reply({ msg_type: 'stream', parent_id: reqA.msg_id, content: { name: 'stdout', text: 'late\n' } });
    expect(outA.map((o) => o.msg_type)).toEqual(['execute_result', 'stream']);
  });

  it('reports ready, status, resources and device loss as events', async () => {
    const { client, worker, events } = setup();
    worker().reply(ready);
    await expect(client.ready()).resolves.toMatchObject({ backend: 'webgpu' });
    worker().reply({ msg_type: 'status', content: { execution_state: 'busy' } });
    worker().reply({ msg_type: 'resource_usage', content: { numTensors: 3, numBytes: 12 } });
    worker().reply({ msg_type: 'device_lost', content: { reason: 'unknown', message: 'gone' } });
    expect(events.map((e) => e.type)).toEqual(['ready', 'status', 'resources', 'device_lost']);
    expect(client.state).toBe('busy');
  });

  it('interrupt() resolves ok on interrupt_reply, unresponsive without one', async () => {
    const { client, worker } = setup(50);
    const first = client.interrupt();
    const req = worker().received.at(-1)!;
    expect(req.msg_type).toBe('interrupt_request');
    worker().reply({ msg_type: 'interrupt_reply', parent_id: req.msg_id, content: { status: 'ok' } });
    await expect(first).resolves.toBe('ok');
    await expect(client.interrupt()).resolves.toBe('unresponsive');
  });

  it('restart() terminates the worker, fails pending requests and starts a fresh one', async () => {
    const { client, workers, events } = setup();
    const old = workers[0];
    old.reply(ready);
    const pending = client.execute('while (true) {}');
    const restarted = client.restart();
    await expect(pending).rejects.toBeInstanceOf(KernelDeadError);
    await expect(pending).rejects.toThrow('Kernel restarted');
    expect(old.terminated).toBe(true);
    expect(workers.length).toBe(2);
    expect(events.some((e) => e.type === 'restarted')).toBe(true);
    // The replaced worker is not listened to any more.
    old.reply({ msg_type: 'status', content: { execution_state: 'idle' } });
    expect(client.state).toBe('starting');
    workers[1].reply(ready);
    await expect(restarted).resolves.toMatchObject({ backend: 'webgpu' });
  });

  it('a worker that errors before kernel_ready fails pending requests instead of hanging', async () => {
    const { client, worker, events } = setup();
    const pending = client.execute('1');
    const waiting = client.ready();
    worker().fail('SyntaxError in worker.js');
    await expect(pending).rejects.toThrow(/Kernel failed to start: SyntaxError in worker.js/);
    await expect(waiting).rejects.toThrow(/failed to start/);
    expect(events).toContainEqual({ type: 'worker_error', message: 'SyntaxError in worker.js' });
  });

  it('setOption() resolves with the option_reply', async () => {
    const { client, worker } = setup();
    const p = client.setOption('kernels', 'stock');
    const req = worker().received.at(-1)!;
    worker().reply({ msg_type: 'option_reply', parent_id: req.msg_id, content: { name: 'kernels', value: 'stock' } });
    await expect(p).resolves.toEqual({ name: 'kernels', value: 'stock' });
  });
});

describe('RuntimeClient end to end with a KernelSession in place of the worker', () => {
  it('runs cells that share a scope, shows results and errors, and restarts into an empty scope', async () => {
    const client = new RuntimeClient({
      createWorker: () => {
        const w = new FakeWorker();
        const session = new KernelSession({
          post: (m) => queueMicrotask(() => w.reply(m)),
          tf: tf as never,
          initBackend: () => initBackend(tf, { order: ['cpu'] }),
          loadLibraries: () => loadLibraries({}),
        });
        w.onPost = (m) => queueMicrotask(() => session.receive(structuredClone(m)));
        void session.start();
        return w;
      },
    });
    const info = await client.ready();
    expect(info.backend).toBe('cpu');

    const outputs: CellOutput[] = [];
    const onOutput = (o: CellOutput) => outputs.push(o);
    expect(await client.execute('const w = tf.tensor2d([[1, 2], [3, 4]])', { onOutput })).toEqual({ status: 'ok', execution_count: 1 });
    expect(await client.execute('w.shape', { onOutput })).toEqual({ status: 'ok', execution_count: 2 });
    expect(outputs.at(-1)).toMatchObject({ msg_type: 'execute_result', content: { data: { 'text/plain': '[ 2, 2 ]' } } });
    expect(await client.execute('w.notAMethod()', { onOutput })).toEqual({ status: 'error', execution_count: 3 });
    expect(outputs.at(-1)).toMatchObject({ msg_type: 'error', content: { ename: 'TypeError', line: 1 } });

    await client.restart();
    await client.execute('typeof w', { onOutput });
    expect(outputs.at(-1)).toMatchObject({ msg_type: 'execute_result', content: { data: { 'text/plain': "'undefined'" } } });
    client.dispose();
  });
});
