// TensorFlow.js's type definitions for the editor's TypeScript service, so that `tf.` completes.
// This module is imported only when the first editor opens: the definitions are megabytes of text,
// bundled into this one lazy chunk instead of hundreds of tiny ones.
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

export function tfjsTypeLibs(): ExtraLib[] {
  const libs: ExtraLib[] = [];
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
  return libs;
}
