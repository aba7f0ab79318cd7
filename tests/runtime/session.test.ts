// The kernel's message sequencing, driven as the worker drives it, with a fake postMessage (CPU backend).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { loadLibraries } from '../../src/runtime/builtins';
import { captureConsole, testSession } from './test-session';
import { clearInterrupt } from '../../src/cell/context';
import type { KernelToPage, PageToKernel } from '../../src/protocol';

captureConsole();

function makeKernel(libraries: Parameters<typeof loadLibraries>[0] = {}) {
  const { session, sent, nextMessage } = testSession(libraries, ['webgpu', 'cpu']);
  let n = 0;
  const kernel = {
    sent,
    session,
    send(m: PageToKernel) {
      session.receive(m);
    },
    execute(code: string, extra: { silent?: boolean } = {}): string {
      const msg_id = `req-${++n}`;
      session.receive({ msg_type: 'execute_request', msg_id, content: { code, cell_label: `Cell ${n}`, ...extra } });
      return msg_id;
    },
    /** Waits until a message matching `pred` has been posted. */
    async until(pred: (m: KernelToPage) => boolean): Promise<KernelToPage> {
      for (;;) {
        const found = sent.find(pred);
        if (found) return found;
        await nextMessage();
      }
    },
    reply(id: string) {
      return kernel.until((m) => m.msg_type === 'execute_reply' && m.parent_id === id);
    },
    of(id: string) {
      // tfjs greets Node users once with a stderr banner about tfjs-node; browsers never see it.
      const nodeBanner = (m: KernelToPage) => m.msg_type === 'stream' && /running TensorFlow\.js in Node\.js/.test(m.content.text);
      return sent.filter((m) => m.parent_id === id && !nodeBanner(m));
    },
  };
  return kernel;
}

describe('start-up', () => {
  it('says starting, falls back with a reason, then announces kernel_ready and idle', async () => {
    const k = makeKernel();
    await k.session.start();
    const types = k.sent.map((m) => m.msg_type);
    expect(types[0]).toBe('status');
    expect(k.sent[0].content).toEqual({ execution_state: 'starting' });
    const ready = k.sent.find((m) => m.msg_type === 'kernel_ready');
    expect(ready?.content).toMatchObject({ backend: 'cpu', tfjs_version: tf.version.tfjs });
    expect((ready?.content as { fallback_reason?: string } | undefined)?.fallback_reason).toMatch(/navigator\.gpu is not available/);
    expect(k.sent.at(-1)).toMatchObject({ msg_type: 'status', content: { execution_state: 'idle' } });
    // Libraries missing from the build are reported, not fatal.
    expect(k.sent.some((m) => m.msg_type === 'stream' && /nn library is not available/.test((m.content as { text: string }).text))).toBe(true);
  });
});

describe('execution', () => {
  it('follows Jupyter: busy → outputs → execute_reply → resource_usage → idle', async () => {
    const k = makeKernel();
    void k.session.start();
    const id = k.execute('const a = tf.tensor1d([1, 2, 3])\nconsole.log("shape", a.shape)\na.sum()');
    await k.reply(id);
    await k.until((m) => m.parent_id === id && m.msg_type === 'status' && (m.content as { execution_state: string }).execution_state === 'idle');
    const msgs = k.of(id);
    expect(msgs.map((m) => m.msg_type)).toEqual(['status', 'stream', 'execute_result', 'execute_reply', 'resource_usage', 'status']);
    expect(msgs[1].content).toEqual({ name: 'stdout', text: 'shape [ 3 ]\n' });
    const result = msgs[2].content as unknown as { execution_count: number; data: Record<string, { values: string }> };
    expect(result.execution_count).toBe(1);
    expect(result.data['application/vnd.convlab.tensor+json'].values).toContain('6');
    expect(msgs[3].content).toEqual({ status: 'ok', execution_count: 1 });
    expect((msgs[4].content as { numTensors: number }).numTensors).toBeGreaterThan(0);
  });

  it('keeps the scope between requests and counts only non-silent ones', async () => {
    const k = makeKernel();
    void k.session.start();
    const a = k.execute('const x = 20', { silent: true });
    const b = k.execute('x + 1');
    await k.reply(b);
    expect(k.of(a).find((m) => m.msg_type === 'execute_reply')?.content).toEqual({ status: 'ok', execution_count: null });
    const result = k.of(b).find((m) => m.msg_type === 'execute_result');
    expect(result?.content).toMatchObject({ execution_count: 1, data: { 'text/plain': '21' } });
  });

  it('keeps display(), print and results in call order even when a tensor is read back', async () => {
    const k = makeKernel();
    void k.session.start();
    const id = k.execute('const t = tf.ones([2, 2])\ndisplay(t)\nt.dispose()\nconsole.log("after")\nprint("printed")\n"end"');
    await k.reply(id);
    const outputs = k.of(id).filter((m) => ['stream', 'display_data', 'execute_result'].includes(m.msg_type));
    expect(outputs.map((m) => m.msg_type)).toEqual(['display_data', 'stream', 'stream', 'execute_result']);
    expect((outputs[0].content as unknown as { data: Record<string, { shape: number[] }> }).data['application/vnd.convlab.tensor+json'].shape).toEqual([2, 2]);
  });

  it('a display handle updates its output', async () => {
    const k = makeKernel();
    void k.session.start();
    const id = k.execute('const h = display("one", { displayId: true })\nh.update("two")');
    await k.reply(id);
    const shown = k.of(id).find((m) => m.msg_type === 'display_data')!;
    const updated = k.of(id).find((m) => m.msg_type === 'update_display_data')!;
    const idOf = (m: KernelToPage) => (m.content as { transient: { display_id: string } }).transient.display_id;
    expect(idOf(updated)).toBe(idOf(shown));
    expect((updated.content as { data: { 'text/plain': string } }).data['text/plain']).toBe("'two'");
  });
});

