// The fused training BatchNorm's plan, uniforms and shader text (no GPU needed), and on the CPU backend its
// portable path and the tf.layers hook, which must decline there and leave tfjs-layers' results untouched.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  applyUniforms, BN_APPLY_ROWS, BnGradCombineProgram, BnGradPartialsProgram, BnInputGradProgram, BnNormalizeProgram, BnStatsCombineProgram,
  BnStatsPartialsProgram, bnTrainPlan, combineUniforms, partialsUniforms,
} from '../../src/gpu/programs/batch-norm-train';
import { reduceSplits } from '../../src/gpu/programs/reduce-rows';
import { batchNormTraining } from '../../src/gpu/ops/batch-norm';
import { batchNormLayerConnected, connectBatchNormLayer } from '../../src/gpu/ops/batch-norm-layer';
import { connectNn } from '../../src/gpu/nn-hooks';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});
afterEach(() => connectNn(false));

const names = (decl: string | undefined) => (decl ?? '').split(',').map((s) => s.split(':')[0].trim()).filter(Boolean);

describe('bnTrainPlan', () => {
  it('views NHWC as [N·H·W, C] columns, vec4 when C % 4 == 0, with ~√rows chunks for the reductions', () => {
    const p = bnTrainPlan([64, 14, 14, 64])!;
    expect(p).toMatchObject({ rows: 12544, channels: 64, vec4: true, cols: 16, applyChunks: Math.ceil(12544 / BN_APPLY_ROWS) });
    expect({ rowsPer: p.rowsPer, splits: p.splits }).toEqual(reduceSplits(12544));
    expect(p.splits * p.rowsPer).toBeGreaterThanOrEqual(p.rows);
    expect((p.splits - 1) * p.rowsPer).toBeLessThan(p.rows);
    expect(bnTrainPlan([1, 5, 7, 3])).toMatchObject({ rows: 35, channels: 3, vec4: false, cols: 3, splits: 1, rowsPer: 35 });
  });

  it('takes ranks 2 and 3 (dense and sequence layers) and declines rank 1 and empty tensors', () => {
    expect(bnTrainPlan([32, 20])).toMatchObject({ rows: 32, channels: 20, vec4: true, cols: 5 });
    expect(bnTrainPlan([3, 10, 13])).toMatchObject({ rows: 30, channels: 13, vec4: false });
    expect(bnTrainPlan([16])).toBeNull();
    expect(bnTrainPlan([0, 4, 4, 8])).toBeNull();
    expect(bnTrainPlan([2, 4, 4, 0])).toBeNull();
  });
});

describe('fused BatchNorm programs', () => {
  const v4 = bnTrainPlan([8, 28, 28, 16])!;
  const s = bnTrainPlan([4, 28, 28, 6])!;
  const programs = (p: typeof v4) => [
    new BnStatsPartialsProgram(p), new BnStatsCombineProgram(p, 'packed'), new BnNormalizeProgram(p, [1]),
    new BnGradPartialsProgram(p), new BnGradCombineProgram(p, 'first'), new BnInputGradProgram(p, [1]),
  ];

  it('declare uniforms in the order their *Uniforms functions fill them', () => {
    const partials = partialsUniforms(v4, 1e-3, true);
    expect(Object.fromEntries(names(new BnStatsPartialsProgram(v4).uniforms).map((n, i) => [n, partials[i].data[0]])))
      .toEqual({ count: v4.splits * 4, rows: 6272, cols: 4, rowsPer: v4.rowsPer, eps: 1e-3, relu: 1 });
    const apply = applyUniforms(s, 1e-5, false);
    expect(Object.fromEntries(names(new BnInputGradProgram(s, [1]).uniforms).map((n, i) => [n, apply[i].data[0]])))
      .toEqual({ count: s.applyChunks * 6, rows: 3136, cols: 6, rowsPer: BN_APPLY_ROWS, eps: 1e-5, relu: 0 });
    const combine = combineUniforms(s, 'second');
    expect(Object.fromEntries(names(new BnGradCombineProgram(s, 'second').uniforms).map((n, i) => [n, combine[i].data[0]])))
      .toEqual({ count: 6, rows: 3136, channels: 6, splits: s.splits, rowsPer: s.rowsPer, which: 1 });
    expect(combineUniforms(s, 'first')[5].data[0]).toBe(0);
    expect(combineUniforms(s, 'packed')[5].data[0]).toBe(2);
  });

  it('compile one pipeline per variant whatever the shape: 10 shader keys, vec4 and scalar for the full passes', () => {
    const keys = new Set([...programs(v4), ...programs(s), ...programs(bnTrainPlan([1, 2, 2, 4])!), ...programs(bnTrainPlan([64, 3])!)].map((p) => p.shaderKey));
    expect([...keys].sort()).toEqual([
      'convlab_bntrain_grad_combine_s', 'convlab_bntrain_grad_partials_s', 'convlab_bntrain_grad_partials_v4',
      'convlab_bntrain_input_grad_s', 'convlab_bntrain_input_grad_v4', 'convlab_bntrain_normalize_s', 'convlab_bntrain_normalize_v4',
      'convlab_bntrain_stats_combine_s', 'convlab_bntrain_stats_partials_s', 'convlab_bntrain_stats_partials_v4',
    ]);
    // Never under the prefixes the per-op BatchNorm kernels' variant count is asserted on.
    expect([...keys].some((k) => /^convlab_(reduce|binary|batchnorm)_/.test(k))).toBe(false);
    expect(new BnNormalizeProgram(v4, [8, 28, 28, 16]).getUserCode()).toBe(new BnNormalizeProgram(bnTrainPlan([1, 1, 4, 8])!, [1, 1, 4, 8]).getUserCode());
  });

  it('use every input they bind (tfjs builds layout "auto", which drops unused bindings) and stay within 8 storage buffers', () => {
    for (const p of [...programs(v4), ...programs(s)]) {
      const code = p.getUserCode();
      for (const v of p.variableNames) expect(code, `${p.shaderKey} reads ${v}`).toMatch(new RegExp(`\\b${v}\\[`));
      expect(p.variableNames.length + 1).toBeLessThanOrEqual(8);
      expect(p.variableComponents).toEqual(p.variableNames.map(() => (p.shaderKey.endsWith('_v4') ? 4 : 1)));
    }
  });

  it('recompute the ReLU mask in the backward with the expression the forward stores', () => {
    expect(new BnNormalizeProgram(v4, [1]).getUserCode()).toContain('max((X[p] - m) * a + b, vec4<f32>(0.0))');
    for (const p of [new BnGradPartialsProgram(v4), new BnInputGradProgram(v4, [1])]) {
      expect(p.getUserCode()).toContain('(x - m) * a + b > vec4<f32>(0.0)');
      expect(p.getUserCode()).toContain('let a = r * G[c];');
    }
  });

  it('size the combine outputs by target: one [C] row or both rows packed as [2, C]', () => {
    expect(new BnStatsCombineProgram(s, 'first').outputShape).toEqual([6]);
    expect(new BnStatsCombineProgram(s, 'packed').outputShape).toEqual([2, 6]);
    expect(new BnGradCombineProgram(v4, 'packed').outputShape).toEqual([2, 16]);
    expect(new BnStatsPartialsProgram(v4).outputShape).toEqual([v4.splits * 2 * 16]);
  });
});

