// nn.seGates(model, batch): what each Squeeze-and-Excitation block multiplies its channels by, per image, as a heat
// map of channels × images (one panel per SE block). A gate near 1 passes a channel, near 0 silences it; rows that
// differ across images are the block choosing channels by content.
import * as tf from '@tensorflow/tfjs';
import type { HeatmapView, MimeBundle } from '../../protocol';
import { heatmapBundle } from '../../plots/heatmap';
import { CompositeLayer } from '../core/composite';
import { SqueezeExcite } from '../blocks/squeeze-excite';
import { showView, type InspectOptions } from './feature-maps';
import { asBatch, layerPaths, trace } from './trace';

export interface GateMap {
  /** The SE block's path, e.g. "layer1.0/se". */
  path: string;
  channels: number;
  images: number;
  /** values[channel][image], each in (0, 1). */
  values: number[][];
  /** The mean gate over channels and images. */
  mean: number;
}

/** What nn.seGates returns: one gate map per SE block, in forward order. */
export class SeGates {
  constructor(readonly blocks: GateMap[]) {}

  /** The gate map of the block at this path (or with this last path component). */
  block(pathOrName: string): GateMap | undefined {
    return this.blocks.find((b) => b.path === pathOrName) ?? this.blocks.find((b) => b.path.split('/').pop() === pathOrName);
  }

  toMimeBundle(): MimeBundle {
    return { 'text/plain': `SeGates(${this.blocks.map((b) => `${b.path}: ${b.channels}×${b.images}, mean ${b.mean.toFixed(3)}`).join('; ')})` };
  }
}

function holdsGate(layer: CompositeLayer): boolean {
  return layer instanceof SqueezeExcite || layer.sublayers.some((l) => l instanceof CompositeLayer && holdsGate(l));
}

/** The paths of the model's SE blocks, at any depth, in forward order (empty when it has none). */
export function seBlockPaths(model: tf.LayersModel | tf.layers.Layer): string[] {
  return layerPaths(model).filter((e) => e.layer instanceof SqueezeExcite).map((e) => e.path);
}

/** The SE gates of one forward pass (inference mode) as [N, C] tensors by block path; the caller disposes them. */
export function gateTensors(model: tf.LayersModel | tf.layers.Layer, x: tf.Tensor4D): Array<{ path: string; gate: tf.Tensor2D }> {
  const found: Array<{ path: string; gate: tf.Tensor2D }> = [];
  tf.tidy(() => {
    trace(model, x, {
      descend: (_path, block) => holdsGate(block),
      gate: (path, w) => found.push({ path, gate: tf.keep(w.reshape([w.shape[0], w.shape[w.rank - 1]]) as tf.Tensor2D) }),
    });
  });
  return found;
}

/** The mean gate of each SE block over a batch, read back asynchronously in one go (the training probes' epoch point). */
export async function gateMeans(model: tf.LayersModel | tf.layers.Layer, x: tf.Tensor4D): Promise<Array<{ path: string; mean: number }>> {
  const gates = gateTensors(model, x);
  if (gates.length === 0) return [];
  const means = tf.tidy(() => tf.stack(gates.map((g) => tf.mean(g.gate))));
  tf.dispose(gates.map((g) => g.gate));
  try {
    const values = await means.data();
    return gates.map((g, i) => ({ path: g.path, mean: values[i] }));
  } finally {
    means.dispose();
  }
}

/**
 * The excitation weights of every SE block for a batch of images, as a channels × images heat map per block.
 * `batch` is [N, H, W, C] (or a dataset batch's { x }), resized to the model's input size if it differs. Shows an
 * "SE gates" view and returns the numbers.
 */
export async function seGates(
  model: tf.LayersModel | tf.layers.Layer,
  batch: tf.Tensor | { x: tf.Tensor },
  opts: InspectOptions = {},
): Promise<SeGates> {
  const images = batch instanceof tf.Tensor ? batch : batch.x;
  if (seBlockPaths(model).length === 0) throw new Error(`nn.seGates: ${model.name} has no Squeeze-and-Excitation block (nn.seBlock, or a block with seReduction)`);
  const x = tf.tidy(() => asBatch(model, images, 'nn.seGates'));
  let gates: Array<{ path: string; gate: tf.Tensor2D }>;
  try {
    gates = gateTensors(model, x);
  } finally {
    if (x !== images) x.dispose();
  }
  let read: Float32Array[];
  try {
    read = (await Promise.all(gates.map((g) => g.gate.data()))) as Float32Array[];
  } finally {
    tf.dispose(gates.map((g) => g.gate));
  }
  const blocks = gates.map(({ path, gate }, k): GateMap => {
    const [n, c] = gate.shape;
    const data = read[k];
    const values = Array.from({ length: c }, (_, ch) => Array.from({ length: n }, (_, i) => data[i * c + ch]));
    return { path, channels: c, images: n, values, mean: data.reduce((s, v) => s + v, 0) / data.length };
  });
  const view: HeatmapView = {
    name: 'SE gates',
    title: `SE gates of ${model.name}: excitation weight per channel (rows) and image (columns)`,
    rowLabel: 'channel',
    colLabel: 'image',
    range: [0, 1],
    panels: blocks.map((b) => ({
      label: `${b.path} · ${b.channels} channels × ${b.images} images · mean ${b.mean.toFixed(3)}`,
      rows: b.channels,
      cols: b.images,
      values: b.values.flat().map((v) => Math.round(v * 1e4) / 1e4),
    })),
  };
  const text = `${view.title}\n` + blocks.map((b) => `${b.path}: ${b.channels} channels × ${b.images} images, mean gate ${b.mean.toFixed(3)}`).join('\n');
  showView(heatmapBundle(view, text), opts);
  return new SeGates(blocks);
}
