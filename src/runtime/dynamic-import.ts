// What `import(x)` in a cell runs (the compiler rewrites it to `__importDynamic(x)`).
//
// The modules a static import may name come from the builtins, as they do for `import * as tf from
// '@tensorflow/tfjs'`; anything else is loaded by the browser as an ES module, and when that fails the error says
// what a cell can import, where the browser's own ("Failed to resolve module specifier") names neither.
import { IMPORTABLE_MODULES } from './compile';

export function dynamicImporter(tf: Record<string, unknown>, load: (url: string) => Promise<unknown> = (url) => import(/* @vite-ignore */ url)) {
  return async (specifier: unknown): Promise<unknown> => {
    const module = String(specifier);
    if (IMPORTABLE_MODULES[module]) return Object.assign(Object.create(null) as Record<string, unknown>, tf, { default: tf });
    try {
      return await load(module);
    } catch (err) {
      const error = new Error(
        `Cannot import "${module}": ${(err as Error)?.message ?? String(err)}. Cells run in the browser and can import ` +
          `'@tensorflow/tfjs' (also the global tf); the ConvLab libraries are globals too (nn, data, train, kernels), and ` +
          `any other module must be an ES module at a URL this page may load.`,
      );
      error.name = 'ImportError';
      throw error;
    }
  };
}
