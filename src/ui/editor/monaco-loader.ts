// Loads Monaco on demand (never before first paint) and configures it once: bundled workers (no CDN),
// the TypeScript service with tfjs's types and the cell globals, and diagnostics tuned for notebook cells.
import type * as Monaco from 'monaco-editor';
import cellGlobals from './cell-globals.txt?raw';

export type MonacoApi = typeof Monaco;

/**
 * TypeScript errors that are not errors in a notebook: each cell is its own script, yet the kernel lets
 * cells use top-level await and re-declare names (re-running a cell must work).
 */
const NOTEBOOK_IGNORED_DIAGNOSTICS = [
  1375, // 'await' expressions are only allowed at the top level of a file when that file is a module
  1378, // top-level 'await' needs module/target options
  1431, // 'for await' at top level
  1432, // 'for await' needs module/target options
  2451, // cannot redeclare block-scoped variable (the same const in two cells, or a cell run twice)
  2300, // duplicate identifier
  2393, // duplicate function implementation
  1108, // a 'return' statement can only be used within a function body
];

const CELL_GLOBALS_PATH = 'file:///convlab/cell-globals.d.ts';

let loading: Promise<MonacoApi> | null = null;

export function loadMonaco(): Promise<MonacoApi> {
  loading ??= setUp();
  return loading;
}

async function setUp(): Promise<MonacoApi> {
  const [monaco, { default: EditorWorker }, { default: TsWorker }] = await Promise.all([
    import('monaco-editor'),
    import('monaco-editor/editor/editor.worker?worker'),
    import('monaco-editor/languages/features/typescript/ts.worker?worker'),
  ]);
  (self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
    getWorker(_workerId: string, label: string): Worker {
      return label === 'typescript' || label === 'javascript' ? new TsWorker({ name: 'monaco-ts' }) : new EditorWorker({ name: 'monaco-editor' });
    },
  };
  const ts = monaco.typescript;
  const defaults = ts.typescriptDefaults;
  defaults.setCompilerOptions({
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.NodeJs,
    lib: ['es2022', 'dom'],
    strict: false,
    noImplicitAny: false,
    allowNonTsExtensions: true,
    skipLibCheck: true,
    types: [],
  });
  defaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false, diagnosticCodesToIgnore: NOTEBOOK_IGNORED_DIAGNOSTICS });
  defaults.setEagerModelSync(true);
  defaults.addExtraLib(cellGlobals, CELL_GLOBALS_PATH);
  // The type definitions are large: they arrive a moment after the editor, which is usable meanwhile.
  // One setExtraLibs call: adding hundreds of files one by one would restart the service for each.
  void import('./tf-types').then(({ tfjsTypeLibs }) => {
    defaults.setExtraLibs([{ content: cellGlobals, filePath: CELL_GLOBALS_PATH }, ...tfjsTypeLibs().map((lib) => ({ content: lib.content, filePath: lib.path }))]);
  });
  followPageTheme(monaco);
  return monaco;
}

/** The page theme (<html data-theme>, set by the theme toggle) wins over the system preference. */
export function pageIsDark(): boolean {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'dark' || chosen === 'light') return chosen === 'dark';
  return matchMedia('(prefers-color-scheme: dark)').matches;
}

/** Monaco's theme is global: switch it whenever the page's theme changes. */
function followPageTheme(monaco: MonacoApi): void {
  const apply = () => monaco.editor.setTheme(pageIsDark() ? 'vs-dark' : 'vs');
  new MutationObserver(apply).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', apply);
  apply();
}
