// Every CSS class the page's views use has a rule in a stylesheet the app loads. A view whose stylesheet is
// never imported renders unstyled (the shortcut help as a bare table, the reset confirmation inside the header):
// this test fails on the class, not on a screenshot.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import postcss from 'postcss';
import selectorParser from 'postcss-selector-parser';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

/** Classes used only as hooks (tests, behaviour) or styled by a library's own stylesheet, with the reason. */
const NOT_STYLED_HERE: Record<string, string> = {
  math: "marks KaTeX's markup in rendered markdown (math.ts); katex.min.css styles what is inside",
  'math-inline': "inline KaTeX (math.ts): katex.min.css styles it; the markdown tests find inline math by it",
};

function files(dir: string, pattern: RegExp): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => pattern.test(f))
    .map((f) => join(root, dir, f));
}

/** Each local stylesheet and the modules that import it. */
function stylesheetImporters(): Map<string, string[]> {
  const importers = new Map<string, string[]>();
  for (const file of files('src', /\.tsx?$/)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/^import\s+['"](\.{1,2}\/[^'"]+\.css)['"]/gm)) {
      const sheet = resolve(dirname(file), m[1]);
      importers.set(sheet, [...(importers.get(sheet) ?? []), file]);
    }
  }
  return importers;
}

/** Which modules are imported by someone (or are the entry): a stylesheet imported only by a dead module never loads. */
function importedModules(): Set<string> {
  const used = new Set<string>([join(root, 'src', 'main.tsx')]);
  for (const file of files('src', /\.tsx?$/)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const base = resolve(dirname(file), m[1]);
      for (const ext of ['', '.ts', '.tsx', '/index.ts', '/index.tsx']) used.add(base + ext);
    }
  }
  return used;
}

function classesWithRules(sheets: string[]): Set<string> {
  const classes = new Set<string>();
  for (const sheet of sheets) {
    postcss.parse(readFileSync(sheet, 'utf8')).walkRules((rule) => {
      selectorParser((selectors) => selectors.walkClasses((c) => void classes.add(c.value))).processSync(rule.selector);
    });
  }
  return classes;
}

interface Use {
  file: string;
  /** A literal class, or a prefix when the rest is computed (`cell-${type}`). */
  name: string;
  prefix: boolean;
}

/** Where a string literal in an expression is a class name: as the value, or a branch of ?: && || +. */
const VALUE_POSITION = /(^|[?:+{]|&&|\|\|)\s*$/;

/** Class-name words of a className expression: literal values and the literal parts of template strings. */
function classWords(expr: string): Array<{ w: string; glued: boolean }> {
  const words: Array<{ w: string; glued: boolean }> = [];
  const literal = /'([^']*)'|"([^"]*)"|`((?:[^`$]|\$(?!\{)|\$\{(?:[^{}]|\{[^{}]*\})*\})*)`/g;
  for (const m of expr.matchAll(literal)) {
    if (!VALUE_POSITION.test(expr.slice(0, m.index))) continue; // compared or passed to a call: not a class
    if (m[3] === undefined) {
      for (const w of (m[1] ?? m[2]).split(/\s+/)) if (w) words.push({ w, glued: false });
      continue;
    }
    // A template: its static parts are classes (a part glued to a `${…}` is a prefix); its holes are expressions.
    const parts = m[3].split(/\$\{((?:[^{}]|\{[^{}]*\})*)\}/);
    parts.forEach((part, i) => {
      if (i % 2 === 1) return void words.push(...classWords(part));
      const glued = i < parts.length - 1 && !/\s$/.test(part);
      const ws = part.split(/\s+/);
      ws.forEach((w, j) => w && words.push({ w, glued: glued && j === ws.length - 1 }));
    });
  }
  return words;
}

/** Class names in className attributes of the page's views, and in class="…" of HTML they build as strings (math.ts). */
function classUses(): Use[] {
  const uses: Use[] = [];
  for (const file of [...files('src/ui', /\.tsx?$/), ...files('src/plots/views', /\.tsx?$/)]) {
    const text = readFileSync(file, 'utf8');
    const at = file.slice(root.length + 1);
    for (const m of text.matchAll(/className=(?:"([^"]*)"|\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\})/g)) {
      const words = m[1] !== undefined ? classWords(`"${m[1]}"`) : classWords(m[2]);
      for (const { w, glued } of words) uses.push({ file: at, name: w, prefix: glued });
    }
    for (const m of text.matchAll(/\bclass="([^"$]*)"/g)) {
      for (const w of m[1].split(/\s+/)) if (w) uses.push({ file: at, name: w, prefix: false });
    }
  }
  return uses;
}

describe('stylesheets', () => {
  const used = importedModules();
  const importers = stylesheetImporters();
  // The stylesheets the app really loads: imported by a module that is itself imported (or is the entry).
  const sheets = [...importers].filter(([, by]) => by.some((f) => used.has(f))).map(([sheet]) => sheet);

  it('every stylesheet under src/ui is imported by a module that is itself imported', () => {
    for (const sheet of files('src/ui', /\.css$/)) {
      const live = (importers.get(sheet) ?? []).filter((f) => used.has(f));
      expect(live, `${sheet.slice(root.length + 1)} is never loaded`).not.toEqual([]);
    }
  });

  it('every class a view uses has a rule', () => {
    const styled = classesWithRules(sheets);
    expect(styled.size).toBeGreaterThan(50);
    const uses = classUses();
    expect(uses.length).toBeGreaterThan(80);
    const missing = uses
      .filter((u) => !(u.name in NOT_STYLED_HERE))
      .filter((u) => (u.prefix ? ![...styled].some((s) => s.startsWith(u.name)) : !styled.has(u.name)))
      .map((u) => `${u.file}: .${u.name}${u.prefix ? '*' : ''}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('notices a class without a rule (the check itself works)', () => {
    const styled = classesWithRules(sheets);
    expect(styled.has('shortcut-help')).toBe(true);
    expect(styled.has('no-such-class-anywhere')).toBe(false);
  });
});
