// The kernel layer in the notebook: the worker installs ConvLab's kernels once its backend is WebGPU, so cells
// run on them by default (kernels.mode() says so), nn's dense blocks take the dense-block path, and
// kernels.use('stock') switches both back.
import { expect, test } from '@playwright/test';
import { openNotebook, output, runCell } from './helpers/notebook';

test('cells run on ConvLab kernels by default; nn dense blocks use the buffer path until kernels.use("stock")', async ({ page }) => {
  test.setTimeout(180_000);
  await openNotebook(page, [
    '[tf.getBackend(), kernels.mode()].join(" ")',
    `const block = nn.denseBlock(2, 4);
const y = block.apply(tf.ones([1, 4, 4, 4]), { training: true }) as tf.Tensor;
["shape", y.shape.join("x"), "buffered", kernels.stats().kernels.denseBlock?.calls ?? 0].join(" ")`,
    `kernels.use("stock");
const y2 = block.apply(tf.ones([1, 4, 4, 4]), { training: true }) as tf.Tensor;
[kernels.mode(), "shape", y2.shape.join("x"), "buffered", kernels.stats().kernels.denseBlock?.calls ?? 0].join(" ")`,
  ]);
  await runCell(page, 1);
  await expect(output(page, 1)).toContainText('webgpu convlab');
  await runCell(page, 2);
  await expect(output(page, 2)).toContainText('shape 1x4x4x12 buffered 1');
  await runCell(page, 3);
  // Stock: plain concatenation, so the buffered count stays where it was.
  await expect(output(page, 3)).toContainText('stock shape 1x4x4x12 buffered 1');
});
