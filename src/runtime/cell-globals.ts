// The names every cell sees, as TypeScript declarations: the source of the editor's types. The build compiles this
// file to .d.ts (scripts/vite-cell-types.mjs, tsconfig.cell-types.json) with everything it reaches, so completion
// and hover in a cell show the libraries' own signatures and JSDoc. builtins.ts puts the values in the cell scope.
// The project's own tsconfig leaves this file out: its globals are for cells, not for the app's modules.
import type * as nnLibrary from '../nn/index';
import type * as dataLibrary from '../data/index';
import type * as trainLibrary from '../train/index';
import type * as gpuLibrary from '../gpu/index';
import type { DisplayHandle, sleep as sleepFunction } from '../cell/api';

declare global {
  /** Model blocks and builders: residual (v1/v2), bottleneck, ResNeXt, dense, SE and fractal blocks, torchvision-sized models, summaries. */
  const nn: typeof nnLibrary;
  /** Datasets: Fashion-MNIST from its official IDX files, batching, samples. */
  const data: typeof dataLibrary;
  /** Training with live plots, evaluation, confusion matrix, saving and export. */
  const train: typeof trainLibrary;
  /** ConvLab's own WebGPU kernels: `kernels.use('stock' | 'convlab')`, `kernels.stats()`. */
  const kernels: typeof gpuLibrary;
  /**
   * Shows a value richly under the cell: tensors, tables, plots, or anything with toMimeBundle().
   * With `{ displayId: true }` (or a name) it returns a handle whose update() replaces the output in place.
   */
  function display(value: unknown): undefined;
  function display(value: unknown, options: { displayId: string | true }): DisplayHandle;
  /** Waits `ms` milliseconds; Interrupt ends the wait early. */
  const sleep: typeof sleepFunction;
  /**
   * True only when the page was opened with `?quick`, as ConvLab's own tests open it: lessons' training cells then
   * run a tiny version of the same steps (fewer images and epochs) and say so. False for learners.
   */
  const QUICK: boolean;
  /** Prints its arguments on one line, like console.log. */
  function print(...values: unknown[]): void;
}
