// A text output that may be megabytes long: drawn as a head and a tail with a line saying what is left out, a
// "Show more" that draws another head's worth, and a download of the whole text (issue 15, case 13).
import { useEffect, useMemo, useRef, useState } from 'react';
import { downloadText } from '../documents/ExportButton';
import { formatSize, GrowingNewlineCount, previewText, PREVIEW_BUDGET } from './long-text';
import { stripAnsi } from './mime';

export interface LongTextProps {
  text: string;
  /** The <pre>'s class (output-stream, output-text, …). */
  className: string;
  /** Name offered for the download. */
  fileName: string;
}

/** Texts longer than this redraw their preview at most every LONG_TEXT_REDRAW_MS while they grow. */
const LIVE_TEXT_CHARS = 1 << 20;
const LONG_TEXT_REDRAW_MS = 1_000;

/**
 * `value`, but (while `enabled`) changing at most once per `ms`: a megabytes-long stream growing by a message every few milliseconds
 * would otherwise be copied whole (a JavaScript string built by appending is flattened when read) for every message.
 */
function useThrottled<T>(value: T, ms: number, enabled: boolean): T {
  const [shown, setShown] = useState(value);
  const shownAt = useRef(0);
  useEffect(() => {
    if (!enabled || Object.is(value, shown)) return;
    const timer = setTimeout(() => {
      shownAt.current = Date.now();
      setShown(value);
    }, Math.max(0, shownAt.current + ms - Date.now()));
    return () => clearTimeout(timer);
  }, [value, shown, ms, enabled]);
  return enabled ? shown : value;
}

export function LongText({ text: latest, className, fileName }: LongTextProps) {
  const [more, setMore] = useState(0);
  const [newlines] = useState(() => new GrowingNewlineCount());
  const text = useThrottled(latest, LONG_TEXT_REDRAW_MS, latest.length >= LIVE_TEXT_CHARS);
  const preview = useMemo(() => previewText(text, PREVIEW_BUDGET, more, () => newlines.of(text)), [text, more, newlines]);
  if (!preview) return <pre className={className}>{stripAnsi(text)}</pre>;
  const lines = preview.totalLines.toLocaleString('en');
  return (
    <div className="output-long" data-total-chars={preview.totalChars}>
      <pre className={className}>{stripAnsi(preview.head)}</pre>
      <div className="output-truncated" role="group" aria-label="Long output">
        <span>
          {formatSize(preview.hiddenChars)} ({preview.hiddenLines.toLocaleString('en')} {preview.hiddenLines === 1 ? 'line' : 'lines'}) not shown, of{' '}
          {formatSize(preview.totalChars)} in {lines} {preview.totalLines === 1 ? 'line' : 'lines'}.
        </span>
        <button type="button" onClick={() => setMore((m) => m + 1)}>
          Show more
        </button>
        <button type="button" onClick={() => downloadText(fileName, latest, 'text/plain;charset=utf-8')}>
          Download full output
        </button>
      </div>
      <pre className={className}>{stripAnsi(preview.tail)}</pre>
    </div>
  );
}
