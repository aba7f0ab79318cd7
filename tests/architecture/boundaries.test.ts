// The module boundaries of .dependency-cruiser.cjs, checked with dependency-cruiser on the real tree, and on a
// fixture tree with deliberate bad imports so the check is known to bite.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as IConfiguration;

/**
 * Cruises every source file under baseDir/src. The files are listed here because, with TypeScript 7 (no JS
 * compiler API), dependency-cruiser does not count .ts as scannable when given a folder; given files, it parses them.
 */
async function cruiseTree(baseDir: string): Promise<ICruiseResult> {
  const files = readdirSync(join(baseDir, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => `src/${f.split('\\').join('/')}`);
  const result = await cruise(files, { ...config.options, baseDir, ruleSet: { forbidden: config.forbidden }, validate: true });
  return result.output as ICruiseResult;
}

async function violations(baseDir: string): Promise<string[]> {
  return (await cruiseTree(baseDir)).summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe('module boundaries', () => {
  it('the source tree keeps every rule', async () => {
    expect(await violations(root)).toEqual([]);
  }, 60_000);

  it('a library importing the runtime, and the page importing tfjs, are caught', async () => {
    const found = await violations(join(__dirname, 'fixtures', 'library-imports-runtime'));
    expect(found).toContain('library-imports-runtime-or-ui: src/nn/leaky-block.ts → src/runtime/session.ts');
    expect(found.some((v) => v.startsWith('page-imports-tfjs: src/ui/view.ts → '))).toBe(true);
  });

  it('sees the whole tree (a check that finds no modules would pass vacuously)', async () => {
    const modules = (await cruiseTree(root)).modules.map((m) => m.source);
    for (const m of ['src/runtime/session.ts', 'src/gpu/index.ts', 'src/nn/index.ts', 'src/ui/App.tsx', 'src/protocol.ts', 'src/cell/context.ts']) expect(modules).toContain(m);
  }, 60_000);
});
