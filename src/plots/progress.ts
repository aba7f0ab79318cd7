// A progress bar display, replaced in place (no append) and throttled like the live plot.
import type { MimeBundle, ProgressView } from '../protocol';
import { cellSink, systemClock, type Clock, type DisplaySink } from './sink';

export class Progress {
  private displayId: string | null = null;
  private lastSent = -Infinity;
  private latest: ProgressView;
  private readonly sink: DisplaySink | null;
  private readonly clock: Clock;
  private readonly minIntervalMs: number;

  constructor(label: string, max: number, opts: { sink?: DisplaySink | null; clock?: Clock; minIntervalMs?: number } = {}) {
    this.sink = opts.sink === undefined ? cellSink() : opts.sink;
    this.clock = opts.clock ?? systemClock;
    this.minIntervalMs = opts.minIntervalMs ?? 100;
    this.latest = { label, value: 0, max };
  }

  get view(): ProgressView { return this.latest; }

  update(value: number, detail?: string, patch: Partial<ProgressView> = {}): void {
    this.latest = { ...this.latest, value, ...(detail !== undefined ? { detail } : {}), ...patch };
    if (this.clock() - this.lastSent >= this.minIntervalMs) this.send();
  }

  done(detail?: string, patch: Partial<ProgressView> = {}): void {
    this.latest = { ...this.latest, done: true, ...(detail !== undefined ? { detail } : {}), ...patch };
    this.send();
  }

  private send(): void {
    this.lastSent = this.clock();
    if (!this.sink) return;
    const data = this.toMimeBundle();
    if (this.displayId === null) this.displayId = this.sink.display(data);
    else this.sink.updateDisplay(this.displayId, data);
  }

  toMimeBundle(): MimeBundle {
    const v = this.latest;
    return { 'application/vnd.convlab.progress+json': v, 'text/plain': `${v.label}: ${v.value}/${v.max}${v.detail ? ' · ' + v.detail : ''}` };
  }
}
