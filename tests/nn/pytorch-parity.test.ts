// Numerical parity with PyTorch: each block and small model, built with nn and given the weights of a
// seeded PyTorch module (BatchNorm in eval mode with random running statistics), maps the fixture's
// input to PyTorch's output. Relative error = max|a − b| / max(max|b|, 1e-6) over the whole tensor,
// a = nn's output, b = PyTorch's; must be < 1e-4. The stride-2 cases are the ones where TensorFlow's
// one-sided 'same' padding would shift every output (see torchPadding in src/nn/core/layers.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as nn from '../../src/nn';
import { conv, torchConv, torchMaxPool } from '../../src/nn/core/layers';
import { cpu } from './setup';
import { PARITY_CASES, PARITY_TOLERANCE, type FixtureTensor, type ParityFixture } from './pytorch-cases';

beforeAll(cpu);

const FIXTURES = join(__dirname, '..', 'fixtures', 'pytorch');

function readFixture(name: string): ParityFixture {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as ParityFixture;
}

function decode(t: FixtureTensor): tf.Tensor {
  const bytes = Buffer.from(t.float32, 'base64');
  // Copy into an aligned buffer: Buffer's pool offset need not be a multiple of 4.
  const data = new Float32Array(new Uint8Array(bytes).buffer);
  return tf.tensor(data, t.shape, 'float32');
}

/** max|a − b| / max(max|b|, 1e-6). */
function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
    const scale = Math.max(tf.max(tf.abs(b)).dataSync()[0], 1e-6);
    return diff / scale;
  });
}

/** Builds the case's block from its nn source, loads the fixture's weights, returns the error and output shape. */
function runCase(name: string, build: string, modules: Record<string, string>): { error: number; shape: number[]; expected: number[] } {
  const fixture = readFixture(name);
  const root = new Function('nn', `return ${build};`)(nn) as tf.LayersModel | tf.layers.Layer;
  const x = decode(fixture.input);
  const expected = decode(fixture.output);
  const params = Object.fromEntries(Object.entries(fixture.params).map(([k, v]) => [k, decode(v)]));
  try {
    tf.dispose(root.apply(x) as tf.Tensor); // creates the block's weights for this input
    nn.loadTorchWeights(root, params, modules);
    const y = root.apply(x, { training: false }) as tf.Tensor;
    const result = { error: relativeError(y, expected), shape: y.shape, expected: expected.shape };
    y.dispose();
    return result;
  } finally {
    tf.dispose([x, expected, ...Object.values(params)]);
    if (root instanceof tf.LayersModel) root.dispose();
  }
}

describe('PyTorch parity (fixtures from scripts/pytorch/make_parity_fixtures.py)', () => {
  for (const c of PARITY_CASES) {
    it(`${c.name}: ${c.build}`, () => {
      const { error, shape, expected } = runCase(c.name, c.build, c.modules);
      expect(shape).toEqual(expected);
      expect(error).toBeLessThan(PARITY_TOLERANCE);
    });
  }

  it('a wrong mapping fails loudly instead of leaving weights unset', () => {
    const c = PARITY_CASES.find((p) => p.name === 'basic_v1_s2')!;
    const { ['downsample.1']: _bn, ...incomplete } = c.modules;
    expect(() => runCase(c.name, c.build, incomplete)).toThrow(/not mapped/);
  });
});

describe("padding as PyTorch's", () => {
  it('strided 3×3 and 7×7 convs and the stem max-pool pad symmetrically (explicit ZeroPadding2D, then valid)', () => {
    const model = nn.d2l.resnet18({ inputShape: [32, 32, 1], widths: [4, 4, 8, 8], stemWidth: 4 });
    const names = model.layers.map((l) => l.name);
    expect(names.slice(0, 6)).toEqual(['b1.conv.pad', 'b1.conv', 'b1.bn', 'b1.relu', 'b1.pool.pad', 'b1.pool']);
    expect(model.getLayer('b1.conv.pad').getConfig()['padding']).toEqual([[3, 3], [3, 3]]);
    expect(model.getLayer('b1.pool.pad').getConfig()['padding']).toEqual([[1, 1], [1, 1]]);
    const down = model.getLayer('b3.0') as nn.ResidualBlock;
    expect(down.findSublayer('conv1.pad').getConfig()['padding']).toEqual([[1, 1], [1, 1]]);
    expect(down.findSublayer('conv1').getConfig()['padding']).toBe('valid');
    model.dispose();
  });

  it('max-pool zero padding is only allowed right after a ReLU (PyTorch pads with −inf)', () => {
    // Zero padding equals −inf padding only for inputs ≥ 0: every builder's padded pool follows a ReLU.
    const models = [
      nn.resnetFromSpec({ bottleneck: false, layers: [1, 1, 1, 1] }, 'tiny', { inputShape: [32, 32, 3], widths: [4, 4, 4, 4], stemWidth: 4 }),
      nn.densenetFromSpec({ growthRate: 4, blockConfig: [1, 1], initFeatures: 4 }, 'tiny_bc', { inputShape: [32, 32, 3] }),
      nn.d2l.densenet({ inputShape: [32, 32, 1], growthRate: 4, blockConfig: [1, 1], initFeatures: 4 }),
    ];
    for (const model of models) {
      const classes = model.layers.map((l) => l.getClassName());
      const pool = classes.indexOf('MaxPooling2D');
      expect(classes.slice(pool - 2, pool + 1)).toEqual(['ReLU', 'ZeroPadding2D', 'MaxPooling2D']);
      model.dispose();
    }
    expect(() => torchMaxPool('pool', 3, 2, tf.layers.batchNormalization({}))).toThrow(/ReLU/);
  });

  it("nn's conv helper refuses 'same' padding with a stride and a kernel wider than 1", () => {
    expect(() => conv('c', 4, 3, { strides: 2 })).toThrow(/asymmetric/);
    expect(conv('c', 4, 1, { strides: 2 }).getConfig()['padding']).toBe('same'); // 1×1: nothing to pad
    expect(torchConv('c', 4, 3, { strides: 1 }).map((l) => l.getClassName())).toEqual(['Conv2D']);
  });
});
