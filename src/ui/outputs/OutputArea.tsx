import { memo } from 'react';
import { ErrorBoundary } from 'react-error-boundary';
import type { StoredOutput } from '../../notebook/model';
import { StreamOutput } from './StreamOutput';
import { ErrorOutput } from './ErrorOutput';
import { RichOutput } from './RichOutput';
import { OutputRenderError } from './OutputRenderError';

function outputKey(output: StoredOutput, index: number): string {
  // A display keeps its key across updates, so a plot is updated in place instead of remounted.
  return output.output_type === 'display_data' && output.display_id ? `display-${output.display_id}` : `${index}-${output.output_type}`;
}

function OneOutput({ output, onRetry }: { output: StoredOutput; onRetry?: () => void }) {
  switch (output.output_type) {
    case 'stream':
      return <StreamOutput name={output.name} text={output.text} />;
    case 'error':
      return <ErrorOutput ename={output.ename} evalue={output.evalue} traceback={output.traceback} line={output.line} onRetry={onRetry} />;
    case 'execute_result':
    case 'display_data':
      return <RichOutput data={output.data} />;
  }
}

export const OutputArea = memo(function OutputArea({ outputs, label, onRetry }: { outputs: StoredOutput[]; label: string; onRetry?: () => void }) {
  return (
    <section className="output-area" aria-label={label} aria-live="polite">
      {outputs.map((output, i) => (
        <div className="output" key={outputKey(output, i)} data-output-index={i}>
          {/* One boundary per output: an output that cannot render shows an error box, never blanks the page. */}
          <ErrorBoundary FallbackComponent={OutputRenderError} resetKeys={[output]}>
            <OneOutput output={output} onRetry={onRetry} />
          </ErrorBoundary>
        </div>
      ))}
    </section>
  );
});
