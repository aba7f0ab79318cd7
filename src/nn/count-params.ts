// Parameter counts as PyTorch reports them: trainable = parameters; non-trainable = BN running
// statistics (buffers in PyTorch, not counted by sum(p.numel() for p in model.parameters())).
import type * as tf from '@tensorflow/tfjs';

export interface ParamCount {
  trainable: number;
  nonTrainable: number;
}

export function sizeOf(shape: ReadonlyArray<number | null>): number {
  return shape.reduce<number>((a, b) => a * (b ?? 1), 1);
}

export function countLayerParams(layer: tf.layers.Layer): ParamCount {
  return {
    trainable: layer.trainableWeights.reduce((s, w) => s + sizeOf(w.shape), 0),
    nonTrainable: layer.nonTrainableWeights.reduce((s, w) => s + sizeOf(w.shape), 0),
  };
}

export function countParams(model: tf.LayersModel | tf.layers.Layer): ParamCount {
  return countLayerParams(model as tf.layers.Layer);
}
