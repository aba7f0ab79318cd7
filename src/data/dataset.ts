// An in-memory image classification dataset: raw bytes stay in JS arrays, and tensors exist only
// for the batch being used, so a 60k-image training set costs 47 MB of JS memory and no GPU memory.
import * as tf from '@tensorflow/tfjs';
import type { MimeBundle } from '../protocol';
import { ImageGrid, type GridTile } from '../plots/image-grid';
import { seededRandom } from '../util/random';

export type SplitName = 'train' | 'test';

export interface Split {
  count: number;
  rows: number;
  cols: number;
  /** count × rows × cols grey bytes. */
  images: Uint8Array;
  /** count class indices. */
  labels: Uint8Array;
}

export interface Batch {
  /** [B, H, W, 1] float32 in 0..1 (pixel / 255). */
  x: tf.Tensor4D;
  /** [B, numClasses] one-hot float32. */
  y: tf.Tensor2D;
  /** The class indices of the batch, for accuracy and confusion counts without a GPU read. */
  labels: Uint8Array;
  /** Positions in the split, e.g. to show the images a model got wrong. */
  indices: Int32Array;
}

export interface BatchOptions {
  /** Default: true for 'train', false for 'test'. */
  shuffle?: boolean;
  /** Same seed, same order: runs can be compared. */
  seed?: number;
  /** Skip a last, smaller batch (keeps batch-norm statistics and step times even). */
  dropLast?: boolean;
}

export { seededRandom };

export function permutation(n: number, seed: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const rnd = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = p[i]; p[i] = p[j]; p[j] = t;
  }
  return p;
}

export class ImageDataset {
  readonly numClasses: number;

  constructor(
    readonly name: string,
    readonly train: Split,
    readonly test: Split,
    readonly classNames: string[],
    /** Side length of the batches' images: 28 keeps the files' size; e.g. 96 upsamples per batch (d2l's models). */
    readonly imageSize: number = train.rows,
  ) {
    this.numClasses = classNames.length;
  }

  split(name: SplitName): Split {
    if (name !== 'train' && name !== 'test') throw new Error(`Unknown split "${String(name)}": use 'train' or 'test'`);
    return this[name];
  }

  numBatches(split: SplitName, batchSize: number, dropLast = false): number {
    const n = this.split(split).count;
    return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  }

  /** Builds one batch from positions in a split; the caller disposes x and y. */
  batchAt(split: SplitName, indices: Int32Array): Batch {
    const s = this.split(split);
    const px = s.rows * s.cols;
    const b = indices.length;
    const xs = new Float32Array(b * px);
    const ys = new Float32Array(b * this.numClasses);
    const labels = new Uint8Array(b);
    for (let i = 0; i < b; i++) {
      const src = indices[i] * px;
      for (let k = 0; k < px; k++) xs[i * px + k] = s.images[src + k] / 255;
      labels[i] = s.labels[indices[i]];
      ys[i * this.numClasses + labels[i]] = 1;
    }
    const { x, y } = tf.tidy(() => {
      let x: tf.Tensor4D = tf.tensor4d(xs, [b, s.rows, s.cols, 1]);
      if (this.imageSize !== s.rows || this.imageSize !== s.cols) x = tf.image.resizeBilinear(x, [this.imageSize, this.imageSize]);
      return { x, y: tf.tensor2d(ys, [b, this.numClasses]) };
    });
    return { x, y, labels, indices };
  }

  /**
   * Yields the split in batches. Each batch's tensors belong to the caller (dispose them, or use them
   * inside tf.tidy), so memory stays flat however many batches run.
   */
  *batches(split: SplitName, batchSize: number, opts: BatchOptions = {}): Generator<Batch, undefined, undefined> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
    const n = this.split(split).count;
    const shuffle = opts.shuffle ?? split === 'train';
    const order = shuffle ? permutation(n, opts.seed ?? 0) : Int32Array.from({ length: n }, (_, i) => i);
    const end = opts.dropLast ? n - (n % batchSize) : n;
    for (let start = 0; start < end; start += batchSize) {
      yield this.batchAt(split, order.subarray(start, Math.min(start + batchSize, end)));
    }
  }

  /** A labelled grid of n images (seeded random picks from the split). */
  showSamples(n = 16, opts: { split?: SplitName; seed?: number; perRow?: number } = {}): ImageGrid {
    const s = this.split(opts.split ?? 'train');
    const picks = permutation(s.count, opts.seed ?? 1).subarray(0, Math.min(n, s.count));
    const px = s.rows * s.cols;
    const tiles: GridTile[] = Array.from(picks, (i) => ({
      pixels: s.images.subarray(i * px, (i + 1) * px),
      caption: this.classNames[s.labels[i]] ?? String(s.labels[i]),
    }));
    return new ImageGrid(tiles, { rows: s.rows, cols: s.cols, perRow: opts.perRow ?? 8 }, `${this.name}: ${tiles.length} ${opts.split ?? 'train'} images`);
  }

  toMimeBundle(): MimeBundle {
    const rows = (['train', 'test'] as const).map((k) => [k, this[k].count, `${this.imageSize}×${this.imageSize}×1`]);
    return {
      'application/vnd.convlab.table+json': { caption: `${this.name} · ${this.numClasses} classes: ${this.classNames.join(', ')}`, columns: ['split', 'images', 'batch image shape (NHWC)'], rows },
      'text/plain': `${this.name}: train ${this.train.count}, test ${this.test.count}, images ${this.imageSize}×${this.imageSize}×1, classes ${this.classNames.join(', ')}`,
    };
  }
}

/** Wraps arrays a learner (or a test) made into a dataset with the same batching and display. */
export function fromArrays(opts: { name?: string; train: Split; test: Split; classNames?: string[]; imageSize?: number }): ImageDataset {
  let numClasses = 0;
  for (const l of [opts.train.labels, opts.test.labels]) for (let i = 0; i < l.length; i++) numClasses = Math.max(numClasses, l[i] + 1);
  const classNames = opts.classNames ?? Array.from({ length: numClasses }, (_, i) => `class ${i}`);
  for (const [name, s] of [['train', opts.train], ['test', opts.test]] as const) {
    if (s.images.length !== s.count * s.rows * s.cols) throw new Error(`${name}: expected ${s.count * s.rows * s.cols} image bytes, got ${s.images.length}`);
    if (s.labels.length !== s.count) throw new Error(`${name}: expected ${s.count} labels, got ${s.labels.length}`);
  }
  return new ImageDataset(opts.name ?? 'dataset', opts.train, opts.test, classNames, opts.imageSize ?? opts.train.rows);
}