describe('errors', () => {
  it('reports name, message and cell line, then aborts the queued requests', async () => {
    const k = makeKernel();
    void k.session.start();
    const bad = k.execute('const ok = 1\n\nnull.boom()');
    const queued1 = k.execute('1');
    const queued2 = k.execute('2');
    await k.reply(queued2);
    const error = k.of(bad).find((m) => m.msg_type === 'error')!.content as { ename: string; evalue: string; line: number; traceback: string[] };
    expect(error.ename).toBe('TypeError');
    expect(error.line).toBe(3);
    expect(error.traceback.join('\n')).toContain('Cell 1, line 3');
    expect(k.of(bad).find((m) => m.msg_type === 'execute_reply')?.content).toEqual({ status: 'error', execution_count: 1 });
    for (const id of [queued1, queued2]) {
      expect(k.of(id).find((m) => m.msg_type === 'execute_reply')?.content).toEqual({ status: 'aborted', execution_count: null });
      expect(k.of(id).some((m) => m.msg_type === 'execute_result')).toBe(false);
    }
    // A request sent after the failure runs normally.
    const later = k.execute('ok + 1');
    await k.reply(later);
    expect(k.of(later).find((m) => m.msg_type === 'execute_result')?.content).toMatchObject({ data: { 'text/plain': '2' } });
  });

  it('a syntax error names the line and shows it with a caret', async () => {
    const k = makeKernel();
    void k.session.start();
    const id = k.execute('const a = 1\nconst = 2');
    await k.reply(id);
    const error = k.of(id).find((m) => m.msg_type === 'error')!.content as { ename: string; line: number; traceback: string[] };
    expect(error.ename).toBe('SyntaxError');
    expect(error.line).toBe(2);
    expect(error.traceback).toContain('2 | const = 2');
  });

  it('interrupt replies at once and stops the cell at its next await with ename Interrupted', async () => {
    const k = makeKernel();
    await k.session.start();
    const id = k.execute('let i = 0\nwhile (true) { await sleep(5); i++ }');
    await k.until((m) => m.parent_id === id && m.msg_type === 'status');
    await new Promise((r) => setTimeout(r, 30));
    k.send({ msg_type: 'interrupt_request', msg_id: 'int-1', content: {} });
    expect(k.sent.at(-1)).toMatchObject({ msg_type: 'interrupt_reply', parent_id: 'int-1', content: { status: 'ok' } });
    await k.reply(id);
    const error = k.of(id).find((m) => m.msg_type === 'error')!.content as { ename: string; line?: number };
    expect(error.ename).toBe('Interrupted');
    expect(error.line).toBe(2);
    clearInterrupt();
    // The flag is cleared for the next execution, and the scope survived.
    const next = k.execute('i > 0');
    await k.reply(next);
    expect(k.of(next).find((m) => m.msg_type === 'execute_result')?.content).toMatchObject({ data: { 'text/plain': 'true' } });
  });

  it('errors nobody awaited become stderr, not a dead kernel', async () => {
    const k = makeKernel();
    void k.session.start();
    const id = k.execute('1');
    await k.reply(id);
    k.session.reportUncaught('rejection', new Error('left behind'));
    const msg = await k.until((m) => m.msg_type === 'stream' && /left behind/.test((m.content as { text: string }).text));
    expect(msg).toMatchObject({ parent_id: id, content: { name: 'stderr', text: 'Unhandled promise rejection: Error: left behind\n' } });
  });
});

