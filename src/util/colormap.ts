// Viridis, the colour scale of the heat maps: perceptually even, readable by most colour-blind readers, and legible
// on the light and the dark theme alike (its dark end is blue-violet, not black). Shared by the worker, which draws
// the PNG for Jupyter, and the page, which draws the canvas, so both show the same colours.

/** Viridis sampled at 9 even stops (matplotlib's values). */
const STOPS: ReadonlyArray<readonly [number, number, number]> = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

/** The colour of t in [0, 1] (clamped; NaN is the low end), as RGB bytes. */
export function viridis(t: number): [number, number, number] {
  const u = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const at = u * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(at));
  const f = at - i;
  const a = STOPS[i], b = STOPS[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as [number, number, number];
}

/** Where `value` sits in [lo, hi], for the colour scale (0 when the range is empty); 'log' compares logarithms. */
export function unitPosition(value: number, lo: number, hi: number, scale: 'linear' | 'log' = 'linear'): number {
  if (scale === 'log') return lo > 0 && hi > lo && value > 0 ? Math.log(value / lo) / Math.log(hi / lo) : 0;
  return hi > lo ? (value - lo) / (hi - lo) : 0;
}

/** Pixels per heat-map cell, the same in the page's canvas and the PNG: wide panels get thin columns, tall ones
 * thin rows, so a panel stays within about 480 × 320 pixels. */
export function heatCellSize(rows: number, cols: number): { w: number; h: number } {
  return {
    w: Math.max(1, Math.min(32, Math.floor(480 / Math.max(1, cols)))),
    h: Math.max(1, Math.min(16, Math.floor(320 / Math.max(1, rows)))),
  };
}

/** CSS for a colour-scale bar: viridis from left (low) to right (high). */
export function viridisGradient(): string {
  const stops = Array.from({ length: 9 }, (_, i) => `rgb(${viridis(i / 8).join(' ')}) ${(i / 8) * 100}%`);
  return `linear-gradient(to right, ${stops.join(', ')})`;
}
