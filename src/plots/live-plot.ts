// A line plot that grows while a cell runs. The first call displays it; later points travel as
// update_display_data with `append: true` rows, batched so the page gets at most one update per
// `minIntervalMs` however fast the training loop produces points.
import type { MimeBundle, PlotSeries, PlotView } from '../protocol';
import { cellSink, systemClock, type Clock, type DisplaySink } from './sink';

export type PlotRow = Array<number | null>;

export interface LivePlotOptions {
  title: string;
  xLabel: string;
  yLabel?: string;
  y2Label?: string;
  /** Log scale on the left axis. */
  yLog?: boolean;
  series: PlotSeries[];
  /** At most one update per this many ms (default 100). */
  minIntervalMs?: number;
  sink?: DisplaySink | null;
  clock?: Clock;
}

export class LivePlot {
  /** Every row ever added, for history objects and for re-showing the plot later. */
  readonly rows: PlotRow[] = [];
  private pending: PlotRow[] = [];
  private displayId: string | null = null;
  private lastSent = -Infinity;
  private readonly sink: DisplaySink | null;
  private readonly clock: Clock;
  private readonly minIntervalMs: number;
  /** How many update messages went out (tests read it to check the throttle). */
  updatesSent = 0;

  constructor(private readonly opts: LivePlotOptions) {
    this.sink = opts.sink === undefined ? cellSink() : opts.sink;
    this.clock = opts.clock ?? systemClock;
    this.minIntervalMs = opts.minIntervalMs ?? 100;
  }

  private view(rows: PlotRow[], append: boolean): PlotView {
    const { title, xLabel, yLabel, y2Label, yLog, series } = this.opts;
    return { title, xLabel, yLabel, y2Label, ...(yLog ? { yLog } : {}), series, rows, ...(append ? { append: true } : {}) };
  }

  /** Shows the (possibly empty) plot now, so the learner sees axes before the first point. */
  show(): void {
    if (this.displayId !== null || !this.sink) return;
    this.displayId = this.sink.display(this.bundle(this.rows.slice(), false));
    this.pending = [];
    this.lastSent = this.clock();
  }

  add(row: PlotRow): void {
    if (row.length !== this.opts.series.length + 1) {
      throw new Error(`LivePlot "${this.opts.title}": a row needs ${this.opts.series.length + 1} values (x, then one per series), got ${row.length}`);
    }
    this.rows.push(row);
    this.pending.push(row);
    if (this.clock() - this.lastSent >= this.minIntervalMs) this.flush();
  }

  /** Sends whatever is pending now, whatever the throttle says (end of training, interrupt). */
  flush(): void {
    if (!this.sink) { this.pending = []; return; }
    if (this.displayId === null) { this.show(); return; }
    if (this.pending.length === 0) return;
    this.sink.updateDisplay(this.displayId, this.bundle(this.pending, true));
    this.updatesSent++;
    this.pending = [];
    this.lastSent = this.clock();
  }

  private bundle(rows: PlotRow[], append: boolean): MimeBundle {
    return { 'application/vnd.convlab.plot+json': this.view(rows, append), 'text/plain': `${this.opts.title} (${this.rows.length} points)` };
  }

  toMimeBundle(): MimeBundle {
    return this.bundle(this.rows.slice(), false);
  }
}
