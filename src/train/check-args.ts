// Cells call train.* with whatever a previous cell left behind; a cell that failed leaves its `const`s
// undefined. Name the argument and say what was expected, instead of a TypeError deep inside tfjs.
import * as tf from '@tensorflow/tfjs';

export function checkModel(fn: string, model: unknown): asserts model is tf.LayersModel {
  if (!(model instanceof tf.LayersModel)) {
    throw new TypeError(`${fn}: the first argument must be a model (tf.LayersModel), got ${describe(model)}. Did the cell that builds it run without an error?`);
  }
}

export function checkDataset(fn: string, ds: unknown): void {
  if (typeof ds !== 'object' || ds === null || typeof (ds as { batches?: unknown }).batches !== 'function') {
    throw new TypeError(`${fn}: the dataset argument must come from data.fashionMnist(), got ${describe(ds)}. Did the cell that loads it run without an error?`);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'an object';
  return typeof value;
}
