// Optimizers by name, with d2l's defaults for the learning rate.
import * as tf from '@tensorflow/tfjs';

export type OptimizerName = 'sgd' | 'momentum' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';

export function createOptimizer(name: OptimizerName, lr?: number): tf.Optimizer {
  switch (name) {
    case 'sgd': return tf.train.sgd(lr ?? 0.1);
    case 'momentum': return tf.train.momentum(lr ?? 0.1, 0.9);
    case 'adam': return tf.train.adam(lr ?? 1e-3);
    case 'rmsprop': return tf.train.rmsprop(lr ?? 1e-3);
    case 'adagrad': return tf.train.adagrad(lr ?? 1e-2);
    case 'adamw':
      throw new Error("tfjs 4.22 has no AdamW: use 'adam' (or pass your own tf.Optimizer)");
    default:
      throw new Error(`Unknown optimizer "${String(name)}": use sgd, momentum, adam, rmsprop or adagrad, or pass a tf.Optimizer`);
  }
}
