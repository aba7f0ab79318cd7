// Conformance cases for grouped convolution (ResNeXt): nn's groupedConv2d on webgpu, which the kernel layer
// routes to its grouped-conv op (kernels/grouped-conv.ts), against the same call on the CPU backend, where the
// hook declines and nn's split → conv2d per group → concat runs. Forward and both gradients via tf.grads.
import * as tf from '@tensorflow/tfjs';
import { groupedConv2d } from '../nn/ops/grouped-conv2d';
import { check, type CaseResult } from './conformance';
import type { Shape4 } from './cases';
import { mulberry32, pick, randomArray } from './rng';

export interface GroupedCase {
  /** x [N, H, W, groups·cg]; kernel [kh, kw, cg, groups·og]. */
  x: Shape4;
  k: Shape4;
  groups: number;
  stride: number | [number, number];
  pad: 'same' | 'valid';
}

const g = (n: number, h: number, w: number, groups: number, cg: number, og: number, kh: number, kw: number,
  stride: number | [number, number], pad: 'same' | 'valid'): GroupedCase =>
  ({ x: [n, h, w, groups * cg], k: [kh, kw, cg, groups * og], groups, stride, pad });

/**
 * Fixed edge cases: batch 1, odd sizes, 1, 2, 3, 4 and 8 channels per group, output channels per group not a
 * multiple of 4, stride 2 (and unequal strides), same and valid, 1×1 and 3×3, groups = 1, and filter gradients
 * long enough to be split into row ranges (vec4 and scalar).
 */
const FIXED: GroupedCase[] = [
  g(2, 9, 9, 16, 2, 2, 3, 3, 1, 'same'), // d2l ResNeXt: 32 channels in 16 groups
  g(2, 7, 7, 8, 4, 4, 3, 3, 1, 'same'), // 32×4d style
  g(1, 7, 9, 4, 1, 1, 3, 3, 1, 'same'), // depthwise-like
  g(1, 5, 7, 3, 3, 5, 3, 3, 2, 'same'),
  g(1, 11, 9, 2, 8, 8, 3, 3, 2, 'valid'),
  g(2, 6, 6, 4, 4, 6, 1, 1, 1, 'valid'),
  g(1, 9, 7, 5, 2, 3, 1, 1, 2, 'same'),
  g(1, 7, 7, 1, 4, 8, 3, 3, 1, 'same'), // groups = 1, vec4
  g(1, 5, 5, 1, 3, 7, 3, 3, 2, 'valid'), // groups = 1, scalar
  g(4, 16, 16, 2, 4, 4, 3, 3, 1, 'same'), // filter gradient split into row ranges, vec4
  g(4, 16, 16, 3, 2, 5, 3, 3, 1, 'same'), // filter gradient split, scalar
  g(1, 10, 9, 4, 2, 2, 3, 3, [2, 1], 'same'),
  g(2, 8, 8, 2, 8, 12, 3, 3, 2, 'same'),
  g(1, 3, 3, 8, 1, 3, 3, 3, 1, 'valid'), // 1×1 output
  g(1, 6, 6, 2, 3, 2, 5, 5, 1, 'same'),
];

/**
 * FIXED plus `count` random problems from `seed`. Random ones always have groups ≥ 2: groups = 1 is a plain
 * conv the hook declines (FIXED covers it), so every random draw adds a shape to the grouped kernels' count.
 */
export function groupedCases(count: number, seed: number): GroupedCase[] {
  const rand = mulberry32(seed);
  const random = Array.from({ length: count }, (): GroupedCase => {
    const k = pick(rand, [1, 3, 3, 3]);
    return g(1 + Math.floor(rand() * 2), k + Math.floor(rand() * 8), k + Math.floor(rand() * 8), pick(rand, [2, 3, 4, 8, 16]),
      pick(rand, [1, 2, 3, 4, 8]), pick(rand, [1, 2, 3, 4, 5, 6, 8]), k, k, pick(rand, [1, 1, 2]), pick(rand, ['same', 'valid'] as const));
  });
  return [...FIXED, ...random];
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Kernel size, channels per group, vec4 or scalar program, and whether it is a plain conv (groups = 1). */
export function groupedTags(c: GroupedCase): string[] {
  const cg = c.k[2];
  const og = c.k[3] / c.groups;
  return [`${c.k[0]}x${c.k[1]}`, `cg${cg}`, cg % 4 === 0 && og % 4 === 0 ? 'v4' : 'scalar', ...(c.groups === 1 ? ['groups1'] : []), ...(c.groups === 1 && cg < 4 ? ['narrow-dx'] : [])];
}

export async function groupedCase(c: GroupedCase, seed: number): Promise<CaseResult> {
  const rand = mulberry32(seed);
  const xs = randomArray(rand, size(c.x));
  const ks = randomArray(rand, size(c.k));
  const info = tf.backend_util.computeConv2DInfo([c.x[0], c.x[1], c.x[2], c.k[2]], c.k, c.stride, 1, c.pad);
  const yShape = info.outShape;
  const dys = randomArray(rand, size(yShape));
  const tags = groupedTags(c);
  const opts = { strides: c.stride, padding: c.pad, groups: c.groups };
  return check(`grouped x=${c.x} k=${c.k} groups=${c.groups} s=${c.stride} ${c.pad}`, tags, () => {
    const x = tf.tensor4d(xs, c.x);
    const k = tf.tensor4d(ks, c.k);
    const f = (a: tf.Tensor, b: tf.Tensor) => groupedConv2d(a as tf.Tensor4D, b as tf.Tensor4D, opts);
    const { value, grads } = tf.valueAndGrads(f)([x, k], tf.tensor(dys, yShape));
    return { y: value, dx: grads[0], dk: grads[1] };
  });
}
