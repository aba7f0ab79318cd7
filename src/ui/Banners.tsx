// Everything the page must tell the learner about the kernel itself, above the notebook.
import type { RunController, KernelView, Notice } from './core/run-controller';

const NOTICE_TITLES: Record<Notice['kind'], string> = {
  unresponsive: 'The kernel is not responding',
  restarted: 'Kernel restarted',
  error: 'Kernel problem',
  info: 'Note',
};

const BACKEND_NAMES: Record<string, string> = { webgpu: 'WebGPU', webgl: 'WebGL', cpu: 'the CPU' };

/** How a notice is exposed: a stuck kernel asks for a decision, an error interrupts, the rest is a named region. */
const NOTICE_ROLES: Record<Notice['kind'], 'alertdialog' | 'alert' | 'region'> = {
  unresponsive: 'alertdialog',
  error: 'alert',
  restarted: 'region',
  info: 'region',
};

export function Banners({ controller, kernel }: { controller: RunController; kernel: KernelView }) {
  const { info, deviceLost, notice } = kernel;
  // A polite live region that is always there, so a notice appearing in it is read out; role=status is kept for
  // the kernel status bar alone, so "the status" names one thing.
  return (
    <div className="banners" aria-live="polite">
      {info?.fallback_reason && (
        <div className="banner warning" role="alert">
          <strong>Running on {BACKEND_NAMES[info.backend] ?? info.backend} (backend "{info.backend}") instead of WebGPU.</strong> {info.fallback_reason} Cells
          still run, only slower.
        </div>
      )}
      {deviceLost && (
        <div className="banner error" role="alert">
          <strong>The GPU device was lost</strong> ({deviceLost.reason}): {deviceLost.message} Your edits are safe; restart the kernel to continue.
          <button type="button" onClick={() => void controller.restart()}>
            Restart kernel
          </button>
        </div>
      )}
      {notice && (
        <div
          className={`banner ${notice.kind === 'restarted' || notice.kind === 'info' ? 'info' : 'error'}`}
          role={NOTICE_ROLES[notice.kind]}
          aria-label={NOTICE_TITLES[notice.kind]}
        >
          <strong>{NOTICE_TITLES[notice.kind]}.</strong> {notice.text}
          {notice.kind === 'unresponsive' && (
            <button type="button" onClick={() => void controller.restart()}>
              Restart kernel
            </button>
          )}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => controller.dismissNotice()}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
