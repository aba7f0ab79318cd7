import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkPair, encodeIdx, IdxError, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdxImages, parseIdxLabels } from '../../src/data/idx';
import { gunzip, GunzipError } from '../../src/data/gunzip';
import { idxFiles, syntheticImages } from '../fixtures/idx-fixtures';

function problemOf(fn: () => unknown): { problem: string; file: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof IdxError) return { problem: e.problem, file: e.file, message: e.message };
    throw e;
  }
  throw new Error('expected an IdxError');
}

describe('IDX parsing', () => {
  it('parses images and labels written by the encoder, byte for byte', () => {
    const { images, labels } = syntheticImages(12, 3);
    const files = idxFiles(12, 3);
    const im = parseIdxImages(files.images, 'imgs');
    const lb = parseIdxLabels(files.labels, 'lbls');
    expect([im.count, im.rows, im.cols]).toEqual([12, 28, 28]);
    expect(Array.from(im.pixels)).toEqual(Array.from(images));
    expect(Array.from(lb.labels)).toEqual(Array.from(labels));
    expect(() => checkPair(im, lb, 'imgs', 'lbls')).not.toThrow();
  });

  it('reads the header big-endian', () => {
    const bytes = encodeIdx(IDX_IMAGES_MAGIC, [258, 28, 28], new Uint8Array(258 * 784));
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0, 0, 8, 3, 0, 0, 1, 2]);
    expect(parseIdxImages(bytes, 'f').count).toBe(258);
  });

  it('a truncated images file is reported as truncated, naming the file', () => {
    const { images } = idxFiles(5);
    const e = problemOf(() => parseIdxImages(images.subarray(0, images.length - 100), 'train-images-idx3-ubyte.gz'));
    expect(e.problem).toBe('truncated');
    expect(e.file).toBe('train-images-idx3-ubyte.gz');
    expect(e.message).toContain('train-images-idx3-ubyte.gz');
    expect(problemOf(() => parseIdxImages(images.subarray(0, 10), 'x')).problem).toBe('truncated');
    expect(problemOf(() => parseIdxImages(images.subarray(0, 2), 'x')).problem).toBe('truncated');
  });

  it('a truncated labels file is reported as truncated', () => {
    const { labels } = idxFiles(5);
    expect(problemOf(() => parseIdxLabels(labels.subarray(0, labels.length - 1), 'labels.gz')).problem).toBe('truncated');
  });

  it('a wrong magic number is its own error', () => {
    const { images } = idxFiles(2);
    const bad = images.slice();
    bad.set([0x1f, 0x8b, 0x08, 0x00]); // e.g. a file that is still gzipped
    const e = problemOf(() => parseIdxImages(bad, 't10k-images-idx3-ubyte.gz'));
    expect(e.problem).toBe('magic');
    expect(e.message).toMatch(/t10k-images-idx3-ubyte\.gz: wrong magic number 0x1f8b0800/);
  });

  it('wrong dimensions: a labels file where images are expected, or images that are not 28×28', () => {
    const { labels } = idxFiles(2);
    expect(problemOf(() => parseIdxImages(labels, 'imgs')).problem).toBe('dims');
    const big = encodeIdx(IDX_IMAGES_MAGIC, [1, 32, 32], new Uint8Array(32 * 32));
    const e = problemOf(() => parseIdxImages(big, 'cifar.gz'));
    expect(e.problem).toBe('dims');
    expect(e.message).toContain('32×32, expected 28×28');
    expect(parseIdxImages(big, 'x', { rows: 32, cols: 32 }).rows).toBe(32);
  });

  it('images and labels counts must match', () => {
    const a = idxFiles(6), b = idxFiles(5);
    const e = problemOf(() => checkPair(parseIdxImages(a.images, 'imgs.gz'), parseIdxLabels(b.labels, 'lbls.gz'), 'imgs.gz', 'lbls.gz'));
    expect(e.problem).toBe('count-mismatch');
    expect(e.message).toContain('5 labels');
    expect(e.message).toContain('6 images');
  });

  it('labels outside 0..9 are rejected with their position', () => {
    const bytes = encodeIdx(IDX_LABELS_MAGIC, [3], new Uint8Array([1, 10, 2]));
    const e = problemOf(() => parseIdxLabels(bytes, 'lbls.gz'));
    expect(e.problem).toBe('label-range');
    expect(e.message).toContain('label 10 at index 1');
  });
});

describe('gunzip', () => {
  it('round-trips gzip data', async () => {
    const { images } = idxFiles(20);
    const out = await gunzip(new Uint8Array(gzipSync(images)), 'a.gz');
    expect(out.length).toBe(images.length);
    expect(Buffer.from(out).equals(Buffer.from(images))).toBe(true);
  });

  it('a truncated gzip rejects with an error naming the file', async () => {
    const gz = new Uint8Array(gzipSync(idxFiles(50).images));
    const cut = gz.subarray(0, Math.floor(gz.length / 2));
    const err = await gunzip(cut, 'train-images-idx3-ubyte.gz').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(GunzipError);
    expect((err as GunzipError).file).toBe('train-images-idx3-ubyte.gz');
    expect((err as Error).message).toMatch(/^train-images-idx3-ubyte\.gz: .*truncated or corrupted/);
  });

  it('data that is not gzip at all is named too', async () => {
    const err = await gunzip(new TextEncoder().encode('<!doctype html>'), 'x.gz').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(GunzipError);
    expect((err as Error).message).toContain('not a gzip file');
  });
});
