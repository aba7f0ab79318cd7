// TeX in markdown as a marked extension: marked has already claimed code spans and fenced blocks by the
// time an inline rule runs, so `$x$` inside backticks stays literal without any pre-masking.

import katex from 'katex';
import type { MarkedExtension, Tokens } from 'marked';

interface MathToken extends Tokens.Generic {
  type: 'mathBlock' | 'mathInline';
  raw: string;
  tex: string;
  display: boolean;
}

export function renderTex(tex: string, display: boolean): string {
  // trust:false (the default) keeps \href, \url and friends from producing links or scripts.
  return katex.renderToString(tex, { displayMode: display, throwOnError: false, output: 'htmlAndMathml', trust: false, strict: 'ignore' });
}

// $$…$$ on lines of its own, possibly spanning several lines.
const BLOCK = /^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/;
// $$…$$ inside a line.
const INLINE_DISPLAY = /^\$\$(?!\s*\$)([\s\S]+?)\$\$/;
// $…$: no space just inside the dollars and no digit right after the closing one, so "$5 and $10" stays text.
const INLINE = /^\$(?![\s$])((?:\\.|[^\\$\n])+?)(?<![\s\\])\$(?!\d)/;

export const mathExtension: MarkedExtension = {
  extensions: [
    {
      name: 'mathBlock',
      level: 'block',
      start: (src: string) => src.match(/^ {0,3}\$\$/m)?.index,
      tokenizer(src: string): MathToken | undefined {
        const m = BLOCK.exec(src);
        if (m) return { type: 'mathBlock', raw: m[0], tex: m[1].trim(), display: true };
        return undefined;
      },
      renderer: (token) => `<div class="math math-display">${renderTex((token as MathToken).tex, true)}</div>\n`,
    },
    {
      name: 'mathInline',
      level: 'inline',
      start: (src: string) => {
        // A "$" preceded by a backslash is a literal dollar, left to marked's escape rule.
        for (let i = src.indexOf('$'); i >= 0; i = src.indexOf('$', i + 1)) if (i === 0 || src[i - 1] !== '\\') return i;
        return undefined;
      },
      tokenizer(src: string): MathToken | undefined {
        const display = INLINE_DISPLAY.exec(src);
        if (display) return { type: 'mathInline', raw: display[0], tex: display[1].trim(), display: true };
        const inline = INLINE.exec(src);
        if (inline) return { type: 'mathInline', raw: inline[0], tex: inline[1], display: false };
        return undefined;
      },
      renderer: (token) => {
        const t = token as MathToken;
        return t.display ? `<span class="math math-display">${renderTex(t.tex, true)}</span>` : `<span class="math math-inline">${renderTex(t.tex, false)}</span>`;
      },
    },
  ],
};
