// Pure shape and tiling arithmetic shared by the programs and the kernelFuncs.
// No tfjs imports here so the unit tests can check it in Node.

/** Workgroup tile of every implicit-GEMM program: 8×8 invocations, each owning (TILE_M/8)×(TILE_N/8) outputs. */
export const TILE_M = 64;
export const TILE_N = 64;
export const TILE_K = 32;
export const WORKGROUP: [number, number, number] = [8, 8, 1];

export interface GemmGrid {
  /** Workgroups along N (x), M (y) and K splits (z). */
  dispatch: [number, number, number];
  splits: number;
  /** K range per split, a multiple of TILE_K so every split starts on a tile. */
  kChunk: number;
}

/**
 * Splits the reduction when the output alone gives too few workgroups to keep the device busy (the weight
 * gradient has a tiny output and an enormous K). Partial sums go to separate slices that a second pass adds in
 * a fixed order, so the result is deterministic without float atomics.
 */
export function gemmGrid(m: number, n: number, k: number, targetWorkgroups = 64, minChunk = 512): GemmGrid {
  const tilesN = Math.ceil(n / TILE_N);
  const tilesM = Math.ceil(m / TILE_M);
  const tiles = tilesN * tilesM;
  let splits = 1;
  if (tiles < targetWorkgroups && k > minChunk) {
    splits = Math.min(Math.ceil(targetWorkgroups / tiles), Math.floor(k / minChunk), 64);
    splits = Math.max(1, splits);
  }
  const kChunk = Math.ceil(Math.ceil(k / splits) / TILE_K) * TILE_K;
  splits = Math.ceil(k / kChunk);
  return { dispatch: [tilesN, tilesM, splits], splits, kChunk };
}

/** One source → destination column block of a 2-D [rows, cols] view, as the copy program moves it. */
export interface ColumnCopy {
  srcCols: number;
  srcOffset: number;
  width: number;
  dstOffset: number;
}

/**
 * Groups copies so that each dispatch binds at most `maxInputs` sources; every group writes straight into the
 * final output at its offsets, so there are no intermediate tensors however many inputs there are.
 */
export function groupCopies<T>(items: T[], maxInputs: number): T[][] {
  const size = Math.max(1, maxInputs);
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}

/** Vec4 moves are legal only when every column count and offset is a multiple of four. */
export function copiesAreVec4(copies: ColumnCopy[], dstCols: number): boolean {
  return dstCols % 4 === 0 && copies.every((c) => c.srcCols % 4 === 0 && c.srcOffset % 4 === 0 && c.width % 4 === 0 && c.dstOffset % 4 === 0);
}

/** Concat along `axis` seen as a column concat of 2-D [outer, inner] views. */
export function concatAsColumns(shapes: number[][], axis: number): { rows: number; dstCols: number; copies: ColumnCopy[] } {
  const rank = shapes[0].length;
  const ax = axis < 0 ? axis + rank : axis;
  const rows = shapes[0].slice(0, ax).reduce((a, b) => a * b, 1);
  let offset = 0;
  const copies = shapes.map((s) => {
    const cols = s.slice(ax).reduce((a, b) => a * b, 1);
    const c = { srcCols: cols, srcOffset: 0, width: cols, dstOffset: offset };
    offset += cols;
    return c;
  });
  return { rows, dstCols: offset, copies };
}

/**
 * A slice is one column block of a 2-D [rows, cols] view when it is restricted on a single axis and every later
 * axis is taken whole (earlier axes are whole by construction). Returns null otherwise (those fall back).
 */
export function sliceAsColumns(shape: number[], begin: number[], size: number[]): { rows: number; copy: ColumnCopy } | null {
  const rank = shape.length;
  const sz = size.map((s, i) => (s === -1 ? shape[i] - begin[i] : s));
  let axis = -1;
  for (let i = 0; i < rank; i++) {
    if (begin[i] !== 0 || sz[i] !== shape[i]) { axis = i; break; }
  }
  if (axis === -1) axis = rank - 1;
  for (let i = axis + 1; i < rank; i++) if (begin[i] !== 0 || sz[i] !== shape[i]) return null;
  const rows = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return { rows, copy: { srcCols: shape[axis] * inner, srcOffset: begin[axis] * inner, width: sz[axis] * inner, dstOffset: 0 } };
}

