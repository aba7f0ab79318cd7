import { describe, expect, it } from 'vitest';
import { decode as decodePng } from 'fast-png';
import * as tf from '@tensorflow/tfjs';
import { fromArrays, permutation } from '../../src/data/dataset';
import { layoutGrid } from '../../src/plots/image-grid';
import { encodePng } from '../../src/plots/png';
import { syntheticImages } from '../fixtures/idx-fixtures';

function dataset(trainCount = 25, testCount = 10) {
  const tr = syntheticImages(trainCount, 1), te = syntheticImages(testCount, 2);
  return fromArrays({ name: 'synthetic', train: { count: trainCount, rows: 28, cols: 28, ...tr }, test: { count: testCount, rows: 28, cols: 28, ...te } });
}

describe('ImageDataset.batches', () => {
  it('yields normalised NHWC images and one-hot labels covering the split once', () => {
    const ds = dataset();
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const sizes: number[] = [];
    for (const { x, y, labels, indices } of ds.batches('train', 8, { shuffle: true, seed: 5 })) {
      sizes.push(x.shape[0]);
      expect(x.shape.slice(1)).toEqual([28, 28, 1]);
      const xs = x.dataSync();
      expect(Math.max(...xs)).toBeLessThanOrEqual(1);
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
      expect(xs[0]).toBeCloseTo(ds.train.images[indices[0] * 784] / 255, 6);
      const ys = y.arraySync();
      ys.forEach((row, i) => { expect(row.indexOf(1)).toBe(labels[i]); expect(row.reduce((a, b) => a + b)).toBe(1); });
      seen.push(...indices);
      tf.dispose([x, y]);
    }
    expect(sizes).toEqual([8, 8, 8, 1]);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the same seed gives the same order, another seed another; dropLast drops the remainder', () => {
    expect(Array.from(permutation(50, 3))).toEqual(Array.from(permutation(50, 3)));
    expect(Array.from(permutation(50, 3))).not.toEqual(Array.from(permutation(50, 4)));
    const ds = dataset();
    const n = [...ds.batches('train', 8, { dropLast: true })].map((b) => { tf.dispose([b.x, b.y]); return b.labels.length; });
    expect(n).toEqual([8, 8, 8]);
    const testOrder = [...ds.batches('test', 4)].flatMap((b) => { tf.dispose([b.x, b.y]); return Array.from(b.indices); });
    expect(testOrder).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });
});

describe('sample grids', () => {
  it('layoutGrid places each image (scaled) in its cell with a caption box under it', () => {
    const a = new Uint8Array(4).fill(0), b = new Uint8Array([10, 20, 30, 40]);
    const g = layoutGrid([{ pixels: a, caption: 'A' }, { pixels: b, caption: 'B' }, { pixels: a, caption: 'C' }], { rows: 2, cols: 2, perRow: 2, scale: 2, gap: 1, captionHeight: 3, minCellWidth: 4 });
    // 2 per row: cell 4+1 wide, 4+3+1 high; 2 grid rows.
    expect([g.width, g.height]).toEqual([2 * 5 + 1, 2 * 8 + 1]);
    const at = (x: number, y: number) => g.rgb[(y * g.width + x) * 3];
    // Second tile starts at x = 1 + 5 = 6, y = 1; pixel (1,0) of the image is 20, scaled 2×.
    expect([at(6, 1), at(8, 1), at(9, 2), at(6, 3), at(9, 4)]).toEqual([10, 20, 20, 30, 40]);
    expect(at(0, 0)).toBe(255);
    expect(g.captions.map((c) => [c.text, c.x, c.y])).toEqual([['A', 1, 5], ['B', 6, 5], ['C', 1, 13]]);
  });

  it('encodePng writes a valid RGB PNG that decodes back to the same pixels', () => {
    const w = 37, h = 23;
    const px = new Uint8Array(w * h * 3).map((_, i) => (i * 7) % 256 < 128 ? 0 : (i * 13) % 256);
    const png = encodePng(px, w, h, 3);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const back = decodePng(png);
    expect([back.width, back.height, back.channels, back.depth]).toEqual([w, h, 3, 8]);
    expect(Buffer.from(back.data).equals(Buffer.from(px))).toBe(true);
  });

  it('encodePng writes grey PNGs and shrinks a mostly black grid, as sample grids are', () => {
    const w = 280, h = 280;
    const px = new Uint8Array(w * h);
    for (let y = 100; y < 180; y++) for (let x = 90; x < 190; x++) px[y * w + x] = (x * y) % 251;
    const png = encodePng(px, w, h, 1);
    expect(png.length).toBeLessThan(px.length / 5);
    const back = decodePng(png);
    expect([back.width, back.height, back.channels, back.depth]).toEqual([w, h, 1, 8]);
    expect(Buffer.from(back.data).equals(Buffer.from(px))).toBe(true);
    expect(() => encodePng(px, w, h, 3)).toThrow(/expected 235200 bytes/);
  });

  it('showSamples returns a PNG grid whose text names the classes', () => {
    const ds = dataset();
    const bundle = ds.showSamples(10, { perRow: 5 }).toMimeBundle();
    const png = Buffer.from(bundle['image/png']!, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(decodePng(png).channels).toBe(3);
    expect(bundle['text/plain']).toMatch(/class \d/);
    expect(bundle['text/plain']!.split('\n')).toHaveLength(3);
  });
});
