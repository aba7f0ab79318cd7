// The cell compiler: TypeScript cell source → the body of a function that runs in the notebook scope.
//
// Why a rewrite instead of running the cell as a module: cells must share one scope (a `const` in cell 2 is
// seen by cell 5, re-running redefines it), the last expression is the cell's result, and every `await`
// must be a point where an interrupt can land. The runner wraps the body in
// `with (__builtins) { with (__scope) { return (async () => { <body> })() } }`, so top-level declarations
// become plain assignments that land on __scope (their names are pre-created there), and free names
// resolve through the scope, then the builtins, then the worker's globals.
//
// Every edit stays inside its own lines, so line N of the body is line N of the cell.
import { transform } from 'sucrase';
import { parse, type Node } from 'acorn';
import * as walk from 'acorn-walk';
import { TextEdits } from './text-edits';

export interface CompiledCell {
  /** JavaScript statements for the async body; line N is the cell's line N. */
  body: string;
  /** Names the cell declares at top level (const/let/var/function/class/import): they live in the notebook scope. */
  declaredNames: string[];
  /** Function declarations: hoisted inside the body, copied onto the scope before the first statement runs. */
  hoistedFunctions: string[];
  /** True when the last statement is an expression whose value the body returns. */
  hasResult: boolean;
  /** The JavaScript that sucrase produced, before the scope rewrite (for column mapping). */
  js: string;
}

/** A cell that cannot run as written: bad syntax or an import the notebook cannot satisfy. */
export class CellCompileError extends Error {
  constructor(
    name: 'SyntaxError' | 'ImportError' | 'ExportError',
    message: string,
    /** 1-based line in the cell. */
    readonly line?: number,
    /** 1-based column in the cell. */
    readonly column?: number,
  ) {
    super(message);
    this.name = name;
  }
}

/** Modules a cell may import, and the builtin each one maps to. */
export const IMPORTABLE_MODULES: Record<string, string> = {
  '@tensorflow/tfjs': 'tf',
  '@tensorflow/tfjs-core': 'tf',
  '@tensorflow/tfjs-layers': 'tf',
};

// acorn's nodes are walked generically (declarations, patterns, specifiers of every ESTree kind): typing each
// shape would restate ESTree here.
// oxlint-disable-next-line typescript/no-explicit-any
type AnyNode = Node & Record<string, any>;

export function compileCell(source: string): CompiledCell {
  const asObject = tryAsObjectLiteral(source);
  if (asObject) return asObject;
  return compileStatements(source);
}

/**
 * `{ a: 1, b: 2 }` typed alone is a block to JavaScript but an object to anyone at a REPL; like the browser
 * consoles, a cell that is wrapped in braces is first tried as a parenthesised expression.
 */
function tryAsObjectLiteral(source: string): CompiledCell | null {
  if (!/^\s*\{/.test(source) || !/\}\s*;?\s*$/.test(source)) return null;
  const wrapped = source.replace(/^(\s*)\{/, '$1({').replace(/\}(\s*;?\s*)$/, '})$1');
  try {
    const compiled = compileStatements(wrapped);
    return compiled.hasResult ? compiled : null;
  } catch {
    return null;
  }
}

function compileStatements(source: string): CompiledCell {
  const js = toJavaScript(source);
  const program = parseJavaScript(js);
  const edits = new TextEdits(js);
  const declared = new Set<string>();
  const hoisted: string[] = [];

  for (const statement of program.body as AnyNode[]) {
    rewriteTopLevel(statement, edits, declared, hoisted);
  }

  const last = [...(program.body as AnyNode[])].reverse().find((s) => s.type !== 'EmptyStatement');
  // A lone string literal parses as a directive, but in a notebook it is a value the learner wants to see.
  const hasResult = last?.type === 'ExpressionStatement';
  if (hasResult) {
    // The statement's own range, because the expression's excludes any parentheses around it.
    const end = js[last.end - 1] === ';' ? last.end - 1 : last.end;
    edits.open(last.start, 'return (');
    edits.close(end, ')');
  }

  wrapAwaits(program, edits);
  rewriteDynamicImports(program, edits);

  return { body: edits.apply(), declaredNames: [...declared], hoistedFunctions: hoisted, hasResult, js };
}

function toJavaScript(source: string): string {
  try {
    return transform(source, {
      transforms: ['typescript'],
      disableESTransforms: true,
      // A cell's imports declare notebook names even when this cell does not use them.
      keepUnusedImports: true,
    }).code;
  } catch (err) {
    const e = err as { message?: string; loc?: { line: number; column: number } };
    const message = (e.message ?? String(err)).replace(/\s*\(\d+:\d+\)\s*$/, '');
    throw new CellCompileError('SyntaxError', message, e.loc?.line, e.loc ? e.loc.column + 1 : undefined);
  }
}

function parseJavaScript(js: string): AnyNode {
  try {
    return parse(js, {
      ecmaVersion: 'latest',
      sourceType: 'module',
      allowAwaitOutsideFunction: true,
      locations: true,
    }) as AnyNode;
  } catch (err) {
    const e = err as { message?: string; loc?: { line: number; column: number } };
    const message = (e.message ?? String(err)).replace(/\s*\(\d+:\d+\)\s*$/, '');
    throw new CellCompileError('SyntaxError', message, e.loc?.line, e.loc ? e.loc.column + 1 : undefined);
  }
}

