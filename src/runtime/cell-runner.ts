// Turns a compiled cell into a running function, and maps stack traces back onto the cells.
//
// Each execution gets its own sourceURL (`convlab-cell-<n>.ts`), so a frame in a function that cell 2
// defined and cell 5 called still names cell 2. The header that wraps the body adds a fixed number
// of lines, measured once by throwing from a probe, so the mapping holds whatever the engine adds.
import type { CompiledCell } from './compile';
import type { ScopeObject } from './scope';
import { TextEdits } from './text-edits';

export type InterruptCheck = <T>(value: T) => Promise<Awaited<T>>;
export type CellFunction = (scope: ScopeObject, builtins: ScopeObject, ck: InterruptCheck) => Promise<unknown>;

export interface CellLocation {
  label: string;
  /** 1-based line and column in that cell's own source. */
  line: number;
  column?: number;
}

interface RegisteredCell {
  label: string;
  compiled: CompiledCell;
}

const URL_PREFIX = 'convlab-cell-';
const FRAME_URL = /convlab-cell-(\d+)\.ts:(\d+)(?::(\d+))?/;
/** Enough history for tracebacks through functions defined many cells ago, without growing forever. */
const MAX_REMEMBERED = 2000;

function header(hoisted: string[]): string {
  const exports = hoisted.map((name) => `__scope[${JSON.stringify(name)}] = ${name};`).join(' ');
  return `with (__builtins) { with (__scope) { return (async () => { ${exports}\n`;
}

function footer(url: string): string {
  return `\n})(); } }\n//# sourceURL=${url}`;
}

function build(body: string, hoisted: string[], url: string): CellFunction {
  // Sloppy mode on purpose: `with` is what lets free names resolve through the notebook scope.
  return new Function('__scope', '__builtins', '__ck', header(hoisted) + body + footer(url)) as CellFunction;
}

/** Frames a stack keeps: a cell's frame lies below tfjs's own (an op's shape check is 11 frames deep on the CPU). */
const CELL_STACK_FRAMES = 100;

/**
 * V8 keeps 10 frames by default, which cuts the cell's frame off the errors tfjs throws, and with it the line that
 * errors and shape hints point at. Called before a cell runs; never lowers a limit someone raised further.
 */
export function keepCellFramesInStacks(): void {
  const limited = Error as { stackTraceLimit?: number };
  if (typeof limited.stackTraceLimit === 'number' && limited.stackTraceLimit < CELL_STACK_FRAMES) {
    limited.stackTraceLimit = CELL_STACK_FRAMES;
  }
}

let measuredOffset: number | null | undefined;

/** Lines the engine reports before the body's first line (null when its stacks do not name our URL). */
export function headerLineOffset(): number | null {
  if (measuredOffset !== undefined) return measuredOffset;
  const url = `${URL_PREFIX}0.ts`;
  let stack = '';
  try {
    // Same header minus `async`, so the probe throws synchronously and the stack is at hand.
    const sync = header([]).replace('async () =>', '() =>');
    new Function('__scope', '__builtins', '__ck', sync + 'throw new Error("probe")' + footer(url))({}, {}, null);
  } catch (err) {
    stack = String((err as Error).stack ?? '');
  }
  const m = FRAME_URL.exec(stack);
  measuredOffset = m ? Number(m[2]) - 1 : null;
  return measuredOffset;
}

export class CellRegistry {
  private readonly cells = new Map<number, RegisteredCell>();
  private next = 1;

  /** Builds the function for one execution of a cell; `label` is what tracebacks call it ("Cell 3"). */
  instantiate(compiled: CompiledCell, label: string): { fn: CellFunction; id: number } {
    const id = this.next++;
    this.cells.set(id, { label, compiled });
    if (this.cells.size > MAX_REMEMBERED) this.cells.delete(this.cells.keys().next().value as number);
    return { fn: build(compiled.body, compiled.hoistedFunctions, `${URL_PREFIX}${id}.ts`), id };
  }

  /** Where in a cell an error was thrown: the innermost frame that lies in cell code. */
  locate(err: unknown, onlyCell?: number): CellLocation | undefined {
    const stack = stackOf(err);
    for (const line of stack.split('\n')) {
      const m = FRAME_URL.exec(line);
      if (!m) continue;
      const id = Number(m[1]);
      if (onlyCell !== undefined && id !== onlyCell) continue;
      const loc = this.mapFrame(id, Number(m[2]), m[3] ? Number(m[3]) : undefined);
      if (loc) return loc;
    }
    return undefined;
  }

  /**
   * The stack as a learner wants to read it: cell frames renamed to "Cell 3, line 2", the worker's
   * own frames below the outermost cell frame dropped.
   */
  traceback(err: unknown): string[] {
    const lines = stackOf(err).split('\n').filter((l) => /^\s+at\s|@/.test(l));
    let lastCell = -1;
    lines.forEach((l, i) => {
      if (FRAME_URL.test(l)) lastCell = i;
    });
    const kept = lastCell >= 0 ? lines.slice(0, lastCell + 1) : lines.slice(0, 8);
    return collapseRepeats(kept.map((l) => {
      const m = FRAME_URL.exec(l);
      if (!m) return l.trimEnd();
      const loc = this.mapFrame(Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : undefined);
      // The wrapper's own lines (before and after the cell's source) mean nothing to a learner.
      if (!loc) return '';
      const where = `${loc.label}, line ${loc.line}${loc.column ? `:${loc.column}` : ''}`;
      return l.replace(FRAME_URL, where).replace(/\beval\b/, '<cell>').trimEnd();
    }).filter((l) => l !== ''));
  }

  private mapFrame(id: number, reportedLine: number, reportedColumn?: number): CellLocation | undefined {
    const cell = this.cells.get(id);
    const offset = headerLineOffset();
    if (!cell || offset === null) return undefined;
    const line = reportedLine - offset;
    const lineCount = cell.compiled.body.split('\n').length;
    if (line < 1 || line > lineCount) return undefined;
    const column =
      reportedColumn === undefined
        ? undefined
        : TextEdits.mapColumn(cell.compiled.js, cell.compiled.body, line, reportedColumn - 1) + 1;
    return { label: cell.label, line, column };
  }
}

/** Runs of one frame (deep recursion) as Python prints them: the frame once, then how many more times it came. */
function collapseRepeats(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i + 1;
    while (j < lines.length && lines[j] === lines[i]) j++;
    out.push(lines[i]);
    if (j - i > 1) out.push(`    [Previous line repeated ${j - i - 1} more time${j - i > 2 ? 's' : ''}]`);
    i = j;
  }
  return out;
}

function stackOf(err: unknown): string {
  if (err && typeof err === 'object' && 'stack' in err) return String((err as { stack: unknown }).stack ?? '');
  return '';
}
