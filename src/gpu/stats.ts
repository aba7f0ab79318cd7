// Per-kernel counters: how often our kernel ran and how often it handed a shape back to the stock one.
// stats() returns an object that the notebook shows as a table (toMimeBundle), without importing the kernel.

export interface KernelCounts { calls: number; fallbacks: number; lastFallback?: string }

const counts = new Map<string, KernelCounts>();

function entry(name: string): KernelCounts {
  let c = counts.get(name);
  if (!c) { c = { calls: 0, fallbacks: 0 }; counts.set(name, c); }
  return c;
}

export function countCall(name: string): void { entry(name).calls++; }

export function countFallback(name: string, why: string): void {
  const c = entry(name);
  c.fallbacks++;
  c.lastFallback = why;
}

export function resetStats(): void { counts.clear(); }

export interface KernelStatsView {
  mode: string;
  kernels: Record<string, KernelCounts>;
  toMimeBundle(): Record<string, unknown>;
}

export function statsSnapshot(mode: string): KernelStatsView {
  const kernels: Record<string, KernelCounts> = {};
  for (const [k, v] of [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]))) kernels[k] = { ...v };
  return {
    mode,
    kernels,
    toMimeBundle() {
      const rows = Object.entries(kernels).map(([name, c]) => [name, c.calls, c.fallbacks, c.lastFallback ?? '']);
      const text = rows.map((r) => r.join('\t')).join('\n');
      return {
        'text/plain': `kernels (${mode})\n${text}`,
        'application/vnd.convlab.table+json': {
          caption: `ConvLab kernels (${mode}): calls handled by our WGSL and shapes handed to the stock kernel`,
          columns: ['kernel', 'calls', 'fallbacks', 'last fallback reason'],
          rows,
        },
      };
    },
  };
}
