// The WebGPU buffer pool shrinks between training steps (issue 13): a small d2l DenseNet trained with train.fit
// in a notebook cell ends every step with tfjs's buffer pool (numBytesAllocatedInGPU) within 1.2 × the step's
// peak of bytes held by tensors, and trains exactly as with trimming off: same seed, same initial weights, same
// losses and final weights (read back after the last trim, so a destroyed buffer still in use would show).
import { expect, test } from '@playwright/test';
import { REAL_FASHION_DATA, serveFashionFixture } from './helpers/fashion-fixture';
import { openNotebook, output, runCell } from './helpers/notebook';

const FIXTURE_URL = '/e2e-fixtures/fashion-mini/';

const loadCell = `const ds = await data.fashionMnist({ limit: { train: 128, test: 32 }${REAL_FASHION_DATA ? '' : `, baseUrl: '${FIXTURE_URL}'`} });
'loaded ' + ds.train.count`;

const runCellSource = `const model = nn.d2l.densenet({ inputShape: [28, 28, 1], blockConfig: [2, 2], growthRate: 8, initFeatures: 16 });
const initial = model.getWeights().map((w) => w.clone());
async function run(trim: boolean) {
  kernels.setAutoTrim(trim);
  model.setWeights(initial);
  const steps: Array<{ peak: number; pool: number; ratio: number; trimmed: number; during: number }> = [];
  const h = await train.fit(model, ds, {
    batchSize: 8, maxSteps: 4, seed: 5, optimizer: tf.train.sgd(0.05), plot: false, evaluateEachEpoch: false, sink: null,
    onBatch: () => {
      const s = kernels.memory().lastStep!;
      steps.push({ peak: s.peakBytes, pool: s.poolBytes, ratio: s.poolToPeak, trimmed: s.trimmedBytes, during: s.peakPoolBytes });
    },
  });
  const weights = await Promise.all(model.getWeights().map((w) => w.data()));
  return { losses: h.losses, steps, weights };
}
const off = await run(false);
const on = await run(true);
kernels.setAutoTrim(true);
let maxWeightDiff = 0, finite = true;
on.weights.forEach((w, i) => w.forEach((v, j) => {
  finite &&= Number.isFinite(v);
  maxWeightDiff = Math.max(maxWeightDiff, Math.abs(v - off.weights[i][j]) / Math.max(1, Math.abs(off.weights[i][j])));
}));
console.log('MEM ' + JSON.stringify({
  lossesOn: on.losses, lossesOff: off.losses, stepsOn: on.steps, stepsOff: off.steps, maxWeightDiff, finite,
  stats: String(kernels.stats().toMimeBundle()['text/plain']).split('\\n')[0],
}));`;

interface Step { peak: number; pool: number; ratio: number; trimmed: number; during: number }
interface Mem { lossesOn: number[]; lossesOff: number[]; stepsOn: Step[]; stepsOff: Step[]; maxWeightDiff: number; finite: boolean; stats: string }

test('train.fit ends each step with the pool within 1.2 × the step peak, and trains as without trimming', async ({ page }) => {
  test.setTimeout(600_000);
  await serveFashionFixture(page, `**${FIXTURE_URL}*`);
  await openNotebook(page, [loadCell, runCellSource]);
  await runCell(page, 1);
  await expect(output(page, 1)).toContainText('loaded 128');
  await runCell(page, 2, { timeout: 540_000 });
  const text = await output(page, 2).innerText();
  const m = text.match(/MEM (\{.*\})/);
  expect(m, text.slice(0, 800)).not.toBeNull();
  const r = JSON.parse(m![1]) as Mem;
  const mib = (b: number) => (b / 2 ** 20).toFixed(2);
  for (const [name, steps] of [['on', r.stepsOn], ['off', r.stepsOff]] as const) {
    console.log(`trim ${name}: ` + steps.map((s) => `peak ${mib(s.peak)} MiB, pool ${mib(s.pool)} MiB (${s.ratio.toFixed(2)}×), in-step pool ${mib(s.during)} MiB, trimmed ${mib(s.trimmed)} MiB`).join(' | '));
  }
  console.log(`losses on ${r.lossesOn.join(' ')}\nlosses off ${r.lossesOff.join(' ')}\nmax weight diff ${r.maxWeightDiff}\n${r.stats}`);
  expect(r.stepsOn).toHaveLength(4);
  for (const s of r.stepsOn) {
    expect(s.peak).toBeGreaterThan(0);
    expect(s.pool).toBeLessThanOrEqual(1.2 * s.peak);
  }
  // Without trimming tfjs's pool is well above the bound, so the bound above is the trimming's doing.
  expect(r.stepsOff[r.stepsOff.length - 1].ratio).toBeGreaterThan(1.2);
  expect(r.stepsOn.some((s) => s.trimmed > 0)).toBe(true);
  expect(r.lossesOn).toHaveLength(4);
  r.lossesOn.forEach((l, i) => expect(Math.abs(l - r.lossesOff[i]), `step ${i + 1}`).toBeLessThanOrEqual(1e-5));
  expect(r.finite).toBe(true);
  expect(r.maxWeightDiff).toBeLessThanOrEqual(1e-5);
  expect(r.stats).toMatch(/Memory, last training step: tensors peaked at [\d.]+ MiB; the buffer pool holds [\d.]+ MiB after it \([\d.]+× the peak, after trimming/);
});