/** What the register-blocked direct conv programs (programs/conv-direct.ts) need to know about a problem. */
export interface DirectConvShape {
  kind: 'forward' | 'backpropInput' | 'backpropFilter';
  batch: number; inH: number; inW: number; inC: number; outH: number; outW: number; outC: number; kH: number; kW: number;
  /** Backprop input walks dx by stride phase (dxPhaseRows); 1 when absent. */
  strideH?: number; strideW?: number;
}

/**
 * dx rows of the backprop-input program in stride-phase order: phase (py, px) = (y mod strideH, x mod strideW)
 * major, then the phase's sub-grid of ceil(inH/strideH)×ceil(inW/strideW) pixels per image, padded to a
 * multiple of `rows` so one invocation's rows never straddle two phases (they share the taps that reach them).
 */
export function dxPhaseRows(s: DirectConvShape, rows = 4): { perPhase: number; m: number } {
  const sH = s.strideH ?? 1;
  const sW = s.strideW ?? 1;
  const sub = s.batch * Math.ceil(s.inH / sH) * Math.ceil(s.inW / sW);
  const perPhase = Math.ceil(sub / rows) * rows;
  return { perPhase, m: sH * sW * perPhase };
}

/**
 * The direct programs read every channel dimension as vec4, so they take only problems where both channel
 * counts are multiples of four (conv.ts routes the rest to the shared-memory GEMM).
 */
export function directConvApplies(s: DirectConvShape): boolean {
  return s.inC % 4 === 0 && s.outC % 4 === 0;
}

/** Widest column block (in vec4) that divides the channel quads: 4 vec4 = 16 channels measured best here. */
function colsFor(quads: number): number {
  return quads % 4 === 0 ? 4 : quads % 2 === 0 ? 2 : 1;
}

/**
 * Invocation blocking for the direct programs: 4 pixels × 4·cols channels (forward, backprop input), or one tap ×
 * 4 input channels × 4·cols output channels with the pixel reduction split into `splits` row ranges (filter
 * gradient) when the output alone gives fewer than `targetInvocations` invocations and the reduction is long. Splits are summed in a fixed
 * order afterwards (deterministic, no atomics).
 */
export function directConvPlan(s: DirectConvShape, targetInvocations = 2048, minPixels = 512) {
  if (s.kind === 'backpropFilter') {
    const cols = colsFor(s.outC / 4);
    const groupsN = s.outC / 4 / cols;
    const base = s.kH * s.kW * (s.inC / 4) * groupsN;
    const rowsTotal = s.batch * s.outH;
    // At least minPixels of reduction per split (as gemmGrid): small problems are not split at all, since each
    // distinct partial-sum buffer size stays in tfjs's buffer pool for good (peak memory of a dense block).
    const minRows = Math.ceil(minPixels / Math.max(1, s.outW));
    let splits = Math.max(1, Math.min(Math.ceil(targetInvocations / base), Math.floor(rowsTotal / minRows), 32));
    const chunk = Math.ceil(rowsTotal / splits);
    splits = Math.ceil(rowsTotal / chunk);
    return { rows: 4, cols, groupsN, total: base * splits, splits, chunk, m: s.kH * s.kW * s.inC };
  }
  const quads = (s.kind === 'forward' ? s.outC : s.inC) / 4;
  // 4 pixels: a dx block of 8 pixels × 8 channels (the same 16 accumulators) ran 0.5–1.8× the speed of this one
  // on the sweep's shapes (most 1.1–1.3×) but took 90 s instead of 1 s to compile (2026-12-03, SwiftShader on
  // a loaded 2-core machine), which the first training step would pay.
  const rows = 4;
  const cols = colsFor(quads);
  const groupsN = quads / cols;
  if (s.kind === 'backpropInput') {
    const { perPhase, m } = dxPhaseRows(s, rows);
    return { rows, cols, groupsN, total: (m / rows) * groupsN, splits: 1, chunk: perPhase, m };
  }
  const m = s.batch * s.outH * s.outW;
  return { rows, cols, groupsN, total: Math.ceil(m / rows) * groupsN, splits: 1, chunk: 0, m };
}

/**
 * Vectors (vec4 or scalars) one copy-columns invocation moves, in runs of whole rows: large enough that the
 * per-invocation cost on SwiftShader is amortised, small enough to leave thousands of invocations for a GPU.
 */
export const COPY_ELEMENTS_PER_INVOCATION = 256;
