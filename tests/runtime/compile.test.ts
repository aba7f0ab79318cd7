// The cell compiler, exercised by running compiled cells against a real notebook scope.
import { afterEach, describe, expect, it } from 'vitest';
import { compileCell, CellCompileError } from '../../src/runtime/compile';
import { CellRegistry } from '../../src/runtime/cell-runner';
import { NotebookScope, type ScopeObject } from '../../src/runtime/scope';
import { interruptibleAwait } from '../../src/runtime/interrupt';
import { clearInterrupt, requestInterrupt } from '../../src/cell/context';
import { INTERRUPTED_ENAME } from '../../src/protocol';

const fakeTf = { tensor: (v: number[]) => ({ fake: v }), add: (a: number, b: number) => a + b, version: 'fake' };

function makeNotebook() {
  const scope = new NotebookScope();
  const registry = new CellRegistry();
  const builtins = Object.create(null) as ScopeObject;
  builtins.tf = fakeTf;
  builtins.__import = (module: string, name: string) => (name === '*' ? fakeTf : (fakeTf as Record<string, unknown>)[name]);
  let n = 0;
  return {
    scope,
    registry,
    async run(source: string): Promise<unknown> {
      const compiled = compileCell(source);
      scope.declare(compiled.declaredNames);
      const { fn } = registry.instantiate(compiled, `Cell ${++n}`);
      return fn(scope.vars, builtins, interruptibleAwait);
    },
    /** Runs and returns the error with its location in the cell. */
    async fail(source: string) {
      try {
        await this.run(source);
      } catch (err) {
        return { err: err as Error, loc: registry.locate(err) };
      }
      throw new Error('expected the cell to fail');
    },
  };
}

afterEach(() => clearInterrupt());

describe('top-level declarations join the notebook scope', () => {
  it('const in one cell is visible in a later cell', async () => {
    const nb = makeNotebook();
    await nb.run('const a = 2');
    await nb.run('let other = 1;');
    expect(await nb.run('a * 21')).toBe(42);
    expect(nb.scope.get('a')).toBe(2);
  });

  it('let and var, with and without initialisers', async () => {
    const nb = makeNotebook();
    await nb.run('let x = 1\nvar y = 2\nlet z\nvar w');
    expect(nb.scope.get('x')).toBe(1);
    expect(nb.scope.get('y')).toBe(2);
    expect(nb.scope.has('z')).toBe(true);
    expect(nb.scope.get('z')).toBeUndefined();
    expect(nb.scope.has('w')).toBe(true);
    expect(await nb.run('x + y')).toBe(3);
  });

  it('let without an initialiser resets on re-run, var keeps its value (as in JavaScript)', async () => {
    const nb = makeNotebook();
    await nb.run('let p = 5; var q = 6');
    await nb.run('let p; var q;');
    expect(nb.scope.get('p')).toBeUndefined();
    expect(nb.scope.get('q')).toBe(6);
  });

  it('multiple declarators in one statement', async () => {
    const nb = makeNotebook();
    const compiled = compileCell('const a = 1, b = a + 1, f = () => 3, c = f() + b');
    expect(compiled.declaredNames.sort()).toEqual(['a', 'b', 'c', 'f']);
    await nb.run('const a = 1, b = a + 1, f = () => 3, c = f() + b');
    expect(await nb.run('[a, b, c]')).toEqual([1, 2, 5]);
  });

  it('object and array destructuring with defaults and rest', async () => {
    const nb = makeNotebook();
    await nb.run(`const { a, b: { c = 7 } = {}, ...rest } = { a: 1, d: 4, e: 5 };
const [first, , third = 30, ...others] = [10, 20, undefined, 40, 50];`);
    expect(await nb.run('({ a, c, rest, first, third, others })')).toEqual({
      a: 1, c: 7, rest: { d: 4, e: 5 }, first: 10, third: 30, others: [40, 50],
    });
  });

  it('function declarations are hoisted and shared', async () => {
    const nb = makeNotebook();
    const result = await nb.run('const v = twice(4)\nfunction twice(n: number): number { return 2 * n }\nv');
    expect(result).toBe(8);
    expect(await nb.run('twice(10)')).toBe(20);
  });

  it('functions defined earlier see names defined later in other cells', async () => {
    const nb = makeNotebook();
    await nb.run('function useLater() { return later + 1 }');
    await nb.run('const later = 41');
    expect(await nb.run('useLater()')).toBe(42);
  });

  it('class declarations are shared, with TypeScript members', async () => {
    const nb = makeNotebook();
    await nb.run(`class Counter<T> {
  private n: number = 0;
  constructor(public label: T) {}
  inc(): number { return ++this.n }
}`);
    expect(await nb.run('const c = new Counter<string>("x"); c.inc(); c.inc()')).toBe(2);
    expect(await nb.run('c.label')).toBe('x');
  });

  it('re-running a cell redefines its names', async () => {
    const nb = makeNotebook();
    await nb.run('const k = 1; function g() { return "old" }');
    await nb.run('const k = 2; function g() { return "new" }');
    expect(await nb.run('[k, g()]')).toEqual([2, 'new']);
  });

  it('declarations inside blocks and loops stay local', async () => {
    const nb = makeNotebook();
    await nb.run('for (let i = 0; i < 3; i++) { const inner = i }\nif (true) { let blockLocal = 1 }');
    expect(nb.scope.has('i')).toBe(false);
    expect(nb.scope.has('inner')).toBe(false);
    expect(nb.scope.has('blockLocal')).toBe(false);
  });
});

