// Shape classes: exact where a different program or fit follows (geometry, channels, broadcast, alignment),
// rounded to powers of two where only the amount of work changes (batch, pixels, element counts).
import { describe, expect, it } from 'vitest';
import { shapeClass, sizeBucket, type KernelCall } from '../../../src/gpu/chooser/shape-class';
import { adapterKey, KERNEL_LAYER_VERSION } from '../../../src/gpu/chooser/adapter-key';

const conv = (x: number[], filter: number[], attrs: Record<string, unknown> = {}, op = 'Conv2D'): KernelCall => ({
  op,
  inputs: [{ name: 'x', shape: x, dtype: 'float32' }, { name: 'filter', shape: filter, dtype: 'float32' }],
  attrs: { strides: 1, pad: 'same', dilations: 1, dataFormat: 'NHWC', ...attrs },
});
const binary = (a: number[], b: number[], op = 'Multiply'): KernelCall => ({
  op, inputs: [{ name: 'a', shape: a, dtype: 'float32' }, { name: 'b', shape: b, dtype: 'float32' }], attrs: {},
});
const slice = (shape: number[], begin: number[], size: number[]): KernelCall => ({
  op: 'Slice', inputs: [{ name: 'x', shape, dtype: 'float32' }], attrs: { begin, size },
});

describe('sizeBucket', () => {
  it('rounds up to a power of two and keeps 0 and 1', () => {
    expect([0, 1, 2, 3, 4, 5, 784, 1024, 1025].map(sizeBucket)).toEqual([0, 1, 2, 4, 4, 8, 1024, 1024, 2048]);
  });
});

describe('shapeClass', () => {
  it('a conv at batch 8 and its partial last batch of 6 share a class; channels, stride, kernel size and padding do not', () => {
    const base = shapeClass(conv([8, 28, 28, 16], [3, 3, 16, 32]));
    expect(shapeClass(conv([6, 28, 28, 16], [3, 3, 16, 32]))).toBe(base);
    expect(shapeClass(conv([64, 28, 28, 16], [3, 3, 16, 32]))).not.toBe(base);
    expect(shapeClass(conv([8, 28, 28, 16], [3, 3, 16, 36]))).not.toBe(base);
    expect(shapeClass(conv([8, 28, 28, 18], [3, 3, 18, 32]))).not.toBe(base);
    expect(shapeClass(conv([8, 28, 28, 16], [1, 1, 16, 32]))).not.toBe(base);
    expect(shapeClass(conv([8, 28, 28, 16], [3, 3, 16, 32], { strides: 2 }))).not.toBe(base);
    expect(shapeClass(conv([8, 28, 28, 16], [3, 3, 16, 32], { pad: 'valid' }))).not.toBe(base);
    expect(base).toMatch(/^Conv2D\|/);
  });

  it('a fused conv is classed by its epilogue too', () => {
    const fused = (activation: string, bias: boolean): KernelCall => {
      const c = conv([8, 14, 14, 32], [3, 3, 32, 32], { activation }, 'FusedConv2D');
      if (bias) c.inputs.push({ name: 'bias', shape: [32], dtype: 'float32' });
      return c;
    };
    const keys = new Set([fused('linear', false), fused('relu', false), fused('relu', true), fused('linear', true)].map(shapeClass));
    expect(keys.size).toBe(4);
  });

  it('gradients take their channels and pixels from the attrs that carry them', () => {
    const dx = (n: number, cin: number): KernelCall => ({
      op: 'Conv2DBackpropInput',
      inputs: [{ name: 'dy', shape: [n, 14, 14, 32], dtype: 'float32' }, { name: 'filter', shape: [3, 3, cin, 32], dtype: 'float32' }],
      attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [n, 14, 14, cin] },
    });
    expect(shapeClass(dx(8, 16))).toBe(shapeClass(dx(7, 16)));
    expect(shapeClass(dx(8, 16))).toContain('c16>32');
    expect(shapeClass(dx(8, 16))).not.toBe(shapeClass(dx(8, 20)));
    const dw = (n: number): KernelCall => ({
      op: 'Conv2DBackpropFilter',
      inputs: [{ name: 'x', shape: [n, 14, 14, 16], dtype: 'float32' }, { name: 'dy', shape: [n, 14, 14, 32], dtype: 'float32' }],
      attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 16, 32] },
    });
    expect(shapeClass(dw(8))).toBe(shapeClass(dw(6)));
    expect(shapeClass(dw(8))).toContain('3x3');
    expect(shapeClass(dw(8))).not.toBe(shapeClass(dw(32)));
  });

  it('binary ops: broadcast pattern and channel count are kept, sizes bucketed', () => {
    const full = shapeClass(binary([8, 14, 14, 32], [8, 14, 14, 32]));
    expect(shapeClass(binary([7, 14, 14, 32], [7, 14, 14, 32]))).toBe(full);
    expect(shapeClass(binary([8, 14, 14, 32], [32]))).not.toBe(full);
    expect(shapeClass(binary([8, 14, 14, 32], [1]))).not.toBe(shapeClass(binary([8, 14, 14, 32], [32])));
    expect(shapeClass(binary([8, 14, 14, 30], [8, 14, 14, 30]))).not.toBe(full);
    expect(shapeClass(binary([8, 14, 14, 32], [8, 14, 14, 32], 'Add'))).not.toBe(full);
  });

  it('reductions keep their axes', () => {
    const sum = (axis: number[]): KernelCall => ({ op: 'Sum', inputs: [{ name: 'x', shape: [8, 7, 7, 16], dtype: 'float32' }], attrs: { axis, keepDims: false } });
    expect(shapeClass(sum([0, 1, 2]))).not.toBe(shapeClass(sum([3])));
  });

  it('slices: where along the channels does not matter, which axes and vec4 alignment do', () => {
    const a = shapeClass(slice([8, 7, 7, 64], [0, 0, 0, 16], [-1, -1, -1, 8]));
    expect(shapeClass(slice([8, 7, 7, 64], [0, 0, 0, 40], [-1, -1, -1, 8]))).toBe(a);
    expect(shapeClass(slice([8, 7, 7, 64], [0, 0, 0, 2], [-1, -1, -1, 8]))).not.toBe(a);
    expect(shapeClass(slice([8, 7, 7, 64], [0, 1, 1, 0], [-1, 5, 5, -1]))).not.toBe(a);
  });

  it('dtypes are part of the class', () => {
    const i = binary([8, 8], [8, 8]);
    i.inputs.forEach((o) => { o.dtype = 'int32'; });
    expect(shapeClass(i)).not.toBe(shapeClass(binary([8, 8], [8, 8])));
  });
});

describe('adapterKey', () => {
  it('changes with the adapter, the tfjs version and the kernel layer version, and tolerates blank fields', () => {
    const sw = { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader Device (Subzero)' };
    const key = adapterKey(sw, '4.22.0');
    expect(key).toBe(`google|swiftshader|-|SwiftShader Device (Subzero)|tfjs 4.22.0|${KERNEL_LAYER_VERSION}`);
    expect(adapterKey({ ...sw, architecture: 'ampere', vendor: 'nvidia' }, '4.22.0')).not.toBe(key);
    expect(adapterKey(sw, '4.23.0')).not.toBe(key);
    expect(adapterKey(sw, '4.22.0', 'next')).not.toBe(key);
    expect(adapterKey({}, '4.22.0')).toBe(`-|-|-|-|tfjs 4.22.0|${KERNEL_LAYER_VERSION}`);
  });
});
