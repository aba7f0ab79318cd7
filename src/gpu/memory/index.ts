// The WebGPU buffer pool, shrunk between training steps. tfjs-backend-webgpu 4.22 pools every freed buffer
// under its exact size and never frees one, so after a step the page holds a buffer for every distinct size
// the step ever freed. At each step boundary (train.fit's, through train's step hooks, or beginStep/endStep
// around a custom loop) this module measures the step's peak of bytes held by tensors and destroys pooled
// buffers until the pool is within `ratio` (1.2) × that peak.
//
// Why trimming between steps and not size classes: tfjs's readback (backend.read → getBufferData) copies and
// returns `buffer.size` bytes, so a tensor in a rounded-up buffer would read back with extra elements; size
// classes need a patched read path (and readToGPU, which hands out a buffer of the rounded size). Trimming changes
// no buffer a tensor owns, only buffers no tensor owns, after flushing recorded commands (buffer-pool.ts).
// What it does not change: inside a step the pool still grows as tfjs's does; the step after a trim
// re-creates the buffers it needs (its cost: docs/BENCHMARKS.md).
import * as tf from '@tensorflow/tfjs';
import { setStepHooks } from '../../train/step-hooks';
import { flushRecorded, managerOf, poolOf, type BackendLike, type BufferManagerLike } from './buffer-pool';
import { watchOf, type StepMemory } from './step-watch';
import { trimToPeak, type TrimResult } from './trim';

export type { TrimResult } from './trim';

/** Pool ÷ step peak that trimming keeps to (the target). */
export const DEFAULT_POOL_RATIO = 1.2;

let autoTrim = true;
let ratio = DEFAULT_POOL_RATIO;

interface LastStep { manager: BufferManagerLike; step: StepMemory; poolBytes: number; trim: TrimResult | null; skipped?: string }
let last: LastStep | null = null;

function activeManager(): { backend: BackendLike; manager: BufferManagerLike } | null {
  // tf.backend() throws while no backend is set (between tfjs-core's specs, or before tf.ready()): nothing to measure.
  if (!tf.getBackend()) return null;
  const backend = tf.backend() as unknown as BackendLike;
  const manager = managerOf(backend);
  return manager ? { backend, manager } : null;
}

function trim(backend: BackendLike, manager: BufferManagerLike, peakBytes: number, requests: ReadonlyMap<string, number>, r: number): TrimResult | string {
  if (backend.disposed) return 'the WebGPU backend is disposed';
  flushRecorded(backend);
  const pool = poolOf(manager);
  return typeof pool === 'string' ? pool : trimToPeak(pool, peakBytes, r, requests);
}

/** Starts measuring a training step on the active WebGPU backend (a no-op on other backends). */
export function beginStep(): void {
  const a = activeManager();
  if (a) watchOf(a.manager).begin();
}

/**
 * Ends the step begun by beginStep: records its peaks and, with auto-trim on, trims the pool to
 * ratio × the step's peak. Call it after the step's own tensors are disposed.
 */
export function endStep(): void {
  const a = activeManager();
  if (!a) return;
  const step = watchOf(a.manager).end();
  if (!step) return;
  const done = autoTrim ? trim(a.backend, a.manager, step.peakBytes, step.requests, ratio) : null;
  const poolBytes = a.manager.numBytesAllocated;
  last = typeof done === 'string' ? { manager: a.manager, step, poolBytes, trim: null, skipped: done } : { manager: a.manager, step, poolBytes, trim: done };
}

/**
 * Gives pooled GPU buffers back to the device now, keeping the pool within `ratio` × the last training step's
 * peak of bytes held by tensors (× the bytes tensors hold now when no step was measured). Never touches a
 * buffer a tensor owns. Returns what it destroyed and the pool afterwards; throws off WebGPU.
 */
