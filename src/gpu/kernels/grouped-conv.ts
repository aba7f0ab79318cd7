// Runs the grouped-convolution programs (programs/grouped-conv.ts) for one problem: forward, input gradient and
// filter gradient, each into a freshly allocated output (NaN-poisoned in the conformance suite).
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { GroupedConvProgram, groupedPlan, groupedUniformData, type GroupedDims, type GroupedKind } from '../programs/grouped-conv';
import { runSplits, type Backend } from './common';

export interface GroupedOptions {
  strides: number | [number, number];
  padding: 'same' | 'valid';
  groups: number;
}

/**
 * Shapes and pads of a grouped conv: tfjs's Conv2DInfo for one group (x with cin/groups channels, kernel
 * [kh, kw, cin/groups, cout]); only its spatial results and outChannels are used, so the output is
 * [N, outH, outW, cout] exactly as split → conv2d per group → concat gives.
 */
export function groupedDims(xShape: number[], kernelShape: number[], opts: GroupedOptions): GroupedDims {
  const [n, h, w, cin] = xShape;
  const [kh, kw, cg, cout] = kernelShape;
  if (cin % opts.groups !== 0 || cout % opts.groups !== 0) {
    throw new Error(`groupedConv2d: ${cin} input and ${cout} output channels must both divide into ${opts.groups} groups`);
  }
  if (cg !== cin / opts.groups) throw new Error(`groupedConv2d: kernel has ${cg} input channels per group, expected ${cin / opts.groups}`);
  const info = tf.backend_util.computeConv2DInfo([n, h, w, cg], [kh, kw, cg, cout], opts.strides, 1, opts.padding);
  return {
    batch: n, inH: h, inW: w, inC: cin, outH: info.outHeight, outW: info.outWidth, outC: cout,
    kH: kh, kW: kw, strideH: info.strideHeight, strideW: info.strideWidth, padTop: info.padInfo.top, padLeft: info.padInfo.left,
    groups: opts.groups,
  };
}

function runKind(backend: Backend, kind: GroupedKind, d: GroupedDims, inputs: TensorInfo[], outShape: number[]): TensorInfo {
  const plan = groupedPlan(kind, d);
  const uniforms = groupedUniformData(d, plan);
  return runSplits(backend, (shape) => new GroupedConvProgram(kind, shape, plan), inputs, uniforms, outShape, [plan.splits, plan.m, d.outC]);
}

/** y [N, outH, outW, cout] from x [N, H, W, cin] and kernel [kh, kw, cin/groups, cout]. */
export function groupedForward(backend: Backend, d: GroupedDims, x: TensorInfo, kernel: TensorInfo): TensorInfo {
  return runKind(backend, 'forward', d, [x, kernel], [d.batch, d.outH, d.outW, d.outC]);
}

/** dx [N, H, W, cin] from dy [N, outH, outW, cout] and the kernel. */
export function groupedBackpropInput(backend: Backend, d: GroupedDims, dy: TensorInfo, kernel: TensorInfo): TensorInfo {
  return runKind(backend, 'backpropInput', d, [dy, kernel], [d.batch, d.inH, d.inW, d.inC]);
}

/** dkernel [kh, kw, cin/groups, cout] from x and dy (split-K partial sums added in a fixed order). */
export function groupedBackpropFilter(backend: Backend, d: GroupedDims, x: TensorInfo, dy: TensorInfo): TensorInfo {
  return runKind(backend, 'backpropFilter', d, [x, dy], [d.kH, d.kW, d.inC / d.groups, d.outC]);
}
