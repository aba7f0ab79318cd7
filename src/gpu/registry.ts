// Swaps tfjs's webgpu kernels for ours at runtime. The stock kernelFuncs are kept (getKernel before
// replacing) so use('stock') restores them and every unsupported shape falls back to them.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { Backend } from './kernels/common';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput, fusedConv2d, type Outcome } from './kernels/conv';
import { concat, slice, splitV } from './kernels/copy';
import { countCall, countFallback, countOursAs, countStockCall } from './stats';
import { autoKernelFunc, type OursOnce } from './chooser/auto-kernel';
import { mean, sum } from './kernels/reduce';
import { binary, fusedBatchNorm } from './kernels/binary';
import { storedAsFloat32 } from './kernels/common';
import { maxPool, maxPoolGrad } from './kernels/max-pool';
import { batchMatMul, fusedMatMul } from './kernels/matmul';
import { unary } from './kernels/unary';

/** 'auto': per shape class, whichever of ours and stock timed faster on this adapter (src/gpu/chooser). */
export type KernelMode = 'convlab' | 'stock' | 'auto';

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
  // 2×2 stride-2 max-pooling and its gradient (tf.layers.maxPooling2d's default); other pools go to stock.
  MaxPool: (i, b, a) => maxPool(i as any, b, a),
  MaxPoolGrad: (i, b, a) => maxPoolGrad(i as any, b, a),
  // Dense layers' products and their gradients (thin × long shapes), with bias / ReLU when fused.
  BatchMatMul: (i, b, a) => batchMatMul(i as any, b, a),
  _FusedMatMul: (i, b, a) => fusedMatMul(i as any, b, a),
  // ReLU and its gradient's Step (tf.layers' activation: 'relu' while training is Conv2D → Add → Relu).
  Relu: (i, b, a) => unary('Relu', i as any, b, a),
  Step: (i, b, a) => unary('Step', i as any, b, a),
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

/**
 * Every input is float32 in its label and in its storage. tfjs's webgpu Cast from int32 to float32 can relabel a
 * tensor without converting its buffer, and a program bound to such a buffer is generated with an i32 binding that
 * our float code does not compile against (the shader fails and the device's later work is lost), so such calls go
 * to stock, whatever the kernel.
 */
function inputsStoredAsFloat32(inputs: NamedTensorInfoMap | TensorInfo[], backend: Backend): boolean {
  return Object.values(inputs as object).every((t: TensorInfo | undefined) => t === undefined || storedAsFloat32(backend, t));
}

/** Our kernel for one call: its outputs, or why it hands the call to stock. */
function runOurs(name: string, args: Parameters<KernelFunc>[0]): ReturnType<Ours> {
  const backend = args.backend as Backend;
  if (!inputsStoredAsFloat32(args.inputs, backend)) return { fallback: 'dtype (an input is not stored as float32)' };
  return OURS[name](args.inputs, backend, args.attrs as Record<string, unknown>);
}

function ourConfig(name: string): KernelConfig {
  const fallbackFunc = stock.get(name)!.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const r = runOurs(name, args);
    if ('fallback' in r) {
      countFallback(name, r.fallback);
      return fallbackFunc(args);
    }
    countCall(name);
    return 'outs' in r ? r.outs : r.out;
  };
  return { kernelName: name, backendName: 'webgpu', kernelFunc };
}

/** Ours for one call, uncounted (the chooser counts): its outputs, or why it hands the call to stock. */
function oursOnce(name: string): OursOnce {
  return (args) => {
    const r = runOurs(name, args);
    return 'fallback' in r ? r : { out: 'outs' in r ? r.outs : r.out };
  };
}

function autoConfig(name: string): KernelConfig {
  return { kernelName: name, backendName: 'webgpu', kernelFunc: autoKernelFunc(name, oursOnce(name), stock.get(name)!.kernelFunc) };
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

/**
 * Registers our kernels ('convlab'), the saved stock ones ('stock', behind a counter) or the chooser's ('auto')
 * under the stock names.
 */
export function useKernels(mode: KernelMode): void {
  saveStock();
  for (const name of KERNEL_NAMES) {
    tf.unregisterKernel(name, 'webgpu');
    tf.registerKernel(mode === 'convlab' ? ourConfig(name) : mode === 'auto' ? autoConfig(name) : stockConfig(name));
  }
  countOursAs(mode === 'auto' ? 'auto' : 'convlab');
  current = mode;
}

export function kernelMode(): KernelMode { return current; }

/** True when tensors live on webgpu and our kernels are registered (alone or under the chooser): our ops apply. */
export function onOurWebGPU(): boolean {
  return tf.getBackend() === 'webgpu' && current !== 'stock';
}