function rewriteTopLevel(node: AnyNode, edits: TextEdits, declared: Set<string>, hoisted: string[]): void {
  switch (node.type) {
    case 'VariableDeclaration':
      rewriteVariableDeclaration(node, edits, declared);
      return;
    case 'FunctionDeclaration':
      declared.add(node.id.name);
      hoisted.push(node.id.name);
      return;
    case 'ClassDeclaration':
      declared.add(node.id.name);
      edits.open(node.start, `;${node.id.name} = `);
      edits.close(node.end, ';');
      return;
    case 'ImportDeclaration':
      rewriteImport(node, edits, declared);
      return;
    case 'ExportNamedDeclaration':
      if (node.declaration) {
        // `export` means nothing in a notebook; the declaration still joins the shared scope.
        edits.replace(node.start, node.declaration.start, '');
        rewriteTopLevel(node.declaration, edits, declared, hoisted);
        return;
      }
      throw exportError(node);
    case 'ExportDefaultDeclaration':
    case 'ExportAllDeclaration':
      throw exportError(node);
    default:
      return;
  }
}

function exportError(node: AnyNode): CellCompileError {
  return new CellCompileError(
    'ExportError',
    'Cells cannot export: every top-level name is already shared with the other cells',
    node.loc!.start.line,
    node.loc!.start.column + 1,
  );
}

function rewriteVariableDeclaration(node: AnyNode, edits: TextEdits, declared: Set<string>): void {
  const declarators = node.declarations as AnyNode[];
  // The leading `;` keeps a parenthesised assignment from being read as a call on the previous line.
  edits.replace(node.start, declarators[0].start, ';');
  // Created before the declarators' own closing text, so that it lands after them (closers nest inner-first).
  edits.close(declarators[declarators.length - 1].end, ';');
  for (const d of declarators) {
    for (const name of patternNames(d.id)) declared.add(name);
    if (d.init) {
      edits.open(d.start, '(');
      edits.close(d.end, ')');
    } else if (node.kind === 'var') {
      // `var x;` never resets x in JavaScript; keep that, but the statement must stay an expression.
      edits.replace(d.start, d.end, 'void 0');
    } else {
      edits.open(d.start, '(');
      edits.close(d.end, ' = undefined)');
    }
  }
}

/** Binding names in a declaration pattern: `a`, `{b, c: [d = 1, ...e]}`, `{...f}`. */
export function patternNames(pattern: AnyNode): string[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'ObjectPattern':
      return (pattern.properties as AnyNode[]).flatMap((p) => patternNames(p.type === 'RestElement' ? p.argument : p.value));
    case 'ArrayPattern':
      return (pattern.elements as Array<AnyNode | null>).flatMap((el) => (el ? patternNames(el) : []));
    case 'RestElement':
      return patternNames(pattern.argument);
    case 'AssignmentPattern':
      return patternNames(pattern.left);
    default:
      return [];
  }
}

function rewriteImport(node: AnyNode, edits: TextEdits, declared: Set<string>): void {
  const module = String(node.source.value);
  const builtin = IMPORTABLE_MODULES[module];
  if (!builtin) {
    throw new CellCompileError(
      'ImportError',
      `Cannot import "${module}": cells run in the browser and can only import '@tensorflow/tfjs' ` +
        `(also available as the global tf). The ConvLab libraries are globals too: nn, data, train, kernels.`,
      node.loc!.start.line,
      node.loc!.start.column + 1,
    );
  }
  const parts: string[] = [];
  for (const spec of node.specifiers as AnyNode[]) {
    const local = spec.local.name as string;
    declared.add(local);
    const imported =
      spec.type === 'ImportNamespaceSpecifier' || spec.type === 'ImportDefaultSpecifier'
        ? '*'
        : spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value);
    parts.push(`(${local} = __import(${JSON.stringify(module)}, ${JSON.stringify(imported)}))`);
  }
  // A bare `import '@tensorflow/tfjs'` has nothing to bind: the global is already there.
  edits.replace(node.start, node.end, parts.length ? `;${parts.join(', ')};` : ';');
}

/**
 * `import(x)` → `__importDynamic(x)`: the builtin serves the modules a static import may name and turns a failed
 * load into an ImportError that says what cells can import, where the browser's own message names neither.
 */
function rewriteDynamicImports(program: AnyNode, edits: TextEdits): void {
  walk.full(program, (n) => {
    const node = n as AnyNode;
    if (node.type === 'ImportExpression') edits.replace(node.start, node.source.start, '__importDynamic(');
  });
}

/** `await x` → `await __ck((x))`: after the value settles, an interrupt requested meanwhile throws. */
function wrapAwaits(program: AnyNode, edits: TextEdits): void {
  const awaits: AnyNode[] = [];
  walk.full(program, (n) => {
    if (n.type === 'AwaitExpression') awaits.push(n as AnyNode);
  });
  // Outer awaits first, so that nested wrappers open inside outer ones.
  awaits.sort((a, b) => a.start - b.start || b.end - a.end);
  for (const a of awaits) {
    edits.open(a.argument.start, '__ck((');
    edits.close(a.argument.end, '))');
  }
}
