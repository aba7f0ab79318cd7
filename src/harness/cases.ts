// Shapes for the conformance suite: fixed edge cases first, then random ones drawn from the run's seed.
// Spatial sizes stay small: the CPU reference and the readbacks cost time, and no kernel has a code path
// that only large images reach (tiling edges are hit by odd sizes and channel counts).
import { mulberry32, pick } from './rng';

export type Shape4 = [number, number, number, number];
export interface ConvCase { x: Shape4; f: Shape4; stride: number; pad: 'same' | 'valid' }

/** Fixed edge cases: batch 1, odd sizes, 1×1, stride 2, channels not a multiple of 4, long reductions. */
const FIXED_CONV: ConvCase[] = [
  { x: [1, 5, 5, 3], f: [3, 3, 3, 5], stride: 1, pad: 'same' },
  { x: [1, 7, 9, 4], f: [3, 3, 4, 8], stride: 2, pad: 'same' },
  { x: [2, 6, 6, 8], f: [1, 1, 8, 4], stride: 1, pad: 'valid' },
  { x: [2, 9, 7, 5], f: [1, 1, 5, 3], stride: 2, pad: 'valid' },
  { x: [1, 8, 8, 16], f: [3, 3, 16, 16], stride: 1, pad: 'valid' },
  { x: [3, 11, 11, 6], f: [3, 3, 6, 7], stride: 2, pad: 'valid' },
  { x: [1, 1, 1, 33], f: [1, 1, 33, 35], stride: 1, pad: 'same' },
  { x: [4, 16, 16, 8], f: [3, 3, 8, 4], stride: 1, pad: 'same' }, // K = 1024 for the filter gradient: split-K, vec4 x
  { x: [8, 14, 14, 3], f: [3, 3, 3, 2], stride: 1, pad: 'same' }, // K = 1568, tiny M·N: many splits, scalar x
  { x: [2, 10, 10, 12], f: [5, 5, 12, 9], stride: 1, pad: 'same' },
  { x: [1, 6, 6, 2], f: [2, 2, 2, 3], stride: 2, pad: 'same' },
  { x: [2, 4, 4, 40], f: [3, 3, 40, 36], stride: 1, pad: 'same' },
  { x: [1, 70, 3, 4], f: [1, 1, 4, 68], stride: 1, pad: 'same' }, // M and N both past one 64-wide tile
  // Channel-aligned strided and small-map problems (the register-blocked programs): dx walks stride phases.
  { x: [2, 7, 7, 16], f: [3, 3, 16, 32], stride: 2, pad: 'same' }, // odd map: the four phase sub-grids differ in size
  { x: [1, 14, 14, 8], f: [1, 1, 8, 16], stride: 2, pad: 'same' }, // 1×1 stride 2: three of four dx phases get no tap
  { x: [2, 8, 6, 4], f: [2, 2, 4, 8], stride: 2, pad: 'same' }, // even kernel, stride 2, one-sided 'same' padding
  { x: [1, 9, 9, 8], f: [3, 3, 8, 4], stride: 3, pad: 'valid' }, // stride 3: nine phases
  { x: [3, 7, 7, 12], f: [3, 3, 12, 8], stride: 1, pad: 'same' }, // 7×7 map
  { x: [2, 3, 3, 16], f: [3, 3, 16, 8], stride: 1, pad: 'same' }, // 3×3 map: most taps fall in the padding
];

/** Channel counts: half multiples of 4 (the vec4 bindings), half not. */
function channels(rand: () => number): number {
  return rand() < 0.5 ? 4 * (1 + Math.floor(rand() * 4)) : pick(rand, [1, 2, 3, 5, 6, 7, 9, 10, 11, 13]);
}

function randomConv(rand: () => number, kh: number, kw: number): ConvCase {
  const cin = channels(rand);
  return {
    x: [1 + Math.floor(rand() * 3), kh + Math.floor(rand() * 9), kw + Math.floor(rand() * 9), cin],
    f: [kh, kw, cin, channels(rand)],
    stride: pick(rand, [1, 1, 2]),
    pad: pick(rand, ['same', 'valid'] as const),
  };
}

/**
 * The fixed cases, then `per` random 3×3 and `per` random 1×1 convolutions, then a few other kernel sizes
 * (2×2, 5×5, 1×3, 3×1): so 3×3 and 1×1 each get at least `per` shapes of their own.
 */
