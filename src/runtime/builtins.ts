// The globals every cell sees: tf, display, sleep, print, and the ConvLab libraries nn, data, train, kernels.
//
// The libraries load through loadLibraries(), each on its own and guarded: a library that is missing or
// throws while loading leaves a note and a stand-in that explains the failure when a cell touches it,
// instead of a kernel that never starts.
import { sleep, type DisplayHandle, type DisplayOptions } from '../cell/api';
import { IMPORTABLE_MODULES } from './compile';
import { dynamicImporter } from './dynamic-import';
import { kernelSettings } from './kernel-settings';
import type { ScopeObject } from './scope';

export const LIBRARY_NAMES = ['nn', 'data', 'train', 'kernels'] as const;
export type LibraryName = (typeof LIBRARY_NAMES)[number];

export interface LibraryLoadResult {
  libraries: Partial<Record<LibraryName, unknown>>;
  /** One line per library that could not be loaded, for the learner. */
  notes: string[];
}

export type LibraryLoader = () => Promise<unknown>;

// import.meta.glob instead of import(): a library that does not exist yet is simply absent from the map,
// where a literal dynamic import of a missing file would fail the whole build.
const LIBRARY_MODULES = import.meta.glob(['../nn/index.ts', '../data/index.ts', '../train/index.ts', '../gpu/index.ts']);
/** Where each cell global comes from: `kernels` is the GPU layer's public API. */
const LIBRARY_FOLDERS: Record<LibraryName, string> = { nn: 'nn', data: 'data', train: 'train', kernels: 'gpu' };

export function defaultLibraryLoaders(): Partial<Record<LibraryName, LibraryLoader>> {
  const loaders: Partial<Record<LibraryName, LibraryLoader>> = {};
  for (const name of LIBRARY_NAMES) {
    const load = LIBRARY_MODULES[`../${LIBRARY_FOLDERS[name]}/index.ts`];
    if (load) loaders[name] = load;
  }
  return loaders;
}

export async function loadLibraries(
  loaders: Partial<Record<LibraryName, LibraryLoader>> = defaultLibraryLoaders(),
): Promise<LibraryLoadResult> {
  const libraries: Partial<Record<LibraryName, unknown>> = {};
  const notes: string[] = [];
  await Promise.all(
    LIBRARY_NAMES.map(async (name) => {
      const load = loaders[name];
      if (!load) {
        notes.push(`The ${name} library is not available (src/${LIBRARY_FOLDERS[name]}/index.ts is missing from this build).`);
        libraries[name] = unavailable(name, `src/${LIBRARY_FOLDERS[name]}/index.ts is missing from this build`);
        return;
      }
      try {
        libraries[name] = await load();
      } catch (err) {
        const reason = (err as Error)?.message ?? String(err);
        notes.push(`The ${name} library failed to load: ${reason}`);
        libraries[name] = unavailable(name, reason);
      }
    }),
  );
  return { libraries, notes };
}

/** nn.summary when nn loaded; undefined for a missing library or its stand-in (which throws on any access). */
function summaryOf(nn: unknown): ((...args: unknown[]) => unknown) | undefined {
  try {
    const fn = (nn as { summary?: unknown } | undefined)?.summary;
    return typeof fn === 'function' ? (fn as (...args: unknown[]) => unknown).bind(nn) : undefined;
  } catch {
    return undefined;
  }
}

/** nn's views that show as they are made (see createBuiltins). */
const SHOWN_WHEN_MADE = ['shapePlot', 'graph'] as const;

/** lib[name] when it is a function; undefined for a missing library or its stand-in (which throws on any access). */
function functionOf(lib: unknown, name: string): ((...args: unknown[]) => unknown) | undefined {
  try {
    const fn = (lib as Record<string, unknown> | undefined)?.[name];
    return typeof fn === 'function' ? (fn as (...args: unknown[]) => unknown).bind(lib) : undefined;
  } catch {
    return undefined;
  }
}

/** A stand-in that fails with the load error on first use, so the cell that needs it says why. */
function unavailable(name: string, reason: string): unknown {
  const fail = (): never => {
    throw new Error(`The ${name} library is not available: ${reason}`);
  };
  return new Proxy(
    {},
    {
      get: (_t, prop) => (prop === Symbol.toPrimitive || prop === 'then' || prop === 'toMimeBundle' ? undefined : fail()),
      has: fail,
      ownKeys: () => [],
    },
  );
}

/** What the builtins need from the running kernel. */
export interface BuiltinsHost {
  /** Shows a value under the running cell; returns the display id used. */
  display(value: unknown, displayId?: string): string;
  updateDisplay(displayId: string, value: unknown): void;
  print(text: string, stream: 'stdout' | 'stderr'): void;
  newDisplayId(): string;
}

export function createBuiltins(tf: Record<string, unknown>, libraries: Partial<Record<LibraryName, unknown>>, host: BuiltinsHost): ScopeObject {
  const b = Object.create(null) as ScopeObject;
  b.tf = tf;
  for (const name of LIBRARY_NAMES) if (name in libraries) b[name] = libraries[name];

  b.display = (value: unknown, opts?: DisplayOptions): DisplayHandle | undefined => {
    const wanted = opts?.displayId;
    const id = typeof wanted === 'string' ? wanted : host.newDisplayId();
    host.display(value, id);
    // Like Jupyter: no handle unless asked, so `display(x)` as a cell's last line shows x only once.
    if (!wanted) return undefined;
    return { displayId: id, update: (next: unknown) => host.updateDisplay(id, next) };
  };
  // nn.summary(...) both returns the summary and shows it, as the lessons expect; the session
  // leaves out the cell's result when it is the same object, so it is never shown twice.
  const summarize = summaryOf(libraries.nn);
  if (summarize) {
    b.nn = Object.assign(Object.create(null), libraries.nn, {
      summary: (...args: unknown[]) => {
        const s = summarize(...args);
        // nn.summary(model, shape, { show: false }): the totals without the table (nn's SummaryOptions).
        if ((args[2] as { show?: boolean } | undefined)?.show !== false) host.display(s, host.newDisplayId());
        return s;
      },
    });
  }
  // nn.shapePlot and nn.graph show themselves as they are made too, under the display id they carry: the same on
  // every run of their cell, so that re-running it redraws the view in place instead of adding a new one.
  const shownWhenMade = SHOWN_WHEN_MADE.flatMap((name) => {
    const make = functionOf(b.nn, name);
    return make ? [[name, (...args: unknown[]) => {
      const view = make(...args);
      const id = (view as { displayId?: unknown } | null)?.displayId;
      host.display(view, typeof id === 'string' ? id : host.newDisplayId());
      return view;
    }] as const] : [];
  });
  if (shownWhenMade.length) b.nn = Object.assign(Object.create(null), b.nn, Object.fromEntries(shownWhenMade));
  b.print = (...args: unknown[]): void => {
    host.print(args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ') + '\n', 'stdout');
  };
  b.sleep = sleep;
  // Read when a cell reads it: the page's settings arrive with its first message, whenever that is.
  Object.defineProperty(b, 'QUICK', { get: () => kernelSettings().quick, enumerable: true });
  b.__import = (module: string, name: string): unknown => {
    if (!IMPORTABLE_MODULES[module]) throw new Error(`Cannot import "${module}"`);
    if (name === '*' || name === 'default') return tf;
    if (!(name in tf)) {
      const err = new Error(`'${module}' has no export named '${name}'`);
      err.name = 'ImportError';
      throw err;
    }
    return tf[name];
  };
  b.__importDynamic = dynamicImporter(tf);
  return b;
}
