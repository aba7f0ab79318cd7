// Offset-based edits on a source text, applied in one pass (a tiny stand-in for magic-string).
// The cell compiler only inserts and replaces within the original layout, so line numbers survive.

interface Edit {
  start: number;
  end: number;
  text: string;
  /** Opening inserts go outer-first, closing inserts inner-first, when they share an offset. */
  kind: 'open' | 'close' | 'replace';
  seq: number;
}

export class TextEdits {
  private readonly edits: Edit[] = [];
  private seq = 0;

  constructor(private readonly source: string) {}

  /** Text that opens a construct (`(`, `return (`): added outer constructs first, before a replace at the same offset. */
  open(pos: number, text: string): void {
    this.edits.push({ start: pos, end: pos, text, kind: 'open', seq: this.seq++ });
  }

  /** Text that closes a construct (`)`): emitted inner-first at a shared offset. */
  close(pos: number, text: string): void {
    this.edits.push({ start: pos, end: pos, text, kind: 'close', seq: this.seq++ });
  }

  /** Replaces [start, end); pads with newlines so that the following lines keep their numbers. */
  replace(start: number, end: number, text: string): void {
    const lost = countNewlines(this.source.slice(start, end)) - countNewlines(text);
    const padded = lost > 0 ? text + '\n'.repeat(lost) : text;
    this.edits.push({ start, end, text: padded, kind: 'replace', seq: this.seq++ });
  }

  apply(): string {
    // At one offset: what closes the construct before it, then what opens the one starting there (`__ck((`), then a
    // replacement of that construct's first token (`import(` → `__importDynamic(`).
    const order = (e: Edit): number => (e.kind === 'close' ? 0 : e.kind === 'open' ? 1 : 2);
    const sorted = [...this.edits].sort((a, b) => {
      if (a.start !== b.start) return a.start - b.start;
      if (order(a) !== order(b)) return order(a) - order(b);
      return a.kind === 'close' ? b.seq - a.seq : a.seq - b.seq;
    });
    let out = '';
    let cursor = 0;
    for (const e of sorted) {
      if (e.start < cursor) throw new Error(`overlapping edits at offset ${e.start}`);
      out += this.source.slice(cursor, e.start) + e.text;
      cursor = e.end;
    }
    return out + this.source.slice(cursor);
  }

  /**
   * Maps a 0-based column on a 1-based line of the edited text back to the original text's column,
   * by undoing the inserted characters that precede it on that line.
   */
  static mapColumn(original: string, edited: string, line: number, column: number): number {
    const origLine = original.split('\n')[line - 1] ?? '';
    const editLine = edited.split('\n')[line - 1] ?? '';
    // Walk both lines in step: characters that match advance both, inserted ones advance only the edited side.
    let i = 0;
    let j = 0;
    while (j < column && j < editLine.length) {
      if (i < origLine.length && origLine[i] === editLine[j]) i++;
      j++;
    }
    return i;
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}
