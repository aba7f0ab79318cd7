import type { KernelView } from './core/run-controller';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** The kernel's state in words; a heartbeat that stopped coming back is news whatever the last state was. */
function stateText(kernel: KernelView): string {
  if (kernel.responding) return kernel.state;
  return kernel.state === 'busy' ? 'busy, not responding' : 'not responding';
}

export function StatusBar({ kernel }: { kernel: KernelView }) {
  const { info, usage } = kernel;
  const adapter = info?.adapter;
  // A kernel that stopped answering shows as dead whatever its last state was (styles: .state-*).
  const shownState = kernel.responding ? kernel.state.replace(' ', '-') : 'dead';
  return (
    <footer className="status-bar" role="status" aria-label="Kernel status" data-kernel-state={kernel.state} data-kernel-responding={String(kernel.responding)}>
      <span className={`kernel-state state-${shownState}`}>Kernel: {stateText(kernel)}</span>
      <span>Backend: {info ? info.backend : '…'}</span>
      {adapter && (
        <span title={adapter.description}>
          Adapter: {[adapter.vendor, adapter.architecture].filter(Boolean).join(' / ') || 'unknown'}
          {adapter.isFallbackAdapter ? ' (software)' : ''}
        </span>
      )}
      {usage && (
        <span>
          Tensors: {usage.numTensors.toLocaleString()} · {formatBytes(usage.numBytes)}
          {usage.numBytesInGPU !== undefined ? ` · GPU ${formatBytes(usage.numBytesInGPU)}` : ''}
        </span>
      )}
      {info && <span className="muted">tfjs {info.tfjs_version}</span>}
    </footer>
  );
}
