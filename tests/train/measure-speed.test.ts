// train.imagesPerSecond (the lessons' estimate before a long run) and train.readableTime, on the CPU backend.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { fromArrays } from '../../src/data/dataset';
import { imagesPerSecond, measureSpeed, readableTime } from '../../src/train/measure-speed';
import { clearInterrupt, InterruptedError, requestInterrupt } from '../../src/cell/context';
import { syntheticImages } from '../fixtures/idx-fixtures';

await tf.setBackend('cpu');

function images(trainCount: number) {
  const tr = syntheticImages(trainCount, 1), te = syntheticImages(8, 2);
  return fromArrays({ name: 'synthetic', train: { count: trainCount, rows: 28, cols: 28, ...tr }, test: { count: 8, rows: 28, cols: 28, ...te } });
}

function smallModel(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 2, kernelSize: 3, strides: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10 }),
    ],
  });
}

/** A clock that reads `times` in order, so the measured seconds are known. */
const fakeClock = (...times: number[]) => () => {
  const next = times.shift();
  if (next === undefined) throw new Error('the clock was read more often than expected');
  return next;
};

describe('train.measureSpeed', () => {
  it('times the first batch (the one that compiles) on its own, apart from the steady speed', async () => {
    const m = await measureSpeed(() => smallModel(), images(320), { batchSize: 16, timedBatches: 2, clock: fakeClock(500, 2750, 3750) });
    expect(m).toEqual({ imagesPerSecond: (2 * 16) / 1, firstStepSeconds: 2.25, batchSize: 16, timedBatches: 2 });
  });

  it('records both spans as User Timing measures with the system clock', async () => {
    performance.clearMeasures();
    const m = await measureSpeed(() => smallModel(), images(64), { batchSize: 8, timedBatches: 1 });
    const [first] = performance.getEntriesByName('train:first-step') as PerformanceMeasure[];
    const [timed] = performance.getEntriesByName('train:timed-steps') as PerformanceMeasure[];
    expect(first.detail).toEqual(m);
    expect(first.duration / 1000).toBeCloseTo(m.firstStepSeconds, 6);
    expect(timed.startTime).toBeCloseTo(first.startTime + first.duration, 6);
  });
});

describe('train.imagesPerSecond', () => {
  it('divides the timed batches\' images by the time they took, the first batch left out', async () => {
    let built = 0;
    const speed = await imagesPerSecond(() => { built++; return smallModel(); }, images(320), { batchSize: 16, timedBatches: 3, clock: fakeClock(0, 1000, 3000) });
    expect(speed).toBe((3 * 16) / 2);
    expect(built).toBe(1);
  });

  it('counts only the images there were when the split is smaller than the timed batches', async () => {
    // 20 images in batches of 16: one full batch and one of 4, then the epoch ends.
    const speed = await imagesPerSecond(() => smallModel(), images(20), { batchSize: 16, timedBatches: 3, clock: fakeClock(0, 0, 4000) });
    expect(speed).toBe(20 / 4);
  });

  it('leaves no tensor behind: the throwaway model and its Adam state are disposed, also when it is interrupted', async () => {
    const ds = images(64);
    const before = tf.memory().numTensors;
    const speed = await imagesPerSecond(() => smallModel(), ds, { batchSize: 8, timedBatches: 2 });
    expect(Number.isFinite(speed) && speed > 0).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    // Interrupted before its first batch, the measurement still disposes the model it built.
    requestInterrupt();
    try {
      await expect(imagesPerSecond(() => smallModel(), ds, { batchSize: 8 })).rejects.toBeInstanceOf(InterruptedError);
    } finally {
      clearInterrupt();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a number of timed batches that is not a whole number ≥ 1, before building anything', async () => {
    let built = 0;
    for (const timedBatches of [0, -1, 1.5, Number.NaN]) {
      await expect(imagesPerSecond(() => { built++; return smallModel(); }, images(16), { timedBatches })).rejects.toThrow(/timedBatches must be a whole number/);
    }
    expect(built).toBe(0);
  });
});

describe('train.readableTime', () => {
  it('reads seconds under 90 s, minutes under 90 min, hours beyond', () => {
    expect(readableTime(0)).toBe('0 s');
    expect(readableTime(89.4)).toBe('89 s');
    expect(readableTime(90)).toBe('2 min');
    expect(readableTime(5399)).toBe('90 min');
    expect(readableTime(5400)).toBe('1.5 h');
    expect(readableTime(36_000)).toBe('10.0 h');
  });

  it('says "?" for a time it cannot know (a zero speed gives Infinity)', () => {
    for (const s of [Number.NaN, Number.POSITIVE_INFINITY, -1]) expect(readableTime(s)).toBe('?');
  });
});
