// Through the public `nn` namespace, as cells use it: gradients reach every weight of every builder
// family, and models save and load with identical outputs.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as nn from '../../src/nn';
import { cpu } from './setup';

beforeAll(cpu);

function expectAllGradientsNonZero(model: tf.LayersModel, x: tf.Tensor): void {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const labels = tf.oneHot(tf.tensor1d([1, 3], 'int32'), model.outputs[0].shape[1] as number);
  const { value, grads } = tf.variableGrads(() => {
    const logits = model.apply(x, { training: true }) as tf.Tensor;
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  }, vars);
  expect(Number.isFinite(value.dataSync()[0])).toBe(true);
  const zero = model.trainableWeights
    .filter((w) => tf.max(tf.abs(grads[(w.read() as tf.Variable).name])).dataSync()[0] === 0)
    .map((w) => w.originalName);
  expect(zero).toEqual([]);
  expect(Object.keys(grads)).toHaveLength(vars.length);
}

describe('gradients reach every trainable weight', () => {
  // ResNet-18's layout through the same builder; narrow, because at full width the CPU backward alone takes seconds
  // and proves nothing more (the widths are only numbers; nn.resnet18's counts are checked in tests/nn/models).
  it('resnet-18 layout (v1, basic blocks 2-2-2-2), narrow, at 32×32', () => {
    const model = nn.resnetFromSpec({ bottleneck: false, layers: [2, 2, 2, 2] }, 'resnet18_narrow', {
      inputShape: [32, 32, 3], classes: 10, widths: [8, 16, 32, 64], stemWidth: 8,
    });
    expectAllGradientsNonZero(model, tf.randomNormal([2, 32, 32, 3]));
    model.dispose();
  });

  it('pre-activation bottleneck ResNet (v2), small', () => {
    const model = nn.resnetFromSpec({ bottleneck: true, layers: [1, 2, 1, 1] }, 'tiny_v2', {
      inputShape: [32, 32, 3], classes: 10, preact: true, widths: [8, 16, 16, 32], stemWidth: 16,
    });
    expectAllGradientsNonZero(model, tf.randomNormal([2, 32, 32, 3]));
    model.dispose();
  });

  it('SE-ResNeXt (grouped 3×3 + SE), small', () => {
    const model = nn.resnetFromSpec({ bottleneck: true, layers: [1, 1, 1, 1], groups: 8, baseWidth: 16, seReduction: 16 }, 'tiny_sx', {
      inputShape: [32, 32, 3], classes: 10, widths: [16, 32, 32, 64], stemWidth: 16,
    });
    expect(model.layers.find((l) => l.name === 'layer1.0')!.getConfig()['groups']).toBe(8);
    expectAllGradientsNonZero(model, tf.randomNormal([2, 32, 32, 3]));
    model.dispose();
  });

  it('d2l resnet18 and d2l densenet, small inputs', () => {
    const r = nn.d2l.resnet18({ inputShape: [16, 16, 1] });
    expectAllGradientsNonZero(r, tf.randomNormal([2, 16, 16, 1]));
    r.dispose();
    const d = nn.d2l.densenet({ inputShape: [32, 32, 1], growthRate: 8, blockConfig: [2, 2], initFeatures: 16 });
    expectAllGradientsNonZero(d, tf.randomNormal([2, 32, 32, 1]));
    d.dispose();
  });

  it('DenseNet-BC (torchvision definition), tiny', () => {
    const model = nn.densenetFromSpec({ growthRate: 4, blockConfig: [2, 2], initFeatures: 8 }, 'tiny_bc', { inputShape: [32, 32, 3], classes: 10 });
    expectAllGradientsNonZero(model, tf.randomNormal([2, 32, 32, 3]));
    model.dispose();
  });

  it('FractalNet with drop-path off, tiny', () => {
    const model = nn.fractalnet({ blocks: 2, columns: 3, channels: 4, inputShape: [8, 8, 3], dropPath: false });
    expectAllGradientsNonZero(model, tf.randomNormal([2, 8, 8, 3]));
    model.dispose();
  });
});

async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

async function expectSameAfterLoad(model: tf.LayersModel, x: tf.Tensor): Promise<void> {
  // One training-mode pass moves BN running statistics off their defaults, so they must be saved too.
  model.apply(x, { training: true });
  const loaded = await roundTrip(model);
  expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
  expect(loaded.weights.map((w) => w.originalName)).toEqual(model.weights.map((w) => w.originalName));
  const a = model.predict(x) as tf.Tensor;
  const b = loaded.predict(x) as tf.Tensor;
  expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  loaded.dispose();
  model.dispose();
}

describe('save → load round trip gives identical outputs', () => {
  it('a small d2l DenseNet', async () => {
    const model = nn.d2l.densenet({ inputShape: [16, 16, 1], growthRate: 4, blockConfig: [2, 2], initFeatures: 8 });
    await expectSameAfterLoad(model, tf.randomNormal([2, 16, 16, 1]));
  });

  it('a small SE-ResNet (bottleneck, SE, projection shortcuts)', async () => {
    const model = nn.resnetFromSpec({ bottleneck: true, layers: [1, 1, 1, 1], seReduction: 16 }, 'tiny_se', {
      inputShape: [16, 16, 3], classes: 5, widths: [8, 16, 16, 32], stemWidth: 8,
    });
    await expectSameAfterLoad(model, tf.randomNormal([2, 16, 16, 3]));
  });

  it('a small FractalNet (drop-path config survives too)', async () => {
    const model = nn.fractalnet({ blocks: 2, columns: 3, channels: [4, 6], inputShape: [8, 8, 3], seed: 5, localDropProb: 0.25 });
    const loaded = await roundTrip(model);
    expect(loaded.layers[0].getConfig()).toMatchObject({ columns: 3, channels: [4, 6], seed: 5, localDropProb: 0.25 });
    loaded.dispose();
    await expectSameAfterLoad(model, tf.randomNormal([2, 8, 8, 3]));
  });

  it('a grouped-conv ResNeXt block', async () => {
    const model = tf.sequential({ layers: [nn.bottleneck({ name: 'block', filters: 8, groups: 4, baseWidth: 16, inputShape: [8, 8, 16] })] });
    await expectSameAfterLoad(model, tf.randomNormal([2, 8, 8, 16]));
  });
});

describe('fractalColumn', () => {
  it('runs the network as one plain column, then restores all columns', () => {
    const model = nn.fractalnet({ blocks: 1, columns: 3, channels: 4, inputShape: [8, 8, 3] });
    const x = tf.randomNormal([1, 8, 8, 3]);
    const all = model.predict(x) as tf.Tensor;
    nn.fractalColumn(model, 2);
    const deep = model.predict(x) as tf.Tensor;
    const body = model.layers[0] as nn.FractalBody;
    expect(body.blocks[0].lastJoins.every((j) => j.kept === 1)).toBe(true);
    expect(tf.max(tf.abs(tf.sub(all, deep))).dataSync()[0]).toBeGreaterThan(0);
    nn.fractalColumn(model, null);
    expect(Array.from((model.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from(all.dataSync()));
    model.dispose();
  });
});
