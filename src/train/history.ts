// What fit() returns: every batch loss and every epoch's accuracies, shown as a plot plus a table.
import type { MimeBundle } from '../protocol';
import type { LivePlot } from '../plots/live-plot';
import type { TrainingProbes } from './probes';

export interface EpochRecord {
  epoch: number;
  /** Batches done when the epoch ended (the plot's x). */
  step: number;
  trainAccuracy: number;
  testAccuracy: number | null;
}

export class History {
  readonly losses: number[] = [];
  readonly steps: number[] = [];
  /** tf.memory().numTensors after each batch: flat when nothing leaks. */
  readonly tensorCounts: number[] = [];
  readonly epochs: EpochRecord[] = [];
  interrupted = false;
  tensorsBefore = 0;
  tensorsAfter = 0;
  seconds = 0;
  plot: LivePlot | null = null;
  /** Gradient norms per block and SE gates per epoch, when fit() ran with `probes: true`. */
  probes: TrainingProbes | null = null;

  constructor(readonly numClasses: number) {}

  recordBatch(step: number, _epoch: number, loss: number, numTensors: number): void {
    this.steps.push(step);
    this.losses.push(loss);
    this.tensorCounts.push(numTensors);
  }

  recordEpoch(epoch: number, step: number, trainAccuracy: number, testAccuracy: number | null): void {
    this.epochs.push({ epoch, step, trainAccuracy, testAccuracy });
  }

  /** Number of points the live plot holds (loss points and epoch points). */
  get plotPoints(): number {
    return this.plot?.rows.length ?? 0;
  }

  toMimeBundle(): MimeBundle {
    const rows = this.epochs.map((e) => [e.epoch + 1, e.step, +e.trainAccuracy.toFixed(4), e.testAccuracy === null ? '—' : +e.testAccuracy.toFixed(4)]);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
    const summary = `${this.losses.length} batches${this.interrupted ? ' (interrupted)' : ''}, loss ${mean(this.losses.slice(0, 5)).toFixed(3)} → ${mean(this.losses.slice(-5)).toFixed(3)}`;
    return {
      'application/vnd.convlab.table+json': { caption: `Training history: ${summary}`, columns: ['epoch', 'batches', 'train acc', 'test acc'], rows },
      'text/plain': `History: ${summary}` + this.epochs.map((e) => `\n  epoch ${e.epoch + 1}: train acc ${e.trainAccuracy.toFixed(4)}${e.testAccuracy === null ? '' : `, test acc ${e.testAccuracy.toFixed(4)}`}`).join(''),
    };
  }
}
