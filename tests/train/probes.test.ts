import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { fromArrays } from '../../src/data/dataset';
import { basicBlock, seBlock, summary } from '../../src/nn/index';
import { fit } from '../../src/train/fit';
import { lossAndLogits } from '../../src/train/loss';
import { probeGroups } from '../../src/train/probes';
import type { DisplaySink } from '../../src/plots/sink';
import type { HeatmapView, MimeBundle, PlotView } from '../../src/protocol';
import { syntheticImages } from '../fixtures/idx-fixtures';

await tf.setBackend('cpu');

/** Small images keep the CPU backend quick: these tests are about the bookkeeping, not about learning. */
const SIDE = 12;

function dataset(trainCount = 64, testCount = 20) {
  const tr = syntheticImages(trainCount, 1, SIDE, SIDE), te = syntheticImages(testCount, 2, SIDE, SIDE);
  return fromArrays({ name: 'synthetic', train: { count: trainCount, rows: SIDE, cols: SIDE, ...tr }, test: { count: testCount, rows: SIDE, cols: SIDE, ...te } });
}

/** A stem, two residual blocks (the second strided, with a projection shortcut), a head; SE inside the blocks on request. */
function twoBlockResNet(se = 0): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ name: 'stem.conv', inputShape: [SIDE, SIDE, 1], filters: 4, kernelSize: 3, strides: 2, padding: 'same' }),
      tf.layers.batchNormalization({ name: 'stem.bn' }),
      tf.layers.reLU({ name: 'stem.relu' }),
      basicBlock({ name: 'block1', filters: 4, seReduction: se }),
      basicBlock({ name: 'block2', filters: 8, strides: 2, seReduction: se }),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dense({ name: 'fc', units: 10 }),
    ],
  });
}

/** Records what fit() shows and updates, by display id. */
function recordingSink(): DisplaySink & { titles: Map<string, string>; rows: Map<string, number> } {
  const titles = new Map<string, string>(), rows = new Map<string, number>();
  let n = 0;
  const count = (id: string, b: MimeBundle) => {
    const plot = b['application/vnd.convlab.plot+json'] as PlotView | undefined;
    if (!plot) return;
    titles.set(plot.title, id);
    rows.set(id, (plot.append ? rows.get(id) ?? 0 : 0) + plot.rows.length);
  };
  return {
    titles, rows,
    display: (b) => { const id = `d${++n}`; count(id, b); return id; },
    updateDisplay: (id, b) => count(id, b),
  };
}

/** A clock that jumps a second per read, so the live plots' throttle lets every update through. */
function steppingClock() {
  let t = 0;
  return () => (t += 1000);
}