describe('the last expression is the result', () => {
  it('with or without a semicolon, or a trailing comment', async () => {
    const nb = makeNotebook();
    expect(await nb.run('1 + 1')).toBe(2);
    expect(await nb.run('1 + 2;')).toBe(3);
    expect(await nb.run('const t = 4\nt * 2 // doubled\n')).toBe(8);
    expect(await nb.run('5 /* five */ ;\n/* done */\n')).toBe(5);
    expect(await nb.run('6;;')).toBe(6);
  });

  it('a cell that is only a string literal shows the string (not a directive)', async () => {
    const nb = makeNotebook();
    expect(await nb.run('"second"')).toBe('second');
    expect(await nb.run("'use strict'\n'shown'")).toBe('shown');
  });

  it('an object literal, parenthesised or bare', async () => {
    const nb = makeNotebook();
    expect(await nb.run('({ a: 1, b: [2, 3] })')).toEqual({ a: 1, b: [2, 3] });
    expect(await nb.run('{ a: 1, b: "two" }')).toEqual({ a: 1, b: 'two' });
    // A real block stays a block.
    expect(await nb.run('{ const inBlock = 3 }')).toBeUndefined();
  });

  it('no result after a declaration or a loop', async () => {
    const nb = makeNotebook();
    expect(compileCell('const a = 1').hasResult).toBe(false);
    expect(await nb.run('const a = 1')).toBeUndefined();
    expect(await nb.run('let s = 0\nfor (const v of [1, 2]) s += v')).toBeUndefined();
    expect(await nb.run('function h() {}')).toBeUndefined();
    expect(await nb.run('s')).toBe(3);
  });
});

