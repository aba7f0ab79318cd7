// Compiles every shader variant of our kernels at once, in parallel, before they are needed.
// On SwiftShader one shared-memory GEMM pipeline takes seconds to compile (mostly WebGPU's mandatory zeroing of
// its workgroup tiles, which costs compile time linear in their bytes), and tfjs compiles each pipeline
// synchronously at first use, one after another. tfjs's
// WEBGPU_ENGINE_COMPILE_ONLY mode records no work and creates pipelines with createComputePipelineAsync, so
// running one tiny problem per variant in that mode and awaiting the pipelines lets Dawn compile them
// side by side. Results of the compile-only ops are never read (their buffers are never written).
import * as tf from '@tensorflow/tfjs';
import { kernelMode } from './registry';
import { withCandidate } from './chooser/forced';
import { allocOutput, type Backend } from './kernels/common';
import { copyColumnsInto } from './kernels/copy';
import { groupedConv2d } from './ops/grouped-conv';
import { batchNormTraining } from './ops/batch-norm';

const FLAG = 'WEBGPU_ENGINE_COMPILE_ONLY';

/**
 * Tiny problems whose channel counts reach every program variant the conv kernels choose between (scalar or
 * vec4 bindings, register-blocked column widths: 3, 4, 8 and 16 channels on each side), a reduction long
 * enough to split K, and the column copies with 1…maxSources sources, vec4 and scalar. Chosen by shape, not by
 * naming variants, so a new variant keyed on channel alignment is warmed without touching this list.
 */
