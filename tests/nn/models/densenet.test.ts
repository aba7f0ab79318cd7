import type * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as D from '../../../src/nn/models/densenet';
import { countParams } from '../../../src/nn/count-params';
import { cpu } from '../setup';

beforeAll(cpu);

const expected: Array<[string, (o?: { inputShape?: [number, number, number] }) => tf.Sequential, number]> = [
  ['densenet121', D.densenet121, 7_978_856],
  ['densenet161', D.densenet161, 28_681_000],
  ['densenet169', D.densenet169, 14_149_480],
  ['densenet201', D.densenet201, 20_013_928],
];

describe('DenseNet parameter counts (torchvision)', () => {
  for (const [name, build, count] of expected) {
    it(`${name}: ${count.toLocaleString('en-US')} trainable parameters`, () => {
      // Built dry: counted from the weights' shapes, no weights allocated (tests/nn/count-params.test.ts).
      expect(countParams(() => build()).trainable).toBe(count);
    });
  }

  it('densenet121 channels: 64 → 256 → 128 → 512 → 256 → 1024 → 512 → 1024, 7×7 at 224', () => {
    const model = D.densenet121();
    const byName = Object.fromEntries(model.layers.map((l) => [l.name, l.outputShape]));
    expect(byName['denseblock1']).toEqual([null, 56, 56, 256]);
    expect(byName['transition1']).toEqual([null, 28, 28, 128]);
    expect(byName['transition3']).toEqual([null, 7, 7, 512]);
    expect(byName['denseblock4']).toEqual([null, 7, 7, 1024]);
    expect(byName['classifier']).toEqual([null, 1000]);
    model.dispose();
  });
});
