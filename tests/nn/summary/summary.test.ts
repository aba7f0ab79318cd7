import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as nn from '../../../src/nn';
import { cpu } from '../setup';

beforeAll(cpu);

describe('nn.summary', () => {
  it('d2l DenseNet on 96×96×1: 48×48×64 after the 7×7/2 conv, 24×24×64 after the pool, 3×3×248 after the last dense block, 10 classes', () => {
    const model = nn.d2l.densenet();
    const s = nn.summary(model, [96, 96, 1]);
    expect(s.row('b1.conv')!.outputShape).toEqual([1, 48, 48, 64]);
    expect(s.row('b1.pool')!.outputShape).toEqual([1, 24, 24, 64]);
    expect(s.row('dense4')!.outputShape).toEqual([1, 3, 3, 248]);
    expect(s.outputShape).toEqual([1, 10]);
    const text = s.toString();
    expect(text).toContain('[1, 48, 48, 64]');
    expect(text).toContain('[1, 64, 48, 48]'); // the NCHW rendering PyTorch would print
    expect(text).toContain('[1, 248, 3, 3]');
    expect(text.trimEnd().split('\n').at(-2)).toMatch(/^Total/);
    model.dispose();
  });

  it('shows nested blocks as a tree with consistent parameter totals', () => {
    const model = nn.d2l.densenet();
    const s = nn.summary(model, [96, 96, 1]);
    const dense1 = s.rows.findIndex((r) => r.path === 'dense1');
    expect(s.rows[dense1].isBlock).toBe(true);
    expect(s.rows[dense1 + 1]).toMatchObject({ path: 'dense1/denselayer1', depth: 1 });
    expect(s.rows[dense1 + 2]).toMatchObject({ path: 'dense1/denselayer1/norm', depth: 2 });
    expect(s.row('dense1/denselayer4/conv')!.outputShape).toEqual([1, 24, 24, 32]);
    const top = s.rows.filter((r) => r.depth === 0);
    expect(top.reduce((a, r) => a + r.trainable, 0)).toBe(s.totals.trainable);
    expect(s.totals).toMatchObject(nn.countParams(model));
    const leaves = s.rows.filter((r) => !r.isBlock);
    expect(leaves.reduce((a, r) => a + r.trainable + r.nonTrainable, 0)).toBe(s.totals.trainable + s.totals.nonTrainable);
    model.dispose();
  });

  it('counts FLOPs as 2 × multiply-adds of convs (grouped too) and dense layers, times the batch', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ name: 'c', filters: 8, kernelSize: 3, padding: 'same', inputShape: [6, 6, 4] }),
        nn.groupedConv({ name: 'g', filters: 8, kernelSize: 3, groups: 2 }),
        tf.layers.flatten({ name: 'flat' }),
        tf.layers.dense({ name: 'fc', units: 5 }),
      ],
    });
    const s = nn.summary(model, [3, 6, 6, 4]);
    expect(s.row('c')!.flops).toBe(2 * 3 * 6 * 6 * 8 * 9 * 4);
    expect(s.row('g')!.flops).toBe(2 * 3 * 6 * 6 * 8 * 9 * 4);
    expect(s.row('fc')!.flops).toBe(2 * 3 * 5 * 288);
    expect(s.row('flat')!.activationBytes).toBe(4 * 3 * 288);
    expect(s.totals.flops).toBe(s.rows.reduce((a, r) => a + r.flops, 0));
    model.dispose();
  });

  it('resnet18 at 224²: about 1.82 G multiply-adds (the published figure), without allocating activations', () => {
    const model = nn.resnet18();
    const before = tf.memory().numTensors;
    const s = nn.summary(model);
    expect(tf.memory().numTensors).toBe(before);
    expect(s.totals.flops / 2).toBeGreaterThan(1.80e9);
    expect(s.totals.flops / 2).toBeLessThan(1.83e9);
    expect(s.row('layer4.1')!.outputShape).toEqual([1, 7, 7, 512]);
    expect(s.row('layer2.0/downsample.bn')!.depth).toBe(1);
    model.dispose();
  });

  it('renders a table MIME bundle with indent and a total row', () => {
    const model = nn.fractalnet({ blocks: 2, columns: 2, channels: 4, inputShape: [8, 8, 3] });
    const bundle = nn.summary(model).toMimeBundle();
    const table = bundle['application/vnd.convlab.table+json'];
    expect(table.columns).toHaveLength(7);
    expect(table.rows).toHaveLength(table.indent!.length);
    expect(table.totalRows).toEqual([table.rows.length - 1]);
    expect(Math.max(...table.indent!)).toBe(2); // fractal → block → conv
    expect(bundle['text/plain']).toContain('block1 (FractalBlock)');
    model.dispose();
  });
});