describe('batchNormTraining off webgpu', () => {
  it('is tfjs-layers\' composition: same y, batch statistics and gradients as tf.moments + tf.batchNorm (+ relu)', () => {
    const x = tf.randomNormal([2, 3, 3, 5], 0, 1, 'float32', 1);
    const g = tf.randomUniform([5], 0.5, 1.5, 'float32', 2);
    const b = tf.randomUniform([5], -0.5, 0.5, 'float32', 3);
    const dy = tf.randomNormal([2, 3, 3, 5], 0, 1, 'float32', 4);
    const ref = (t: tf.Tensor, gt: tf.Tensor, bt: tf.Tensor) => {
      const { mean, variance } = tf.moments(t, [0, 1, 2]);
      return tf.relu(tf.batchNorm(t, mean, variance, bt as tf.Tensor1D, gt as tf.Tensor1D, 1e-5));
    };
    const ours = (t: tf.Tensor, gt: tf.Tensor, bt: tf.Tensor) => batchNormTraining(t, gt, bt, { epsilon: 1e-5, relu: true }).y;
    const a = tf.valueAndGrads(ours)([x, g, b], dy);
    const e = tf.valueAndGrads(ref)([x, g, b], dy);
    expect(Array.from(a.value.dataSync())).toEqual(Array.from(e.value.dataSync()));
    a.grads.forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from(e.grads[i].dataSync())));
    const { mean, variance } = batchNormTraining(x, g, b);
    const m = tf.moments(x, [0, 1, 2]);
    expect(Array.from(mean.dataSync())).toEqual(Array.from(m.mean.dataSync()));
    expect(Array.from(variance.dataSync())).toEqual(Array.from(m.variance.dataSync()));
  });
});

describe('the tf.layers BatchNormalization hook', () => {
  const proto = () => Object.getPrototypeOf(tf.layers.batchNormalization({})) as { call: unknown };

  it('wraps the class\'s call while our kernels are on and restores tfjs\'s own function with stock', () => {
    const stock = proto().call;
    connectNn(true);
    expect(batchNormLayerConnected()).toBe(true);
    expect(proto().call).not.toBe(stock);
    connectNn(true); // idempotent: never wraps the wrapper
    connectNn(false);
    expect(proto().call).toBe(stock);
    expect(batchNormLayerConnected()).toBe(false);
  });

  it('takes no name from the counter that names the learner\'s layers', () => {
    const suffix = () => Number(/(\d+)$/.exec(tf.layers.batchNormalization({}).name)![1]);
    const before = suffix();
    connectNn(true);
    connectNn(false);
    expect(suffix()).toBe(before + 1);
  });

  it('declines on the CPU backend: a training step and the moving averages are exactly tfjs-layers\'', () => {
    const step = () => {
      const layer = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
      layer.apply(tf.zeros([2, 4, 4, 3]));
      layer.setWeights([tf.tensor1d([1, 1.5, 0.5]), tf.tensor1d([0.1, -0.2, 0.3]), tf.tensor1d([0.5, 0, -0.5]), tf.tensor1d([1, 2, 3])]);
      const x = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 7);
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      return [y, ...layer.weights.map((w) => w.read())].map((t) => Array.from(t.dataSync()));
    };
    const stock = step();
    connectBatchNormLayer(true);
    expect(step()).toEqual(stock);
  });
});
