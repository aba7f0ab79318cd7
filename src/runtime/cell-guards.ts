// What the kernel watches around each cell, beyond running it: the timers cells start (Interrupt clears them) and the
// tensors a run leaves behind (the cell is told when they are worth telling). The session calls begin/end around
// every run and interrupt() on Interrupt; everything it should print comes back as text, addressed to a cell.
import { abandonPendingAwaits } from './interrupt';
import { TensorLeakCheck, describeLeak, type TfWithEngine } from './leak-check';
import { CellTimers, describeClearedTimers, describeIntervalsLeft, type TimerFunctions } from './timers';

export interface CellNote {
  /** The request id of the cell the note belongs under. */
  parentId: string | undefined;
  text: string;
}

export class CellGuards {
  private readonly timers: CellTimers;
  private readonly leaks: TensorLeakCheck;

  constructor(tf: TfWithEngine, runningCell: () => string | undefined, timerHost?: TimerFunctions) {
    this.timers = new CellTimers(runningCell, timerHost);
    this.leaks = new TensorLeakCheck(tf);
  }

  /** setTimeout, setInterval and their clear functions, tracked: they go into the cells' builtins. */
  get builtins(): TimerFunctions {
    return this.timers.functions;
  }

  begin(): void {
    this.leaks.begin();
  }

  /** After the run (and the rebind clean-up): what the cell left running or alive, as stderr notes. */
  end(parentId: string | undefined, label: string, scope: Record<string, unknown>): CellNote[] {
    const notes: CellNote[] = [];
    const intervals = this.timers.intervalsLeftBy(parentId);
    if (intervals) notes.push({ parentId, text: describeIntervalsLeft(intervals) });
    const leak = this.leaks.end(scope);
    if (leak) notes.push({ parentId, text: describeLeak(leak, label) });
    return notes;
  }

  /**
   * Interrupt: clears every timer cells left pending, each cell told what of its own was cleared. A promise the
   * running cell awaits may have waited for one of them, so pending awaits are given a second, then abandoned.
   */
  interrupt(): CellNote[] {
    const cleared = this.timers.clearAll();
    if (cleared.length) abandonPendingAwaits();
    return cleared.map((c) => ({ parentId: c.owner, text: describeClearedTimers(c) }));
  }
}
