// Accuracy, loss and the confusion matrix on a split (the 10k test images by default), batched so a
// large test set never sits on the GPU at once, with checkpoints so Interrupt works here too.
import * as tf from '@tensorflow/tfjs';
import { checkpoint } from '../cell/context';
import type { ImageDataset, SplitName } from '../data/dataset';
import type { MimeBundle, TableView } from '../protocol';
import { ImageGrid, type GridTile } from '../plots/image-grid';
import { Progress } from '../plots/progress';
import type { DisplaySink } from '../plots/sink';
import { lossAndLogits, outputsLogits } from './loss';
import { permutation } from '../data/dataset';
import { checkDataset, checkModel } from './check-args';

export interface EvaluateOptions {
  split?: SplitName;
  batchSize?: number;
  /** Only the first N images of the split. */
  limit?: number;
  fromLogits?: boolean;
  sink?: DisplaySink | null;
}

export class ConfusionMatrix {
  /** counts[true][predicted] */
  constructor(readonly counts: number[][], readonly classNames: string[]) {}

  toMimeBundle(): MimeBundle {
    const n = this.classNames.length;
    const table: TableView = {
      caption: 'Confusion matrix (rows: true class, columns: predicted class)',
      columns: ['true \\ predicted', ...this.classNames],
      rows: this.counts.map((row, i) => [this.classNames[i], ...row]),
      heatmap: true,
    };
    const width = Math.max(...this.classNames.map((c) => c.length), 5);
    const text = this.counts.map((row, i) => this.classNames[i].padEnd(width) + row.map((v) => String(v).padStart(6)).join('')).join('\n');
    return { 'application/vnd.convlab.table+json': table, 'text/plain': `Confusion matrix (${n} classes, rows true, columns predicted)\n${text}` };
  }
}

export class Evaluation {
  constructor(
    readonly split: SplitName,
    readonly count: number,
    readonly accuracy: number,
    readonly loss: number,
    /** Predicted class per image of the split, in split order. */
    readonly predictions: Uint8Array,
    readonly confusion: ConfusionMatrix,
  ) {}

  /** Accuracy per class, e.g. to see that "Shirt" is the hard one. */
  perClassAccuracy(): number[] {
    return this.confusion.counts.map((row, i) => row[i] / Math.max(1, row.reduce((a, b) => a + b, 0)));
  }

  toMimeBundle(): MimeBundle {
    const names = this.confusion.classNames;
    const perClass = this.perClassAccuracy();
    return {
      'application/vnd.convlab.table+json': {
        caption: `${this.split} set: accuracy ${(this.accuracy * 100).toFixed(2)}% on ${this.count} images, loss ${this.loss.toFixed(4)}`,
        columns: ['class', 'accuracy'],
        rows: names.map((c, i) => [c, +perClass[i].toFixed(4)]),
      },
      'text/plain': `${this.split} accuracy ${this.accuracy.toFixed(4)} (${this.count} images), loss ${this.loss.toFixed(4)}`,
    };
  }
}

export async function evaluate(model: tf.LayersModel, ds: ImageDataset, opts: EvaluateOptions = {}): Promise<Evaluation> {
  checkModel('train.evaluate', model);
  checkDataset('train.evaluate', ds);
  const split = opts.split ?? 'test';
  const batchSize = opts.batchSize ?? 256;
  const fromLogits = opts.fromLogits ?? outputsLogits(model);
  const total = Math.min(ds.split(split).count, opts.limit ?? Infinity);
  const k = ds.numClasses;
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const predictions = new Uint8Array(total);
  const progress = opts.sink === null ? null : new Progress(`Evaluating on ${split}`, total, { sink: opts.sink });
  let lossSum = 0, correct = 0;
  for (let start = 0; start < total; start += batchSize) {
    await checkpoint();
    const idx = Int32Array.from({ length: Math.min(batchSize, total - start) }, (_, i) => start + i);
    const { x, y, labels } = ds.batchAt(split, idx);
    try {
      const [lossT, predT] = tf.tidy(() => {
        const { loss, logits } = lossAndLogits(model, x, y, fromLogits, false);
        return [loss, tf.argMax(logits, 1)];
      });
      const [l, p] = await Promise.all([lossT.data(), predT.data()]);
      lossT.dispose(); predT.dispose();
      lossSum += l[0] * idx.length;
      for (let i = 0; i < idx.length; i++) {
        predictions[start + i] = p[i];
        counts[labels[i]][p[i]]++;
        if (p[i] === labels[i]) correct++;
      }
    } finally {
      x.dispose(); y.dispose();
    }
    progress?.update(start + idx.length, `${start + idx.length}/${total} images`);
  }
  progress?.done(`accuracy ${(correct / Math.max(total, 1)).toFixed(4)} on ${total} images`, { value: total });
  return new Evaluation(split, total, correct / Math.max(total, 1), lossSum / Math.max(total, 1), predictions, new ConfusionMatrix(counts, ds.classNames));
}

/** From an Evaluation, or runs one: `train.confusionMatrix(model, ds)`. */
export async function confusionMatrix(modelOrEvaluation: tf.LayersModel | Evaluation, ds?: ImageDataset, opts: EvaluateOptions = {}): Promise<ConfusionMatrix> {
  if (modelOrEvaluation instanceof Evaluation) return modelOrEvaluation.confusion;
  if (!ds) throw new Error('confusionMatrix(model, ds): pass the dataset to evaluate on');
  return (await evaluate(modelOrEvaluation, ds, opts)).confusion;
}

/** n test images with "predicted / true" captions, green when right and red when wrong. */
export async function showPredictions(model: tf.LayersModel, ds: ImageDataset, n = 16, opts: { split?: SplitName; seed?: number; onlyWrong?: boolean; perRow?: number } = {}): Promise<ImageGrid> {
  checkModel('train.showPredictions', model);
  checkDataset('train.showPredictions', ds);
  const split = opts.split ?? 'test';
  const s = ds.split(split);
  // Looking at more candidates than needed lets onlyWrong find enough mistakes in one pass.
  const candidates = permutation(s.count, opts.seed ?? 2).subarray(0, Math.min(s.count, opts.onlyWrong ? Math.max(n * 20, 256) : n));
  const { x, y, labels } = ds.batchAt(split, candidates);
  let preds: Int32Array | Float32Array | Uint8Array;
  try {
    const p = tf.tidy(() => tf.argMax(model.apply(x, { training: false }) as tf.Tensor, 1));
    preds = (await p.data()) as Int32Array;
    p.dispose();
  } finally {
    x.dispose(); y.dispose();
  }
  const px = s.rows * s.cols;
  const tiles: GridTile[] = [];
  for (let i = 0; i < candidates.length && tiles.length < n; i++) {
    const right = preds[i] === labels[i];
    if (opts.onlyWrong && right) continue;
    const name = (c: number) => ds.classNames[c] ?? String(c);
    tiles.push({
      pixels: s.images.subarray(candidates[i] * px, (candidates[i] + 1) * px),
      caption: right ? name(preds[i]) : `${name(preds[i])} ≠ ${name(labels[i])}`,
      color: right ? [0, 128, 0] : [200, 0, 0],
      tone: right ? 'right' : 'wrong',
    });
  }
  return new ImageGrid(tiles, { rows: s.rows, cols: s.cols, perRow: opts.perRow ?? 8, captionHeight: 16, minCellWidth: 120 }, `Predictions on ${split} (predicted ≠ true when wrong)`);
}
