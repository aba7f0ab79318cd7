// PyTorch parity on real WebGPU with ConvLab's kernels (the notebook's default): each fixture of
// tests/fixtures/pytorch goes into a cell as a literal; the cell builds the block with nn, loads PyTorch's
// weights with nn.loadTorchWeights, runs the fixture input in inference mode and prints the relative error
// max|a − b| / max(max|b|, 1e-6) against PyTorch's output, which must stay below 1e-4 (as on the CPU).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { openNotebook, output, runCell } from './helpers/notebook';
import { findChromium, WEBGPU_ARGS } from './chromium';
import { PARITY_CASES, PARITY_TOLERANCE } from '../tests/nn/pytorch-cases';

// Shader compilation is most of this test's time; Dawn's disable_workgroup_init shortens it and can only make a
// kernel that relied on zeroed workgroup memory fail, never pass (see gpu-conformance.spec.ts).
test.use({ launchOptions: { executablePath: findChromium(), args: [...WEBGPU_ARGS, '--enable-dawn-features=disable_workgroup_init'] } });

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'tests', 'fixtures', 'pytorch');

/** Defines parity() in the notebook scope; reads results with await .data() (dataSync is refused on WebGPU). */
const HELPER = `type FixtureTensor = { shape: number[]; float32: string };
type Fixture = { input: FixtureTensor; output: FixtureTensor; params: Record<string, FixtureTensor> };
function decodeFixture(t: FixtureTensor): tf.Tensor {
  const bytes = Uint8Array.from(atob(t.float32), (c) => c.charCodeAt(0));
  return tf.tensor(new Float32Array(bytes.buffer), t.shape, 'float32');
}
async function parity(name: string, root: tf.LayersModel | tf.layers.Layer, fixture: Fixture, modules: Record<string, string>): Promise<string> {
  const x = decodeFixture(fixture.input);
  const expected = decodeFixture(fixture.output);
  const params = Object.fromEntries(Object.entries(fixture.params).map(([k, v]) => [k, decodeFixture(v)]));
  tf.dispose(root.apply(x) as tf.Tensor); // creates the block's weights for this input
  nn.loadTorchWeights(root, params, modules);
  const y = root.apply(x, { training: false }) as tf.Tensor;
  const diff = tf.max(tf.abs(tf.sub(y, expected)));
  const scale = tf.max(tf.abs(expected));
  const [d] = await diff.data();
  const [s] = await scale.data();
  const shape = y.shape.join("x");
  tf.dispose([x, expected, y, diff, scale, ...Object.values(params)]);
  if (root instanceof tf.LayersModel) root.dispose();
  return "parity " + name + " " + shape + " " + (d / Math.max(s, 1e-6)).toExponential(3);
}
[tf.getBackend(), kernels.mode()].join(" ")`;

/** ConvLab's own call counts per kernel since the page loaded, as JSON. */
const STATS = `JSON.stringify(Object.fromEntries(Object.entries(kernels.stats().kernels).map(([k, v]) => [k, v.calls])))`;

function caseCell(name: string, build: string, modules: Record<string, string>): string {
  const fixture = readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
  return `await parity(${JSON.stringify(name)}, ${build}, ${fixture.trim()}, ${JSON.stringify(modules)})`;
}

test('nn blocks and d2l models match PyTorch within 1e-4 on WebGPU with ConvLab kernels', async ({ page }) => {
  test.setTimeout(1_500_000); // SwiftShader on shared cores: every new conv shape compiles its pipelines
  await openNotebook(page, [HELPER, ...PARITY_CASES.map((c) => caseCell(c.name, c.build, c.modules)), STATS]);
  await runCell(page, 1);
  await expect(output(page, 1)).toContainText('webgpu convlab');
  const errors: string[] = [];
  for (const [i, c] of PARITY_CASES.entries()) {
    const n = i + 2;
    await runCell(page, n, { timeout: 300_000 });
    const text = (await output(page, n).textContent()) ?? '';
    const match = new RegExp(`parity ${c.name} (\\S+) ([-+.\\deE]+|NaN|Infinity)`).exec(text);
    expect(match, `cell ${n} (${c.name}) printed: ${text.slice(0, 500)}`).not.toBeNull();
    const error = Number(match![2]);
    errors.push(`${c.name.padEnd(18)} ${match![1].padEnd(10)} ${match![2]}`);
    expect.soft(error, `${c.name}: relative error vs PyTorch`).toBeLessThan(PARITY_TOLERANCE);
  }
  // The convs really ran on ConvLab's kernels (the registry counts each call it handles).
  const last = PARITY_CASES.length + 2;
  await runCell(page, last);
  const stats = JSON.parse(((await output(page, last).textContent()) ?? '').replace(/^[^{]*/, '').replace(/[^}]*$/, '')) as Record<string, number>;
  console.log(`relative error vs PyTorch on WebGPU (ConvLab kernels):\n  ${errors.join('\n  ')}\nConvLab calls: ${JSON.stringify(stats)}`);
  expect((stats['Conv2D'] ?? 0) + (stats['FusedConv2D'] ?? 0)).toBeGreaterThan(0);
  expect(stats['GroupedConv2D'] ?? 0).toBeGreaterThan(0);
});
