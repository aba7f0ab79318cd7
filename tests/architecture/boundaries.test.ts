// The module boundaries the architecture promises, checked on the import lines themselves:
// the page never pulls tfjs into the main thread, and model code never reaches into the UI or the worker.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)) {
    specs.push(m[1] ?? m[2] ?? m[3]);
  }
  return specs;
}

function violations(dir: string, forbidden: (spec: string, file: string) => boolean): string[] {
  // Relative imports are judged by where they land, so src/ui/kernel/… is not mistaken for src/kernel/….
  const abs = join(root, 'src', dir);
  let files: string[] = [];
  try { files = sourceFiles(abs); } catch { return []; }
  return files.flatMap((f) => importsOf(f).filter((s) => forbidden(s, f)).map((s) => `${relative(root, f)} imports ${s}`));
}

const reachesInto = (target: string) => (spec: string, file: string) =>
  spec.startsWith('.') && relative(join(root, 'src', target), resolve(dirname(file), spec)).split(/[\\/]/)[0] !== '..';

describe('module boundaries', () => {
  it('recognises an import that lands in another module, and one that only shares its name', () => {
    const uiFile = join(root, 'src', 'ui', 'App.tsx');
    expect(reachesInto('kernel')('../kernel/worker', uiFile)).toBe(true);
    expect(reachesInto('kernel')('./kernel/controller', uiFile)).toBe(false);
    expect(reachesInto('ui')('../../ui/App', join(root, 'src', 'nn', 'blocks', 'dense.ts'))).toBe(true);
  });

  it('the UI never imports tfjs (tfjs lives in the kernel worker)', () => {
    expect(violations('ui', (s) => s.startsWith('@tensorflow/'))).toEqual([]);
    expect(violations('notebook', (s) => s.startsWith('@tensorflow/'))).toEqual([]);
  });

  it('model blocks and the kernel layer never import the UI or the notebook kernel', () => {
    for (const dir of ['nn', 'kernels']) {
      expect(violations(dir, (s, f) => reachesInto('ui')(s, f) || reachesInto('kernel')(s, f))).toEqual([]);
    }
  });

  it('the notebook document model imports neither React nor the UI', () => {
    expect(violations('notebook', (s, f) => s === 'react' || s.startsWith('react-') || reachesInto('ui')(s, f))).toEqual([]);
  });

  it('the page reaches the kernel only through the protocol and the client', () => {
    const allowed = /kernel\/(protocol|client)$/;
    expect(violations('ui', (s, f) => reachesInto('kernel')(s, f) && !allowed.test(s))).toEqual([]);
  });
});
