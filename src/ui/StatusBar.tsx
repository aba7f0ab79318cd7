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

export function StatusBar({ kernel }: { kernel: KernelView }) {
  const { info, usage } = kernel;
  const adapter = info?.adapter;
  return (
    <footer className="status-bar" role="status" aria-label="Kernel status" data-kernel-state={kernel.state}>
      <span className={`kernel-state state-${kernel.state.replace(' ', '-')}`}>Kernel: {kernel.state}</span>
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
