// Fashion-MNIST training in the tab, end to end: data → a small DenseNet-style model → train.fit with the
// live plot → Interrupt → evaluate. Models stay tiny: SwiftShader runs a stock WebGPU DenseNet step at
// batch 4 in ~14 s (../shared/tfjs-webgpu-internals.md).
import { expect, test } from '@playwright/test';
import { REAL_FASHION_DATA, serveFashionFixture } from './helpers/fashion-fixture';
import { openNotebook, output, runCell, startCell, toolbar, waitForRunEnd } from './helpers/notebook';

const FIXTURE_URL = '/e2e-fixtures/fashion-mini/';


const loadCell = `const ds = await data.fashionMnist({ limit: { train: 512, test: 256 }${REAL_FASHION_DATA ? '' : `, baseUrl: '${FIXTURE_URL}'`} });
console.log('DATA ' + JSON.stringify({ train: ds.train.count, test: ds.test.count, classes: ds.classNames.length }));`;

// Two dense blocks' worth of the pattern that matters: BN → ReLU → conv, concatenated onto the input.
const modelCell = `const tensorsBeforeModel = tf.memory().numTensors;
function tinyDenseNet(): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1] });
  let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
  // momentum 0.9, not Keras' 0.99: after a few dozen steps the moving statistics must already mean something.
  x = tf.layers.batchNormalization({ momentum: 0.9 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  for (let i = 0; i < 2; i++) {
    let y = tf.layers.batchNormalization({ momentum: 0.9 }).apply(x) as tf.SymbolicTensor;
    y = tf.layers.activation({ activation: 'relu' }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(y) as tf.SymbolicTensor;
    x = tf.layers.concatenate().apply([x, y]) as tf.SymbolicTensor;
  }
  x = tf.layers.averagePooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10 }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
const model = tinyDenseNet();
console.log('MODEL ' + JSON.stringify({ weights: model.weights.length, trainable: model.trainableWeights.length }));`;

// SwiftShader measured here: ~2.3 s per batch of 16 for this model, ~20 s to evaluate 256 images (so 64 here).
const LONG = 480_000;

function parseLine<T>(text: string, tag: string): T {
  const m = text.match(new RegExp(`${tag} (\\{.*?\\})`));
  if (!m) throw new Error(`no "${tag} {...}" line in output: ${text.slice(0, 500)}`);
  return JSON.parse(m[1]) as T;
}

test.describe('Fashion-MNIST training', () => {
  test.setTimeout(900_000);

  test('trains a small DenseNet-style model with a live plot, falling loss and flat memory', async ({ page }) => {
    await serveFashionFixture(page, `**${FIXTURE_URL}*`);
    const fitCell = `const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const history = await train.fit(model, ds, { epochs: 1, batchSize: 16, optimizer: 'adam', lr: 0.01, maxSteps: 32, testLimit: 32 });
const tensorsAfter = tf.memory().numTensors;
console.log('FIT ' + JSON.stringify({
  steps: history.losses.length, points: history.plotPoints,
  first5: mean(history.losses.slice(0, 5)), last5: mean(history.losses.slice(-5)),
  before: tensorsBeforeModel, after: tensorsAfter, weights: model.weights.length, trainable: model.trainableWeights.length,
  flat: new Set(history.tensorCounts).size === 1,
}));
history`;
    await openNotebook(page, [loadCell, modelCell, fitCell]);
    await runCell(page, 1);
    const dataInfo = parseLine<{ train: number; test: number; classes: number }>(await output(page, 1).innerText(), 'DATA');
    expect(dataInfo).toEqual({ train: 512, test: 256, classes: 10 });
    await runCell(page, 2);
    await expect(output(page, 2)).toContainText('MODEL');
    await runCell(page, 3, { timeout: LONG });
    const fit = parseLine<{ steps: number; points: number; first5: number; last5: number; before: number; after: number; weights: number; trainable: number; flat: boolean }>(
      await output(page, 3).innerText(), 'FIT');
    expect(fit.steps).toBe(32);
    expect(fit.points).toBeGreaterThanOrEqual(30);
    expect(fit.last5).toBeLessThan(fit.first5);
    // Adam's state: two moments per trainable variable plus its two beta-power scalars.
    expect(fit.after).toBe(fit.before + fit.weights + 2 * fit.trainable + 2);
    expect(fit.flat).toBe(true);
  });

  test('Interrupt stops training within two batches; a following cell evaluates the model', async ({ page }) => {
    await serveFashionFixture(page, `**${FIXTURE_URL}*`);
    // Batch 64: with ConvLab's kernels a batch of 8 of this model trains in ~70 ms here, less than Playwright's read
    // of the output plus its click take, so "within two batches" would time the test's own latency, not the kernel's.
    const longFit = `await train.fit(model, ds, { epochs: 100, batchSize: 64, evaluateEachEpoch: false,
  onBatch: ({ step }) => console.log('step ' + step) });`;
    const evalCell = `const last = train.latestHistory();
const ev = await train.evaluate(model, ds, { limit: 64 });
console.log('EVAL ' + JSON.stringify({ interrupted: last.interrupted, steps: last.losses.length, count: ev.count, accuracy: ev.accuracy }));
ev`;
    await openNotebook(page, [loadCell, modelCell, longFit, evalCell]);
    await runCell(page, 1);
    await runCell(page, 2);
    const runsBefore = await startCell(page, 3);
    await expect(output(page, 3)).toContainText('step 4', { timeout: LONG });
    const stepsAt = (text: string) => Math.max(0, ...[...text.matchAll(/step (\d+)/g)].map((m) => Number(m[1])));
    const atClick = stepsAt(await output(page, 3).innerText());
    await toolbar(page).getByRole('button', { name: 'Interrupt', exact: true }).click();
    await waitForRunEnd(page, 3, runsBefore, 120_000);
    await expect(output(page, 3)).toContainText(/Interrupted/);
    const atEnd = stepsAt(await output(page, 3).innerText());
    expect(atEnd - atClick).toBeLessThanOrEqual(2);

    await runCell(page, 4, { timeout: LONG });
    const ev = parseLine<{ interrupted: boolean; steps: number; count: number; accuracy: number }>(await output(page, 4).innerText(), 'EVAL');
    expect(ev.interrupted).toBe(true);
    expect(ev.steps).toBe(atEnd);
    expect(ev.count).toBe(64);
    expect(ev.accuracy).toBeGreaterThanOrEqual(0);
    expect(ev.accuracy).toBeLessThanOrEqual(1);
  });
});
