// The kernelFunc registered for every replaced kernel in 'auto' mode: a synchronous table lookup per call, never
// a timing. A class chosen 'stock' runs tfjs's kernel; any other class runs ours (handing unsupported shapes to
// stock as 'convlab' mode does), and a class seen for the first time is queued for a timing pass.
import type { KernelFunc, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { countCall, countChosenStock, countFallback } from '../stats';
import { chooser } from './index';
import { forcedCandidate } from './forced';
import { shapeClass, type KernelCall } from './shape-class';

/** Our kernel for one call: its outputs, or why it hands the call to stock. */
export type OursOnce = (args: Parameters<KernelFunc>[0]) => { out: TensorInfo | TensorInfo[] } | { fallback: string };

/** The call's shapes and attrs, copied: the queue keeps it after tfjs has disposed the tensors. */
function describeCall(op: string, inputs: NamedTensorInfoMap | TensorInfo[], attrs: Record<string, unknown> | undefined): KernelCall {
  const entries = Object.entries(inputs as Record<string, TensorInfo | undefined>).filter((e): e is [string, TensorInfo] => e[1] != null);
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs ?? {})) copy[k] = Array.isArray(v) ? [...v] : v;
  return { op, inputs: entries.map(([name, t]) => ({ name, shape: [...t.shape], dtype: t.dtype })), attrs: copy, ...(Array.isArray(inputs) ? { list: true } : {}) };
}

export function autoKernelFunc(name: string, ours: OursOnce, stock: KernelFunc): KernelFunc {
  const runOurs = (args: Parameters<KernelFunc>[0], count: boolean) => {
    const r = ours(args);
    if ('fallback' in r) {
      if (count) countFallback(name, r.fallback);
      return { out: stock(args), handled: false };
    }
    if (count) countCall(name);
    return { out: r.out, handled: true };
  };
  return (args) => {
    const forced = forcedCandidate();
    if (forced) return forced === 'stock' ? stock(args) : runOurs(args, false).out;
    const call = describeCall(name, args.inputs, args.attrs as Record<string, unknown>);
    const key = shapeClass(call);
    if (chooser.lookup(key) === 'stock') {
      countChosenStock(name);
      chooser.noteCall(key, name);
      return stock(args);
    }
    const { out, handled } = runOurs(args, true);
    // Shapes ours hands to stock anyway have nothing to choose between.
    if (handled) {
      chooser.noteCall(key, name);
      if (chooser.lookup(key) === undefined) chooser.enqueue(key, call);
    }
    return out;
  };
}
