// kernelFuncs for Concat, SplitV and Slice on the column-copy program.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { concatAsColumns, copiesAreVec4, groupCopies, sliceAsColumns, type ColumnCopy } from '../tiling';
import { CopyColumnsProgram, copyColumnsUniforms } from '../programs/copy-columns';
import { allocOutput, run, type Backend } from './common';
import type { Outcome } from './conv';

/** Most sources one dispatch can bind: the storage-buffer limit less the output. */
export function maxSources(backend: Backend): number {
  return Math.max(1, backend.device.limits.maxStorageBuffersPerShaderStage - 1);
}

/**
 * Writes every source's column block into `out` (already allocated): one dispatch per group of sources, each
 * straight at its final offset. With `accumulate`, adds the blocks to what `out` holds there instead.
 */
export function copyColumnsInto(backend: Backend, sources: TensorInfo[], copies: ColumnCopy[], rows: number, dstCols: number, out: TensorInfo, accumulate = false): void {
  const live = sources.map((s, i) => ({ s, c: copies[i] })).filter(({ c }) => c.width > 0 && rows > 0);
  for (const group of groupCopies(live, maxSources(backend))) {
    const gc = group.map((g) => g.c);
    const vec4 = copiesAreVec4(gc, dstCols);
    const { uniforms, total } = copyColumnsUniforms(rows, dstCols, gc, vec4);
    run(backend, new CopyColumnsProgram(out.shape, group.length, total, vec4, accumulate), group.map((g) => g.s), uniforms, out);
  }
}

export function concat(inputs: TensorInfo[], backend: Backend, attrs: { axis: number | number[] }): Outcome {
  if (inputs.some((t) => t.dtype !== 'float32')) return { fallback: 'dtype' };
  const axis = tf.util.parseAxisParam(attrs.axis, inputs[0].shape)[0];
  const shapes = inputs.map((t) => t.shape);
  // As stock does: inputs whose other dimensions differ are an error, not a concatenation of whatever fits.
  tf.backend_util.assertParamsConsistent(shapes, axis);
  const outShape = tf.backend_util.computeOutShape(shapes, axis);
  if (outShape.reduce((a, b) => a * b, 1) === 0) return { fallback: 'empty' };
  const { rows, dstCols, copies } = concatAsColumns(shapes, axis);
  const out = allocOutput(backend, outShape);
  copyColumnsInto(backend, inputs, copies, rows, dstCols, out);
  return { out };
}

function sliceOne(backend: Backend, x: TensorInfo, begin: number[], size: number[]): TensorInfo | null {
  const plan = sliceAsColumns(x.shape, begin, size);
  if (!plan) return null;
  const out = allocOutput(backend, size);
  copyColumnsInto(backend, [x], [plan.copy], plan.rows, plan.copy.width, out);
  return out;
}

export function slice(inputs: { x: TensorInfo }, backend: Backend, attrs: { begin: number | number[]; size?: number | number[] }): Outcome {
  const { x } = inputs;
  if (x.dtype !== 'float32') return { fallback: 'dtype' };
  const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin, attrs.size);
  if (size.reduce((a, b) => a * b, 1) === 0) return { fallback: 'empty' };
  const out = sliceOne(backend, x, begin, size);
  return out ? { out } : { fallback: 'strided slice' };
}

export function splitV(inputs: { x: TensorInfo }, backend: Backend, attrs: { numOrSizeSplits: number | number[]; axis: number }): { outs: TensorInfo[] } | { fallback: string } {
  const { x } = inputs;
  if (x.dtype !== 'float32') return { fallback: 'dtype' };
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x, attrs.numOrSizeSplits, axis);
  if (sizes.some((s) => s === 0) || x.shape.some((s) => s === 0)) return { fallback: 'empty' };
  const begin = new Array(x.shape.length).fill(0);
  const outs: TensorInfo[] = [];
  for (const s of sizes) {
    const size = x.shape.slice();
    size[axis] = s;
    const out = sliceOne(backend, x, begin.slice(), size);
    if (!out) { for (const o of outs) backend.disposeData(o.dataId); return { fallback: 'layout' }; }
    outs.push(out);
    begin[axis] += s;
  }
  return { outs };
}
