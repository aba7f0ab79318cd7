// nn's DenseBlock through the dense-block hook (the kernel layer's buffer + recomputation op) against the
// plain concatenating block, on the CPU backend: same outputs, same gradients for every weight, and BN moving
// statistics updated exactly once per training step (not again when backward recomputes a layer).
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DenseBlock } from '../../src/nn/blocks/dense';
import { setDenseBlockImpl, type DenseBlockImpl } from '../../src/nn/ops/dense-block';
import { denseBlock } from '../../src/gpu/ops/dense-block';
import { setBatchNormTrainingImpl } from '../../src/nn/ops/batch-norm-training';
import { batchNormTraining } from '../../src/gpu/ops/batch-norm';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});
afterEach(() => {
  setDenseBlockImpl(null);
  setBatchNormTrainingImpl(null);
});

function maxRel(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(tf.max(tf.abs(b)).dataSync()[0], 1e-6));
}

/** One training step's output, weight gradients and the BN moving statistics it leaves behind. */
function step(block: DenseBlock, x: tf.Tensor4D, dy: tf.Tensor) {
  const vars = block.trainableWeights.map((w) => w.read() as tf.Variable);
  let y: tf.Tensor | undefined;
  const { grads } = tf.variableGrads(() => {
    y = tf.keep(block.apply(x, { training: true }) as tf.Tensor);
    return tf.sum(tf.mul(y, dy)) as tf.Scalar;
  }, vars);
  const moving = block.nonTrainableWeights.map((w) => w.read().clone());
  return { y: y!, grads: vars.map((v) => grads[v.name]), moving };
}

function blocks(bottleneck: boolean) {
  const block = new DenseBlock({ name: `d${bottleneck ? 'bc' : ''}`, numLayers: 3, growthRate: 5, bottleneck, useBias: !bottleneck });
  const x = tf.randomNormal([2, 5, 5, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  block.apply(x);
  // Moving statistics away from their 0/1 start, so inference exercises them.
  const isMoving = block.weights.map((w) => /moving/.test(w.name));
  const initial = block.getWeights().map((w, i) => (isMoving[i] ? tf.add(w, 0.1 * (i + 1)) : w.clone()));
  block.setWeights(initial);
  return { block, x, initial, movingInitial: initial.filter((_, i) => isMoving[i]) };
}

describe('DenseBlock through the dense-block hook', () => {
  for (const bottleneck of [false, true]) {
    it(`matches the concatenating block: output, every gradient, moving statistics${bottleneck ? ' (BC bottleneck)' : ''}`, () => {
      const { block, x, initial, movingInitial } = blocks(bottleneck);
      const dy = tf.randomNormal([2, 5, 5, 3 + 3 * 5], 0, 1, 'float32', 2);
      const plain = step(block, x, dy);
      block.setWeights(initial);
      // Count the forward applications (recompute false): one per layer, however backward recomputes.
      let forwards = 0;
      let recomputes = 0;
      const counting: DenseBlockImpl = (x0, layers) => denseBlock(x0, layers.map((l) => ({
        ...l,
        apply: (inp: tf.Tensor4D, ps: tf.Tensor[], re: boolean) => { if (re) recomputes++; else forwards++; return l.apply(inp, ps, re); },
      })));
      setDenseBlockImpl(counting);
      const hooked = step(block, x, dy);
      expect(forwards).toBe(3);
      expect(recomputes).toBe(3);
      expect(maxRel(hooked.y, plain.y)).toBeLessThan(1e-5);
      expect(hooked.grads).toHaveLength(plain.grads.length);
      hooked.grads.forEach((g, i) => expect(maxRel(g, plain.grads[i]), block.trainableWeights[i].name).toBeLessThan(1e-4));
      // Updated once, like the plain block: a second update on recompute would move them further.
      hooked.moving.forEach((m, i) => expect(maxRel(m, plain.moving[i]), block.nonTrainableWeights[i].name).toBeLessThan(1e-6));
      expect(maxRel(hooked.moving[0], movingInitial[0])).toBeGreaterThan(1e-3);
    });
  }

  it('takes BN + ReLU from the training-BN hook (the fused op) with the same output, gradients and moving statistics', () => {
    const { block, x, initial } = blocks(false);
    const dy = tf.randomNormal([2, 5, 5, 3 + 3 * 5], 0, 1, 'float32', 3);
    setDenseBlockImpl(denseBlock);
    const unfused = step(block, x, dy);
    block.setWeights(initial);
    // On the CPU the op runs tfjs's composition (with its ReLU): what is checked here is nn's side of the hook.
    const relus: boolean[] = [];
    setBatchNormTrainingImpl((inp, gamma, beta, epsilon, relu) => {
      relus.push(relu);
      const r = batchNormTraining(inp, gamma, beta, { epsilon, relu });
      return { y: r.y as tf.Tensor4D, mean: r.mean, variance: r.variance };
    });
    const fused = step(block, x, dy);
    // Three layers, each applied once forward and once recomputed in backward.
    expect(relus).toEqual([true, true, true, true, true, true]);
    expect(maxRel(fused.y, unfused.y)).toBeLessThan(1e-5);
    fused.grads.forEach((g, i) => expect(maxRel(g, unfused.grads[i]), block.trainableWeights[i].name).toBeLessThan(1e-4));
    fused.moving.forEach((m, i) => expect(maxRel(m, unfused.moving[i]), block.nonTrainableWeights[i].name).toBeLessThan(1e-6));
  });

  it('uses the moving statistics in inference, and leaves them alone', () => {
    const { block, x, movingInitial } = blocks(false);
    const plain = block.apply(x, { training: false }) as tf.Tensor;
    setDenseBlockImpl(denseBlock);
    const hooked = block.apply(x, { training: false }) as tf.Tensor;
    expect(maxRel(hooked, plain)).toBeLessThan(1e-5);
    expect(movingInitial).toHaveLength(6);
    block.nonTrainableWeights.forEach((w, i) => expect(maxRel(w.read(), movingInitial[i])).toBe(0));
  });

  it('falls back to concatenation when the hook declines', () => {
    const { block, x } = blocks(false);
    let asked = 0;
    setDenseBlockImpl(() => { asked++; return null; });
    const y = block.apply(x, { training: false }) as tf.Tensor;
    expect(asked).toBe(1);
    expect(y.shape).toEqual([2, 5, 5, 18]);
  });
});
