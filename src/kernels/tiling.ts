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
