// FractalNet (Larsson et al. 2016): fractal blocks with 2×2 max-pooling between them, drop-path
// while training, then global average pool and a dense classifier.
import * as tf from '@tensorflow/tfjs';
import { FractalBody } from '../blocks/fractal-body';
import { classifierHead, type ModelOptions } from './options';

export interface FractalNetOptions extends ModelOptions {
  /** Number of fractal blocks. Default 5 (the paper's CIFAR network). */
  blocks?: number;
  /** Columns C per block (column c is 2^c convs deep). Default 4. */
  columns?: number;
  /** Filters per block: one number for all, or one per block. Default 64, 128, 256, 512, 512. */
  channels?: number | number[];
  dropPath?: boolean;
  localDropProb?: number;
  seed?: number;
}

export function fractalnet(opts: FractalNetOptions = {}): tf.Sequential {
  const blocks = opts.blocks ?? 5;
  const paper = [64, 128, 256, 512, 512];
  const channels = Array.isArray(opts.channels)
    ? opts.channels
    : Array.from({ length: blocks }, (_, i) => (typeof opts.channels === 'number' ? opts.channels : paper[Math.min(i, paper.length - 1)]));
  if (channels.length !== blocks) throw new Error(`channels has ${channels.length} entries for ${blocks} blocks`);
  const body = new FractalBody({
    name: 'fractal',
    inputShape: opts.inputShape ?? [32, 32, 3],
    columns: opts.columns ?? 4,
    channels,
    dropPath: opts.dropPath,
    localDropProb: opts.localDropProb,
    seed: opts.seed,
  });
  return tf.sequential({ name: opts.name ?? 'fractalnet', layers: [body, ...classifierHead({ pool: 'gap', fc: 'fc' }, opts.classes ?? 10)] });
}

function bodiesOf(model: tf.LayersModel): FractalBody[] {
  return model.layers.filter((l): l is FractalBody => l instanceof FractalBody);
}

/**
 * Runs a single column of every block — the network as a plain chain of 2^c convs per block —
 * in training and inference; null restores all columns (and drop-path).
 */
export function fractalColumn(model: tf.LayersModel, column: number | null): void {
  const bodies = bodiesOf(model);
  if (bodies.length === 0) throw new Error(`${model.name} has no fractal blocks`);
  for (const b of bodies) b.setOnlyColumn(column);
}

/** The drop-path mask of the last training batch. */
export function lastDropPath(model: tf.LayersModel) {
  return bodiesOf(model)[0]?.lastSample ?? null;
}
