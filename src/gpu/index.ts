// The kernel layer as cells see it (`kernels`): our WGSL kernels registered under tfjs's stock webgpu kernel
// names (convolution forward and both gradients, concat and its slices, and the per-channel reductions and
// broadcasts of BatchNorm's statistics and gradients, 2×2 max-pooling and its gradient, the dense layers' matrix
// products, ReLU and its Step), a runtime switch back to stock, call/fallback counters,
// and two ops tfjs has no kernel for: the memory-efficient dense block and the grouped convolution, which nn
// uses while our kernels are on. Nothing here touches the UI or the notebook kernel.
import * as tf from '@tensorflow/tfjs';
import { KERNEL_NAMES, kernelMode, onOurWebGPU, useKernels, type KernelMode } from './registry';
import { resetStats as resetCounts, statsSnapshot, type ChooserStats, type KernelStatsView } from './stats';
import { chooser, chooserView, perOpChoices, setChoosing } from './chooser';
import { connectNn } from './nn-hooks';
import { connectTrainSteps, memoryLine } from './memory';

export { denseBlock, denseOffsets, type DenseLayer } from './ops/dense-block';
export { groupedConv2d, type GroupedOptions } from './ops/grouped-conv';
export { batchNormTraining, type BatchNormTrainingOptions, type BatchNormTrainingResult } from './ops/batch-norm';
export { setPoisonOutputs } from './kernels/common';
export { warmUp } from './warmup';
export type { KernelMode } from './registry';
export { calibrate, forgetChoices, type ChooserView, type PassResult, type CalibrationBudget } from './chooser';
export { memory, trimPool, setAutoTrim, beginStep, endStep, type MemoryView, type TrimResult } from './memory';

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
 * dense blocks at our dense-block path or back at plain concatenation. 'auto' registers, per kernel, a chooser
 * that runs whichever of ours and stock timed faster for the call's shape class on this adapter. Without a
 * started webgpu backend (WebGL or CPU fallback) 'stock' is what already runs, and 'convlab' or 'auto' is an
 * error that says why.
 */
export function use(mode: KernelMode): void {
  if (mode !== 'convlab' && mode !== 'stock' && mode !== 'auto') {
    throw new Error(`kernels.use: expected 'convlab' or 'stock' (or 'auto': per shape class, whichever times faster here), got ${String(mode)}`);
  }
  if (mode !== 'stock' && !(webgpuLoaded() && webgpuStarted())) {
    throw new Error(`ConvLab's kernels run on the WebGPU backend, which is not available here (this kernel runs on ${tf.getBackend()}); TensorFlow.js's own kernels stay in use.`);
  }
  if (webgpuLoaded()) useKernels(mode);
  // 'auto' (src/gpu/chooser): our ops (dense block, grouped conv) stay on; each replaced kernel runs the faster of
  // ours and stock for its shape class, as timed on this adapter and remembered in IndexedDB.
  setChoosing(mode === 'auto');
  connectNn(mode !== 'stock');
  // Pool trimming between train steps applies in every mode: the pool is tfjs's, whichever kernels fill it.
  connectTrainSteps();
}

/**
 * Which kernels convolutions and concatenations run on now: 'convlab' when ours are registered and the
 * active backend is webgpu, otherwise 'stock' (tfjs's own, on whatever backend runs).
 */
export function mode(): KernelMode {
  return onOurWebGPU() ? kernelMode() : 'stock';
}

/** The default once the webgpu backend is up: our kernels (conformance-tested against the CPU backend). */
export function install(mode: KernelMode = 'convlab'): void { use(mode); }

/**
 * Calls per kernel since the last reset, for one mode (the current one by default): in 'convlab' the calls our
 * WGSL handled and the shapes it handed to the stock kernel, in 'stock' the calls of tfjs's own kernels. Shows as
 * a table in a notebook, captioned with the mode and backend.
 */
export function stats(which: KernelMode = mode()): KernelStatsView {
  if (which !== 'convlab' && which !== 'stock' && which !== 'auto') throw new Error(`kernels.stats: expected 'convlab' or 'stock' (or 'auto'), got ${String(which)}`);
  return statsSnapshot(which, tf.getBackend(), memoryLine(), which === 'auto' ? chooserStats() : undefined);
}

/** Auto mode's extra columns and caption: per kernel how its shape classes were chosen, and the chooser's state. */
function chooserStats(): ChooserStats {
  const view = chooserView();
  const caption = `Chooser: ${view.timed} shape classes timed this session, ${view.loaded} choices loaded from this browser, ` +
    `${view.pending} waiting (they run ConvLab's kernel meanwhile)${view.skipped ? `, ${view.skipped} not timed within budget` : ''}` +
    `${view.storeError ? `; ${view.storeError}` : ''}. kernels.stats('auto').chooser lists every class.`;
  return { perOp: perOpChoices(), view, caption };
}

/** Clears every mode's counters (and the chooser's per-class call counts; its choices stay). */
export function resetStats(): void {
  resetCounts();
  chooser.table.resetCalls();
}

/** The tfjs kernel names we replace. */
export const kernelNames: readonly string[] = KERNEL_NAMES;
