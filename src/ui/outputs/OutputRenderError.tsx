// What one output shows when it cannot be rendered (cyclic JSON, a BigInt, a malformed view from a cell's own
// toMimeBundle): an error box in its place, while the page and every other output stay.
import type { FallbackProps } from 'react-error-boundary';

export function OutputRenderError({ error }: FallbackProps) {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return (
    <div className="output-error output-render-error" role="alert">
      <strong className="error-name">This output could not be shown.</strong> <span className="error-value">{message}</span>
    </div>
  );
}
