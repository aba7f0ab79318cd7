// src/ui/markdown's TeX handling, which needs no DOM (KaTeX and marked run in Node). Sanitising needs a
// DOM and is covered by e2e/documents.spec.ts.
import { describe, expect, it } from 'vitest';
import { markdownToUnsafeHtml } from '../../src/ui/markdown/render';

const katexCount = (html: string) => (html.match(/class="katex"/g) ?? []).length;

describe('markdown math', () => {
  it('renders inline $…$ with KaTeX', () => {
    const html = markdownToUnsafeHtml('DenseNet: $x_\\ell = H_\\ell([x_0, x_1, \\dots, x_{\\ell-1}])$.');
    expect(katexCount(html)).toBe(1);
    expect(html).toContain('math-inline');
    // Underscores inside math must not turn into <em>.
    expect(html).not.toContain('<em>');
  });

  it('renders $$…$$ as display math, on its own lines or inline', () => {
    expect(markdownToUnsafeHtml('before\n\n$$\na^2 + b^2 = c^2\n$$\n\nafter')).toMatch(/math-display[\s\S]*katex-display/);
    expect(markdownToUnsafeHtml('so $$e^{i\\pi} = -1$$ holds')).toContain('katex-display');
  });

  it('leaves math alone inside code spans and fenced code', () => {
    expect(katexCount(markdownToUnsafeHtml('`$x$` and\n\n```\n$$y$$\n```\n'))).toBe(0);
    expect(markdownToUnsafeHtml('`$x_1$`')).toContain('<code>$x_1$</code>');
  });

  it('does not treat prices or escaped dollars as math', () => {
    expect(katexCount(markdownToUnsafeHtml('It costs $5 and $10.'))).toBe(0);
    expect(katexCount(markdownToUnsafeHtml('A \\$ sign and $ spaced $'))).toBe(0);
  });

  it('shows bad TeX as an error instead of throwing', () => {
    expect(() => markdownToUnsafeHtml('$\\frac{1}{$')).not.toThrow();
  });

  it('keeps ordinary markdown working', () => {
    const html = markdownToUnsafeHtml('# Title\n\n*em* and **strong**, a [link](https://example.org)\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<table>');
  });
});
