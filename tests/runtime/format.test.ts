// Value → MimeBundle, on the CPU backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatValue, prepareBundle } from '../../src/runtime/format';
import { formatLogArgs, inspect } from '../../src/runtime/inspect';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('tensors', () => {
  it('become a TensorView with shape, dtype, size and abbreviated values', async () => {
    const t = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const bundle = await formatValue(t);
    const view = bundle?.['application/vnd.convlab.tensor+json'];
    expect(view).toEqual({ shape: [2, 3], dtype: 'float32', size: 6, values: t.toString() });
    expect(view?.values).toContain('[[1, 2, 3],');
    expect(bundle?.['text/plain']).toContain('Tensor');
    t.dispose();
  });

  it('large tensors are abbreviated by tfjs, and formatting leaks no tensor', async () => {
    const t = tf.range(0, 10_000).reshape([100, 100]);
    const before = tf.memory().numTensors;
    const bundle = await formatValue(t);
    expect(tf.memory().numTensors).toBe(before);
    expect(bundle?.['application/vnd.convlab.tensor+json']?.values).toContain('...');
    t.dispose();
  });

  it('a tensor disposed right after display() still shows its values', async () => {
    const t = tf.tensor1d([7, 8, 9], 'int32');
    const pending = prepareBundle(t);
    t.dispose();
    const bundle = await pending;
    expect(bundle?.['application/vnd.convlab.tensor+json']?.dtype).toBe('int32');
    expect(bundle?.['application/vnd.convlab.tensor+json']?.values).toContain('[7, 8, 9]');
  });

  it('an already disposed tensor says so', async () => {
    const t = tf.scalar(1);
    t.dispose();
    expect((await formatValue(t))?.['text/plain']).toBe('Tensor float32 [] (disposed)');
  });
});

describe('plain values', () => {
  it('undefined gives no output', async () => {
    expect(prepareBundle(undefined)).toBeUndefined();
    expect(await formatValue(undefined)).toBeUndefined();
  });

  it('shapes print compactly and objects readably', async () => {
    const t = tf.zeros([2, 3]);
    expect((await formatValue(t.shape))?.['text/plain']).toBe('[ 2, 3 ]');
    expect((await formatValue({ a: 1, b: 'x', c: [true, null] }))?.['text/plain']).toBe("{ a: 1, b: 'x', c: [ true, null ] }");
    expect((await formatValue('hi'))?.['text/plain']).toBe("'hi'");
    expect((await formatValue(null))?.['text/plain']).toBe('null');
    expect((await formatValue(42))?.['text/plain']).toBe('42');
    expect((await formatValue([t, t]))?.['text/plain']).toBe('[ Tensor float32 [2,3], Tensor float32 [2,3] ]');
    t.dispose();
  });

  it('maps, sets, class instances, functions, circular references and deep nesting', () => {
    class Point {
      constructor(public x: number, public y: number) {}
    }
    const circ: Record<string, unknown> = { name: 'loop' };
    circ.self = circ;
    expect(inspect(new Map([['k', 1]]))).toBe("Map(1) { 'k' => 1 }");
    expect(inspect(new Set([1, 2]))).toBe('Set(2) { 1, 2 }');
    expect(inspect(new Point(1, 2))).toBe('Point { x: 1, y: 2 }');
    expect(inspect(function named() {})).toBe('[Function: named]');
    expect(inspect(Point)).toBe('[class Point]');
    expect(inspect(circ)).toBe("{ name: 'loop', self: [Circular *] }");
    expect(inspect({ a: { b: { c: { d: 1 } } } })).toBe('{ a: { b: { c: [Object] } } }');
    expect(inspect(new Float32Array([1, 2]))).toBe('Float32Array(2) [ 1, 2 ]');
  });

  it('long arrays break over lines and stop after 100 items', () => {
    const text = inspect(Array.from({ length: 150 }, (_, i) => i));
    expect(text.split('\n').length).toBeGreaterThan(3);
    expect(text).toContain('... 50 more items');
  });

  it('errors as values show their message', async () => {
    const text = (await formatValue(new RangeError('out of range')))?.['text/plain'];
    expect(text).toContain('RangeError: out of range');
  });
});

describe('objects that describe themselves', () => {
  it('toMimeBundle() is used as it is, with a text/plain fallback added', async () => {
    class Summary {
      toMimeBundle() {
        return { 'application/vnd.convlab.table+json': { columns: ['layer'], rows: [['conv']] } };
      }
    }
    const bundle = await formatValue(new Summary());
    expect(bundle?.['application/vnd.convlab.table+json']?.rows).toEqual([['conv']]);
    expect(bundle?.['text/plain']).toBe('<Summary>');
  });

  it('a toMimeBundle() that throws is reported, not fatal', async () => {
    const bundle = await formatValue({ toMimeBundle: () => { throw new Error('nope'); } });
    expect(bundle?.['text/plain']).toContain('nope');
  });
});

describe('console.log formatting', () => {
  it('strings raw, substitutions, tensors with values', () => {
    expect(formatLogArgs(['a', 1, { b: 2 }])).toBe('a 1 { b: 2 }');
    expect(formatLogArgs(['%s has %d items', 'list', 3])).toBe('list has 3 items');
    const t = tf.tensor1d([1, 2]);
    expect(formatLogArgs(['t:', t])).toContain('[1, 2]');
    t.dispose();
  });
});
