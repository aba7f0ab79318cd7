// The shape strip fit() shows beside its loss curve: the model's channels per leaf layer along depth, one coloured
// cell per layer (log scale, so 64 → 128 → 256 → 512 steps evenly), named on hover. Shapes come from nn's shape
// points (traced without allocating a tensor), so the strip costs nothing on the GPU.
import type * as tf from '@tensorflow/tfjs';
import type { HeatmapView, MimeBundle } from '../protocol';
import { shapePoints } from '../nn/inspect/shape-points';
import { heatmapBundle } from '../plots/heatmap';

/** Channels per leaf layer for an input of [H, W, C]; null when the model's shapes cannot be traced. */
export function channelsPerLayer(model: tf.LayersModel, inputShape: number[]): Array<{ path: string; channels: number }> | null {
  let points;
  try {
    points = shapePoints(model, inputShape);
  } catch {
    // The strip is a side view: a model nn cannot trace still trains, without it.
    return null;
  }
  const out = points
    .map((p) => ({ path: p.path, channels: p.shape[p.shape.length - 1] }))
    .filter((p): p is { path: string; channels: number } => typeof p.channels === 'number' && p.channels > 0);
  return out.length ? out : null;
}

export function shapeStripBundle(model: tf.LayersModel, inputShape: number[]): MimeBundle | null {
  const layers = channelsPerLayer(model, inputShape);
  if (!layers) return null;
  const channels = layers.map((l) => l.channels);
  const lo = Math.min(...channels), hi = Math.max(...channels);
  const view: HeatmapView = {
    name: 'Shape strip',
    title: `${model.name}: channels per layer, ${layers.length} layers (${lo} to ${hi})`,
    rowLabel: 'model',
    colLabel: 'layer',
    range: [lo, hi],
    scale: 'log',
    digits: 0,
    panels: [{ label: `input ${inputShape.join('×')} → ${channels[channels.length - 1]} outputs`, rows: 1, cols: layers.length, values: channels, colNames: layers.map((l) => l.path) }],
  };
  return heatmapBundle(view, `${view.title}\n${layers.map((l) => `${l.path} ${l.channels}`).join(', ')}`);
}
