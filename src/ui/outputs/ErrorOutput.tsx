import { INTERRUPTED_ENAME } from '../../protocol';
import { stripAnsi } from './mime';
import { RETRYABLE_ERRORS } from './retry';

export interface ErrorOutputProps {
  ename: string;
  evalue: string;
  traceback: string[];
  line?: number;
  /** Runs the cell again; offered for errors that may go away by themselves (see retry.ts). */
  onRetry?: () => void;
}

/** An error is the one output a learner must not miss: the name, the message and the line come first. */
export function ErrorOutput({ ename, evalue, traceback, line, onRetry }: ErrorOutputProps) {
  const interrupted = ename === INTERRUPTED_ENAME;
  // The first traceback line repeats "ename: evalue"; the rest says where.
  const rest = traceback.length > 0 && stripAnsi(traceback[0]).startsWith(`${ename}:`) ? traceback.slice(1) : traceback;
  return (
    <div className={interrupted ? 'output-error interrupted' : 'output-error'} role={interrupted ? undefined : 'alert'}>
      <div className="error-head">
        <strong className="error-name">{ename}</strong>
        {evalue && <span className="error-value">: {evalue}</span>}
        {line !== undefined && <span className="error-line"> (line {line})</span>}
      </div>
      {onRetry && RETRYABLE_ERRORS.has(ename) && (
        <button type="button" className="error-retry" onClick={onRetry}>
          Retry
        </button>
      )}
      {rest.length > 0 && <pre className="error-trace">{stripAnsi(rest.join('\n'))}</pre>}
    </div>
  );
}
