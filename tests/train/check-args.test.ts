import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { fit } from '../../src/train/fit';
import { evaluate, showPredictions } from '../../src/train/evaluate';
import { exportModel, saveModel } from '../../src/train/persist';

describe('train.* arguments left undefined by a failed cell', () => {
  it('name the argument instead of failing inside tfjs', async () => {
    await expect(fit(undefined as unknown as tf.LayersModel, undefined as never)).rejects.toThrow(/train\.fit: the first argument must be a model .* got undefined/);
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10 })] });
    await expect(evaluate(model, null as never)).rejects.toThrow(/train\.evaluate: the dataset argument .* got null/);
    await expect(showPredictions(undefined as never, null as never)).rejects.toThrow(/train\.showPredictions: the first argument must be a model/);
    await expect(saveModel(undefined as never, 'x')).rejects.toThrow(/train\.saveModel: the first argument must be a model .* got undefined/);
    await expect(exportModel({} as never, 'x')).rejects.toThrow(/train\.exportModel: the first argument must be a model .* got Object/);
    model.dispose();
  });
});
