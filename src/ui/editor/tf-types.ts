// The declarations the editor's TypeScript service needs for cells: TensorFlow.js's own .d.ts files, the `tf`
// global built from them, and the cell globals generated from our sources (nn, data, train, kernels, display,
// sleep; scripts/vite-cell-types.mjs). This module is imported only when the first editor opens: the
// definitions are megabytes of text, bundled into this one lazy chunk instead of hundreds of tiny ones.
import cellTypes from 'virtual:cell-types';

const files = import.meta.glob(
  [
    '/node_modules/@tensorflow/tfjs/dist/**/*.d.ts',
    '/node_modules/@tensorflow/tfjs-core/dist/**/*.d.ts',
    '/node_modules/@tensorflow/tfjs-layers/dist/**/*.d.ts',
    '/node_modules/@tensorflow/tfjs-converter/dist/**/*.d.ts',
    '/node_modules/@tensorflow/tfjs-data/dist/**/*.d.ts',
    '/node_modules/@tensorflow/tfjs-backend-cpu/dist/**/*.d.ts',
    '/node_modules/@tensorflow/tfjs-backend-webgl/dist/**/*.d.ts',
  ],
  { query: '?raw', import: 'default', eager: true },
) as Record<string, string>;

export interface ExtraLib {
  /** file:///node_modules/... so the editor's module resolution finds `@tensorflow/tfjs` as Node would. */
  path: string;
  content: string;
}

/**
 * `tf` in a cell is the whole @tensorflow/tfjs module, as a value and as a namespace (`x as tf.Tensor4D`): a UMD
 * global declaration says exactly that.
 */
const TF_GLOBAL: ExtraLib = {
  path: 'file:///node_modules/@convlab/tf-global/index.d.ts',
  content: "export * from '@tensorflow/tfjs';\nexport as namespace tf;\n",
};

export function cellTypeLibs(): ExtraLib[] {
  const libs: ExtraLib[] = [TF_GLOBAL];
  const packages = new Set<string>();
  for (const [path, content] of Object.entries(files)) {
    libs.push({ path: `file://${path}`, content });
    const pkg = /^\/node_modules\/(@tensorflow\/[^/]+)\//.exec(path)?.[1];
    if (pkg) packages.add(pkg);
  }
  // Module resolution reads each package's package.json for its "types" entry.
  for (const pkg of packages) {
    libs.push({ path: `file:///node_modules/${pkg}/package.json`, content: JSON.stringify({ name: pkg, types: 'dist/index.d.ts' }) });
  }
  for (const [path, content] of Object.entries(cellTypes)) libs.push({ path, content });
  return libs;
}