export function trimPool(options: { ratio?: number } = {}): TrimResult {
  const a = activeManager();
  if (!a) throw new Error(`kernels.trimPool: the buffer pool it trims is the WebGPU backend's, and this kernel runs on ${tf.getBackend()}`);
  const step = last?.manager === a.manager ? last.step : null;
  const done = trim(a.backend, a.manager, step?.peakBytes ?? a.manager.numBytesUsed, step?.requests ?? new Map(), options.ratio ?? ratio);
  if (typeof done === 'string') throw new Error(`kernels.trimPool: ${done}`);
  return done;
}

/** Turns trimming at the end of every training step on or off, and sets its ratio (default 1.2). */
export function setAutoTrim(on: boolean, options: { ratio?: number } = {}): void {
  const r = options.ratio ?? ratio;
  if (!(r >= 1)) throw new Error(`kernels.setAutoTrim: ratio must be a number ≥ 1, got ${String(r)}`);
  autoTrim = on;
  ratio = r;
}

/** Points train's step hooks at this module (the GPU layer does so when it is installed). */
export function connectTrainSteps(): void {
  setStepHooks({ started: beginStep, ended: endStep });
}

export interface MemoryView {
  backend: string;
  /** Whether the active backend has tfjs's WebGPU buffer pool (the numbers below are 0 when not). */
  webgpu: boolean;
  /** Bytes in GPU buffers held by tensors now (numBytesInGPU). */
  liveBytes: number;
  /** tfjs's buffer pool now, free buffers included (numBytesAllocatedInGPU). */
  poolBytes: number;
  autoTrim: boolean;
  ratio: number;
  /** The last measured training step on this backend, or null. */
  lastStep: {
    /** High-water of bytes held by tensors during the step. */
    peakBytes: number;
    /** High-water of the pool during the step (trimming does not lower it). */
    peakPoolBytes: number;
    /** The pool right after the step (after trimming, when on) and its ratio to peakBytes. */
    poolBytes: number;
    poolToPeak: number;
    trimmedBytes: number;
    trimmedBuffers: number;
    /** Why the step was not trimmed although auto-trim is on. */
    skipped?: string;
  } | null;
  toMimeBundle(): Record<string, unknown>;
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(2)} MiB`;

/** One line on the WebGPU memory, for kernels.stats() and kernels.memory(); null off WebGPU. */
export function memoryLine(view: MemoryView = memory()): string | null {
  if (!view.webgpu) return null;
  const s = view.lastStep;
  if (!s) return `Memory: tensors hold ${mib(view.liveBytes)}, the buffer pool ${mib(view.poolBytes)} (no training step measured yet).`;
  const trimmed = s.skipped ? `not trimmed: ${s.skipped}` : view.autoTrim ? `after trimming ${mib(s.trimmedBytes)}` : 'auto-trim off';
  return `Memory, last training step: tensors peaked at ${mib(s.peakBytes)}; the buffer pool holds ${mib(s.poolBytes)} after it ` +
    `(${s.poolToPeak.toFixed(2)}× the peak, ${trimmed}; ${mib(s.peakPoolBytes)} during the step).`;
}

/** The WebGPU memory now and after the last training step (kernels.memory()). */
export function memory(): MemoryView {
  const a = activeManager();
  const step = a && last?.manager === a.manager ? last : null;
  const view: MemoryView = {
    backend: tf.getBackend(),
    webgpu: a !== null,
    liveBytes: a?.manager.numBytesUsed ?? 0,
    poolBytes: a?.manager.numBytesAllocated ?? 0,
    autoTrim,
    ratio,
    lastStep: step ? {
      peakBytes: step.step.peakBytes,
      peakPoolBytes: step.step.peakPoolBytes,
      poolBytes: step.poolBytes,
      poolToPeak: step.poolBytes / step.step.peakBytes,
      trimmedBytes: step.trim?.destroyedBytes ?? 0,
      trimmedBuffers: step.trim?.destroyedBuffers ?? 0,
      ...(step.skipped ? { skipped: step.skipped } : {}),
    } : null,
    toMimeBundle: () => ({ 'text/plain': memoryLine(view) ?? `Memory: ConvLab measures the WebGPU buffer pool, and this kernel runs on ${view.backend}.` }),
  };
  return view;
}
