// Which of a run's shape hints and error line the editor still shows, for the source it holds now.
import { describe, expect, it } from 'vitest';
import { applicableNotes, shapeHintLabel } from '../../../src/ui/editor/line-notes';
import type { RunLineNotes } from '../../../src/ui/core/run-controller';

const ran = ['const x = tf.zeros([2, 28, 28, 1]);', 'const a = conv.apply(x);', 'const b = pool.apply(a);', 'tf.add(a, b);'].join('\n');
const notes: RunLineNotes = {
  source: ran,
  hints: [
    { line: 2, shapes: [[2, 28, 28, 8]] },
    { line: 3, shapes: [[2, 14, 14, 8]] },
  ],
  error: { line: 4, column: 1, message: 'Error: Operands could not be broadcast together with shapes 2,28,28,8 and 2,14,14,8.' },
};
const linesOf = (source: string) => (n: number) => source.split('\n')[n - 1];

describe('shape hint labels', () => {
  it('prints batch first, an unknown batch as N, and each output of a layer with several', () => {
    expect(shapeHintLabel({ line: 1, shapes: [[2, 14, 14, 32]] })).toBe('→ [2, 14, 14, 32]');
    expect(shapeHintLabel({ line: 1, shapes: [[null, 10]] })).toBe('→ [N, 10]');
    expect(shapeHintLabel({ line: 1, shapes: [[4, 3], [4, 5]] })).toBe('→ [4, 3], [4, 5]');
  });
});

describe('applicable notes', () => {
  it('shows every hint and the error while the source is as it ran', () => {
    const shown = applicableNotes(notes, linesOf(ran));
    expect(shown.hints.map((h) => [h.line, h.label])).toEqual([
      [2, '→ [2, 28, 28, 8]'],
      [3, '→ [2, 14, 14, 8]'],
    ]);
    expect(shown.error).toMatchObject({ line: 4, text: 'tf.add(a, b);', message: notes.error!.message });
  });

  it('drops the hint or error of a line that was edited, and keeps the others', () => {
    const edited = ran.replace('pool.apply(a)', 'pool.apply(x)').replace('tf.add(a, b)', 'tf.add(a, a)');
    const shown = applicableNotes(notes, linesOf(edited));
    expect(shown.hints.map((h) => h.line)).toEqual([2]);
    expect(shown.error).toBeUndefined();
  });

  it('drops what no longer lies on its line (lines inserted above) or past the end', () => {
    expect(applicableNotes(notes, linesOf('// a note\n' + ran)).hints).toEqual([]);
    expect(applicableNotes(notes, linesOf(ran.split('\n').slice(0, 2).join('\n'))).hints.map((h) => h.line)).toEqual([2]);
    expect(applicableNotes(undefined, linesOf(ran))).toEqual({ hints: [] });
  });
});
