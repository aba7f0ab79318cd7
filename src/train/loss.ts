// Cross-entropy for classifiers, whether the model ends in logits (d2l's models end in Dense(10))
// or in a softmax (many Keras examples).
import * as tf from '@tensorflow/tfjs';

/** True unless the last layer applies a softmax. */
export function outputsLogits(model: tf.LayersModel): boolean {
  const last = model.layers[model.layers.length - 1];
  const activation = (last?.getConfig() as { activation?: unknown } | undefined)?.activation;
  return activation !== 'softmax';
}

export function lossAndLogits(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, fromLogits: boolean, training: boolean): { loss: tf.Scalar; logits: tf.Tensor } {
  const out = model.apply(x, { training }) as tf.Tensor;
  const loss = fromLogits
    ? tf.losses.softmaxCrossEntropy(y, out)
    : tf.mean(tf.metrics.categoricalCrossentropy(y, out));
  return { loss: loss as tf.Scalar, logits: out };
}
