// The kernel layer as cells see it (`kernels`): our WGSL kernels registered under tfjs's stock webgpu kernel
// names (convolution forward and both gradients, concat and its slices, and the per-channel reductions and
// broadcasts of BatchNorm's statistics and gradients), a runtime switch back to stock, call/fallback counters,
// and two ops tfjs has no kernel for: the memory-efficient dense block and the grouped convolution, which nn
// uses while our kernels are on. Nothing here touches the UI or the notebook kernel.
import * as tf from '@tensorflow/tfjs';
import { KERNEL_NAMES, onOurWebGPU, useKernels, type KernelMode } from './registry';
import { resetStats, statsSnapshot, type KernelStatsView } from './stats';
import { connectNn } from './nn-hooks';

export { denseBlock, denseOffsets, type DenseLayer } from './ops/dense-block';
export { groupedConv2d, type GroupedOptions } from './ops/grouped-conv';
export { setPoisonOutputs } from './kernels/common';
export { warmUp } from './warmup';
export type { KernelMode } from './registry';

/** Whether @tensorflow/tfjs-backend-webgpu is loaded (it registers the kernels we replace). */
function webgpuLoaded(): boolean {
  return tf.getKernel('Conv2D', 'webgpu') !== undefined;
}

/**
 * Whether a webgpu backend started (it may not be the active one). Read from the engine's registry because
 * tf.findBackend would start initialising a backend that failed before (a second adapter request).
 */
function webgpuStarted(): boolean {
  return (tf.engine() as unknown as { registry: Record<string, unknown> }).registry['webgpu'] != null;
}

/**
 * Registers our kernels ('convlab') or restores tfjs's ('stock') for the webgpu backend, and points nn's
 * dense blocks at our dense-block path or back at plain concatenation. Without a started webgpu backend
 * (WebGL or CPU fallback) 'stock' is what already runs, and 'convlab' is an error that says why.
 */
export function use(mode: KernelMode): void {
  if (mode !== 'convlab' && mode !== 'stock') throw new Error(`kernels.use: expected 'convlab' or 'stock', got ${String(mode)}`);
  if (mode === 'convlab' && !(webgpuLoaded() && webgpuStarted())) {
    throw new Error(`ConvLab's kernels run on the WebGPU backend, which is not available here (this kernel runs on ${tf.getBackend()}); TensorFlow.js's own kernels stay in use.`);
  }
  if (webgpuLoaded()) useKernels(mode);
  connectNn(mode === 'convlab');
}

/**
 * Which kernels convolutions and concatenations run on now: 'convlab' when ours are registered and the
 * active backend is webgpu, otherwise 'stock' (tfjs's own, on whatever backend runs).
 */
export function mode(): KernelMode {
  return onOurWebGPU() ? 'convlab' : 'stock';
}

/** The default once the webgpu backend is up: our kernels (conformance-tested against the CPU backend). */
export function install(): void { use('convlab'); }

/**
 * Calls per kernel since the last reset, for one mode (the current one by default): in 'convlab' the calls our
 * WGSL handled and the shapes it handed to the stock kernel, in 'stock' the calls of tfjs's own kernels. Shows as
 * a table in a notebook, captioned with the mode and backend.
 */
export function stats(which: KernelMode = mode()): KernelStatsView {
  if (which !== 'convlab' && which !== 'stock') throw new Error(`kernels.stats: expected 'convlab' or 'stock', got ${String(which)}`);
  return statsSnapshot(which, tf.getBackend());
}

export { resetStats };

/** The tfjs kernel names we replace. */
export const kernelNames: readonly string[] = KERNEL_NAMES;
