import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { fromArrays } from '../../src/data/dataset';
import { confusionMatrix, evaluate, showPredictions } from '../../src/train/evaluate';
import { syntheticImages } from '../fixtures/idx-fixtures';

await tf.setBackend('cpu');

const te = syntheticImages(30, 2);
const ds = fromArrays({ name: 'synthetic', train: { count: 30, rows: 28, cols: 28, ...te }, test: { count: 30, rows: 28, cols: 28, ...te } });

/** A "model" whose answer is known: always predicts class 3 (bias only). */
function constantModel(cls: number): tf.LayersModel {
  const m = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, kernelInitializer: 'zeros' })] });
  const bias = new Float32Array(10); bias[cls] = 5;
  const values = [tf.zeros([784, 10]), tf.tensor1d(bias)];
  m.layers[1].setWeights(values);
  tf.dispose(values);
  return m;
}

describe('evaluate, confusion matrix, predictions', () => {
  it('counts right and wrong answers exactly, in batches', async () => {
    const before = tf.memory().numTensors;
    const ev = await evaluate(constantModel(3), ds, { batchSize: 7, sink: null });
    expect(ev.count).toBe(30);
    expect(ev.accuracy).toBeCloseTo(3 / 30, 10); // labels cycle 0..9, so class 3 is right 3 times
    expect(Array.from(ev.predictions).every((p) => p === 3)).toBe(true);
    // Cross-entropy of softmax([0..5..0]) at the wrong class: log(9 + e^5) - 0; at the right one: log(9 + e^5) - 5.
    const z = Math.log(9 + Math.exp(5));
    expect(ev.loss).toBeCloseTo((27 * z + 3 * (z - 5)) / 30, 4);
    const cm = ev.confusion.counts;
    for (let t = 0; t < 10; t++) expect(cm[t]).toEqual(Array.from({ length: 10 }, (_, p) => (p === 3 ? 3 : 0)));
    expect(ev.perClassAccuracy()[3]).toBe(1);
    expect(tf.memory().numTensors - before).toBe(2); // the model's own kernel and bias
  });

  it('the confusion matrix is a heat-mapped table with class names', async () => {
    const cm = await confusionMatrix(constantModel(1), ds, { sink: null, limit: 20 });
    const table = cm.toMimeBundle()['application/vnd.convlab.table+json']!;
    expect(table.heatmap).toBe(true);
    expect(table.columns).toEqual(['true \\ predicted', ...ds.classNames]);
    expect(table.rows[0]).toEqual(['class 0', 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('showPredictions captions right answers plainly and wrong ones as "predicted ≠ true"', async () => {
    const grid = await showPredictions(constantModel(3), ds, 30, { seed: 1 });
    const captions = grid.tiles.map((t) => t.caption);
    expect(captions.filter((c) => c === 'class 3')).toHaveLength(3);
    expect(captions.filter((c) => c.startsWith('class 3 ≠ '))).toHaveLength(27);
    expect(grid.tiles.find((t) => t.caption === 'class 3')!.color).toEqual([0, 128, 0]);
    const wrong = await showPredictions(constantModel(3), ds, 5, { onlyWrong: true });
    expect(wrong.tiles).toHaveLength(5);
    expect(wrong.tiles.every((t) => t.caption.includes('≠'))).toBe(true);
    expect(grid.toMimeBundle()['image/png']).toBeTruthy();
  });

  it('the page gets each image as its own small PNG and each caption as text, with a right/wrong tone', async () => {
    const grid = await showPredictions(constantModel(3), ds, 4, { seed: 1, perRow: 2 });
    const view = grid.toMimeBundle()['application/vnd.convlab.image-grid+json']!;
    expect(view).toMatchObject({ perRow: 2, imageWidth: 2 * ds.imageSize, imageHeight: 2 * ds.imageSize });
    expect(view.tiles.map((t) => t.caption)).toEqual(grid.tiles.map((t) => t.caption));
    expect(view.tiles.map((t) => t.tone)).toEqual(grid.tiles.map((t) => (t.caption.includes('≠') ? 'wrong' : 'right')));
    // A grey PNG at the image's own size (the page scales it up): IHDR width, height and colour type 0.
    const png = Buffer.from(view.tiles[0].png, 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[25]]).toEqual([ds.imageSize, ds.imageSize, 0]);
  });
});
