// What a cell's printing may cost the page. A cell that prints a million lines, one console.log each, would
// otherwise post a million messages, and the page would re-render the cell for every one of them; a cell that
// prints 10 MB at once would cross as one 10 MB message. Here, between the session and the page's channel, stream
// writes are coalesced (same cell, same stream, until another message or a short pause), cut into messages of at
// most STREAM_MESSAGE_MAX_CHARS, and capped per run: the page shows a preview of long text and keeps the whole of
// it for download, so the cap is about memory, not about what the page can draw.
import type { KernelToPage, Stream } from '../protocol';

/** The most text one stream message carries. */
export const STREAM_MESSAGE_MAX_CHARS = 1 << 20;
/** The most text one run (one execute_request) may print; the rest is dropped, with a note saying so. */
export const STREAM_RUN_MAX_CHARS = 16 * (1 << 20);
/** How long stream text may wait for more before it is sent: a burst of prints becomes one message. */
export const STREAM_FLUSH_MS = 16;

export interface StreamLimits {
  messageMaxChars: number;
  runMaxChars: number;
  flushMs: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  messageMaxChars: STREAM_MESSAGE_MAX_CHARS,
  runMaxChars: STREAM_RUN_MAX_CHARS,
  flushMs: STREAM_FLUSH_MS,
};

export function droppedNote(limit: number): string {
  return `\n[ConvLab: this cell printed more than ${(limit / (1 << 20)).toFixed(0)} MB; the rest of its output was dropped.]\n`;
}

/** The runs whose printed totals are remembered: the running cell and a few whose timers may still print. */
const RUNS_REMEMBERED = 8;

/**
 * Wraps `post` (the kernel's only way to the page): stream messages are buffered and coalesced, everything else
 * first sends what is buffered and then goes out as it came, so the page sees outputs in the order they were made.
 */
export function limitStreams(post: (message: KernelToPage) => void, limits: StreamLimits = DEFAULT_STREAM_LIMITS): (message: KernelToPage) => void {
  let buffered: { parent_id: string | undefined; name: Stream['content']['name']; parts: string[]; chars: number } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const printed = new Map<string | undefined, number>();

  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (!buffered) return;
    const { parent_id, name, parts } = buffered;
    buffered = null;
    post({ msg_type: 'stream', parent_id, content: { name, text: parts.join('') } });
  };

  /** What of `text` this run may still print (all, a head, or nothing), and whether this write crossed the cap. */
  const allowance = (parent: string | undefined, text: string): { keep: string; crossed: boolean } => {
    const before = printed.get(parent) ?? 0;
    printed.delete(parent); // re-inserted last: the Map's order is then the order runs last printed
    printed.set(parent, before + text.length);
    if (printed.size > RUNS_REMEMBERED) printed.delete(printed.keys().next().value);
    if (before >= limits.runMaxChars) return { keep: '', crossed: false };
    if (before + text.length <= limits.runMaxChars) return { keep: text, crossed: false };
    return { keep: text.slice(0, limits.runMaxChars - before), crossed: true };
  };

  const append = (parent_id: string | undefined, name: Stream['content']['name'], text: string): void => {
    if (buffered && (buffered.parent_id !== parent_id || buffered.name !== name)) flush();
    let rest = text;
    while (rest.length > 0) {
      buffered ??= { parent_id, name, parts: [], chars: 0 };
      const room = limits.messageMaxChars - buffered.chars;
      const piece = rest.length <= room ? rest : rest.slice(0, room);
      buffered.parts.push(piece);
      buffered.chars += piece.length;
      rest = rest.slice(piece.length);
      if (buffered.chars >= limits.messageMaxChars) flush();
    }
  };

  return (message) => {
    if (message.msg_type !== 'stream') {
      flush();
      post(message);
      return;
    }
    const { parent_id } = message;
    const { name, text } = message.content;
    const { keep, crossed } = allowance(parent_id, text);
    if (keep) append(parent_id, name, keep);
    if (crossed) append(parent_id, 'stderr', droppedNote(limits.runMaxChars));
    if (buffered && timer === undefined) timer = setTimeout(flush, limits.flushMs);
  };
}
