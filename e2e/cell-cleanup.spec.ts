// Cells that clean up after themselves: re-running a cell that rebinds a model frees the old model's weights.
import { expect, test } from '@playwright/test';
import { openNotebook, output, runCell } from './helpers/notebook';

test('re-running `const model = nn.resnet50()` five times holds the memory of one run', async ({ page }) => {
  test.setTimeout(300_000);
  await openNotebook(page, ['const model = nn.resnet50();\nnn.countParams(model).trainable', 'const m = tf.memory();\n`${m.numTensors} tensors, ${m.numBytes} bytes`']);
  const readings: string[] = [];
  for (let i = 0; i < 5; i++) {
    await runCell(page, 1, { timeout: 120_000 });
    await expect(output(page, 1)).toContainText('25557032');
    await runCell(page, 2);
    readings.push((await output(page, 2).innerText()).trim());
  }
  expect(readings[0]).toMatch(/^'\d+ tensors, \d+ bytes'$/);
  expect(new Set(readings)).toEqual(new Set([readings[0]]));
  // From the second run on, the cell says what it freed.
  await expect(output(page, 1)).toContainText(/Freed what the previous `model` held \(\d+ tensors, [\d.]+ MB\)/);
});
