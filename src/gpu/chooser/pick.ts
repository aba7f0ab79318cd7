// Turning timings into a choice. Pure.

export type Candidate = 'ours' | 'stock';
export const CANDIDATES: readonly Candidate[] = ['ours', 'stock'];

export function median(values: readonly number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * The candidate with the smallest median time per call. A tie goes to ours: it is the conformance-tested default
 * and keeps nn's shared-buffer paths' memory profile. Candidates without a sample are never picked.
 */
export function pickFastest(samples: Partial<Record<Candidate, readonly number[]>>): { choice: Candidate; ms: Partial<Record<Candidate, number>> } | null {
  const ms: Partial<Record<Candidate, number>> = {};
  let best: Candidate | null = null;
  for (const c of CANDIDATES) {
    const s = samples[c];
    if (!s?.length) continue;
    ms[c] = median(s);
    if (best === null || ms[c]! < ms[best]!) best = c;
  }
  return best === null ? null : { choice: best, ms };
}
