// Inspection views on real WebGPU: a small model with an SE block trains for a few steps on the Fashion-MNIST fixture,
// then nn.featureMaps draws one tile per channel of its first conv, nn.filters one per kernel, and nn.seGates a
// channels × images heat map. The canvases are read back to check that something was drawn, not only laid out.
import { expect, test, type Locator } from '@playwright/test';
import { REAL_FASHION_DATA, serveFashionFixture } from './helpers/fashion-fixture';
import { openNotebook, output, runCell } from './helpers/notebook';

const FIXTURE_URL = '/e2e-fixtures/fashion-mini/';

const loadCell = `const ds = await data.fashionMnist({ limit: { train: 64, test: 16 }${REAL_FASHION_DATA ? '' : `, baseUrl: '${FIXTURE_URL}'`} });`;

const trainCell = `const model = tf.sequential({ layers: [
  tf.layers.conv2d({ name: 'conv1', inputShape: [28, 28, 1], filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
  nn.seBlock({ name: 'se', reduction: 4 }),
  tf.layers.globalAveragePooling2d({}),
  tf.layers.dense({ units: 10 }),
] });
const trained = await train.fit(model, ds, { batchSize: 8, maxSteps: 3, evaluateEachEpoch: false, plot: false });
console.log('TRAINED ' + trained.losses.length);`;

const mapsCell = `const images = ds.batchAt('test', Int32Array.from([0, 1, 2, 3, 4, 5]));
const fm = await nn.featureMaps(model, 'conv1', images.x);
const kernels = await nn.filters(model, 'conv1');
console.log('MAPS ' + JSON.stringify({ channels: fm.channels, shape: fm.shape, kernels: kernels.count }));`;

const gatesCell = `const gates = await nn.seGates(model, images);
console.log('GATES ' + JSON.stringify(gates.blocks.map((b) => [b.path, b.channels, b.images, b.values.flat().every((v) => v > 0 && v < 1)])));`;

/** Whether every pixel of a canvas is opaque: a canvas nothing was drawn into is transparent. */
function allOpaque(canvas: Locator): Promise<boolean> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return false;
    return data.length > 0;
  });
}

/** How many different colours a canvas holds: more than a few means an image's structure was drawn. */
function distinctPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    const seen = new Set<string>();
    for (let i = 0; i < data.length; i += 4) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    return seen.size;
  });
}

test('feature maps and filters of a trained first conv, one tile per channel; SE gates as a channels × images heat map', async ({ page }) => {
  test.setTimeout(300_000);
  await serveFashionFixture(page, `**${FIXTURE_URL}*`);
  await openNotebook(page, [loadCell, trainCell, mapsCell, gatesCell]);
  await runCell(page, 1);
  await runCell(page, 2, { timeout: 180_000 });
  await expect(output(page, 2)).toContainText('TRAINED 3');

  await runCell(page, 3);
  await expect(output(page, 3)).toContainText('MAPS {"channels":8,"shape":[1,14,14,8],"kernels":8}');
  const maps = output(page, 3).getByRole('region', { name: 'Feature maps' });
  await expect(maps).toHaveAttribute('data-tiles', '8');
  const tiles = maps.locator('canvas');
  await expect(tiles).toHaveCount(8);
  await expect(tiles.first()).toHaveJSProperty('width', 14);
  // A feature map of a real image is not one flat grey (a dead channel may be: at least one of eight is not).
  expect(await Promise.all((await tiles.all()).map(allOpaque))).toEqual(Array(8).fill(true));
  const drawn = await Promise.all((await tiles.all()).map(distinctPixels));
  expect(Math.max(...drawn)).toBeGreaterThan(4);
  const filters = output(page, 3).getByRole('region', { name: 'Filters' });
  await expect(filters.locator('canvas')).toHaveCount(8);

  await runCell(page, 4);
  await expect(output(page, 4)).toContainText('GATES [["se",8,6,true]]');
  const heat = output(page, 4).getByRole('region', { name: 'SE gates' });
  const panel = heat.locator('figure');
  await expect(panel).toHaveCount(1);
  await expect(panel).toHaveAttribute('data-rows', '8');
  await expect(panel).toHaveAttribute('data-cols', '6');
  const canvas = panel.locator('canvas');
  await expect(canvas).toHaveJSProperty('width', 6);
  await expect(canvas).toHaveJSProperty('height', 8);
  // Gates of a barely trained SE block are all near 0.5, so one colour is right; what matters is that it was drawn.
  expect(await allOpaque(canvas)).toBe(true);
});
