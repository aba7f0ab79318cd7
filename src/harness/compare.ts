// The conformance metric: relative error = max|a−b| / max(max|b|, 1e-6) over a whole tensor, where b is
// the CPU backend's result. Any NaN in a (an element the kernel never wrote over the NaN poison) fails.
export interface Comparison { relError: number; nan: boolean; maxAbsRef: number }

export function compare(actual: ArrayLike<number>, expected: ArrayLike<number>): Comparison {
  if (actual.length !== expected.length) return { relError: Infinity, nan: false, maxAbsRef: 0 };
  let maxDiff = 0;
  let maxRef = 0;
  let nan = false;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const b = expected[i];
    if (Number.isNaN(a)) nan = true;
    maxDiff = Math.max(maxDiff, Math.abs(a - b));
    maxRef = Math.max(maxRef, Math.abs(b));
  }
  return { relError: nan ? Infinity : maxDiff / Math.max(maxRef, 1e-6), nan, maxAbsRef: maxRef };
}
