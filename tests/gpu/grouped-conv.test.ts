// The grouped-conv kernel's plan, uniforms and shader text (no GPU needed), and the op's portable path and nn
// hook on the CPU backend (where it declines to nn's split → conv → concat).
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GROUPED_UNIFORMS, GroupedConvProgram, groupedPlan, groupedUniformData, type GroupedDims } from '../../src/gpu/programs/grouped-conv';
import { groupedDims } from '../../src/gpu/kernels/grouped-conv';
import { groupedConv2d } from '../../src/gpu/ops/grouped-conv';
import { connectNn } from '../../src/gpu/nn-hooks';
import { groupedConv2d as nnGroupedConv2d } from '../../src/nn/ops/grouped-conv2d';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});
afterEach(() => connectNn(false));

const resnext: GroupedDims = { batch: 8, inH: 28, inW: 28, inC: 64, outH: 28, outW: 28, outC: 64, kH: 3, kW: 3, strideH: 1, strideW: 1, padTop: 1, padLeft: 1, groups: 16 };
const d2l: GroupedDims = { ...resnext, inC: 32, outC: 32 };

describe('grouped conv plan', () => {
  it('uses vec4 with 4 groups per invocation for 4 channels per group, scalar blocks for 2', () => {
    const v = groupedPlan('forward', resnext);
    expect(v).toMatchObject({ vec4: true, gs: 4, oBlocks: 1, blocksN: 4, m: 8 * 28 * 28 });
    expect(v.total).toBe((8 * 28 * 28 / 4) * 4);
    const s = groupedPlan('backpropInput', d2l);
    expect(s).toMatchObject({ vec4: false, gs: 1, cBlocks: 1, blocksN: 16 });
    expect(groupedPlan('forward', { ...resnext, groups: 2, inC: 8, outC: 8 })).toMatchObject({ vec4: true, gs: 1 });
    expect(groupedPlan('forward', { ...resnext, outC: 16 * 6 })).toMatchObject({ vec4: false, oBlocks: 2 });
  });

  it('splits the filter gradient into row ranges that cover every row once', () => {
    const p = groupedPlan('backpropFilter', resnext);
    expect(p.splits).toBeGreaterThan(1);
    expect(p.chunk * p.splits).toBeGreaterThanOrEqual(8 * 28);
    expect(p.chunk * (p.splits - 1)).toBeLessThan(8 * 28);
    expect(p.m).toBe(9 * 4);
    expect(p.total).toBe(9 * 16 * p.splits);
    // Tiny problems are not split (each partial-sum size would stay in tfjs's buffer pool).
    expect(groupedPlan('backpropFilter', { ...resnext, batch: 1, inH: 5, inW: 5, outH: 5, outW: 5 }).splits).toBe(1);
  });

  it('fills uniforms in the order the shader declares them', () => {
    const names = GROUPED_UNIFORMS.split(',').map((s) => s.split(':')[0].trim()).filter(Boolean);
    const data = groupedUniformData(resnext, groupedPlan('forward', resnext));
    expect(data).toHaveLength(names.length);
    expect(Object.fromEntries(names.map((n, i) => [n, data[i].data[0]]))).toMatchObject({ cg: 4, og: 4, inC: 64, outC: 64, kH: 3, padLeft: 1, blocksN: 4 });
  });
});

describe('grouped conv shader text', () => {
  it('keys one pipeline per variant, named registers only', () => {
    const a = new GroupedConvProgram('forward', [8, 28, 28, 64], groupedPlan('forward', resnext));
    const b = new GroupedConvProgram('forward', [1, 5, 5, 128], groupedPlan('forward', { ...resnext, batch: 1, inH: 5, inW: 5, outH: 5, outW: 5, outC: 128 }));
    expect(a.shaderKey).toBe('convlab_grouped_forward_v4g4');
    expect(a.shaderKey).toBe(b.shaderKey);
    expect(a.getUserCode()).toBe(b.getUserCode());
    for (const kind of ['forward', 'backpropInput', 'backpropFilter'] as const) {
      for (const d of [resnext, d2l]) {
        const src = new GroupedConvProgram(kind, [1], groupedPlan(kind, d)).getUserCode();
        expect(src).not.toMatch(/array</);
        expect(src).toMatch(/acc0_0/);
      }
    }
    expect(new GroupedConvProgram('backpropFilter', [1], groupedPlan('backpropFilter', d2l)).shaderKey).toBe('convlab_grouped_backpropFilter_s');
  });
});

describe('groupedDims', () => {
  it('takes out shape and pads from the spatial dims, and validates channels like nn', () => {
    const d = groupedDims([2, 9, 7, 12], [3, 3, 3, 8], { strides: 2, padding: 'same', groups: 4 });
    expect(d).toMatchObject({ outH: 5, outW: 4, outC: 8, inC: 12, padTop: 1, padLeft: 1, strideH: 2, groups: 4 });
    expect(groupedDims([1, 9, 7, 4], [3, 3, 2, 6], { strides: [2, 1], padding: 'valid', groups: 2 })).toMatchObject({ outH: 4, outW: 5, padTop: 0 });
    expect(() => groupedDims([1, 4, 4, 6], [3, 3, 1, 8], { strides: 1, padding: 'same', groups: 4 })).toThrow(/groups/);
    expect(() => groupedDims([1, 4, 4, 8], [3, 3, 4, 8], { strides: 1, padding: 'same', groups: 4 })).toThrow(/per group/);
  });
});

describe('groupedConv2d off webgpu', () => {
  it('runs the portable composition and matches nn, values and gradients; nn hook declines on the CPU', () => {
    connectNn(true);
    const x = tf.randomNormal([1, 5, 5, 6], 0, 1, 'float32', 3) as tf.Tensor4D;
    const k = tf.randomNormal([3, 3, 2, 9], 0, 1, 'float32', 4) as tf.Tensor4D;
    const opts = { strides: 2 as const, padding: 'same' as const, groups: 3 };
    const ours = tf.grads((a: tf.Tensor, b: tf.Tensor) => groupedConv2d(a as tf.Tensor4D, b as tf.Tensor4D, opts))([x, k]);
    const theirs = tf.grads((a: tf.Tensor, b: tf.Tensor) => nnGroupedConv2d(a as tf.Tensor4D, b as tf.Tensor4D, opts))([x, k]);
    ours.forEach((g, i) => expect(tf.max(tf.abs(tf.sub(g, theirs[i]))).dataSync()[0]).toBeLessThan(1e-5));
    expect(groupedConv2d(x, k, opts).shape).toEqual([1, 3, 3, 9]);
  });
});