describe('libraries and options', () => {
  it('a library that throws while loading gives a note and a stand-in that explains itself', async () => {
    const k = makeKernel({ nn: async () => { throw new Error('syntax error in nn'); }, train: async () => ({ fit: () => 'fitted' }) });
    void k.session.start();
    const ok = k.execute('train.fit()');
    const bad = k.execute('nn.resnet()');
    await k.reply(ok);
    await k.reply(bad);
    expect(k.of(ok).find((m) => m.msg_type === 'execute_result')?.content).toMatchObject({ data: { 'text/plain': "'fitted'" } });
    const error = k.of(bad).find((m) => m.msg_type === 'error')!.content as { evalue: string };
    expect(error.evalue).toContain('syntax error in nn');
  });

  it('nn.summary shows its summary once, whether or not it is the last expression', async () => {
    const summary = { toMimeBundle: () => ({ 'text/plain': 'SUMMARY' }) };
    const k = makeKernel({ nn: async () => ({ summary: () => summary }) });
    void k.session.start();
    const assigned = k.execute('const s = nn.summary()\n1');
    const last = k.execute('nn.summary()');
    await k.reply(assigned);
    await k.reply(last);
    const shown = (id: string) => k.of(id).filter((m) => (m.msg_type === 'display_data' || m.msg_type === 'execute_result') && (m.content as { data: { 'text/plain'?: string } }).data['text/plain'] === 'SUMMARY');
    expect(shown(assigned)).toHaveLength(1);
    expect(shown(last)).toHaveLength(1);
    // A value displayed earlier in the cell and then returned is shown once too.
    const again = k.execute('const o = { toMimeBundle: () => ({ "text/plain": "SUMMARY" }) }\ndisplay(o)\no');
    await k.reply(again);
    expect(shown(again)).toHaveLength(1);
  });

  it('option_request kernels calls kernels.use() and replies', async () => {
    const used: string[] = [];
    const k = makeKernel({ kernels: async () => ({ use: (v: string) => used.push(v) }) });
    k.send({ msg_type: 'option_request', msg_id: 'opt-1', content: { name: 'kernels', value: 'stock' } });
    void k.session.start();
    const reply = await k.until((m) => m.msg_type === 'option_reply');
    expect(reply).toMatchObject({ parent_id: 'opt-1', content: { name: 'kernels', value: 'stock' } });
    expect((reply.content as { error?: string }).error).toBeUndefined();
    expect(used).toEqual(['stock']);
  });

  it('option_request without a kernels library replies with the reason', async () => {
    const k = makeKernel();
    void k.session.start();
    k.send({ msg_type: 'option_request', msg_id: 'opt-2', content: { name: 'kernels', value: 'convlab' } });
    const reply = await k.until((m) => m.msg_type === 'option_reply');
    expect((reply.content as { error?: string }).error).toMatch(/kernels library/);
  });
});

describe('re-running a cell that rebinds a name', () => {
  it('frees the old model: tf.memory() after five runs equals one, and says what it freed', async () => {
    const k = makeKernel();
    void k.session.start();
    const cell = 'const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 16 }), tf.layers.dense({ units: 4 })] })';
    const counts: number[] = [];
    let last = '';
    for (let i = 0; i < 5; i++) {
      last = k.execute(cell);
      await k.reply(last);
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts.slice(1))).toEqual(new Set([counts[0]]));
    const note = k.of(last).find((m) => m.msg_type === 'stream');
    expect(note?.content).toMatchObject({ name: 'stdout', text: expect.stringMatching(/Freed what the previous `model` held \(4 tensors/) });
  });
});

describe('the run queue', () => {
  it('interrupt stops the running cell and aborts every queued request', async () => {
    const k = makeKernel();
    void k.session.start();
    const running = k.execute('while (true) { await sleep(5); }');
    const queued = [k.execute('1'), k.execute('2')];
    await k.until((m) => m.msg_type === 'status' && m.parent_id === running && (m.content as { execution_state: string }).execution_state === 'busy');
    k.send({ msg_type: 'interrupt_request', msg_id: 'int-1', content: {} });
    expect((await k.reply(running)).content).toMatchObject({ status: 'error' });
    for (const id of queued) expect((await k.reply(id)).content).toEqual({ status: 'aborted', execution_count: null });
    // The queue is empty: the next request runs.
    const next = k.execute('40 + 2');
    expect((await k.reply(next)).content).toMatchObject({ status: 'ok' });
  });
});
