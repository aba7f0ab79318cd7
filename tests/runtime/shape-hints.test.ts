// Shape hints through the real kernel (compiler, cell runner, session, libraries) on the CPU backend: each cell line
// that applied a layer, block or model comes back in execute_reply with that application's output shape.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelSession } from '../../src/runtime/session';
import { initBackend } from '../../src/runtime/backend';
import { loadLibraries } from '../../src/runtime/builtins';
import { ShapeHintRecorder, shapeHintTargets } from '../../src/runtime/shape-hints';
import type { ErrorOutput, ExecuteReply, KernelToPage } from '../../src/protocol';

const sent: KernelToPage[] = [];
let session: KernelSession;
let n = 0;

beforeAll(async () => {
  session = new KernelSession({
    post: (m) => void sent.push(m),
    tf: tf as never,
    initBackend: () => initBackend(tf, { order: ['cpu'] }),
    loadLibraries: () => loadLibraries(),
  });
  await session.start();
});

afterAll(() => {
  tf.disposeVariables();
});

/** Runs one cell; returns its execute_reply's content and its error, if any. */
async function run(code: string): Promise<{ reply: ExecuteReply['content']; error?: ErrorOutput['content'] }> {
  const msg_id = `shape-hints-${++n}`;
  session.receive({ msg_type: 'execute_request', msg_id, content: { code, cell_label: `Cell ${n}` } });
  for (;;) {
    const reply = sent.find((m): m is ExecuteReply => m.msg_type === 'execute_reply' && m.parent_id === msg_id);
    if (reply) {
      const error = sent.find((m): m is Extract<KernelToPage, { msg_type: 'error' }> => m.msg_type === 'error' && m.parent_id === msg_id);
      return { reply: reply.content, error: error?.content };
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('shape hints', () => {
  it('gives each line that applied a layer its output shape, and no other line a hint', async () => {
    const { reply } = await run(
      [
        'const x = tf.zeros([2, 28, 28, 1]);',
        "const a = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(x) as tf.Tensor;",
        'const b = tf.layers.maxPooling2d({ poolSize: 2 }).apply(a) as tf.Tensor;',
        '',
        "const c = tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same' }).apply(b) as tf.Tensor;",
        'c.shape',
      ].join('\n'),
    );
    expect(reply.status).toBe('ok');
    expect(reply.shape_hints).toEqual([
      { line: 2, shapes: [[2, 28, 28, 8]] },
      { line: 3, shapes: [[2, 14, 14, 8]] },
      { line: 5, shapes: [[2, 14, 14, 32]] },
    ]);
  });

  it('records a model or block once, at the line that built or applied it, with symbolic batch as null', async () => {
    const { reply, error } = await run(
      [
        'const inp = tf.input({ shape: [8, 8, 3] });',
        'const block = new nn.DenseBlock({ numLayers: 2, growthRate: 4 });',
        'const y = block.apply(tf.zeros([1, 8, 8, 3])) as tf.Tensor;',
        'const sym = block.apply(inp) as tf.SymbolicTensor;',
        'const m = tf.sequential({ layers: [tf.layers.dense({ units: 5, inputShape: [3] }), tf.layers.dense({ units: 2 })] });',
        'const p = m.predict(tf.zeros([4, 3])) as tf.Tensor;',
        'let h = tf.zeros([1, 2]);',
        'for (let i = 1; i <= 3; i++) h = m.apply(tf.zeros([i, 3])) as tf.Tensor;',
      ].join('\n'),
    );
    expect(error).toBeUndefined();
    expect(reply.status).toBe('ok');
    expect(reply.shape_hints).toEqual([
      // A dense block adds numLayers × growthRate channels: 3 + 2·4.
      { line: 3, shapes: [[1, 8, 8, 11]] },
      { line: 4, shapes: [[null, 8, 8, 11]] },
      // Building a Sequential applies its layers to a placeholder: the last one's output is the model's.
      { line: 5, shapes: [[null, 2]] },
      { line: 6, shapes: [[4, 2]] },
      // Several applications on one line: the last one's.
      { line: 8, shapes: [[3, 2]] },
    ]);
  });

  it('records nothing for training, and sends no hints for a cell that applied no layer', async () => {
    const fitted = await run(
      [
        'const f = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });',
        "f.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });",
        'await f.fit(tf.ones([4, 2]), tf.ones([4, 1]), { epochs: 1, verbose: 0 });',
      ].join('\n'),
    );
    expect(fitted.reply.status).toBe('ok');
    expect(fitted.reply.shape_hints).toEqual([{ line: 1, shapes: [[null, 1]] }]);
    const plain = await run('const s = tf.add(tf.ones([2]), 1);\ns.shape');
    expect(plain.reply.status).toBe('ok');
    expect(plain.reply).not.toHaveProperty('shape_hints');
  });

  it('keeps the hints of a run that failed, whose error names the offending line', async () => {
    const { reply, error } = await run(
      [
        'const d = tf.layers.dense({ units: 3 }).apply(tf.zeros([2, 4])) as tf.Tensor;',
        '// a shape mismatch:',
        'tf.add(tf.zeros([2, 3]), tf.zeros([3, 2]));',
      ].join('\n'),
    );
    expect(reply.status).toBe('error');
    expect(reply.shape_hints).toEqual([{ line: 1, shapes: [[2, 3]] }]);
    expect(error?.line).toBe(3);
    expect(error?.evalue).toMatch(/Operands could not be broadcast together with shapes 2,3 and 3,2/);
  });

  it('keeps stacks deep enough for the cell frame, and prints deep recursion as one frame repeated', async () => {
    const { error } = await run('function down(n: number): number {\n  return down(n + 1) + 1;\n}\ndown(0)');
    expect(error).toMatchObject({ ename: 'RangeError', line: 2 });
    expect(error!.traceback.length).toBeLessThan(6);
    expect(error!.traceback.at(-1)).toMatch(/^ +\[Previous line repeated \d+ more times\]$/);
  });

  it('is installed only while a cell runs', async () => {
    const apply = tf.layers.Layer.prototype.apply;
    const predict = tf.Sequential.prototype.predict;
    const fit = tf.LayersModel.prototype.fit;
    (globalThis as { applyBeforeRun?: unknown }).applyBeforeRun = apply;
    const { reply, error } = await run(
      "if (tf.layers.Layer.prototype.apply === (globalThis as any).applyBeforeRun) throw new Error('no hook while running');",
    );
    expect(error).toBeUndefined();
    expect(reply.status).toBe('ok');
    expect(tf.layers.Layer.prototype.apply).toBe(apply);
    expect(tf.Sequential.prototype.predict).toBe(predict);
    expect(tf.LayersModel.prototype.fit).toBe(fit);
  });
});

describe('ShapeHintRecorder', () => {
  it('wraps the methods while recording and leaves a later wrapper in place when it stops', () => {
    const proto = { apply: (x: unknown) => x } as unknown as Record<string, unknown>;
    const original = proto['apply'];
    const recorder = new ShapeHintRecorder({ layer: proto, models: [] });
    recorder.start(() => 7);
    expect(proto['apply']).not.toBe(original);
    const apply = proto['apply'] as (x: unknown) => unknown;
    expect(apply.call(proto, { shape: [1, 2] })).toEqual({ shape: [1, 2] });
    // Someone else wraps apply after us: stopping must not throw their wrapper away.
    const theirs = (x: unknown) => apply.call(proto, x);
    proto['apply'] = theirs;
    expect(recorder.stop()).toEqual([{ line: 7, shapes: [[1, 2]] }]);
    expect(proto['apply']).toBe(theirs);
    // Ours, still inside theirs, passes calls straight through and records nothing.
    recorder.start(() => 9);
    recorder.stop();
    expect(theirs({ shape: [3] })).toEqual({ shape: [3] });
    expect(recorder.stop()).toEqual([]);
  });

  it('finds tfjs-layers in the namespace the cells see', () => {
    const targets = shapeHintTargets(tf as unknown as Record<string, unknown>);
    expect(targets.layer).toBe(tf.layers.Layer.prototype);
    expect(targets.models).toEqual([tf.LayersModel.prototype, tf.Sequential.prototype]);
  });
});
