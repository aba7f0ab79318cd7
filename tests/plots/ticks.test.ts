// The x axis of training plots ticks at whole batches and epochs: uPlot's default steps include 2.5, which
// labelled a loss curve at batch 2.5 and 7.5.
import { describe, expect, it } from 'vitest';
import { DECIMAL_STEPS, WHOLE_STEPS, wholeNumbers, xSteps } from '../../src/plots/views/ticks';

describe('x axis steps', () => {
  it('whole-number columns (batches, epochs) get whole steps only', () => {
    expect(wholeNumbers([1, 2, 3, null, 10])).toBe(true);
    const steps = xSteps([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(steps.every((s) => Number.isInteger(s) && s >= 1)).toBe(true);
    expect(steps.slice(0, 7)).toEqual([1, 2, 5, 10, 20, 25, 50]);
    expect(steps).not.toContain(2.5);
  });

  it('fractional or empty columns keep the usual decimal steps', () => {
    expect(wholeNumbers([0.5, 1])).toBe(false);
    expect(wholeNumbers([])).toBe(false);
    expect(xSteps([0.1, 0.2])).toContain(0.25);
    expect(xSteps([null])).toContain(2.5);
    expect(DECIMAL_STEPS.every((s) => Number(s.toPrecision(3)) === s)).toBe(true);
    expect(WHOLE_STEPS.length).toBeGreaterThan(10);
  });
});
