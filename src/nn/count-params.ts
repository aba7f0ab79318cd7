// Parameter counts as PyTorch reports them: trainable = parameters; non-trainable = BN running
// statistics (buffers in PyTorch, not counted by sum(p.numel() for p in model.parameters())).
import * as tf from '@tensorflow/tfjs';

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

/**
 * Counts a model's parameters. Given the model, it reads its weights. Given a function that builds one
 * (`nn.countParams(() => nn.resnet152())`), it builds it without creating any weight (see dryBuild): the count
 * of ResNeXt-101 without 355 MB of random numbers.
 */
export function countParams(model: tf.LayersModel | tf.layers.Layer | (() => tf.LayersModel | tf.layers.Layer)): ParamCount {
  if (typeof model === 'function') return dryBuild(model, (built) => countLayerParams(built as tf.layers.Layer));
  return countLayerParams(model as tf.layers.Layer);
}

/** What a weight is while nothing may be allocated: its name and shape, and an error if anything reads it. */
class ShapeOnlyWeight {
  constructor(readonly name: string, readonly shape: number[], readonly dtype: tf.DataType, readonly trainable: boolean) {}
  get originalName(): string {
    return this.name;
  }
  read(): never {
    throw new Error(`${this.name} has no value: this model was built only to count its parameters`);
  }
}

interface WeightAdding {
  addWeight(name: string, shape: number[], dtype?: tf.DataType, initializer?: unknown, regularizer?: unknown, trainable?: boolean): unknown;
  _addedWeightNames: string[];
  _trainableWeights: unknown[];
  _nonTrainableWeights: unknown[];
}

/**
 * Runs `build` with tfjs-layers' Layer.addWeight recording shapes instead of creating variables, then hands the
 * model to `read`. Layers build on symbolic inputs, which only compute shapes, so nothing else allocates. The
 * model is unusable afterwards (its weights have no values) and never leaves this function.
 */
export function dryBuild<T>(build: () => tf.LayersModel | tf.layers.Layer, read: (model: tf.LayersModel | tf.layers.Layer) => T): T {
  const proto = tf.layers.Layer.prototype as unknown as WeightAdding;
  const addWeight = proto.addWeight;
  proto.addWeight = function (this: WeightAdding, name, shape, dtype = 'float32', _initializer, _regularizer, trainable = true) {
    // As tfjs-layers does: duplicate names are an error, trainable or not decides the list.
    if (this._addedWeightNames.includes(name)) throw new Error(`Duplicate weight name ${name}`);
    this._addedWeightNames.push(name);
    const weight = new ShapeOnlyWeight(name, shape, dtype, trainable);
    (trainable ? this._trainableWeights : this._nonTrainableWeights).push(weight);
    return weight;
  };
  const before = tf.memory().numTensors;
  try {
    const model = build();
    const leaked = tf.memory().numTensors - before;
    if (leaked !== 0) throw new Error(`building the model allocated ${leaked} tensors outside its weights`);
    return read(model);
  } finally {
    proto.addWeight = addWeight;
  }
}
