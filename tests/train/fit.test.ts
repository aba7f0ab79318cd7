import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { fromArrays } from '../../src/data/dataset';
import { fit, optimizerOf } from '../../src/train/fit';
import { evaluate } from '../../src/train/evaluate';
import { clearInterrupt, InterruptedError, requestInterrupt } from '../../src/cell/context';
import type { History } from '../../src/train/history';
import type { MimeBundle } from '../../src/protocol';
import { syntheticImages } from '../fixtures/idx-fixtures';

await tf.setBackend('cpu');

function separable(trainCount = 320, testCount = 60) {
  const tr = syntheticImages(trainCount, 1), te = syntheticImages(testCount, 2);
  return fromArrays({ name: 'separable', train: { count: trainCount, rows: 28, cols: 28, ...tr }, test: { count: testCount, rows: 28, cols: 28, ...te } });
}

/** Small, but with a conv, batch norm and a concatenation like a dense block. */
function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1] });
  const pooled = tf.layers.averagePooling2d({ poolSize: 4 }).apply(input) as tf.SymbolicTensor;
  const conv = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', useBias: false }).apply(pooled) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization().apply(conv) as tf.SymbolicTensor;
  const act = tf.layers.activation({ activation: 'relu' }).apply(bn) as tf.SymbolicTensor;
  const cat = tf.layers.concatenate().apply([pooled, act]) as tf.SymbolicTensor;
  const flat = tf.layers.flatten().apply(cat) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10 }).apply(flat) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const snapshot = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

afterEach(() => clearInterrupt());

describe('train.fit', () => {
  it('the loss goes down over 30 steps on a separable dataset, and test accuracy rises above chance', async () => {
    const model = tinyModel();
    const ds = separable();
    const history = await fit(model, ds, { epochs: 2, batchSize: 16, lr: 0.1, optimizer: 'sgd', maxSteps: 30, sink: null });
    expect(history.losses).toHaveLength(30);
    expect(mean(history.losses.slice(-5))).toBeLessThan(mean(history.losses.slice(0, 5)) * 0.7);
    expect(history.epochs).toHaveLength(2);
    expect(history.epochs[1].testAccuracy).toBeGreaterThan(0.5);
    const ev = await evaluate(model, ds, { sink: null, batchSize: 25 });
    expect(ev.count).toBe(60);
    expect(ev.confusion.counts.flat().reduce((a, b) => a + b)).toBe(60);
    expect(ev.accuracy).toBeCloseTo(history.epochs[1].testAccuracy!, 6);
    model.dispose();
  });

  it('an interrupt stops fit before the next batch with InterruptedError, keeping the weights trained so far', async () => {
    const model = tinyModel();
    const initial = snapshot(model);
    let atInterrupt: number[][] = [];
    const err = await fit(model, separable(), {
      epochs: 5, batchSize: 8, sink: null, evaluateEachEpoch: false,
      onBatch: ({ step }) => { if (step === 3) { atInterrupt = snapshot(model); requestInterrupt(); } },
    }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    const history = (err as { history: History }).history;
    expect(history.interrupted).toBe(true);
    expect(history.losses.length).toBeGreaterThanOrEqual(3);
    expect(history.losses.length).toBeLessThanOrEqual(5);
    const after = snapshot(model);
    expect(after).not.toEqual(initial);
    if (history.losses.length === 3) expect(after).toEqual(atInterrupt);
    model.dispose();
  });

  it('an interrupt arriving as a separate task (like the worker\'s message) stops within two batches', async () => {
    const model = tinyModel();
    let requestedAt = -1;
    const err = await fit(model, separable(), {
      epochs: 5, batchSize: 8, sink: null, evaluateEachEpoch: false,
      onBatch: ({ step }) => { if (step === 4) { requestedAt = step; setTimeout(requestInterrupt, 0); } },
    }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    const steps = (err as { history: History }).history.losses.length;
    expect(steps - requestedAt).toBeLessThanOrEqual(2);
    model.dispose();
  });

  it('an AbortSignal (a Stop button) ends training the same way', async () => {
    const model = tinyModel();
    const stop = new AbortController();
    const err = await fit(model, separable(), {
      epochs: 5, batchSize: 8, sink: null, evaluateEachEpoch: false, signal: stop.signal,
      onBatch: ({ step }) => { if (step === 2) stop.abort(); },
    }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as Error).message).toBe('Training stopped');
    expect((err as { history: History }).history.losses).toHaveLength(2);
    model.dispose();
  });

  it('tensors after fit = before + optimizer state (weights already exist); per-batch counts stay flat', async () => {
    const model = tinyModel();
    const ds = separable(96, 20);
    const nTrainable = model.trainableWeights.length;
    const before = tf.memory().numTensors;
    const h = await fit(model, ds, { epochs: 1, batchSize: 8, optimizer: 'adam', sink: null });
    // Adam: first and second moments per trainable variable, plus its accBeta1/accBeta2 scalars.
    expect(tf.memory().numTensors).toBe(before + 2 * nTrainable + 2);
    expect(h.tensorsAfter - h.tensorsBefore).toBe(2 * nTrainable + 2);
    expect(new Set(h.tensorCounts).size).toBe(1);
    // A second fit reuses the optimizer (state continues, nothing new is allocated).
    const opt = optimizerOf(model);
    const mid = tf.memory().numTensors;
    await fit(model, ds, { epochs: 1, batchSize: 8, optimizer: 'adam', maxSteps: 5, sink: null });
    expect(optimizerOf(model)).toBe(opt);
    expect(tf.memory().numTensors).toBe(mid);
    model.dispose();
  });

  it('SGD keeps a single learning-rate scalar as state', async () => {
    const model = tinyModel();
    const before = tf.memory().numTensors;
    await fit(model, separable(40, 10), { epochs: 1, batchSize: 8, optimizer: 'sgd', sink: null });
    expect(tf.memory().numTensors).toBe(before + 1);
    model.dispose();
  });

  it('streams the loss to a live plot, shows progress, and returns a history with a table', async () => {
    const shown: Array<{ id: string; data: MimeBundle }> = [];
    let n = 0;
    const sink = {
      display: (data: MimeBundle) => { const id = `d${++n}`; shown.push({ id, data }); return id; },
      updateDisplay: (id: string, data: MimeBundle) => { shown.push({ id, data }); },
    };
    let t = 0;
    const model = tinyModel();
    const h = await fit(model, separable(64, 16), { epochs: 2, batchSize: 8, sink, clock: () => (t += 30) });
    const plotMsgs = shown.filter((s) => s.data['application/vnd.convlab.plot+json']);
    const rows = plotMsgs.flatMap((s) => s.data['application/vnd.convlab.plot+json']!.rows);
    expect(rows).toHaveLength(16 + 2);
    expect(h.plotPoints).toBe(18);
    expect(new Set(plotMsgs.map((s) => s.id)).size).toBe(1);
    expect(plotMsgs.slice(1).every((s) => s.data['application/vnd.convlab.plot+json']!.append)).toBe(true);
    const progress = shown.filter((s) => s.data['application/vnd.convlab.progress+json']).map((s) => s.data['application/vnd.convlab.progress+json']!);
    expect(progress[progress.length - 1].done).toBe(true);
    expect(progress.some((p) => /epoch 2\/2 · batch \d+\/8 · [\d.]+ img\/s · ETA/.test(p.detail ?? ''))).toBe(true);
    expect(h.toMimeBundle()['application/vnd.convlab.table+json']!.rows).toHaveLength(2);
    model.dispose();
  });
});
