// The kernel layer as cells see it (`kernels`): our WGSL kernels for concat and convolution registered under
// tfjs's stock webgpu kernel names, a runtime switch back to stock, call/fallback counters, and the
// memory-efficient dense-block op. Nothing here touches the UI or the notebook kernel.
import { kernelMode, KERNEL_NAMES, useKernels, type KernelMode } from './registry';
import { resetStats, statsSnapshot, type KernelStatsView } from './stats';

export { denseBlock, denseOffsets, type DenseLayer } from './dense-block';
export { setPoisonOutputs } from './kernels/common';
export type { KernelMode } from './registry';

/** Registers our kernels ('convlab') or restores tfjs's ('stock') for the webgpu backend. */
export function use(mode: KernelMode): void {
  if (mode !== 'convlab' && mode !== 'stock') throw new Error(`kernels.use: expected 'convlab' or 'stock', got ${String(mode)}`);
  useKernels(mode);
}

/** Which kernels are registered now. */
export function mode(): KernelMode { return kernelMode(); }

/** The default for the webgpu backend: our kernels (conformance-tested against the CPU backend). */
export function install(): void { useKernels('convlab'); }

/** Calls and fallbacks per kernel since the last reset; shows as a table in a notebook. */
export function stats(): KernelStatsView { return statsSnapshot(kernelMode()); }

export { resetStats };

/** The tfjs kernel names we replace. */
export const kernelNames: readonly string[] = KERNEL_NAMES;
