// nn.featureMaps(model, layerName, image): what one layer makes of one image, one grey tile per channel. The
// activation is computed in the worker, read back asynchronously (WebGPU has no synchronous read), shown under the
// cell as a "Feature maps" view, and returned as numbers.
import * as tf from '@tensorflow/tfjs';
import type { MimeBundle } from '../../protocol';
import { tileBundle } from '../../plots/feature-tiles';
import { cellSink, type DisplaySink } from '../../plots/sink';
import { asBatch, resolveLayer, trace } from './trace';

export interface InspectOptions {
  /** Show the view under the running cell (default true); false only computes the numbers. */
  show?: boolean;
  /** Where to show it; default: the running cell. */
  sink?: DisplaySink | null;
}

export interface FeatureMapOptions extends InspectOptions {
  /** Channels drawn at most (default 256); the returned numbers always hold every channel. */
  maxTiles?: number;
}

export interface ChannelMap {
  channel: number;
  /** height × width activations, row-major. */
  values: Float32Array;
  min: number;
  max: number;
  mean: number;
}

/** What nn.featureMaps returns: the layer's activation for the image, split by channel. */
export class FeatureMaps {
  constructor(
    /** The layer's path, e.g. "b2.0/conv1". */
    readonly layer: string,
    readonly className: string,
    /** The activation's shape, NHWC with batch 1. */
    readonly shape: number[],
    readonly maps: ChannelMap[],
    private readonly view: MimeBundle,
  ) {}

  get channels(): number {
    return this.maps.length;
  }

  get height(): number {
    return this.shape[1];
  }

  get width(): number {
    return this.shape[2];
  }

  /** The view nn.featureMaps showed (for display() elsewhere). */
  bundle(): MimeBundle {
    return this.view;
  }

  /** A one-line description: the tiles were already shown when nn.featureMaps ran. */
  toMimeBundle(): MimeBundle {
    return { 'text/plain': `FeatureMaps(${this.layer}: ${this.channels} channels of ${this.height}×${this.width})` };
  }
}

/** Shows `bundle` under the running cell unless told not to. */
export function showView(bundle: MimeBundle, opts: InspectOptions): void {
  if (opts.show === false) return;
  const sink = opts.sink === undefined ? cellSink() : opts.sink;
  sink?.display(bundle);
}

/** CSS pixels a tile of this size is shown at: small maps are enlarged, large ones keep about their size. */
export function tileDisplaySize(side: number): number {
  return side >= 64 ? Math.min(side, 128) : 64;
}

function splitChannels(data: Float32Array, h: number, w: number, c: number): ChannelMap[] {
  return Array.from({ length: c }, (_, ch) => {
    const values = new Float32Array(h * w);
    let min = Infinity, max = -Infinity, sum = 0;
    for (let i = 0; i < h * w; i++) {
      const v = data[i * c + ch];
      values[i] = v;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    return { channel: ch, values, min, max, mean: sum / (h * w) };
  });
}

/**
 * One grey tile per channel of a layer's output for one image: white is the channel's largest value there, black
 * its smallest (a dead ReLU channel is all black). `layerName` is a layer's name or its path inside blocks (as
 * nn.summary names rows, e.g. "b2.0/conv1"); `image` is [H, W], [H, W, C] or a batch (or a dataset batch's { x }),
 * of which the first image is used, resized to the model's input size if it differs. Shows a "Feature maps" view and returns the numbers.
 */
export async function featureMaps(
  model: tf.LayersModel | tf.layers.Layer,
  layerName: string,
  image: tf.Tensor | { x: tf.Tensor },
  opts: FeatureMapOptions = {},
): Promise<FeatureMaps> {
  const { path, layer } = resolveLayer(model, layerName, 'nn.featureMaps');
  const pixels = image instanceof tf.Tensor ? image : image.x;
  let activation: tf.Tensor | null = null;
  tf.tidy(() => {
    const batch = asBatch(model, pixels, 'nn.featureMaps');
    const first = batch.shape[0] === 1 ? batch : batch.slice([0, 0, 0, 0], [1, -1, -1, -1]);
    trace(model, first, {
      descend: (p) => path.startsWith(`${p}/`),
      output: (p, _layer, y) => {
        if (p !== path) return false;
        activation = tf.keep(y);
        return true;
      },
    });
  });
  const y = activation as tf.Tensor | null;
  if (!y) throw new Error(`nn.featureMaps: ${path} did not run in a forward pass of ${model.name}`);
  let data: Float32Array;
  try {
    if (y.rank !== 4) throw new Error(`nn.featureMaps: ${path} outputs shape [${y.shape}], not feature maps [N, H, W, C]; pick a convolution, norm, activation or pooling layer`);
    data = (await y.data()) as Float32Array;
  } finally {
    y.dispose();
  }
  const [, h, w, c] = y.shape;
  const maps = splitChannels(data, h, w, c);
  const maxTiles = opts.maxTiles ?? 256;
  const drawn = maps.slice(0, maxTiles);
  const className = layer.getClassName();
  const title = `Feature maps of ${path} (${className}): ${c} channels of ${h}×${w}`;
  const bundle = tileBundle(
    drawn.map((m) => ({ label: `ch ${m.channel}`, values: m.values, min: m.min, max: m.max })),
    {
      kind: 'activations', title, width: w, height: h, perRow: 8, displaySize: tileDisplaySize(Math.max(h, w)),
      note: drawn.length < c ? `channels 0–${drawn.length - 1} of ${c} shown` : undefined,
      text: `${title}\n` + drawn.map((m) => `ch ${m.channel}: min ${m.min.toPrecision(3)}, max ${m.max.toPrecision(3)}, mean ${m.mean.toPrecision(3)}`).join('\n'),
    },
  );
  showView(bundle, opts);
  return new FeatureMaps(path, className, [...y.shape], maps, bundle);
}
