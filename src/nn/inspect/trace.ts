// Runs a model (or one block) forward on real tensors, layer by layer and, where asked, inside blocks, so that the
// inspection views can read what any layer outputs (feature maps) or what an SE block multiplies its channels by
// (gates), without changing the model or its classes. Blocks are walked through their own `forward`, the same
// definition their `call` runs, so the values equal a normal forward pass's (inference mode).
import * as tf from '@tensorflow/tfjs';
import { CompositeLayer } from '../core/composite';
import { tensorFlow, type Flow } from '../core/flow';

export interface TraceHooks {
  /** Whether to walk into this block's forward; if not, it runs as one layer (and may take a fast kernel path). */
  descend(path: string, block: CompositeLayer): boolean;
  /** Each layer's output as it is made; returning true ends the trace there. Tensors belong to the caller's tidy. */
  output?(path: string, layer: tf.layers.Layer, y: tf.Tensor): boolean | void;
  /** A block's per-channel scaling weights ([N,1,1,C]: an SE block's gate), with the block's path. */
  gate?(path: string, w: tf.Tensor): void;
}

/** Thrown through the forward pass to stop it once the wanted layer has been seen. */
class TraceDone extends Error {}

/** Layers directly inside `layer`: a model's layers (without its input layer) or a block's sublayers. */
export function childLayers(layer: tf.LayersModel | tf.layers.Layer): tf.layers.Layer[] {
  if (layer instanceof tf.LayersModel) return layer.layers.filter((l) => l.getClassName() !== 'InputLayer');
  if (layer instanceof CompositeLayer) return layer.sublayers;
  return [];
}

/** Every layer with its path ("b2.0/conv1"), depth first in forward order, as nn.summary names rows. */
export function layerPaths(root: tf.LayersModel | tf.layers.Layer): Array<{ path: string; layer: tf.layers.Layer }> {
  const out: Array<{ path: string; layer: tf.layers.Layer }> = [];
  const walk = (layer: tf.LayersModel | tf.layers.Layer, prefix: string) => {
    for (const child of childLayers(layer)) {
      const path = prefix ? `${prefix}/${child.name}` : child.name;
      out.push({ path, layer: child });
      walk(child, path);
    }
  };
  if (root instanceof tf.LayersModel) walk(root, '');
  else {
    out.push({ path: root.name, layer: root });
    walk(root, root.name);
  }
  return out;
}

/** The path of the layer a learner named: its path, or its bare name (the first such layer, in forward order). */
export function resolveLayer(root: tf.LayersModel | tf.layers.Layer, nameOrPath: string, caller: string): { path: string; layer: tf.layers.Layer } {
  const all = layerPaths(root);
  const found = all.find((e) => e.path === nameOrPath) ?? all.find((e) => e.layer.name === nameOrPath);
  if (found) return found;
  const top = childLayers(root).map((l) => l.name);
  throw new Error(`${caller}: no layer named "${nameOrPath}" in ${root.name}. Its layers: ${top.join(', ')} (name a layer inside a block by its path, e.g. "${all.find((e) => e.path.includes('/'))?.path ?? 'block/conv1'}")`);
}

/** [H,W], [H,W,C] or [N,H,W,C] as a batch; an image whose size differs from the model's input is resized to it. */
export function asBatch(root: tf.LayersModel | tf.layers.Layer, image: tf.Tensor, caller: string): tf.Tensor4D {
  let x: tf.Tensor = image;
  if (image.rank === 2) x = image.expandDims(0).expandDims(-1);
  else if (image.rank === 3) x = image.expandDims(0);
  else if (image.rank !== 4) throw new Error(`${caller}: expected an image [H, W], [H, W, C] or a batch [N, H, W, C], got shape [${image.shape}]`);
  const x4 = x as tf.Tensor4D;
  const declared = root instanceof tf.LayersModel ? root.inputs[0].shape : root.batchInputShape;
  const [h, w] = [declared?.[1], declared?.[2]];
  if (typeof h === 'number' && typeof w === 'number' && (x4.shape[1] !== h || x4.shape[2] !== w)) {
    return tf.image.resizeBilinear(x4, [h, w]);
  }
  return x4;
}

function runLayer(layer: tf.layers.Layer, input: tf.Tensor | tf.Tensor[], path: string, hooks: TraceHooks): tf.Tensor {
  let y: tf.Tensor;
  if (layer instanceof CompositeLayer && !Array.isArray(input) && hooks.descend(path, layer)) {
    y = layer.forward(tracingFlow(path, hooks), input);
  } else {
    y = layer.apply(input, { training: false }) as tf.Tensor;
  }
  if (hooks.output?.(path, layer, y)) throw new TraceDone();
  return y;
}

function tracingFlow(path: string, hooks: TraceHooks): Flow<tf.Tensor> {
  const base = tensorFlow(false);
  return {
    ...base,
    layer: (child, x) => runLayer(child, x, `${path}/${child.name}`, hooks),
    scaleChannels: (x, w) => {
      hooks.gate?.(path, w);
      return base.scaleChannels(x, w);
    },
  };
}

/**
 * Runs `root` on `x` (inference mode), calling the hooks; returns the output, or null when a hook ended the trace
 * early. Call it inside tf.tidy and tf.keep what the hooks need beyond it.
 */
export function trace(root: tf.LayersModel | tf.layers.Layer, x: tf.Tensor, hooks: TraceHooks): tf.Tensor | null {
  try {
    if (!(root instanceof tf.LayersModel)) {
      if (!root.built) root.apply(x);
      return runLayer(root, x, root.name, hooks);
    }
    // Layers come in topological order; each reads its inputs from what its first inbound node's layers made.
    const made = new Map<string, tf.Tensor>();
    let last: tf.Tensor = x;
    for (const layer of root.layers) {
      if (layer.getClassName() === 'InputLayer') {
        made.set(layer.name, x);
        continue;
      }
      const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
      const ins = inbound.map((l) => (l ? made.get(l.name) : undefined) ?? x);
      last = runLayer(layer, ins.length > 1 ? ins : (ins[0] ?? x), layer.name, hooks);
      made.set(layer.name, last);
    }
    const outName = root.outputs[0]?.sourceLayer?.name;
    return (outName ? made.get(outName) : undefined) ?? last;
  } catch (err) {
    if (err instanceof TraceDone) return null;
    throw err;
  }
}
