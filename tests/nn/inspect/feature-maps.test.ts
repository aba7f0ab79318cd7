import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { cpu } from '../setup';
import { basicBlock, seBlock, summary } from '../../../src/nn/index';
import { featureMaps } from '../../../src/nn/inspect/feature-maps';
import { filters } from '../../../src/nn/inspect/filters';
import { seGates } from '../../../src/nn/inspect/se-gates';
import { trace } from '../../../src/nn/inspect/trace';
import type { DisplaySink } from '../../../src/plots/sink';
import type { FeatureMapsView, HeatmapView, MimeBundle } from '../../../src/protocol';

beforeAll(cpu);

/** Stem conv, a residual block with SE inside, a lone SE block, head: nesting of every kind the tracer walks. */
function seResNet(): tf.Sequential {
  return tf.sequential({
    name: 'tiny_se_resnet',
    layers: [
      tf.layers.conv2d({ name: 'stem', inputShape: [12, 12, 1], filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }),
      basicBlock({ name: 'block1', filters: 8, strides: 2, seReduction: 4 }),
      seBlock({ name: 'se', reduction: 2 }),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dense({ name: 'fc', units: 3 }),
    ],
  });
}

function recordingSink(): DisplaySink & { shown: MimeBundle[] } {
  const shown: MimeBundle[] = [];
  return { shown, display: (b) => { shown.push(b); return `d${shown.length}`; }, updateDisplay: () => {} };
}

const image = () => tf.randomUniform([12, 12, 1], 0, 1, 'float32', 3) as tf.Tensor3D;

describe('the tracer', () => {
  it('walking into blocks gives the same output as the model itself', () => {
    const model = seResNet();
    const x = tf.randomUniform([2, 12, 12, 1], 0, 1, 'float32', 1);
    const visited: string[] = [];
    const gates: string[] = [];
    const traced = tf.tidy(() => trace(model, x, { descend: () => true, output: (p) => void visited.push(p), gate: (p) => void gates.push(p) })!.arraySync());
    const direct = tf.tidy(() => (model.predict(x) as tf.Tensor).arraySync());
    expect(traced).toEqual(direct);
    expect(visited).toContain('block1/conv1');
    expect(visited).toContain('block1/se/fc2');
    expect(gates).toEqual(['block1/se', 'se']);
    model.dispose();
  });
});

describe('nn.featureMaps', () => {
  it('gives one tile per channel of the first conv, with the values the layer computes', async () => {
    const model = seResNet();
    const sink = recordingSink();
    const img = image();
    const fm = await featureMaps(model, 'stem', img, { sink });
    expect(fm.channels).toBe(6);
    expect(fm.shape).toEqual([1, 12, 12, 6]);
    const expected = tf.tidy(() => (model.getLayer('stem').apply(img.expandDims(0)) as tf.Tensor).arraySync() as number[][][][]);
    for (const m of fm.maps) {
      expect(m.values).toHaveLength(144);
      m.values.forEach((v, i) => expect(v).toBeCloseTo(expected[0][Math.floor(i / 12)][i % 12][m.channel], 5));
      expect(m.min).toBeLessThanOrEqual(m.mean);
      expect(m.max).toBeGreaterThanOrEqual(m.mean);
    }
    expect(sink.shown).toHaveLength(1);
    const view = sink.shown[0]['application/vnd.convlab.feature-maps+json'] as FeatureMapsView;
    expect(view.kind).toBe('activations');
    expect(view.tiles).toHaveLength(6);
    expect(atob(view.tiles[0].grey)).toHaveLength(144);
    expect(sink.shown[0]['image/png']).toBeTruthy();
    expect(sink.shown[0]['text/plain']).toContain('6 channels of 12×12');
    model.dispose();
  });

  it('reads a layer inside a block by its path, with the shape nn.summary gives that row', async () => {
    const model = seResNet();
    const fm = await featureMaps(model, 'block1/conv2', image(), { show: false });
    expect(fm.shape).toEqual(summary(model).row('block1/conv2')!.outputShape);
    expect(fm.channels).toBe(8);
    // A bare name finds the same layer.
    expect((await featureMaps(model, 'conv2', image(), { show: false })).layer).toBe('block1/conv2');
    model.dispose();
  });

  it('says which layers exist for an unknown name, and refuses a layer without feature maps', async () => {
    const model = seResNet();
    await expect(featureMaps(model, 'conv9', image(), { show: false })).rejects.toThrow(/no layer named "conv9".*stem, block1, se, gap, fc/);
    await expect(featureMaps(model, 'fc', image(), { show: false })).rejects.toThrow(/not feature maps/);
    model.dispose();
  });
});

