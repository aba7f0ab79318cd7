// The fused Adam update's shader text and uniforms (no GPU needed), and on the CPU backend the optimizer hook, which
// must leave tf.train.adam's results exactly as tfjs-core computes them there.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADAM_UNIFORMS, AdamMomentProgram, AdamValueProgram } from '../../src/gpu/programs/adam';
import { adamOptimizerConnected, connectAdamOptimizer } from '../../src/gpu/ops/adam-optimizer';
import { connectNn } from '../../src/gpu/nn-hooks';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});
afterEach(() => connectNn(false));

describe('Adam programs', () => {
  it('declare count, then the two per-pass constants, and guard the count', () => {
    expect(ADAM_UNIFORMS.split(',').map((s) => s.split(':')[0].trim()).filter(Boolean)).toEqual(['count', 'a', 'b']);
    for (const p of [new AdamMomentProgram('first', [8], 2, true), new AdamValueProgram([3], 3, false)]) {
      expect(p.getUserCode()).toContain('if (index >= uniforms.count) { return; }');
    }
  });

  it('square the gradient for the second moment only, in tfjs-core\'s order (β·m first, then the gradient term)', () => {
    const first = new AdamMomentProgram('first', [8], 2, true).getUserCode();
    const second = new AdamMomentProgram('second', [8], 2, true).getUserCode();
    expect(first).toContain('let added = G[index] * uniforms.b;');
    expect(second).toContain('let added = (G[index] * G[index]) * uniforms.b;');
    for (const code of [first, second]) expect(code).toContain('let kept = M[index] * uniforms.a;');
  });

  it('read βᵗ from one-element inputs (no read-back) and key the pipeline on the variant only', () => {
    const v4 = new AdamValueProgram([64, 3], 48, true);
    expect(v4.variableNames).toEqual(['X', 'M', 'V', 'AccBeta1', 'AccBeta2']);
    expect(v4.variableComponents).toEqual([4, 4, 4, 1, 1]);
    expect(v4.getUserCode()).toContain('1.0 - AccBeta1[0]');
    expect(new AdamValueProgram([5], 5, false).shaderKey).toBe('convlab_adam_value_s');
    expect(v4.shaderKey).toBe(new AdamValueProgram([4], 1, true).shaderKey);
    expect(new AdamMomentProgram('second', [7], 7, false).shaderKey).toBe('convlab_adam_second_s');
  });
});

describe('the tf.train.adam hook', () => {
  it('installs and removes itself with our kernels, and is idempotent', () => {
    const stock = tf.AdamOptimizer.prototype.applyGradients;
    connectAdamOptimizer(true);
    connectAdamOptimizer(true);
    expect(adamOptimizerConnected()).toBe(true);
    expect(tf.AdamOptimizer.prototype.applyGradients).not.toBe(stock);
    connectAdamOptimizer(false);
    expect(adamOptimizerConnected()).toBe(false);
    expect(tf.AdamOptimizer.prototype.applyGradients).toBe(stock);
  });

  it('off webgpu leaves tfjs-core\'s update: values, moments and iterations as with no hook', async () => {
    const run = async () => {
      const x = tf.variable(tf.tensor([0.5, -1, 2, 3, -0.25]));
      const opt = tf.train.adam(0.1, 0.8, 0.9, 1e-6);
      for (let i = 0; i < 3; i++) opt.applyGradients([{ name: x.name, tensor: tf.tensor([0.1, -0.2, 0.3, 1, -2]).mul(i + 1) }]);
      const weights = await opt.getWeights();
      const out = { x: Array.from(await x.data()), state: await Promise.all(weights.map(async (w) => [w.name.replace(/\d+/g, ''), Array.from(await w.tensor.data())])) };
      opt.dispose();
      x.dispose();
      return out;
    };
    const plain = await run();
    connectAdamOptimizer(true);
    const hooked = await run();
    expect(hooked).toEqual(plain);
    expect(plain.state).toHaveLength(3); // iterations, m, v
  });
});
