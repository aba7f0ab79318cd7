// Vite plugin: the editor's declarations for the cell globals, generated from our sources at build time.
// It compiles src/runtime/cell-globals.ts to .d.ts (tsconfig.cell-types.json: the globals and every module they
// reach, JSDoc kept) and serves the files as `virtual:cell-types`, a lazily imported module: a record from
// path to text, with paths under file:///node_modules/@convlab/src/ so the files' relative imports resolve in
// Monaco's TypeScript service and their '@tensorflow/tfjs' imports find tfjs's own declarations.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const VIRTUAL = 'virtual:cell-types';
const RESOLVED = '\0' + VIRTUAL;
/** Where the editor sees the declarations (a package name, so Node-style resolution finds them). */
export const CELL_TYPES_ROOT = 'file:///node_modules/@convlab/src/';

function generate(root, log) {
  // One folder per process: builds for several ports can run side by side.
  const out = join(root, '.build', `cell-types-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  try {
    const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.cell-types.json', '--outDir', out], { cwd: root, encoding: 'utf8' });
    // tsc writes declarations even when a type is wrong; the app's own tsc check (npm test) reports that.
    if (!existsSync(out)) throw new Error(`Could not generate the cell globals' declarations (tsc -p tsconfig.cell-types.json):\n${r.stdout}${r.stderr}`);
    if (r.status !== 0) log(`cell types: tsc reported problems; the editor gets the declarations it could write.\n${r.stdout}`);
    const files = {};
    for (const rel of readdirSync(out, { recursive: true, encoding: 'utf8' })) {
      if (rel.endsWith('.d.ts')) files[CELL_TYPES_ROOT + rel.split('\\').join('/')] = readFileSync(join(out, rel), 'utf8');
    }
    return files;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export function cellTypes() {
  let root = process.cwd();
  let files = null;
  let server = null;
  const log = (text) => console.warn(text);
  return {
    name: 'convlab-cell-types',
    configResolved(config) {
      root = config.root;
    },
    configureServer(devServer) {
      server = devServer;
    },
    resolveId(id) {
      return id === VIRTUAL ? RESOLVED : undefined;
    },
    load(id) {
      if (id !== RESOLVED) return undefined;
      files ??= generate(root, log);
      return `export default ${JSON.stringify(files)};`;
    },
    // The dev server regenerates after a library source changes, so the editor's types follow the code.
    watchChange(id) {
      if (!/[\\/]src[\\/].*\.ts$/.test(id) || !files) return;
      files = null;
      const mod = server?.moduleGraph.getModuleById(RESOLVED);
      if (mod) server.moduleGraph.invalidateModule(mod);
    },
  };
}