export function convCases(per: number, seed: number): ConvCase[] {
  const rand = mulberry32(seed);
  const out = FIXED_CONV.slice();
  for (let i = 0; i < per; i++) out.push(randomConv(rand, 3, 3), randomConv(rand, 1, 1));
  for (const [kh, kw] of [[2, 2], [5, 5], [1, 3], [3, 1]]) out.push(randomConv(rand, kh, kw));
  return out;
}

/** Kernel size label of a case ("3x3", "1x1", …), for per-size shape counts. */
export function kernelSize(c: ConvCase): string {
  return `${c.f[0]}x${c.f[1]}`;
}

export interface ConcatCase { shapes: number[][]; axis: number }

/**
 * Fixed cases (odd channel counts, other axes, more inputs than one dispatch binds), one case per number of
 * sources a dispatch can bind (2…maxSources) on the vec4 and on the scalar path, then random ones.
 */
export function concatCases(count: number, seed: number, maxSources: number): ConcatCase[] {
  const rand = mulberry32(seed);
  const fixed: ConcatCase[] = [
    { shapes: [[1, 3, 5, 4], [1, 3, 5, 8]], axis: 3 },
    { shapes: [[2, 5, 7, 3], [2, 5, 7, 5], [2, 5, 7, 1]], axis: 3 },
    { shapes: Array.from({ length: 12 }, () => [2, 4, 4, 4]), axis: 3 }, // more inputs than one dispatch binds
    { shapes: Array.from({ length: 17 }, (_, i) => [1, 3, 3, 1 + (i % 5)]), axis: 3 },
    { shapes: [[1, 2, 9, 3], [1, 5, 9, 3]], axis: 1 },
    { shapes: [[2, 6], [3, 6]], axis: 0 },
    { shapes: [[4, 5], [4, 7], [4, 1]], axis: 1 },
  ];
  for (let n = 2; n <= maxSources; n++) {
    fixed.push({ shapes: Array.from({ length: n }, (_, i) => [1 + (n % 2), 3, 2, 4 * (1 + (i % 3))]), axis: 3 });
    fixed.push({ shapes: Array.from({ length: n }, (_, i) => [1, 2 + (n % 3), 3, 1 + (i % 6)]), axis: 3 });
  }
  const out = fixed.slice();
  while (out.length < count) {
    const n = 1 + Math.floor(rand() * 3);
    const h = 1 + Math.floor(rand() * 9);
    const w = 1 + Math.floor(rand() * 9);
    const parts = 2 + Math.floor(rand() * 10);
    const vec = rand() < 0.4;
    out.push({ shapes: Array.from({ length: parts }, () => [n, h, w, vec ? 4 * (1 + Math.floor(rand() * 4)) : 1 + Math.floor(rand() * 9)]), axis: 3 });
  }
  return out;
}

export interface SliceCase { shape: number[]; begin: number[]; size: number[] }

export function sliceCases(count: number, seed: number): SliceCase[] {
  const rand = mulberry32(seed);
  const out: SliceCase[] = [];
  while (out.length < count) {
    const shape = [1 + Math.floor(rand() * 3), 1 + Math.floor(rand() * 7), 1 + Math.floor(rand() * 7), 2 + Math.floor(rand() * 15)];
    const axis = pick(rand, [3, 3, 1, 0]);
    const begin = [0, 0, 0, 0];
    const size = shape.slice();
    begin[axis] = Math.floor(rand() * shape[axis]);
    size[axis] = 1 + Math.floor(rand() * (shape[axis] - begin[axis]));
    out.push({ shape, begin, size });
  }
  return out;
}

export interface DenseCase { x: Shape4; layers: number; growth: number; bottleneck?: boolean }

const DENSE_SHAPES: Shape4[] = [[1, 5, 5, 3], [2, 6, 7, 8], [2, 4, 4, 5], [1, 7, 7, 16], [3, 3, 5, 2], [1, 9, 3, 4]];

/** Dense blocks of 2–4 layers with growth 3, 4 or 8 (and, for nn blocks, every other one a BC bottleneck). */
export function denseCases(count: number): DenseCase[] {
  return Array.from({ length: count }, (_, i) => ({
    x: DENSE_SHAPES[i % DENSE_SHAPES.length],
    layers: 2 + (i % 3),
    growth: [4, 3, 8][i % 3],
    bottleneck: i % 2 === 1,
  }));
}
