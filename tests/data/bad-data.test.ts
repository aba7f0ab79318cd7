// Damaged or missing dataset files (issue 15, cases 24 and 25): each ends in an error that names the file and what is
// wrong with it, or says that no source could be reached; nothing damaged is cached and the cache is left as it was.
import 'fake-indexeddb/auto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetUnavailableError, loadFashionMnistFiles } from '../../src/data/fashion-mnist';
import { memoryCache } from '../../src/data/cache';
import { gunzip, GunzipError } from '../../src/data/gunzip';
import { encodeIdx, IdxError, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdxImages, parseIdxLabels } from '../../src/data/idx';
import { RETRYABLE_ERRORS } from '../../src/ui/outputs/retry';
import { fakeFetch, fashionLikeFiles, idxFiles } from '../fixtures/idx-fixtures';

const BASE = 'http://localhost/fixtures/bad/';

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as Error,
  );
}

describe('corrupt gzip (issue 15, case 24)', () => {
  it('bytes flipped inside the compressed data: an error naming the file, never garbage', async () => {
    const gz = new Uint8Array(gzipSync(idxFiles(40).images));
    for (let i = 20; i < gz.length - 20; i += 97) gz[i] ^= 0xff;
    const err = await failure(gunzip(gz, 'train-images-idx3-ubyte.gz'));
    expect(err).toBeInstanceOf(GunzipError);
    expect(err.message).toMatch(/^train-images-idx3-ubyte\.gz: the gzip data is truncated or corrupted/);
  });

  it('a damaged checksum alone is caught (the data decodes, the CRC does not match)', async () => {
    const gz = new Uint8Array(gzipSync(idxFiles(5).labels));
    gz[gz.length - 6] ^= 0x01; // the CRC32 trailer
    expect(await failure(gunzip(gz, 'train-labels-idx1-ubyte.gz'))).toBeInstanceOf(GunzipError);
  });

  it('through the loader: a corrupt file stops the load, names the file, and nothing is cached', async () => {
    const files = fashionLikeFiles();
    const gz = files['t10k-images-idx3-ubyte.gz'];
    for (let i = 30; i < gz.length - 20; i += 50) gz[i] ^= 0x5a;
    const cache = memoryCache();
    const err = await failure(loadFashionMnistFiles({ baseUrl: BASE, fetch: fakeFetch(BASE, files).fetch, cache, sink: null }));
    expect(err.message).toMatch(/^t10k-images-idx3-ubyte\.gz: /);
    expect(cache.entries.size).toBe(0);
  });
});

describe('IDX with a wrong magic number or dimensions (issue 15, case 24)', () => {
  it('a header promising four billion images is "truncated", not an attempt to allocate them', () => {
    const bytes = encodeIdx(IDX_IMAGES_MAGIC, [0xffffffff, 28, 28], new Uint8Array(784));
    expect(() => parseIdxImages(bytes, 'imgs.gz')).toThrow(/imgs\.gz: truncated: header promises 4294967295×28×28/);
  });

  it('labels with images\' magic, a float IDX, and images of zero rows are each named', () => {
    const wrong = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof IdxError ? `${e.problem}: ${e.message}` : String(e);
      }
      return 'no error';
    };
    expect(wrong(() => parseIdxLabels(encodeIdx(IDX_IMAGES_MAGIC, [1, 28, 28], new Uint8Array(784)), 'lbls.gz'))).toMatch(/^dims: lbls\.gz: has 3 dimensions, expected 1/);
    expect(wrong(() => parseIdxLabels(encodeIdx(0x00000d01, [3], new Uint8Array(12)), 'lbls.gz'))).toMatch(/^magic: lbls\.gz: wrong magic number 0x00000d01/);
    expect(wrong(() => parseIdxImages(encodeIdx(IDX_IMAGES_MAGIC, [2, 0, 28], new Uint8Array(0)), 'imgs.gz'))).toMatch(/^dims: imgs\.gz: images are 0×28/);
    expect(wrong(() => parseIdxLabels(encodeIdx(IDX_LABELS_MAGIC, [1], new Uint8Array([0])), 'ok.gz'))).toBe('no error');
  });
});

describe('offline or 404 (issue 15, case 25)', () => {
  const offline = (async () => {
    throw new TypeError('Failed to fetch');
  }) as typeof fetch;

  it('offline: says no source could be reached and how to retry; the cache keeps what it had', async () => {
    const cache = memoryCache();
    cache.entries.set('fashion-mnist|elsewhere|train-images-idx3-ubyte.gz', new Uint8Array([1, 2, 3]));
    const err = await failure(loadFashionMnistFiles({ baseUrl: BASE, fetch: offline, cache, sink: null }));
    expect(err).toBeInstanceOf(DatasetUnavailableError);
    expect((err as DatasetUnavailableError).offline).toBe(true);
    expect(err.message).toMatch(/no source could be reached \(are you offline\?\)/);
    expect(err.message).toContain('run the cell again (Retry)');
    expect([...cache.entries.keys()]).toEqual(['fashion-mnist|elsewhere|train-images-idx3-ubyte.gz']);
  });

  it('404: says no source has the files, with each URL tried; a later try with the files works', async () => {
    const cache = memoryCache();
    const err = await failure(loadFashionMnistFiles({ baseUrl: BASE, fetch: fakeFetch(BASE, {}).fetch, cache, sink: null }));
    expect((err as DatasetUnavailableError).offline).toBe(false);
    expect(err.message).toMatch(/no source has the files/);
    expect(err.message).toContain(`${BASE}train-images-idx3-ubyte.gz: HTTP 404`);
    expect(cache.entries.size).toBe(0);
    const again = await loadFashionMnistFiles({ baseUrl: BASE, fetch: fakeFetch(BASE, fashionLikeFiles()).fetch, cache, sink: null });
    expect(again.fromCache).toBe(false);
    expect(cache.entries.size).toBe(4);
  });

  it('the page offers Retry for this error, by the name the kernel reports', () => {
    expect(RETRYABLE_ERRORS.has(new DatasetUnavailableError(true, []).name)).toBe(true);
  });
});
