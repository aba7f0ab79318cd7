import { describe, expect, it } from 'vitest';
import { countLines, GrowingNewlineCount, previewText, PREVIEW_BUDGET, type PreviewBudget } from '../../src/ui/outputs/long-text';

const SMALL: PreviewBudget = { headLines: 3, headChars: 100, tailLines: 2, tailChars: 50 };
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}\n`).join('');

describe('countLines', () => {
  it('counts lines as a reader does: a final newline starts no new line', () => {
    expect([countLines(''), countLines('a'), countLines('a\n'), countLines('a\nb'), countLines('a\n\n')]).toEqual([0, 1, 1, 2, 2]);
  });
});

describe('previewText (issue 15, case 13)', () => {
  it('shows short text whole', () => {
    expect(previewText(numbered(5), SMALL)).toBeNull();
    expect(previewText('x'.repeat(150), SMALL)).toBeNull();
  });

  it('cuts many lines into the first and last lines, counting what is left out', () => {
    const text = numbered(20);
    const p = previewText(text, SMALL)!;
    expect(p.head).toBe('line 1\nline 2\nline 3\n');
    expect(p.tail).toBe('line 19\nline 20\n');
    expect(p.hiddenLines).toBe(15);
    expect(p.totalLines).toBe(20);
    expect(p.head.length + p.hiddenChars + p.tail.length).toBe(text.length);
  });

  it('cuts one enormous line by characters', () => {
    const text = 'y'.repeat(10_000_000);
    const p = previewText(text)!;
    expect(p.head.length).toBe(PREVIEW_BUDGET.headChars);
    expect(p.tail.length).toBe(PREVIEW_BUDGET.tailChars);
    expect(p.hiddenChars).toBe(10_000_000 - PREVIEW_BUDGET.headChars - PREVIEW_BUDGET.tailChars);
    expect(p.totalLines).toBe(1);
  });

  it('a million lines: what is drawn stays within the budget', () => {
    const text = numbered(1_000_000);
    const p = previewText(text)!;
    expect(countLines(p.head)).toBe(PREVIEW_BUDGET.headLines);
    expect(countLines(p.tail)).toBe(PREVIEW_BUDGET.tailLines);
    expect(p.tail.endsWith('line 1000000\n')).toBe(true);
    expect(p.totalLines).toBe(1_000_000);
  });

  it('each "show more" draws another head\'s worth, until the whole text fits', () => {
    const text = numbered(20);
    expect(countLines(previewText(text, SMALL, 1)!.head)).toBe(6);
    expect(countLines(previewText(text, SMALL, 4)!.head)).toBe(15);
    expect(previewText(text, SMALL, 6)).toBeNull();
  });
});

describe('GrowingNewlineCount', () => {
  it('counts a growing text by what was added, and starts over when the text is replaced', () => {
    const count = new GrowingNewlineCount();
    expect(count.of('a\nb\n')).toBe(2);
    expect(count.of('a\nb\nc\nd')).toBe(3);
    expect(count.of('a\nb\nc\nd\n\n')).toBe(5);
    expect(count.of('other\n')).toBe(1);
    expect(count.of('')).toBe(0);
  });
});