describe('await', () => {
  it('works at top level', async () => {
    const nb = makeNotebook();
    await nb.run('const v = await Promise.resolve(20)');
    expect(await nb.run('await new Promise<number>((r) => setTimeout(() => r(v + 1), 5))')).toBe(21);
  });

  it('every await becomes interruptible, including inside nested functions', async () => {
    const nb = makeNotebook();
    const compiled = compileCell('async function f() { return await g(await h()) }\nawait f()');
    expect(compiled.body.match(/__ck\(/g)?.length).toBe(3);
    await nb.run('let steps = 0\nasync function loop() { while (true) { await Promise.resolve(); steps++ } }');
    const running = nb.run('await loop()');
    await new Promise((r) => setTimeout(r, 20));
    requestInterrupt();
    await expect(running).rejects.toMatchObject({ name: INTERRUPTED_ENAME });
    expect(nb.scope.get('steps')).toBeGreaterThan(0);
  });

  it('a flag set by a message handler stops a loop that only awaits resolved values', async () => {
    const nb = makeNotebook();
    const running = nb.run('let n = 0\nwhile (true) { await 0; n++ }');
    setTimeout(() => requestInterrupt(), 30);
    const failure = await running.catch((e: Error) => e);
    expect((failure as Error).name).toBe(INTERRUPTED_ENAME);
  });
});

describe('source text that only looks like code', () => {
  it('keywords inside strings, template literals and comments are left alone', async () => {
    const nb = makeNotebook();
    const result = await nb.run(`// const notDeclared = 1
const s1 = "const x = await y";
const s2 = \`await \${"const"} \${1 + 1}\`; /* let z = 3 */
[s1, s2]`);
    expect(result).toEqual(['const x = await y', 'await const 2']);
    expect(nb.scope.has('notDeclared')).toBe(false);
    expect(nb.scope.has('z')).toBe(false);
  });
});

describe('TypeScript-only syntax', () => {
  it('types, interfaces, generics, `as`, type aliases and enums', async () => {
    const nb = makeNotebook();
    const result = await nb.run(`interface Shape { h: number; w: number }
type Pair<T> = [T, T];
function area<T extends Shape>(s: T): number { return s.h * s.w }
const shape = { h: 3, w: 4 } as Shape;
const pair: Pair<number> = [1, 2];
enum Color { Red, Green }
const g = <T,>(x: T): T => x;
[area(shape), pair, Color.Green, g<string>('ok')] as const`);
    expect(result).toEqual([12, [1, 2], 1, 'ok']);
    expect(compileCell('interface I { a: number }').declaredNames).toEqual([]);
  });
});

describe('errors point at the cell line', () => {
  it('a syntax error reports its line and column', () => {
    let caught: unknown;
    try {
      compileCell('const a = 1\nconst b = 2\nconst c = ;\n');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CellCompileError);
    expect((caught as CellCompileError).name).toBe('SyntaxError');
    expect((caught as CellCompileError).line).toBe(3);
    expect((caught as CellCompileError).column).toBeGreaterThan(1);
  });

  it('a runtime throw on line 3 reports line 3', async () => {
    const nb = makeNotebook();
    const { err, loc } = await nb.fail('const a = 1\nconst b = a + 1\nthrow new Error("boom " + b)\n');
    expect(err.message).toBe('boom 2');
    expect(loc?.line).toBe(3);
    // V8 reports where the Error was constructed: `new` is at column 7.
    expect(loc?.column).toBe(7);
    expect(loc?.label).toBe('Cell 1');
  });

  it('a TypeError in a rewritten declaration keeps its line, after an await, with types stripped', async () => {
    const nb = makeNotebook();
    const { err, loc } = await nb.fail('const o: any = null\nawait Promise.resolve()\n\nconst v: number = o.missing.deeper\n');
    expect(err).toBeInstanceOf(TypeError);
    expect(loc?.line).toBe(4);
  });

  it('an error inside a function from an earlier cell names that cell in the traceback', async () => {
    const nb = makeNotebook();
    await nb.run('// helper\nfunction explode() {\n  throw new RangeError("bad")\n}');
    const { err } = await nb.fail('const x = 1\nexplode()');
    const tb = nb.registry.traceback(err).join('\n');
    expect(tb).toContain('Cell 1, line 3');
    expect(tb).toContain('Cell 2, line 2');
    expect(nb.registry.locate(err)?.label).toBe('Cell 1');
  });
});

describe('imports', () => {
  it('tfjs imports map onto the tf global', async () => {
    const nb = makeNotebook();
    await nb.run("import * as tfx from '@tensorflow/tfjs';\nimport { add, tensor as mk } from '@tensorflow/tfjs'");
    expect(await nb.run('[tfx.version, add(2, 3), mk([1])]')).toEqual(['fake', 5, { fake: [1] }]);
    // Imports that the cell does not use still declare their names.
    expect(compileCell("import { add } from '@tensorflow/tfjs'").declaredNames).toEqual(['add']);
  });

  it('a multi-line import keeps the following line numbers', async () => {
    const nb = makeNotebook();
    const { loc } = await nb.fail("import {\n  add,\n} from '@tensorflow/tfjs'\nthrow new Error('line 4')");
    expect(loc?.line).toBe(4);
  });

  it('any other module is a clear compile error naming it', () => {
    expect(() => compileCell("const a = 1\nimport _ from 'lodash'")).toThrowError(/Cannot import "lodash"/);
    try {
      compileCell("const a = 1\nimport _ from 'lodash'");
    } catch (err) {
      expect((err as CellCompileError).name).toBe('ImportError');
      expect((err as CellCompileError).line).toBe(2);
    }
  });

  it('export is stripped from declarations and refused otherwise', async () => {
    const nb = makeNotebook();
    await nb.run('export const shared = 9');
    expect(nb.scope.get('shared')).toBe(9);
    expect(() => compileCell('export default 1')).toThrowError(/Cells cannot export/);
  });
});

describe('dynamic import', () => {
  it('goes through the __importDynamic builtin, inside the interrupt check of its await, on its own line', () => {
    const compiled = compileCell("const a = 1;\nconst m = await import('./x.js').then((mod) => mod);\nawait import ('y')");
    expect(compiled.body).toContain("await __ck((__importDynamic('./x.js').then((mod) => mod)))");
    expect(compiled.body).toContain("await __ck((__importDynamic('y')))");
    expect(compiled.body.split('\n')).toHaveLength(3);
    expect(compiled.body).not.toMatch(/\bimport\s*\(/);
  });
});
