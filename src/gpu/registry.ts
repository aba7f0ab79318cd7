// Swaps tfjs's webgpu kernels for ours at runtime. The stock kernelFuncs are kept (getKernel before
// replacing) so use('stock') restores them and every unsupported shape falls back to them.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { Backend } from './kernels/common';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput, fusedConv2d, type Outcome } from './kernels/conv';
import { concat, slice, splitV } from './kernels/copy';
import { countCall, countFallback, countStockCall } from './stats';
import { mean, sum } from './kernels/reduce';
import { binary, fusedBatchNorm } from './kernels/binary';

export type KernelMode = 'convlab' | 'stock';

type Ours = (inputs: NamedTensorInfoMap | TensorInfo[], backend: Backend, attrs: Record<string, unknown>) => Outcome | { outs: TensorInfo[] } | { fallback: string };

/* eslint-disable @typescript-eslint/no-explicit-any */
const OURS: Record<string, Ours> = {
  Concat: (i, b, a) => concat(Object.values(i as object) as TensorInfo[], b, a as any),
  Conv2D: (i, b, a) => conv2d(i as any, b, a),
  FusedConv2D: (i, b, a) => fusedConv2d(i as any, b, a),
  Conv2DBackpropInput: (i, b, a) => conv2dBackpropInput(i as any, b, a),
  Conv2DBackpropFilter: (i, b, a) => conv2dBackpropFilter(i as any, b, a),
  SplitV: (i, b, a) => splitV(i as any, b, a as any),
  Slice: (i, b, a) => slice(i as any, b, a as any),
  // BatchNorm statistics and gradients: per-channel reductions and per-channel broadcasts.
  Sum: (i, b, a) => sum(i as any, b, a as any),
  Mean: (i, b, a) => mean(i as any, b, a as any),
  Multiply: (i, b) => binary('Multiply', i as any, b),
  Sub: (i, b) => binary('Sub', i as any, b),
  Add: (i, b) => binary('Add', i as any, b),
  RealDiv: (i, b) => binary('RealDiv', i as any, b),
  FusedBatchNorm: (i, b, a) => fusedBatchNorm(i as any, b, a as any),
};

export const KERNEL_NAMES = Object.keys(OURS);

const stock = new Map<string, KernelConfig>();
let current: KernelMode = 'stock';

function saveStock(): void {
  for (const name of KERNEL_NAMES) {
    if (stock.has(name)) continue;
    const k = tf.getKernel(name, 'webgpu');
    if (!k) throw new Error(`tfjs webgpu has no ${name} kernel to replace (is @tensorflow/tfjs-backend-webgpu imported?)`);
    stock.set(name, k);
  }
}

function ourConfig(name: string): KernelConfig {
  const fallbackFunc = stock.get(name)!.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const r = OURS[name](args.inputs, args.backend as Backend, args.attrs as Record<string, unknown>);
    if ('fallback' in r) {
      countFallback(name, r.fallback);
      return fallbackFunc(args);
    }
    countCall(name);
    return 'outs' in r ? r.outs : r.out;
  };
  return { kernelName: name, backendName: 'webgpu', kernelFunc };
}

/** The saved stock kernel, counted, so kernels.stats() in stock mode shows what ran instead of ours. */
function stockConfig(name: string): KernelConfig {
  const saved = stock.get(name)!;
  const kernelFunc: KernelFunc = (args) => {
    countStockCall(name);
    return saved.kernelFunc(args);
  };
  return { ...saved, kernelFunc };
}

/** Registers our kernels ('convlab') or the saved stock ones ('stock', behind a counter) under the stock names. */
export function useKernels(mode: KernelMode): void {
  saveStock();
  for (const name of KERNEL_NAMES) {
    tf.unregisterKernel(name, 'webgpu');
    tf.registerKernel(mode === 'convlab' ? ourConfig(name) : stockConfig(name));
  }
  current = mode;
}

export function kernelMode(): KernelMode { return current; }

/** True when tensors live on webgpu and our kernels are registered: our kernels and ops apply. */
export function onOurWebGPU(): boolean {
  return tf.getBackend() === 'webgpu' && current === 'convlab';
}
