import type { ProgressView } from '../../protocol';

export function ProgressOutput({ progress }: { progress: ProgressView }) {
  const max = progress.max > 0 ? progress.max : 1;
  const pct = Math.max(0, Math.min(100, (progress.value / max) * 100));
  return (
    <div className={progress.done ? 'output-progress done' : 'output-progress'}>
      <span className="progress-label">{progress.label}</span>
      <progress value={Math.min(progress.value, max)} max={max} aria-label={progress.label} />
      <span className="progress-pct">{pct.toFixed(0)}%</span>
      {progress.detail && <span className="progress-detail">{progress.detail}</span>}
    </div>
  );
}
