import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FractalBody } from '../../../src/nn/blocks/fractal-body';
import { cpu } from '../setup';

beforeAll(cpu);

describe('FractalNet body and drop-path', () => {
  it('over 200 training batches: about half global, every join keeps an input, masks follow the sample', () => {
    const body = new FractalBody({ name: 'fractal', columns: 3, channels: [4, 4], seed: 7 });
    const x = tf.randomNormal([2, 8, 8, 3]);
    let global = 0;
    let droppedSomething = 0;
    for (let batch = 0; batch < 200; batch++) {
      tf.tidy(() => {
        const y = body.apply(x, { training: true }) as tf.Tensor;
        expect(y.shape).toEqual([2, 4, 4, 4]);
      });
      const s = body.lastSample!;
      if (s.mode === 'global') {
        global++;
        expect(s.column).not.toBeNull();
        // One column everywhere: every evaluated join kept exactly one input.
        for (const b of body.blocks) for (const j of b.lastJoins) expect(j.kept).toBe(1);
      }
      // Global masks leave joins without the chosen column all-false: those joins are never evaluated.
      if (s.mode === 'local') for (const blockMask of s.keep) for (const join of blockMask) expect(join.some(Boolean)).toBe(true);
      for (const b of body.blocks) {
        for (const j of b.lastJoins) {
          expect(j.kept).toBeGreaterThanOrEqual(1);
          if (j.kept < j.inputs) droppedSomething++;
        }
        expect(b.dropMask).toBeNull();
      }
    }
    expect(global / 200).toBeGreaterThanOrEqual(0.4);
    expect(global / 200).toBeLessThanOrEqual(0.6);
    expect(droppedSomething).toBeGreaterThan(0);
  });

  it('inference uses all columns and does not sample', () => {
    const body = new FractalBody({ name: 'fractal', columns: 3, channels: [4], seed: 1 });
    body.apply(tf.zeros([1, 4, 4, 2]));
    expect(body.lastSample).toBeNull();
    expect(body.blocks[0].lastJoins).toEqual([{ inputs: 2, kept: 2 }, { inputs: 3, kept: 3 }]);
  });

  it('the same seed replays the same masks', () => {
    const a = new FractalBody({ name: 'a', columns: 3, channels: [2], seed: 42 });
    const b = new FractalBody({ name: 'b', columns: 3, channels: [2], seed: 42 });
    const x = tf.zeros([1, 4, 4, 1]);
    for (let i = 0; i < 10; i++) {
      a.apply(x, { training: true });
      b.apply(x, { training: true });
      expect(b.lastSample).toEqual(a.lastSample);
    }
  });
});
