// nn.shapePoints / nn.shapePlot's data: one point per leaf layer, equal to nn.summary's rows; what a DenseNet's
// blocks carry on (channels rising inside each dense block, falling at each transition); the labelled regions.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as nn from '../../../src/nn';
import { cpu } from '../setup';

beforeAll(cpu);

const channels = (shape: Array<number | null>) => shape[shape.length - 1] as number;

describe('shape points', () => {
  const models: tf.LayersModel[] = [];
  afterEach(() => models.splice(0).forEach((m) => m.dispose()));
  const keep = <M extends tf.LayersModel>(m: M) => (models.push(m), m);

  it("d2l DenseNet: one point per leaf layer of nn.summary, with that row's path, class and output shape", () => {
    const model = keep(nn.d2l.densenet());
    const points = nn.shapePoints(model, [96, 96, 1]);
    const leaves = nn.summary(model, [96, 96, 1]).rows.filter((r) => !r.isBlock);
    expect(points.length).toBe(leaves.length);
    expect(points.map((p) => [p.path, p.className, p.shape])).toEqual(leaves.map((r) => [r.path, r.className, r.outputShape]));
    expect(points[0]).toMatchObject({ path: 'b1.conv.pad', shape: [1, 102, 102, 1], region: 'stem' });
    expect(points.at(-1)).toMatchObject({ path: 'fc', shape: [1, 10], region: 'head' });
  });

  it("d2l DenseNet: the channels carried on rise by the growth rate at every conv block of a dense block and fall at each transition, as the summary's block inputs say", () => {
    const model = keep(nn.d2l.densenet());
    const points = nn.shapePoints(model, [96, 96, 1]);
    const summary = nn.summary(model, [96, 96, 1]);
    for (const block of [1, 2, 3, 4]) {
      const inside = points.filter((p) => p.region === `dense block ${block}`);
      // The last layer of each conv block (its conv) is where the block appends its 32 new channels.
      const appended = inside.filter((p) => p.path.endsWith('/conv'));
      expect(appended.length).toBe(4);
      const carried = appended.map((p) => channels(p.carried));
      const input = channels(summary.row(`dense${block}`)!.inputShape);
      expect(carried).toEqual([1, 2, 3, 4].map((k) => input + 32 * k));
      // Each conv block reads what the previous ones carried: the summary's input of the next conv block.
      appended.slice(0, -1).forEach((p, k) => expect(p.carried).toEqual(summary.row(`dense${block}/denselayer${k + 2}`)!.inputShape));
      expect(appended.at(-1)!.carried).toEqual(summary.row(`dense${block}`)!.outputShape);
      expect(appended.every((p) => channels(p.shape) === 32)).toBe(true);
      if (block < 4) {
        const transition = points.filter((p) => p.region === `transition ${block}`);
        expect(channels(transition.at(-1)!.carried)).toBe(carried.at(-1)! / 2);
        expect(transition.at(-1)!.shape).toEqual(summary.row(`trans${block}`)!.outputShape);
      }
    }
  });

  it('labels the regions in order and shades blocks only: stem, dense block 1, transition 1, …, head', () => {
    const plot = nn.shapePlot(keep(nn.d2l.densenet()), [96, 96, 1]);
    expect(plot.regions.map((r) => r.label)).toEqual([
      'stem', 'dense block 1', 'transition 1', 'dense block 2', 'transition 2', 'dense block 3', 'transition 3', 'dense block 4', 'head',
    ]);
    for (const r of plot.regions) expect(plot.points.slice(r.start, r.end + 1).every((p) => p.region === r.label)).toBe(true);
    expect(plot.regions.at(-1)!.end).toBe(plot.points.length - 1);
  });

  it("groups a ResNet's residual blocks by stage (d2l's b2…b5), and its layers carry what they output", () => {
    const model = keep(nn.d2l.resnet18({ widths: [4, 8, 8, 8], stemWidth: 4 }));
    const plot = nn.shapePlot(model, [32, 32, 1]);
    expect(plot.regions.map((r) => r.label)).toEqual(['stem', 'stage 2', 'stage 3', 'stage 4', 'stage 5', 'head']);
    expect(plot.points.every((p) => p.carried === p.shape)).toBe(true);
    const stage3 = plot.points.filter((p) => p.region === 'stage 3');
    expect(stage3[0].path).toBe('b3.0/conv1.pad');
    expect(stage3.at(-1)!.shape).toEqual([1, 4, 4, 8]);
  });

  it('a lone dense block: growth rate 10 → 12 changes what it carries from 3 + 2·10 to 3 + 2·12 channels', () => {
    const final = (growth: number) => nn.shapePoints(nn.denseBlock(2, growth), [8, 8, 3]).at(-1)!.carried;
    expect(final(10)).toEqual([1, 8, 8, 23]);
    expect(final(12)).toEqual([1, 8, 8, 27]);
  });

  it("a functional model's concatenate layer: the conv it appends carries the concatenation", () => {
    const input = tf.input({ shape: [8, 8, 4] });
    const y = tf.layers.conv2d({ name: 'grow', filters: 2, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
    const x = tf.layers.concatenate({ name: 'cat' }).apply([input, y]) as tf.SymbolicTensor;
    const model = keep(tf.model({ inputs: input, outputs: x }));
    const points = nn.shapePoints(model);
    expect(points.map((p) => p.path)).toEqual(['grow', 'cat']);
    expect(points[0].shape).toEqual([1, 8, 8, 2]);
    expect(points[0].carried).toEqual([1, 8, 8, 6]);
  });

  it('shows as a shape-plot view with a text fallback naming every layer in NHWC and NCHW', () => {
    const plot = nn.shapePlot(keep(nn.d2l.densenet()), [96, 96, 1]);
    const bundle = plot.toMimeBundle();
    const view = bundle['application/vnd.convlab.shape-plot+json']!;
    expect(view.points.length).toBe(plot.points.length);
    expect(view.points[7]).toEqual({ path: 'dense1/denselayer1/conv', className: 'Conv2D', shape: [1, 24, 24, 32], carried: [1, 24, 24, 96], region: 'dense block 1' });
    expect(view.regions[1]).toEqual({ label: 'dense block 1', kind: 'block', start: 6, end: 13 });
    const text = bundle['text/plain']!;
    expect(text).toContain('dense1/denselayer1/conv (Conv2D)');
    expect(text).toContain('[1, 32, 24, 24]');
    expect(text.split('\n').length).toBe(plot.points.length + 2);
  });
});
