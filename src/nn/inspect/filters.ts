// nn.filters(model, layerName): a convolution's kernels as grey tiles, on one scale for the whole layer (mid grey
// is 0, white the largest positive weight, black the most negative), so kernels can be compared with each other.
import type * as tf from '@tensorflow/tfjs';
import type { MimeBundle } from '../../protocol';
import { tileBundle } from '../../plots/feature-tiles';
import { showView, type InspectOptions } from './feature-maps';
import { resolveLayer } from './trace';

export interface FilterOptions extends InspectOptions {
  /** Filters (output channels) drawn at most (default 64). */
  maxFilters?: number;
  /** Input channels drawn per filter at most (default 8); a first conv on grey images has one. */
  maxInputs?: number;
}

/** What nn.filters returns: the layer's kernel weights, read back from the GPU. */
export class Filters {
  constructor(
    readonly layer: string,
    readonly className: string,
    /** [kh, kw, inputs per group, filters], tfjs's conv kernel layout. */
    readonly kernelShape: [number, number, number, number],
    /** The kernel, flat in that layout. */
    readonly weights: Float32Array,
    /** Largest |weight|: the scale's ends are ±maxAbs. */
    readonly maxAbs: number,
    /** How many tiles the view drew. */
    readonly tilesShown: number,
  ) {}

  get count(): number {
    return this.kernelShape[3];
  }

  /** One kernel, kh × kw row-major: output channel `filter`, input channel `input`. */
  kernel(filter: number, input = 0): Float32Array {
    const [, , cin, cout] = this.kernelShape;
    if (filter < 0 || filter >= cout || input < 0 || input >= cin) throw new RangeError(`${this.layer} has ${cout} filters of ${cin} input channels`);
    return kernelAt(this.weights, this.kernelShape, filter, input);
  }

  toMimeBundle(): MimeBundle {
    const [kh, kw, cin, cout] = this.kernelShape;
    return { 'text/plain': `Filters(${this.layer}: ${cout} filters of ${kh}×${kw}×${cin})` };
  }
}

function kernelAt(weights: Float32Array, [kh, kw, cin, cout]: readonly number[], filter: number, input: number): Float32Array {
  const out = new Float32Array(kh * kw);
  for (let i = 0; i < kh * kw; i++) out[i] = weights[(i * cin + input) * cout + filter];
  return out;
}

/**
 * The kernels of a convolution layer as tiles: one per filter for a conv on one input channel (the first conv on
 * grey images), else one row of tiles per filter, one tile per input channel. Shows a "Filters" view.
 */
export async function filters(model: tf.LayersModel | tf.layers.Layer, layerName: string, opts: FilterOptions = {}): Promise<Filters> {
  const { path, layer } = resolveLayer(model, layerName, 'nn.filters');
  const kernel = layer.weights.find((w) => w.shape.length === 4);
  if (!kernel) {
    throw new Error(`nn.filters: ${path} (${layer.getClassName()}) has no convolution kernel${layer.weights.length ? '' : ' (is the model built?)'}`);
  }
  const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
  const weights = (await kernel.read().data()) as Float32Array;
  let maxAbs = 0;
  for (const v of weights) maxAbs = Math.max(maxAbs, Math.abs(v));
  const filterCount = Math.min(cout, opts.maxFilters ?? 64);
  const inputCount = Math.min(cin, opts.maxInputs ?? 8);
  const tiles = [];
  for (let f = 0; f < filterCount; f++) {
    for (let i = 0; i < inputCount; i++) {
      tiles.push({ label: cin === 1 ? `f ${f}` : `f ${f} · in ${i}`, values: kernelAt(weights, [kh, kw, cin, cout], f, i), min: -maxAbs, max: maxAbs });
    }
  }
  const title = `Filters of ${path} (${layer.getClassName()}): ${cout} kernels of ${kh}×${kw}×${cin}`;
  const left = [filterCount < cout ? `filters 0–${filterCount - 1} of ${cout}` : '', inputCount < cin ? `input channels 0–${inputCount - 1} of ${cin}` : ''].filter(Boolean);
  const bundle = tileBundle(tiles, {
    kind: 'filters', title, width: kw, height: kh, perRow: cin === 1 ? 8 : inputCount,
    displaySize: Math.max(24, Math.min(64, 8 * Math.max(kh, kw))),
    note: left.length ? `${left.join(', ')} shown; grey is 0, white +${maxAbs.toPrecision(3)}, black −${maxAbs.toPrecision(3)}` : `grey is 0, white +${maxAbs.toPrecision(3)}, black −${maxAbs.toPrecision(3)}`,
    text: `${title}\nweights in [−${maxAbs.toPrecision(3)}, ${maxAbs.toPrecision(3)}]`,
  });
  showView(bundle, opts);
  return new Filters(path, layer.getClassName(), [kh, kw, cin, cout], weights, maxAbs, tiles.length);
}
