// kernelFuncs for Sum and Mean over one contiguous block of axes (reduce-rows.ts); any other axes, dtypes
// and empty tensors go to the stock kernel.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { reducePlan, reduceUniforms, ReduceRowsProgram, ReduceSplitsProgram } from '../programs/reduce-rows';
import { allocOutput, run, type Backend } from './common';
import type { Outcome } from './conv';

type Attrs = { axis: number | number[]; keepDims: boolean };

function reduce(x: TensorInfo, backend: Backend, attrs: Attrs, mean: boolean): Outcome {
  const axes = tf.util.parseAxisParam(attrs.axis, x.shape);
  if (axes.length === 0) return { fallback: 'no axes' };
  if (x.shape.some((d) => d === 0)) return { fallback: 'empty' };
  const plan = reducePlan(x.shape, axes);
  if (!plan) return { fallback: 'reduced axes not contiguous' };
  let outShape = tf.backend_util.computeOutAndReduceShapes(x.shape, axes)[0];
  if (attrs.keepDims) outShape = tf.backend_util.expandShapeToKeepDim(outShape, axes);
  const vec4 = plan.cols % 4 === 0;
  const u = reduceUniforms(plan, vec4, mean ? plan.rows : 1);
  const out = allocOutput(backend, outShape);
  if (u.splits === 1) {
    run(backend, new ReduceRowsProgram(outShape, u.rowsCount, vec4), [x], u.rows, out);
    return { out };
  }
  const partial = backend.makeTensorInfo([u.rowsCount * (vec4 ? 4 : 1)], 'float32');
  run(backend, new ReduceRowsProgram(partial.shape, u.rowsCount, vec4), [x], u.rows, partial);
  run(backend, new ReduceSplitsProgram(outShape, u.outCount, vec4), [partial], u.splitsPass, out);
  backend.disposeData(partial.dataId);
  return { out };
}

export function sum(inputs: { x: TensorInfo }, backend: Backend, attrs: Attrs): Outcome {
  return reduce(inputs.x, backend, attrs, false);
}

export function mean(inputs: { x: TensorInfo }, backend: Backend, attrs: Attrs): Outcome {
  return reduce(inputs.x, backend, attrs, true);
}
