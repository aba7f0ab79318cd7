// Training stops at the first step whose loss is not a number, and says which step (issue 15, case 7).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { fromArrays } from '../../src/data/dataset';
import { fit } from '../../src/train/fit';
import { assertFiniteLoss, NonFiniteLossError } from '../../src/train/nan-guard';
import { syntheticImages } from '../fixtures/idx-fixtures';

await tf.setBackend('cpu');

describe('the NaN guard', () => {
  it('lets finite losses through and names step, epoch and batch for NaN and Infinity', () => {
    expect(() => assertFiniteLoss(2.3, { step: 1, epoch: 1, batch: 1 })).not.toThrow();
    expect(() => assertFiniteLoss(NaN, { step: 7, epoch: 2, batch: 3 })).toThrow(/NaN at step 7 \(epoch 2, batch 3\)/);
    expect(() => assertFiniteLoss(Infinity, { step: 1, epoch: 1, batch: 1 })).toThrow(NonFiniteLossError);
  });

  it('train.fit stops at the step whose loss is NaN, not later', async () => {
    const images = syntheticImages(64, 1);
    const ds = fromArrays({ name: 'synthetic', train: { count: 64, rows: 28, cols: 28, ...images }, test: { count: 64, rows: 28, cols: 28, ...images } });
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10 })] });
    const seen: number[] = [];
    // A learning rate of NaN: step 1's loss is computed from sound weights, its update makes every weight NaN.
    const run = fit(model, ds, { epochs: 3, batchSize: 8, optimizer: 'sgd', lr: NaN, sink: null, evaluateEachEpoch: false, onBatch: ({ step }) => void seen.push(step) });
    await expect(run).rejects.toThrow(/The loss became NaN at step 2 \(epoch 1, batch 2\)/);
    expect(seen).toEqual([1]);
  });
});
