// What an error output says: a compile error with its line, column and the offending source line (as Python shows
// syntax errors), a runtime error with its stack mapped to the cell's own lines, or a thrown non-Error as itself.
import type { ErrorOutput } from '../protocol';
import { CellCompileError } from './compile';
import type { CellRegistry } from './cell-runner';
import { inspect } from './inspect';

export function errorContent(err: unknown, label: string, source: string, cellId: number | undefined, registry: CellRegistry): ErrorOutput['content'] {
  if (err instanceof CellCompileError) {
    const where = err.line ? `${label}, line ${err.line}${err.column ? `:${err.column}` : ''}` : label;
    return {
      ename: err.name,
      evalue: err.message,
      traceback: [`${err.name}: ${err.message}`, `    at ${where}`, ...excerpt(source, err.line, err.column)],
      line: err.line,
      column: err.column,
    };
  }
  if (err instanceof Error) {
    const loc = cellId === undefined ? undefined : registry.locate(err, cellId);
    return {
      ename: err.name || 'Error',
      evalue: err.message,
      traceback: [`${err.name || 'Error'}: ${err.message}`, ...registry.traceback(err)],
      line: loc?.line,
      column: loc?.column,
    };
  }
  // `throw "text"` or a thrown plain object: no stack to map.
  return { ename: 'Uncaught', evalue: inspect(err), traceback: [`Uncaught ${inspect(err)}`] };
}

/** The offending source line with a caret under the column. */
function excerpt(source: string, line?: number, column?: number): string[] {
  if (!line) return [];
  const text = source.split('\n')[line - 1];
  if (text === undefined) return [];
  const gutter = `${line} | `;
  const out = [`${gutter}${text}`];
  if (column) out.push(`${' '.repeat(gutter.length - 2)}| ${' '.repeat(Math.max(0, column - 1))}^`);
  return out;
}
