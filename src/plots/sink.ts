// Where worker-side helpers send their displays. Normally the running cell; tests pass their own,
// and code running outside any cell (a benchmark page, a unit test) simply shows nothing.
import { currentCell, type CellContext } from '../cell/context';

export type DisplaySink = Pick<CellContext, 'display' | 'updateDisplay'> & Partial<Pick<CellContext, 'reportResources' | 'print'>>;

export function cellSink(): DisplaySink | null {
  try {
    return currentCell();
  } catch {
    return null;
  }
}

/** A monotonic clock in ms; injectable so throttling is testable without waiting. */
export type Clock = () => number;
export const systemClock: Clock = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
