// Per-kernel counters, kept per kernel mode: after kernels.use('stock') a learner wants to see what ran in stock
// mode (tfjs's own webgpu kernels, counted by the thin wrapper the registry puts around them), not the convlab
// counts from before the switch under a new heading. stats() returns an object that the notebook shows as a table
// (toMimeBundle), without importing the kernel.
import type { KernelMode } from './registry';

export interface KernelCounts { calls: number; fallbacks: number; lastFallback?: string }

const counts: Record<KernelMode, Map<string, KernelCounts>> = { convlab: new Map(), stock: new Map() };

function entry(mode: KernelMode, name: string): KernelCounts {
  let c = counts[mode].get(name);
  if (!c) { c = { calls: 0, fallbacks: 0 }; counts[mode].set(name, c); }
  return c;
}

/** One call handled by our WGSL (a kernel, or an op such as the dense block that only exists in convlab mode). */
export function countCall(name: string): void { entry('convlab', name).calls++; }

/** One call our kernel handed to the stock one (convlab mode). */
export function countFallback(name: string, why: string): void {
  const c = entry('convlab', name);
  c.fallbacks++;
  c.lastFallback = why;
}

/** One call of tfjs's own kernel while stock mode is on. */
export function countStockCall(name: string): void { entry('stock', name).calls++; }

/** Clears both modes' counters. */
export function resetStats(): void {
  counts.convlab.clear();
  counts.stock.clear();
}

export interface KernelStatsView {
  /** The mode these counts belong to. */
  mode: KernelMode;
  /** The backend tensors were on when the snapshot was taken. */
  backend: string;
  kernels: Record<string, KernelCounts>;
  toMimeBundle(): Record<string, unknown>;
}

/** What the table says about a mode: where its calls ran and what its columns count. */
function describe(mode: KernelMode, backend: string, empty: boolean): { caption: string; columns: string[] } {
  const none = empty ? ' Nothing counted yet in this mode.' : '';
  if (mode === 'convlab') {
    return {
      caption: `Mode convlab: ConvLab's WGSL kernels on ${backend}. Calls each one handled since the last reset, and shapes it handed to TensorFlow.js's stock kernel.${none}`,
      columns: ['kernel', 'ConvLab calls', 'handed to stock', 'last reason'],
    };
  }
  const where = backend === 'webgpu'
    ? `Calls of the stock kernels ConvLab can replace, since the last reset (ConvLab's own counts: kernels.stats('convlab')).`
    : `ConvLab counts WebGPU kernels only, and this kernel runs on ${backend}.`;
  return { caption: `Mode stock: TensorFlow.js's own kernels on ${backend}. ${where}${none}`, columns: ['kernel', 'stock calls'] };
}

/** Fixed-width text for text/plain: names left, counts right. */
function textTable(columns: string[], rows: Array<Array<string | number>>): string {
  const cells = [columns, ...rows.map((r) => r.map((v) => (typeof v === 'number' ? v.toLocaleString('en-US') : v)))];
  const widths = columns.map((_, j) => Math.max(...cells.map((r) => r[j].length)));
  return cells.map((r) => r.map((c, j) => (j === 0 || j === 3 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ').trimEnd()).join('\n');
}

export function statsSnapshot(mode: KernelMode, backend: string): KernelStatsView {
  const kernels: Record<string, KernelCounts> = {};
  for (const [k, v] of [...counts[mode].entries()].sort((a, b) => a[0].localeCompare(b[0]))) kernels[k] = { ...v };
  return {
    mode,
    backend,
    kernels,
    toMimeBundle() {
      const entries = Object.entries(kernels);
      const { caption, columns } = describe(mode, backend, entries.length === 0);
      const rows = entries.map(([name, c]) => (mode === 'convlab' ? [name, c.calls, c.fallbacks, c.lastFallback ?? ''] : [name, c.calls]));
      return {
        'text/plain': `kernels.stats() · ${caption}\n${textTable(columns, rows)}`,
        'application/vnd.convlab.table+json': { caption, columns, rows },
      };
    },
  };
}
