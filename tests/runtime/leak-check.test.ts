// A cell is told when it leaves tensors alive that no notebook name holds, and only then (issue 15, case 8).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeLeak, LEAK_MIN_TENSORS, TensorLeakCheck } from '../../src/runtime/leak-check';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Runs `body` between begin() and end(scope), as the kernel does around a cell. */
function check(body: () => Record<string, unknown>) {
  const leaks = new TensorLeakCheck(tf);
  leaks.begin();
  const scope = body();
  return leaks.end(scope);
}

describe('TensorLeakCheck', () => {
  it('reports 150 unbound tensors with their bytes', () => {
    const made: tf.Tensor[] = [];
    const leak = check(() => {
      for (let i = 0; i < 150; i++) made.push(tf.ones([16, 16]).add(1));
      return {};
    });
    // 150 results and 150 ones: every one still alive, none bound to a name.
    expect(leak).toEqual({ tensors: 300, bytes: 300 * 16 * 16 * 4 });
    expect(describeLeak(leak!, 'Cell 4')).toMatch(/^Cell 4 left 300 new tensors \(300\.0 KB\) alive that no notebook name holds/);
    tf.dispose(made);
  });

  it('one unbound tensor of 32 MB or more is reported too', () => {
    let big: tf.Tensor | undefined;
    const leak = check(() => {
      big = tf.zeros([2048, 4096]);
      return {};
    });
    expect(leak).toEqual({ tensors: 1, bytes: 32 * 1024 * 1024 });
    big!.dispose();
  });

  it('says nothing for tensors bound to names (directly, in arrays and objects), disposed or tidied', () => {
    const leak = check(() => {
      const kept = Array.from({ length: 120 }, () => tf.ones([4]));
      const named = { weights: Array.from({ length: 120 }, () => tf.zeros([4])) };
      for (let i = 0; i < 200; i++) tf.tidy(() => void tf.ones([8]).mul(2));
      for (let i = 0; i < 200; i++) tf.ones([8]).dispose();
      return { kept, named };
    });
    expect(leak).toBeNull();
  });

  it('a cell that defines and trains a model leaks nothing: weights and optimizer state are variables', async () => {
    let model: tf.Sequential | undefined;
    const leaks = new TensorLeakCheck(tf);
    leaks.begin();
    model = tf.sequential({ layers: [tf.layers.dense({ units: 64, inputShape: [32], activation: 'relu' }), tf.layers.batchNormalization(), tf.layers.dense({ units: 10 })] });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const x = tf.ones([16, 32]), y = tf.zeros([16, 10]);
    await model.fit(x, y, { epochs: 3, verbose: 0 });
    expect(leaks.end({ model, x, y })).toBeNull();
    tf.dispose([x, y]);
  });

  it('below the threshold it stays quiet: a small unbound result is no news', () => {
    const leak = check(() => {
      for (let i = 0; i < LEAK_MIN_TENSORS / 2 - 1; i++) tf.ones([2, 2]).add(1);
      return {};
    });
    expect(leak).toBeNull();
  });
});
