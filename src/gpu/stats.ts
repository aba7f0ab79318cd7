// Per-kernel counters, kept per kernel mode: after kernels.use('stock') a learner wants to see what ran in stock
// mode (tfjs's own webgpu kernels, counted by the thin wrapper the registry puts around them), not the convlab
// counts from before the switch under a new heading. stats() returns an object that the notebook shows as a table
// (toMimeBundle), without importing the kernel.
import type { KernelMode } from './registry';
import type { ChooserView } from './chooser';

export interface KernelCounts {
  calls: number;
  fallbacks: number;
  lastFallback?: string;
  /** Auto mode: calls the chooser sent to the stock kernel because stock timed faster for their shape class. */
  chosenStock?: number;
  /** Auto mode: how this kernel's shape classes were chosen ("ours ×3, stock ×1, untimed ×1"). */
  variant?: string;
  /** Auto mode: the chosen candidate's measured median ms per call, weighted by the calls of each timed class. */
  msPerCall?: number;
}

const counts: Record<KernelMode, Map<string, KernelCounts>> = { convlab: new Map(), stock: new Map(), auto: new Map() };

/** Which table our kernels' calls count in: 'auto' while the chooser decides, else 'convlab'. */
let oursCountedAs: 'convlab' | 'auto' = 'convlab';
export function countOursAs(mode: 'convlab' | 'auto'): void { oursCountedAs = mode; }

function entry(mode: KernelMode, name: string): KernelCounts {
  let c = counts[mode].get(name);
  if (!c) { c = { calls: 0, fallbacks: 0 }; counts[mode].set(name, c); }
  return c;
}

/** One call handled by our WGSL (a kernel, or an op such as the dense block that only exists in convlab mode). */
export function countCall(name: string): void { entry(oursCountedAs, name).calls++; }

/** One call our kernel handed to the stock one (convlab mode). */
export function countFallback(name: string, why: string): void {
  const c = entry(oursCountedAs, name);
  c.fallbacks++;
  c.lastFallback = why;
}

/** One call of tfjs's own kernel while stock mode is on. */
export function countStockCall(name: string): void { entry('stock', name).calls++; }

/** Auto mode: one call the chooser sent to the stock kernel. */
export function countChosenStock(name: string): void {
  const c = entry('auto', name);
  c.chosenStock = (c.chosenStock ?? 0) + 1;
}

/** Clears both modes' counters. */
export function resetStats(): void {
  counts.convlab.clear();
  counts.stock.clear();
  counts.auto.clear();
}

export interface KernelStatsView {
  /** The mode these counts belong to. */
  mode: KernelMode;
  /** The backend tensors were on when the snapshot was taken. */
  backend: string;
  kernels: Record<string, KernelCounts>;
  /** Auto mode: the chooser's state (adapter key, counters, every shape class with its choice and times). */
  chooser?: ChooserView;
  toMimeBundle(): Record<string, unknown>;
}

/** What auto mode's table adds: per kernel, how its classes were chosen, and the chooser's state. */
export interface ChooserStats { perOp: Record<string, { variant: string; msPerCall?: number }>; view: ChooserView; caption: string }

/** What the table says about a mode: where its calls ran and what its columns count. */
function describe(mode: KernelMode, backend: string, empty: boolean): { caption: string; columns: string[] } {
  const none = empty ? ' Nothing counted yet in this mode.' : '';
  if (mode === 'auto') {
    return {
      caption: `Mode auto: per shape class, the faster of ConvLab's kernel and TensorFlow.js's stock one on this adapter (timed once, remembered), on ${backend}. Calls since the last reset; ms per call as timed.${none}`,
      columns: ['kernel', 'ConvLab calls', 'stock calls (chosen)', 'handed to stock', 'chosen per shape class', 'ms per call'],
    };
  }
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
function textTable(columns: string[], rows: Array<Array<string | number>>, left = [0, 3]): string {
  const cells = [columns, ...rows.map((r) => r.map((v) => (typeof v === 'number' ? v.toLocaleString('en-US') : v)))];
  const widths = columns.map((_, j) => Math.max(...cells.map((r) => r[j].length)));
  return cells.map((r) => r.map((c, j) => (left.includes(j) ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ').trimEnd()).join('\n');
}

/** `memory`: a line on the WebGPU buffer pool (src/gpu/memory), appended to the caption. */
export function statsSnapshot(mode: KernelMode, backend: string, memory?: string | null, chooser?: ChooserStats): KernelStatsView {
  const kernels: Record<string, KernelCounts> = {};
  for (const [k, v] of [...counts[mode].entries()].sort((a, b) => a[0].localeCompare(b[0]))) kernels[k] = { ...v, ...(mode === 'auto' ? chooser?.perOp[k] : undefined) };
  return {
    mode,
    backend,
    kernels,
    ...(mode === 'auto' && chooser ? { chooser: chooser.view } : {}),
    toMimeBundle() {
      const entries = Object.entries(kernels);
      const described = describe(mode, backend, entries.length === 0);
      const { columns } = described;
      const withChooser = mode === 'auto' && chooser ? `${described.caption} ${chooser.caption}` : described.caption;
      const caption = memory ? `${withChooser} ${memory}` : withChooser;
      const ms = (v?: number) => (v === undefined ? '' : v < 10 ? v.toFixed(2) : v.toFixed(1));
      const rows = entries.map(([name, c]) => (mode === 'auto'
        ? [name, c.calls, c.chosenStock ?? 0, c.fallbacks, c.variant ?? '', ms(c.msPerCall)]
        : mode === 'convlab' ? [name, c.calls, c.fallbacks, c.lastFallback ?? ''] : [name, c.calls]));
      return {
        'text/plain': `kernels.stats() · ${caption}\n${textTable(columns, rows, mode === 'auto' ? [0, 4] : [0, 3])}`,
        'application/vnd.convlab.table+json': { caption, columns, rows },
      };
    },
  };
}