describe('nn.filters', () => {
  it('draws one tile per kernel of a first conv, on a scale symmetric around 0', async () => {
    const model = seResNet();
    const sink = recordingSink();
    const f = await filters(model, 'stem', { sink });
    expect(f.kernelShape).toEqual([3, 3, 1, 6]);
    expect(f.count).toBe(6);
    const kernel = model.getLayer('stem').getWeights()[0].arraySync() as number[][][][];
    expect(Array.from(f.kernel(4))).toEqual(kernel.flat().map((row) => row[0][4]));
    const view = sink.shown[0]['application/vnd.convlab.feature-maps+json'] as FeatureMapsView;
    expect(view.kind).toBe('filters');
    expect(view.tiles).toHaveLength(6);
    expect(view.tiles[0].min).toBe(-f.maxAbs);
    model.dispose();
  });
});

describe('nn.seGates', () => {
  it('gives each SE block a channels × images map of gates in (0, 1), equal to the block\'s own excitation', async () => {
    const model = seResNet();
    const sink = recordingSink();
    const x = tf.randomUniform([5, 12, 12, 1], 0, 1, 'float32', 2);
    const gates = await seGates(model, x, { sink });
    expect(gates.blocks.map((b) => [b.path, b.channels, b.images])).toEqual([['block1/se', 8, 5], ['se', 8, 5]]);
    for (const b of gates.blocks) for (const row of b.values) for (const v of row) { expect(v).toBeGreaterThan(0); expect(v).toBeLessThan(1); }
    // The lone block's gate by hand: sigmoid(fc2(relu(fc1(mean over H, W)))) of what block1 outputs.
    const se = model.getLayer('se');
    const [w1, b1, w2, b2] = se.getWeights();
    const expected = tf.tidy(() => {
      const before = tf.sequential({ layers: [model.getLayer('stem'), model.getLayer('block1')] }).predict(x) as tf.Tensor4D;
      const squeezed = tf.mean(before, [1, 2]);
      return tf.sigmoid(tf.relu(squeezed.matMul(w1).add(b1)).matMul(w2).add(b2)).arraySync() as number[][];
    });
    gates.block('se')!.values.forEach((row, ch) => row.forEach((v, img) => expect(v).toBeCloseTo(expected[img][ch], 5)));
    const view = sink.shown[0]['application/vnd.convlab.heatmap+json'] as HeatmapView;
    expect(view.name).toBe('SE gates');
    expect(view.panels.map((p) => [p.rows, p.cols, p.values.length])).toEqual([[8, 5, 40], [8, 5, 40]]);
    expect(sink.shown[0]['image/png']).toBeTruthy();
    model.dispose();
  });

  it('works on a lone SE block and refuses a model without one', async () => {
    const block = seBlock({ name: 'lone', reduction: 4 });
    const gates = await seGates(block, tf.randomNormal([3, 4, 4, 16]), { show: false });
    expect(gates.blocks.map((b) => [b.path, b.channels, b.images])).toEqual([['lone', 16, 3]]);
    const plain = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3 })] });
    await expect(seGates(plain, tf.zeros([1, 8, 8, 1]), { show: false })).rejects.toThrow(/no Squeeze-and-Excitation block/);
  });
});
