import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { deserializeModel, exportModel, loadModel, saveModel, serializeModel } from '../../src/train/persist';

await tf.setBackend('cpu');

function model(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3 }));
  m.add(tf.layers.batchNormalization());
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 3 }));
  return m;
}

const outputOf = (m: tf.LayersModel) => tf.tidy(() => Array.from((m.predict(tf.ones([1, 8, 8, 1])) as tf.Tensor).dataSync()));

describe('model persistence', () => {
  it('serializeModel writes tfjs layers-format JSON + weights that load back to the same outputs', async () => {
    const m = model();
    const files = await serializeModel(m, 'tiny');
    const json = JSON.parse(files.modelJson);
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['./tiny.weights.bin']);
    // conv kernel+bias, BN gamma/beta/moving mean/var, dense kernel+bias
    expect(json.weightsManifest[0].weights).toHaveLength(8);
    expect(files.weights.byteLength).toBe(m.getWeights().reduce((n, w) => n + w.size * 4, 0));
    const back = await deserializeModel(files);
    expect(outputOf(back)).toEqual(outputOf(m));
  });

  it('exportModel offers model.json and weights as a download bundle', async () => {
    const m = model();
    const bundle = (await exportModel(m, 'tiny')).toMimeBundle();
    const dl = bundle['application/vnd.convlab.download+json']!;
    expect(dl.files.map((f) => f.filename)).toEqual(['tiny.json', 'tiny.weights.bin']);
    expect(JSON.parse(Buffer.from(dl.files[0].base64, 'base64').toString()).modelTopology).toBeTruthy();
    expect(Buffer.from(dl.files[1].base64, 'base64').byteLength).toBe((await serializeModel(m)).weights.byteLength);
    expect(bundle['text/plain']).toContain('tensorflowjs_converter');
    await expect(exportModel(m, '../evil')).rejects.toThrow(/Export name/);
  });

  it('saves to and loads from IndexedDB under indexeddb://convlab-<name>', async () => {
    // tfjs only routes indexeddb:// when it believes it runs in a browser; fake-indexeddb provides the store.
    tf.env().set('IS_BROWSER', true);
    (globalThis as { self?: unknown }).self ??= globalThis;
    try {
      const m = model();
      const saved = await saveModel(m, 'unit-test');
      expect(saved.info.url).toBe('indexeddb://convlab-unit-test');
      expect(saved.toMimeBundle()['text/plain']).toContain("train.loadModel('unit-test')");
      const back = await loadModel('unit-test');
      expect(outputOf(back)).toEqual(outputOf(m));
      await expect(saveModel(m, 'bad name')).rejects.toThrow(/Model name/);
    } finally {
      tf.env().set('IS_BROWSER', false);
    }
  });
});
