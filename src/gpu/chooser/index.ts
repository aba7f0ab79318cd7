// The adapter-aware kernel chooser: kernels.use('auto').
//
// Design. Our WGSL kernels were tuned on one adapter (SwiftShader); on another GPU tfjs's stock kernel may win for
// some shapes. In 'auto' mode every replaced kernel (registry.ts) runs auto-kernel.ts's kernelFunc, which
//  - computes the call's shape class (shape-class.ts: op + what selects or fits a program exactly, sizes rounded
//    up to powers of two; why not exact shapes: there) and looks its choice up synchronously in an in-memory
//    table (table.ts). No timing ever happens inside a kernel call;
//  - runs stock for classes chosen 'stock', ours for the rest, and queues a class it meets for the first time
//    (with that call's shapes and attrs).
// Timing passes (calibrate.ts) run outside kernel calls: automatically, as short slices scheduled with setTimeout
// after a class is queued (a training loop's steps run between slices; 30 s per session in all), or when a cell
// awaits kernels.calibrate(). A pass rebuilds each class's problem on synthetic inputs (timing.ts), runs each
// candidate once to compile it, then alternates them for a few timed runs, each ended by an awaited GPU sync,
// and keeps the fastest median. Bounded per class and per pass; a class not timed in budget keeps running ours
// and is timed in a later session. Candidates: ours and stock. (Our conv kernels pick their program by channel
// alignment, not by measurement; that rule could become candidates here later.)
// Choices persist per adapter in IndexedDB (store.ts), under a key of the adapter's GPUAdapterInfo, tfjs's version
// and the kernel layer's version (adapter-key.ts), and are loaded when 'auto' starts: after a reload nothing is
// timed again. kernels.forgetChoices() clears them. chooser.ts holds this life cycle free of tfjs for the tests.
import * as tf from '@tensorflow/tfjs';
import { adapterKey, type AdapterIdentity } from './adapter-key';
import type { CalibrationBudget, PassResult } from './calibrate';
import { Chooser, type ChooserCounters } from './chooser';
import { indexedDbChoiceStore } from './store';
import type { ClassView, OpSummary } from './table';
import { openOnWebGPU } from './timing';

export const chooser = new Chooser({
  store: indexedDbChoiceStore(),
  clock: { now: () => performance.now() },
  open: openOnWebGPU,
  schedule: (fn, ms) => { setTimeout(fn, ms); },
  canTime: () => tf.getBackend() === 'webgpu' && !tf.env().getBool('WEBGPU_ENGINE_COMPILE_ONLY'),
});

/** The active webgpu backend's adapter, as GPUAdapterInfo describes it (the device's copy when it has one). */
function activeAdapter(): AdapterIdentity {
  const backend = tf.backend() as unknown as { device?: GPUDevice & { adapterInfo?: GPUAdapterInfo }; adapterInfo?: Record<string, unknown> };
  const info = backend.device?.adapterInfo ?? backend.adapterInfo ?? {};
  const field = (k: string) => String((info as Record<string, unknown>)[k] ?? '');
  return { vendor: field('vendor'), architecture: field('architecture'), device: field('device'), description: field('description') };
}

/** Starts choosing for the active webgpu backend's adapter (loading its stored choices), or stops. */
export function setChoosing(on: boolean): void {
  chooser.activate(on ? adapterKey(activeAdapter(), tf.version_core) : null);
}

export interface ChooserView extends ChooserCounters {
  /** The key choices are stored under (adapter, tfjs version, kernel-layer version). */
  adapter: string | null;
  /** Classes waiting for a timing (they run ours meanwhile). */
  pending: number;
  storeError?: string;
  /** Every class met this session or stored for this adapter, with its choice and times. */
  classes: Array<ClassView & { skipped?: string }>;
}

export function chooserView(): ChooserView {
  return {
    ...chooser.counters,
    adapter: chooser.adapter,
    pending: chooser.table.pending().length,
    ...(chooser.storeError ? { storeError: chooser.storeError } : {}),
    classes: chooser.table.classes().map((c) => {
      const skipped = chooser.skippedReason(c.key);
      return skipped ? { ...c, skipped } : c;
    }),
  };
}

export function perOpChoices(): Record<string, OpSummary> { return chooser.table.perOp(); }

/** Times the classes waiting now (after the stored choices are loaded); see Chooser.calibrate. */
export function calibrate(budget: Partial<CalibrationBudget> = {}): Promise<PassResult> {
  return chooser.calibrate(budget);
}

export function forgetChoices(): Promise<void> { return chooser.forget(); }

export type { PassResult, CalibrationBudget, ClassView, OpSummary };
