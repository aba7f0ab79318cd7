// train.fit marks every step's boundary for the hooks registered in train/step-hooks (the GPU layer's pool
// trimming): started before the batch is used, ended once the batch (and what the step before kept) is released.
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { fromArrays } from '../../src/data/dataset';
import { fit } from '../../src/train/fit';
import { setStepHooks } from '../../src/train/step-hooks';
import { syntheticImages } from '../fixtures/idx-fixtures';

await tf.setBackend('cpu');

function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1] });
  const pooled = tf.layers.averagePooling2d({ poolSize: 7 }).apply(input) as tf.SymbolicTensor;
  const flat = tf.layers.flatten().apply(pooled) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10 }).apply(flat) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

afterEach(() => setStepHooks(null));

describe('train.fit step hooks', () => {
  it('calls started then ended once per step, ended after the step released its batch', async () => {
    const tr = syntheticImages(48, 1), te = syntheticImages(8, 2);
    const ds = fromArrays({ name: 'hooks', train: { count: 48, rows: 28, cols: 28, ...tr }, test: { count: 8, rows: 28, cols: 28, ...te } });
    const model = tinyModel();
    const events: string[] = [];
    let batches = 0;
    let atStart = 0;
    const leftOver: number[] = [];
    setStepHooks({
      started: () => { events.push('started'); atStart = tf.memory().numTensors; },
      // At the start the batch (x, y) exists; at the end it and the step's loss and predictions are gone.
      ended: () => { events.push('ended'); leftOver.push(tf.memory().numTensors - atStart); },
    });
    await fit(model, ds, { batchSize: 16, maxSteps: 3, sink: null, evaluateEachEpoch: false, optimizer: 'sgd', onBatch: () => { batches++; } });
    expect(events).toEqual(['started', 'ended', 'started', 'ended', 'started', 'ended']);
    expect(batches).toBe(3);
    // From the second step on, a step ends with as many tensors as it began with less its batch (x, y): SGD keeps
    // no state per variable, and what a step keeps for reading (loss, predictions) replaces the previous step's.
    expect(leftOver.slice(1)).toEqual([-2, -2]);
    model.dispose();
  });
});
