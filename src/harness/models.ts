// d2l-style DenseNet and ResNet-18 for 28×28×1 inputs, built with tf.layers and seeded initialisers so that
// two runs (our kernels / stock) start from identical weights.
import * as tf from '@tensorflow/tfjs';

let seedCounter = 0;
function init(seed: number) { return tf.initializers.glorotUniform({ seed: seed + seedCounter++ }); }

function bnRelu(x: tf.SymbolicTensor): tf.SymbolicTensor {
  return tf.layers.activation({ activation: 'relu' }).apply(tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor) as tf.SymbolicTensor;
}

function conv(x: tf.SymbolicTensor, filters: number, size: number, stride: number, seed: number): tf.SymbolicTensor {
  return tf.layers.conv2d({ filters, kernelSize: size, strides: stride, padding: 'same', kernelInitializer: init(seed) }).apply(x) as tf.SymbolicTensor;
}

export function buildDenseNet(o: { blocks: number; layersPerBlock: number; growth: number; stem: number; seed: number }): tf.LayersModel {
  seedCounter = 0;
  const input = tf.input({ shape: [28, 28, 1] });
  let x = bnRelu(conv(input, o.stem, 3, 1, o.seed));
  let channels = o.stem;
  for (let b = 0; b < o.blocks; b++) {
    for (let l = 0; l < o.layersPerBlock; l++) {
      const y = conv(bnRelu(x), o.growth, 3, 1, o.seed);
      x = tf.layers.concatenate({ axis: -1 }).apply([x, y]) as tf.SymbolicTensor;
      channels += o.growth;
    }
    if (b < o.blocks - 1) {
      channels = Math.floor(channels / 2);
      x = conv(bnRelu(x), channels, 1, 1, o.seed);
      x = tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }).apply(x) as tf.SymbolicTensor;
    }
  }
  x = tf.layers.globalAveragePooling2d({}).apply(bnRelu(x)) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10, kernelInitializer: init(o.seed) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** d2l's DenseNet adapted to 28 px (3×3 stem, no max-pool): 4 blocks × 4 layers, growth 32, stem 64. */
export function d2lDenseNet(seed = 1): tf.LayersModel {
  return buildDenseNet({ blocks: 4, layersPerBlock: 4, growth: 32, stem: 64, seed });
}

/** d2l's ResNet-18 adapted to 28 px (3×3 stem, no max-pool). */
export function d2lResNet18(seed = 1): tf.LayersModel {
  seedCounter = 0;
  const input = tf.input({ shape: [28, 28, 1] });
  let x = bnRelu(conv(input, 64, 3, 1, seed));
  let channels = 64;
  for (const [i, c] of [64, 128, 256, 512].entries()) {
    for (let r = 0; r < 2; r++) {
      const stride = i > 0 && r === 0 ? 2 : 1;
      let y = bnRelu(conv(x, c, 3, stride, seed));
      y = tf.layers.batchNormalization().apply(conv(y, c, 3, 1, seed)) as tf.SymbolicTensor;
      const shortcut = stride !== 1 || channels !== c ? conv(x, c, 1, stride, seed) : x;
      x = tf.layers.activation({ activation: 'relu' }).apply(tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor) as tf.SymbolicTensor;
      channels = c;
    }
  }
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10, kernelInitializer: init(seed) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/**
 * The Fashion-MNIST lesson's CNN (src/lessons/fashion-mnist.ipynb): conv 3×3 1→16 'same' ReLU, max-pool 2,
 * conv 3×3 16→32 'same' ReLU, max-pool 2, flatten, dense 10 logits. Seeded so ours and stock start alike.
 */
export function fashionCnn(seed = 1): tf.LayersModel {
  seedCounter = 0;
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(seed) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(seed) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, kernelInitializer: init(seed) }),
    ],
  });
}
