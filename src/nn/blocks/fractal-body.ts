// The body of a FractalNet: fractal blocks with 2×2 max-pooling between them, plus the network-wide
// drop-path. Global drop-path picks one column for every block at once, which is why the sampler
// lives here and not in the blocks.
import * as tf from '@tensorflow/tfjs';
import { CompositeLayer, type LayerArgs } from '../core/composite';
import type { Flow } from '../core/flow';
import { DropPathSampler, type DropPathSample } from './drop-path';
import { FractalBlock, fractalJoins } from './fractal';

export interface FractalBodyArgs extends NonNullable<LayerArgs> {
  columns: number;
  /** Filters of each block; the number of blocks is its length. */
  channels: number[];
  /** Drop-path while training. Default true. */
  dropPath?: boolean;
  localDropProb?: number;
  /** Seed of the host-side mask sampler. */
  seed?: number;
}

export class FractalBody extends CompositeLayer {
  static className = 'FractalBody';
  readonly columns: number;
  readonly channels: number[];
  readonly dropPath: boolean;
  readonly localDropProb: number;
  readonly seed: number;
  readonly sampler: DropPathSampler;
  /** The mask of the last training batch (null if drop-path did not run). */
  lastSample: DropPathSample | null = null;
  private onlyColumn: number | null = null;

  constructor(args: FractalBodyArgs) {
    super(args);
    this.columns = args.columns;
    this.channels = args.channels;
    this.dropPath = args.dropPath ?? true;
    this.localDropProb = args.localDropProb ?? 0.15;
    this.seed = args.seed ?? 0;
    this.sampler = new DropPathSampler(this.seed, { localDropProb: this.localDropProb });
  }

  protected createSublayers(): void {
    this.channels.forEach((filters, i) => {
      if (i > 0) this.own(tf.layers.maxPooling2d({ name: `pool${i}`, poolSize: 2, strides: 2, padding: 'valid' }));
      this.own(new FractalBlock({ name: `block${i + 1}`, columns: this.columns, filters }));
    });
  }

  get blocks(): FractalBlock[] {
    return this.sublayers.filter((l): l is FractalBlock => l instanceof FractalBlock);
  }

  /** Runs only `column` in every block (training and inference) — a plain network; null restores all. */
  setOnlyColumn(column: number | null): void {
    if (column !== null && (column < 0 || column >= this.columns)) throw new Error(`column must be in 0…${this.columns - 1}`);
    this.onlyColumn = column;
    for (const b of this.blocks) b.onlyColumn = column;
  }

  forward<T>(flow: Flow<T>, x: T): T {
    const sampling = flow.training && this.dropPath && this.onlyColumn === null;
    if (sampling) {
      const joins = fractalJoins(this.columns);
      this.lastSample = this.sampler.sample(this.columns, this.blocks.map(() => joins));
      this.blocks.forEach((b, i) => (b.dropMask = this.lastSample!.keep[i]));
    }
    try {
      let y = x;
      for (const l of this.sublayers) y = flow.layer(l, y);
      return y;
    } finally {
      if (sampling) for (const b of this.blocks) b.dropMask = null;
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      columns: this.columns,
      channels: this.channels,
      dropPath: this.dropPath,
      localDropProb: this.localDropProb,
      seed: this.seed,
    };
  }
}
tf.serialization.registerClass(FractalBody);