describe('training probes', () => {
  it('group parameters by block, and the stem and head by name prefix', () => {
    const model = twoBlockResNet();
    const groups = probeGroups(model);
    expect(groups.map((g) => [g.name, g.isBlock])).toEqual([['stem', false], ['block1', true], ['block2', true], ['fc', false]]);
    expect(groups.reduce((n, g) => n + g.variables.length, 0)).toBe(model.trainableWeights.length);
    model.dispose();
  });

  it('record one gradient-norm series per block, equal to the global L2 norm of the gradients the step applied', async () => {
    const model = twoBlockResNet();
    const ds = dataset();
    // The first batch fit() will draw (same seed), and the gradients of the untrained model on it.
    const first = ds.batches('train', 8, { shuffle: true, seed: 0 }).next().value!;
    const groups = probeGroups(model);
    const expected = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => lossAndLogits(model, first.x, first.y, true, true).loss, groups.flatMap((g) => g.variables));
      return groups.map((g) => Math.sqrt(g.variables.reduce((s, v) => s + tf.sum(tf.square(grads[v.name])).dataSync()[0], 0)));
    });
    tf.dispose([first.x, first.y]);

    const history = await fit(model, ds, { batchSize: 8, maxSteps: 5, evaluateEachEpoch: false, probes: true, sink: null });
    const probes = history.probes!;
    expect(probes.blocks).toEqual(['block1', 'block2']);
    expect(probes.groups).toEqual(['stem', 'block1', 'block2', 'fc']);
    expect(probes.steps).toEqual([1, 2, 3, 4, 5]);
    for (const name of probes.groups) {
      expect(probes.gradNorms[name]).toHaveLength(5);
      for (const v of probes.gradNorms[name]) { expect(Number.isFinite(v)).toBe(true); expect(v).toBeGreaterThan(0); }
    }
    probes.groups.forEach((name, i) => expect(probes.gradNorms[name][0]).toBeCloseTo(expected[i], 4));
    // A model without SE blocks has no gate series.
    expect(probes.seBlocks).toEqual([]);
    expect(probes.gateEpochs).toEqual([]);
    expect(new Set(history.tensorCounts).size).toBe(1);
    model.dispose();
  });

  it('draw the norms live: the plot has rows while training runs, one per step so far', async () => {
    const model = twoBlockResNet();
    const sink = recordingSink();
    const seenDuring: number[] = [];
    await fit(model, dataset(), {
      batchSize: 8, maxSteps: 4, evaluateEachEpoch: false, probes: true, sink, clock: steppingClock(),
      onBatch: () => void seenDuring.push(sink.rows.get(sink.titles.get('Gradient norm per block')!) ?? -1),
    });
    expect(seenDuring).toEqual([1, 2, 3, 4]);
    model.dispose();
  });

  it('record each SE block\'s mean gate per epoch, in (0, 1), and plot it', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ name: 'stem', inputShape: [SIDE, SIDE, 1], filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
        basicBlock({ name: 'block1', filters: 8, seReduction: 4 }),
        seBlock({ name: 'se', reduction: 4 }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ name: 'fc', units: 10 }),
      ],
    });
    const sink = recordingSink();
    const history = await fit(model, dataset(32), { epochs: 2, batchSize: 16, evaluateEachEpoch: false, probes: true, sink, clock: steppingClock() });
    const probes = history.probes!;
    expect(probes.blocks).toEqual(['block1', 'se']);
    expect(probes.seBlocks).toEqual(['block1/se', 'se']);
    expect(probes.gateEpochs).toEqual([0, 1]);
    for (const path of probes.seBlocks) {
      expect(probes.gates[path]).toHaveLength(2);
      for (const g of probes.gates[path]) { expect(g).toBeGreaterThan(0); expect(g).toBeLessThan(1); }
    }
    expect(sink.rows.get(sink.titles.get('Mean SE gate per block')!)).toBe(2);
    expect(sink.rows.get(sink.titles.get('Gradient norm per block')!)).toBe(4);
    model.dispose();
  });

  it('come with a shape strip beside the loss curve: channels per leaf layer, as nn.summary traces them', async () => {
    const model = twoBlockResNet();
    const shown: MimeBundle[] = [];
    await fit(model, dataset(), {
      batchSize: 8, maxSteps: 1, evaluateEachEpoch: false,
      sink: { display: (b) => { shown.push(b); return `d${shown.length}`; }, updateDisplay: () => {} },
    });
    const strips = shown.map((b) => b['application/vnd.convlab.heatmap+json'] as HeatmapView | undefined).filter((v) => v?.name === 'Shape strip');
    expect(strips).toHaveLength(1);
    const leaves = summary(model, [SIDE, SIDE, 1]).rows.filter((r) => !r.isBlock);
    expect(strips[0]!.panels[0].colNames).toEqual(leaves.map((r) => r.path));
    expect(strips[0]!.panels[0].values).toEqual(leaves.map((r) => r.outputShape[r.outputShape.length - 1]));
    model.dispose();
  });

  it('leave fit as it was without probes: no probes on the history, no probe plots', async () => {
    const model = twoBlockResNet();
    const sink = recordingSink();
    const history = await fit(model, dataset(), { batchSize: 8, maxSteps: 2, evaluateEachEpoch: false, sink });
    expect(history.probes).toBeNull();
    expect([...sink.titles.keys()]).toEqual(['Training']);
    model.dispose();
  });
});
