// Compiles every shader variant of our kernels at once, in parallel, before they are needed.
// On SwiftShader one shared-memory GEMM pipeline takes seconds to compile (mostly WebGPU's mandatory zeroing of
// its workgroup tiles, which costs compile time linear in their bytes), and tfjs compiles each pipeline
// synchronously at first use, one after another. tfjs's
// WEBGPU_ENGINE_COMPILE_ONLY mode records no work and creates pipelines with createComputePipelineAsync, so
// running one tiny problem per variant in that mode and awaiting the pipelines lets Dawn compile them
// side by side. Results of the compile-only ops are never read (their buffers are never written).
import * as tf from '@tensorflow/tfjs';
import { kernelMode } from './registry';

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
  tf.slice(t([1, 2, 2, 8]), [0, 0, 0, 4], [-1, -1, -1, 4]);
  tf.slice(t([1, 2, 2, 3]), [0, 0, 0, 1], [-1, -1, -1, 1]);
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
  if (tf.getBackend() !== 'webgpu' || (!workload && kernelMode() !== 'convlab')) return { pipelines: 0, ms: 0 };
  const backend = tf.backend() as unknown as {
    pipelineCache: Record<string, unknown>;
    checkCompileCompletionAsync(): Promise<void>;
    device: GPUDevice;
  };
  const env = tf.env();
  const before = env.getBool(FLAG);
  env.set(FLAG, true);
  try {
    tf.tidy(() => (workload ?? (() => touchEveryVariant(Math.max(2, backend.device.limits.maxStorageBuffersPerShaderStage - 1))))());
  } finally {
    env.set(FLAG, before);
  }
  await backend.checkCompileCompletionAsync();
  return { pipelines: Object.keys(backend.pipelineCache).length, ms: Math.round(performance.now() - t0) };
}
