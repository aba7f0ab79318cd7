// Loads Monaco on demand (never before first paint) and configures it once: bundled workers (no CDN),
// the TypeScript service with tfjs's types and the cell globals, and diagnostics tuned for notebook cells.
import type * as Monaco from 'monaco-editor';

export type MonacoApi = typeof Monaco;

/**
 * TypeScript errors that are not errors in a notebook: each cell is its own script, yet the kernel lets
 * cells use top-level await and re-declare names (re-running a cell must work).
 */
export const NOTEBOOK_IGNORED_DIAGNOSTICS = [
  1375, // 'await' expressions are only allowed at the top level of a file when that file is a module
  1378, // top-level 'await' needs module/target options
  1431, // 'for await' at top level
  1432, // 'for await' needs module/target options
  2451, // cannot redeclare block-scoped variable (the same const in two cells, or a cell run twice)
  2300, // duplicate identifier
  2393, // duplicate function implementation
  1108, // a 'return' statement can only be used within a function body
];

let loading: Promise<MonacoApi> | null = null;
let typesLoaded: Promise<void> | null = null;

/** Resolves once the editor knows the cells' types (tfjs and the cell globals); before that it only checks syntax. */
export function editorTypesReady(): Promise<void> {
  return loadMonaco().then(() => typesLoaded!);
}

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
    // `tf` is a UMD global (see tf-types.ts): a cell that imports something is a module and still sees it.
    allowUmdGlobalAccess: true,
    skipLibCheck: true,
    types: [],
  });
  // Until the declarations arrive only syntax is checked: `nn` and `tf` would otherwise be flagged as unknown.
  defaults.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false, diagnosticCodesToIgnore: NOTEBOOK_IGNORED_DIAGNOSTICS });
  defaults.setEagerModelSync(true);
  // The type definitions are large: they arrive a moment after the editor, which is usable meanwhile.
  // One setExtraLibs call: adding hundreds of files one by one would restart the service for each.
  typesLoaded = import('./tf-types').then(({ cellTypeLibs }) => {
    defaults.setExtraLibs(cellTypeLibs().map((lib) => ({ content: lib.content, filePath: lib.path })));
    defaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false, diagnosticCodesToIgnore: NOTEBOOK_IGNORED_DIAGNOSTICS });
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

/** The editor model of a cell: one per cell id, shared by its editor and by diagnostics. */
export function cellModelUri(monaco: MonacoApi, cellId: string): Monaco.Uri {
  return monaco.Uri.parse(`file:///cells/cell-${cellId}.ts`);
}

export interface CellDiagnostic {
  /** Position of the cell in the list given. */
  index: number;
  line: number;
  code: number;
  message: string;
}

/**
 * The TypeScript errors the editor would show for these cells, all in one program as on the page (a name one cell
 * declares is known in the others). Cells without an editor yet get a model for the check, removed after it.
 */
export async function cellDiagnostics(cells: Array<{ id: string; source: string }>): Promise<CellDiagnostic[]> {
  await editorTypesReady();
  const monaco = await loadMonaco();
  const created: Monaco.editor.ITextModel[] = [];
  const models = cells.map((c) => {
    const uri = cellModelUri(monaco, c.id);
    let model = monaco.editor.getModel(uri);
    if (!model) {
      model = monaco.editor.createModel(c.source, 'typescript', uri);
      created.push(model);
    }
    return model;
  });
  try {
    const worker = await (await monaco.typescript.getTypeScriptWorker())(...models.map((m) => m.uri));
    const found: CellDiagnostic[] = [];
    for (const [index, model] of models.entries()) {
      const uri = model.uri.toString();
      const diagnostics = [...(await worker.getSyntacticDiagnostics(uri)), ...(await worker.getSemanticDiagnostics(uri))];
      for (const d of diagnostics) {
        if (NOTEBOOK_IGNORED_DIAGNOSTICS.includes(d.code)) continue;
        const message = typeof d.messageText === 'string' ? d.messageText : d.messageText.messageText;
        found.push({ index, code: d.code, message, line: model.getPositionAt(d.start ?? 0).lineNumber });
      }
    }
    return found;
  } finally {
    for (const m of created) m.dispose();
  }
}
