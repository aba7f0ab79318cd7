// The kernel layer in the notebook: the worker installs ConvLab's kernels once its backend is WebGPU, so cells
// run on them by default (kernels.mode() says so), nn's dense blocks take the dense-block path, and
// kernels.use('stock') switches both back.
import { expect, test } from '@playwright/test';
import { openNotebook, output, runCell } from './helpers/notebook';

test('cells run on ConvLab kernels by default; nn dense blocks use the buffer path until kernels.use("stock"), whose stats are its own', async ({ page }) => {
  test.setTimeout(180_000);
  await openNotebook(page, [
    '[tf.getBackend(), kernels.mode()].join(" ")',
    `const block = nn.denseBlock(2, 4);
const y = block.apply(tf.ones([1, 4, 4, 4]), { training: true }) as tf.Tensor;
["shape", y.shape.join("x"), "buffered", kernels.stats().kernels.denseBlock?.calls ?? 0].join(" ")`,
    `kernels.use("stock");
const y2 = block.apply(tf.ones([1, 4, 4, 4]), { training: true }) as tf.Tensor;
[kernels.mode(), "shape", y2.shape.join("x"), "buffered", kernels.stats("convlab").kernels.denseBlock?.calls ?? 0,
 "stock concats", kernels.stats().kernels.Concat?.calls ?? 0].join(" ")`,
    'kernels.stats()',
  ]);
  await runCell(page, 1);
  await expect(output(page, 1)).toContainText('webgpu convlab');
  await runCell(page, 2);
  await expect(output(page, 2)).toContainText('shape 1x4x4x12 buffered 1');
  await runCell(page, 3);
  // Stock: plain concatenation, so the buffered count stays where it was, and tfjs's own Concat ran (counted as stock).
  await expect(output(page, 3)).toContainText(/stock shape 1x4x4x12 buffered 1 stock concats [1-9]/);
  // The table shows stock mode's own counts under its own heading, not the convlab counts from before the switch.
  await runCell(page, 4);
  await expect(output(page, 4).locator('caption')).toContainText("Mode stock: TensorFlow.js's own kernels on webgpu");
  await expect(output(page, 4).locator('th')).toHaveText(['kernel', 'stock calls']);
  await expect(output(page, 4).locator('tr', { hasText: 'Concat' })).toBeVisible();
  await expect(output(page, 4).locator('tr', { hasText: 'denseBlock' })).toHaveCount(0);
});

// tfjs's webgpu Cast from int32 to float32 may relabel a tensor without converting its buffer; a program of ours
// bound to it would be generated with an i32 binding and fail to compile (and the device's later work with it).
// Such calls go to stock: the result is right and the count says why.
test('float32 tensors still stored as int32 (a cast from integers) run on stock, with the right result', async ({ page }) => {
  test.setTimeout(120_000);
  await openNotebook(page, [`const w = tf.oneHot(tf.tensor1d([2, 0], 'int32'), 3).toFloat();
const x = tf.tensor2d([[1, 2], [3, 4]]);
const y = tf.matMul(x, w);
print("product", JSON.stringify(Array.from(await y.data())));
print("why", kernels.stats().kernels.BatchMatMul?.lastFallback ?? "none");`]);
  await runCell(page, 1);
  await expect(output(page, 1)).toContainText('product [2,0,1,4,0,3]');
  await expect(output(page, 1)).toContainText('why dtype (an input is not stored as float32)');
});
