// Views of a model that stay live: when a re-run cell rebinds the name that held the model (growth rate 10 → 12),
// every view of the old model recomputes for the new one and replaces its display in place. A view's display id
// is the same on each run of its cell, so re-running the cell that draws it also redraws the same output.
import { currentCell, onRebound, type CellContext } from '../../cell/context';

export interface LiveView {
  /** The model or block the view shows now. */
  readonly target: object;
  readonly displayId: string;
  /** Recomputes the view for `next` and updates its display; false where `next` is nothing it can show. */
  retarget(next: unknown): boolean;
  /** What the view is, for a learner reading a note: "shape plot of d2l_densenet". */
  describe(): string;
}

const byTarget = new WeakMap<object, Set<LiveView>>();
const byDisplay = new Map<string, LiveView>();
/** Views of deleted or long-gone cells are forgotten after this many newer ones. */
const KEPT = 200;

function attach(view: LiveView, target: object): void {
  const views = byTarget.get(target) ?? new Set<LiveView>();
  views.add(view);
  byTarget.set(target, views);
}

function forget(view: LiveView): void {
  byTarget.get(view.target)?.delete(view);
  if (byDisplay.get(view.displayId) === view) byDisplay.delete(view.displayId);
}

/** Registers a view; one drawn under the same display id before (its cell's previous run) stops being live. */
export function keepLive(view: LiveView): void {
  const before = byDisplay.get(view.displayId);
  if (before) forget(before);
  byDisplay.set(view.displayId, view);
  attach(view, view.target);
  if (byDisplay.size > KEPT) forget(byDisplay.values().next().value as LiveView);
}

onRebound((previous, next) => {
  const views = byTarget.get(previous);
  if (!views) return;
  byTarget.delete(previous);
  for (const view of views) {
    if (byDisplay.get(view.displayId) !== view) continue;
    try {
      if (view.retarget(next)) attach(view, view.target);
    } catch (err) {
      runningCell()?.print(`The ${view.describe()} was not redrawn for the new value: ${(err as Error)?.message ?? String(err)}`, 'stderr');
      // It still follows the name: the next re-run, with the mistake fixed, redraws it.
      if (typeof next === 'object' && next !== null) attach(view, next);
    }
  }
});

const runCounters = new WeakMap<CellContext, Map<string, number>>();
let unnamed = 0;

/**
 * A display id that the n-th view of this kind gets on every run of the same cell, so that the page keeps the same
 * output (and its chart) and only hands it new data. Unique per view where no cell id is known.
 */
export function liveDisplayId(kind: string): string {
  let cell: CellContext | null = null;
  try {
    cell = currentCell();
  } catch {
    // No cell runs (a Node test): nothing to keep stable.
  }
  if (!cell?.cellId) return `${kind}-${++unnamed}`;
  const counts = runCounters.get(cell) ?? new Map<string, number>();
  runCounters.set(cell, counts);
  const n = (counts.get(kind) ?? 0) + 1;
  counts.set(kind, n);
  return `${kind}-${cell.cellId}-${n}`;
}

/** The running cell's context, if a cell runs. */
export function runningCell(): CellContext | null {
  try {
    return currentCell();
  } catch {
    return null;
  }
}