function touchEveryVariant(maxSources: number): void {
  const t = (shape: [number, number, number, number]) => tf.zeros(shape) as tf.Tensor4D;
  const bpf = (x: tf.Tensor4D, cout: number) =>
    tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: t([x.shape[0], x.shape[1], x.shape[2], cout]) },
      { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [1, 1, x.shape[3], cout] });
  const channels = [3, 4, 8, 16];
  for (const cin of channels) {
    for (const cout of channels) {
      tf.conv2d(t([1, 3, 3, cin]), t([3, 3, cin, cout]), 1, 'same');
      tf.conv2dTranspose(t([1, 3, 3, cout]), t([3, 3, cin, cout]), [1, 3, 3, cin], 1, 'same');
      bpf(t([1, 3, 3, cin]), cout);
      bpf(t([1, 32, 32, cin]), cout);
    }
  }
  for (const c of [3, 4]) {
    for (let n = 2; n <= maxSources; n++) tf.concat(Array.from({ length: n }, () => t([1, 2, 2, c])), 3);
  }
  // The dense block's in-place gradient accumulation (no tfjs op reaches it), vec4 and scalar.
  const backend = tf.backend() as unknown as Backend;
  for (const c of [3, 4]) {
    const acc = allocOutput(backend, [1, 2, 2, 2 * c]);
    copyColumnsInto(backend, [t([1, 2, 2, c])], [{ srcCols: c, srcOffset: 0, width: c, dstOffset: 0 }], 4, 2 * c, acc, true);
    backend.disposeData(acc.dataId);
  }
  tf.slice(t([1, 2, 2, 8]), [0, 0, 0, 4], [-1, -1, -1, 4]);
  tf.slice(t([1, 2, 2, 3]), [0, 0, 0, 1], [-1, -1, -1, 1]);
  // Per-channel reductions (one pass and two passes, vec4 and scalar) and broadcast binaries (full, periodic
  // and scalar operands, vec4 and scalar) of the BatchNorm statistics and gradients, and FusedBatchNorm itself.
  for (const c of [3, 4]) {
    tf.sum(t([1, 2, 2, c]), [0, 1, 2]);
    tf.sum(t([1, 10, 10, c]), [0, 1, 2]);
  }
  // Over 1000 elements: tfjs computes ops whose inputs are all small CPU-resident tensors on the CPU.
  const full = t([1, 16, 16, 4]);
  const odd = t([1, 19, 19, 3]);
  const one = tf.zeros([1]);
  for (const f of [tf.add, tf.sub, tf.mul, tf.div] as Array<(a: tf.Tensor, b: tf.Tensor) => tf.Tensor>) {
    f(full, full); f(full, one); f(one, full); f(odd, odd);
  }
  for (const x of [full, odd]) { const c = tf.zeros([x.shape[3]]); tf.batchNorm(x, c, c, c, c); }
  // Matrix products (dense layers): one program for plain, transposed and fused bias / ReLU products.
  tf.matMul(t([1, 1, 4, 4]).reshape([4, 4]), t([1, 1, 4, 4]).reshape([4, 4]));
  // ReLU and Step, vec4 and scalar (tf.grads of relu runs both).
  for (const s of [4, 3]) tf.grads((x: tf.Tensor) => tf.relu(x))([t([1, s, s, s])]);
  // 2×2 stride-2 max-pool and its gradient, vec4 and scalar channels.
  for (const c of [3, 4]) tf.grads((x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'))([t([1, 4, 4, c])]);
  // Grouped conv forward and both gradients: vec4 (4 channels per group; 1 or 4 groups per invocation) and scalar.
  for (const [cg, og, groups] of [[4, 4, 2], [4, 4, 4], [2, 3, 2]]) {
    const f = (x: tf.Tensor, k: tf.Tensor) => groupedConv2d(x as tf.Tensor4D, k as tf.Tensor4D, { strides: 1, padding: 'same', groups });
    tf.grads(f)([t([1, 3, 3, groups * cg]), t([3, 3, cg, groups * og])]);
  }
  // Fused training BatchNorm forward and backward (statistics, normalise, gradients), vec4 and scalar.
  for (const c of [3, 4]) {
    const f = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => batchNormTraining(x, g, b).y;
    tf.grads(f)([t([1, 2, 2, c]), tf.zeros([c]), tf.zeros([c])]);
  }
  // Adam's fused update (both moments and the value), vec4 and scalar: a throwaway optimizer and variables.
  const adam = tf.train.adam();
  const vars = [tf.variable(tf.zeros([4])), tf.variable(tf.zeros([3]))];
  adam.applyGradients(vars.map((v) => ({ name: v.name, tensor: tf.zerosLike(v) })));
  adam.dispose();
  for (const v of vars) v.dispose();
}

/**
 * Compiles pipelines in parallel instead of one by one at first use, then returns how many pipelines the
 * backend holds and how long it took. Without an argument: every variant of our kernels (a no-op unless our
 * kernels are registered on an active webgpu backend). With `workload`: whatever pipelines it needs, ours and
 * tfjs's alike (e.g. one training step), by running it in compile-only mode. Nothing runs on the GPU in that
 * mode, so any tensor or variable the workload writes holds garbage afterwards: restore state after it.
 */
export async function warmUp(workload?: () => void): Promise<{ pipelines: number; ms: number }> {
  const t0 = performance.now();
  if (tf.getBackend() !== 'webgpu' || (!workload && kernelMode() === 'stock')) return { pipelines: 0, ms: 0 };
  const backend = tf.backend() as unknown as {
    pipelineCache: Record<string, unknown>;
    checkCompileCompletionAsync(): Promise<void>;
    device: GPUDevice;
  };
  const env = tf.env();
  const before = env.getBool(FLAG);
  env.set(FLAG, true);
  try {
    // In 'auto' mode a workload's calls queue their shape classes for timing (the pipelines of classes already
    // chosen 'stock' compile too); the variant sweep's toy shapes are forced onto ours and queue nothing.
    if (workload) tf.tidy(workload);
    else withCandidate('ours', () => tf.tidy(() => touchEveryVariant(Math.max(2, backend.device.limits.maxStorageBuffersPerShaderStage - 1))));
  } finally {
    env.set(FLAG, before);
  }
  await backend.checkCompileCompletionAsync();
  return { pipelines: Object.keys(backend.pipelineCache).length, ms: Math.round(performance.now() - t0) };
}
