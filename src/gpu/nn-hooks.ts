// Points nn's dense-block hook at our memory-efficient dense block while our kernels are on. nn stays free
// of the kernel layer (and of the webgpu backend, so its unit tests run on the CPU backend in Node); the
// kernel layer, which sits below the notebook, is what knows when its path applies.
import { setDenseBlockImpl, type DenseBlockImpl } from '../nn/ops/dense-block';
import { denseBlock } from './ops/dense-block';
import { onOurWebGPU } from './registry';
import { setGroupedConv2dImpl, type GroupedConv2dImpl } from '../nn/ops/grouped-conv2d';
import { groupedApplies, groupedConv2d } from './ops/grouped-conv';
import { connectBatchNormLayer } from './ops/batch-norm-layer';
import { connectAdamOptimizer } from './ops/adam-optimizer';
import { setBatchNormTrainingImpl, type BatchNormTrainingImpl } from '../nn/ops/batch-norm-training';
import { batchNormTraining, batchNormTrainingUnsupported } from './ops/batch-norm';

// Declines (null → plain concatenation) whenever tensors are not on webgpu with our kernels registered,
// e.g. after a cell switched tf to the CPU backend.
const viaKernelLayer: DenseBlockImpl = (x0, layers) => (onOurWebGPU() ? denseBlock(x0, layers) : null);

// Grouped convs (ResNeXt) run as one op with our programs; declined (null → split→conv→concat) likewise, and
// for groups = 1, which nn runs as a plain tf.conv2d: our dense conv kernels are faster for it.
const groupedViaKernelLayer: GroupedConv2dImpl = (x, kernel, opts) => (opts.groups > 1 && groupedApplies(x, kernel) ? groupedConv2d(x, kernel, opts) : null);

// nn's dense-block layers (BN → ReLU → conv from explicit params) take BN + ReLU as one fused op; declined
// (null → tf.moments + tf.batchNorm + tf.relu) whenever our passes cannot take the call.
const batchNormViaKernelLayer: BatchNormTrainingImpl = (x, gamma, beta, epsilon, relu) => {
  if (batchNormTrainingUnsupported(x, gamma, beta)) return null;
  const { y, mean, variance } = batchNormTraining(x, gamma, beta, { epsilon, relu });
  return { y: y as typeof x, mean, variance };
};

export function connectNn(on: boolean): void {
  setBatchNormTrainingImpl(on ? batchNormViaKernelLayer : null);
  setGroupedConv2dImpl(on ? groupedViaKernelLayer : null);
  setDenseBlockImpl(on ? viaKernelLayer : null);
  // tf.layers' BatchNormalization in training → the fused op (ops/batch-norm-layer.ts says why a class patch).
  connectBatchNormLayer(on);
  // tf.train.adam's update → three passes per variable (ops/adam-optimizer.ts, a class patch for the same reason).
  connectAdamOptimizer(on);
}
