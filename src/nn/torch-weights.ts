// Loading PyTorch weights into nn's layers. PyTorch names a parameter by its module path and kind
// ("layer1.0.downsample.1.running_var"); nn's layers name theirs by layer path and Keras kind
// ("layer1.0/downsample.bn/moving_variance"). The module paths differ between libraries and are given
// explicitly; the kinds always correspond as below. Tensors must already be in tfjs layouts.
import * as tf from '@tensorflow/tfjs';
import { CompositeLayer } from './core/composite';

/** A state_dict in tfjs layouts: conv kernels HWIO (OIHW.permute(2, 3, 1, 0)), dense kernels [in, out]. */
export type TorchStateDict = Record<string, tf.Tensor>;

/** tfjs weight kind → the PyTorch parameter or buffer that holds it. */
const TORCH_KIND: Record<string, string> = {
  kernel: 'weight', // Conv2D, GroupedConv2D, Dense
  bias: 'bias',
  gamma: 'weight', // BatchNormalization: PyTorch calls the scale "weight" and the offset "bias"
  beta: 'bias',
  moving_mean: 'running_mean',
  moving_variance: 'running_var',
};

/** The leaf layer at a path of layer names joined by "/" ("layer1.0/conv1"), below a model or a block. */
export function layerAtPath(root: tf.LayersModel | tf.layers.Layer, path: string): tf.layers.Layer {
  const [first, ...rest] = path.split('/');
  let layer: tf.layers.Layer;
  if (root instanceof tf.LayersModel) layer = root.getLayer(first);
  else if (root instanceof CompositeLayer) layer = root.findSublayer(first);
  else throw new Error(`${root.name} has no sublayers to look "${first}" up in`);
  return rest.length ? layerAtPath(layer, rest.join('/')) : layer;
}

/**
 * Sets every weight of `root` from a PyTorch state_dict. `modules` maps each PyTorch module path to the
 * nn layer path that plays its part, e.g. { 'downsample.0': 'downsample.conv', 'downsample.1': 'downsample.bn' }.
 * Strict both ways: every state_dict entry must be used and every weight of `root` set, with equal
 * shapes, so a wrong or incomplete mapping fails loudly instead of leaving initial weights in place.
 * Build `root` first (apply it once, or give a model its input shape) so that its weights exist.
 */
export function loadTorchWeights(root: tf.LayersModel | tf.layers.Layer, stateDict: TorchStateDict, modules: Record<string, string>): void {
  const unused = new Set(Object.keys(stateDict));
  let set = 0;
  for (const [torchModule, nnPath] of Object.entries(modules)) {
    const layer = layerAtPath(root, nnPath);
    if (layer instanceof CompositeLayer) throw new Error(`${nnPath} is a block; map PyTorch modules to its leaf layers`);
    const values = layer.weights.map((w) => {
      const kind = w.originalName.split('/').pop() ?? '';
      const torchKind = TORCH_KIND[kind];
      if (!torchKind) throw new Error(`${nnPath}: no PyTorch counterpart for weight kind "${kind}"`);
      const key = `${torchModule}.${torchKind}`;
      const value = stateDict[key];
      if (!value) throw new Error(`${nnPath}/${kind} needs "${key}", which the state_dict lacks`);
      if (value.shape.join() !== w.shape.join()) {
        throw new Error(`${key} has shape [${value.shape}] but ${nnPath}/${kind} needs [${w.shape}] (is it in tfjs layout?)`);
      }
      unused.delete(key);
      return value;
    });
    layer.setWeights(values);
    set += values.length;
  }
  const total = root.weights.length;
  if (unused.size > 0) throw new Error(`state_dict entries not mapped to any layer: ${[...unused].join(', ')}`);
  if (set !== total) throw new Error(`${set} of ${root.name}'s ${total} weights were set; map the remaining layers too`);
}
