// The rebind rule on the CPU backend: old values' tensors and weights are freed unless the scope still reaches them.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeReleased, reachableTensors, releaseRebound } from '../../src/runtime/rebind-cleanup';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function smallModel(): tf.LayersModel {
  return tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4 }), tf.layers.dense({ units: 2 })] });
}

describe('releaseRebound', () => {
  it('frees a rebound tensor and reports its size', () => {
    const old = tf.zeros([10, 10]);
    const scope: Record<string, unknown> = { x: tf.ones([2]) };
    const released = releaseRebound(new Map([['x', old]]), scope);
    expect(old.isDisposed).toBe(true);
    expect((scope.x as tf.Tensor).isDisposed).toBe(false);
    expect(released).toEqual({ names: ['x'], tensors: 1, bytes: 400 });
    expect(describeReleased(released)).toMatch(/previous `x` held \(1 tensor, 400 B\)/);
  });

  it('frees every weight of a rebound model: memory after five rebuilds equals one', () => {
    const scope: Record<string, unknown> = {};
    const before = tf.memory().numTensors;
    let afterFirst = 0;
    for (let i = 0; i < 5; i++) {
      const previous = new Map([['model', scope.model]]);
      scope.model = smallModel();
      releaseRebound(previous, scope);
      if (i === 0) afterFirst = tf.memory().numTensors;
    }
    expect(afterFirst - before).toBe(4);
    expect(tf.memory().numTensors).toBe(afterFirst);
  });

  it('keeps what another binding still reaches, directly or through a model', () => {
    const shared = tf.layers.dense({ units: 2, inputShape: [3] });
    const oldModel = tf.sequential({ layers: [shared] });
    const kept = tf.ones([3]);
    const scope: Record<string, unknown> = {
      model: tf.sequential({ layers: [shared] }), // the re-run reuses the layer of another cell
      alias: { list: [kept] },
    };
    releaseRebound(new Map<string, unknown>([['model', oldModel], ['t', kept]]), scope);
    expect(shared.getWeights().every((w) => !w.isDisposed)).toBe(true);
    expect(kept.isDisposed).toBe(false);
  });

  it('walks arrays, plain objects, Maps and Sets, but never takes apart other class instances', () => {
    const inArray = tf.ones([1]), inMap = tf.ones([1]), inSet = tf.ones([1]), inObject = tf.ones([1]);
    class Dataset {
      constructor(readonly images: tf.Tensor) {}
    }
    const cached = tf.ones([1]);
    const old = { a: [inArray], m: new Map([['k', inMap]]), s: new Set([inSet]), o: { deep: inObject }, ds: new Dataset(cached) };
    expect(reachableTensors(old).size).toBe(4);
    releaseRebound(new Map([['v', old]]), { v: 1 });
    expect([inArray, inMap, inSet, inObject].every((t) => t.isDisposed)).toBe(true);
    expect(cached.isDisposed).toBe(false);
  });

  it('leaves unchanged bindings and primitive old values alone', () => {
    const same = tf.ones([2]);
    const released = releaseRebound(new Map<string, unknown>([['same', same], ['n', 3]]), { same, n: 4 });
    expect(same.isDisposed).toBe(false);
    expect(released.tensors).toBe(0);
  });
});
