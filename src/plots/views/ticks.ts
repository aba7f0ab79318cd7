// Tick steps for the plot's x axis. uPlot picks the smallest step from a list that keeps labels apart; its own
// list has 2.5 and 0.5, which put ticks at batch 2.5 or epoch 7.5. When every x is a whole number (batches,
// epochs, steps) the list holds whole steps only.

/** 1, 2, 2.5, 5 × 10^k, as uPlot's default numeric steps (rounded, so 0.3 is not 0.30000000000000004). */
export const DECIMAL_STEPS: readonly number[] = (() => {
  const steps: number[] = [];
  for (let e = -12; e <= 15; e++) for (const m of [1, 2, 2.5, 5]) steps.push(Number((m * 10 ** e).toPrecision(3)));
  return steps;
})();

/** 1, 2, 5, 10, 20, 25, 50, …: no tick between two batches. */
export const WHOLE_STEPS: readonly number[] = DECIMAL_STEPS.filter((s) => s >= 1 && Number.isInteger(s));

/** True when every x present is a whole number (and there is at least one). */
export function wholeNumbers(xs: ArrayLike<number | null | undefined>): boolean {
  let any = false;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (x == null) continue;
    if (!Number.isInteger(x)) return false;
    any = true;
  }
  return any;
}

/** The steps for an x column: whole ones when the column is whole numbers, else uPlot's usual list. */
export function xSteps(xs: ArrayLike<number | null | undefined>): number[] {
  return [...(wholeNumbers(xs) ? WHOLE_STEPS : DECIMAL_STEPS)];
}
