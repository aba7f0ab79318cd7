import 'fake-indexeddb/auto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { fashionMnist, FASHION_MNIST_CLASSES, loadFashionMnistFiles } from '../../src/data/fashion-mnist';
import { browserCache, memoryCache } from '../../src/data/cache';
import { IdxError } from '../../src/data/idx';
import type { MimeBundle } from '../../src/protocol';
import { fakeFetch, fashionLikeFiles, idxFiles } from '../fixtures/idx-fixtures';

const BASE = 'http://localhost/fixtures/fashion/';

function recordingSink() {
  const shown: MimeBundle[] = [];
  return {
    shown,
    sink: {
      display: (d: MimeBundle) => { shown.push(d); return 'p1'; },
      updateDisplay: (_id: string, d: MimeBundle) => { shown.push(d); },
    },
  };
}

describe('fashionMnist loader', () => {
  it('loads the four files from baseUrl into a dataset with class names and the limit applied', async () => {
    const { fetch, calls } = fakeFetch(BASE, fashionLikeFiles(60, 20));
    const ds = await fashionMnist({ baseUrl: BASE, fetch, cache: false, sink: null, limit: { train: 50 } });
    expect(calls).toHaveLength(4);
    expect(ds.train.count).toBe(50);
    expect(ds.test.count).toBe(20);
    expect(ds.classNames).toEqual(FASHION_MNIST_CLASSES);
    expect(ds.train.labels[13]).toBe(3);
  });

  it('shows progress while loading and ends with done', async () => {
    const { fetch } = fakeFetch(BASE, fashionLikeFiles());
    const { shown, sink } = recordingSink();
    await fashionMnist({ baseUrl: BASE, fetch, cache: false, sink });
    const views = shown.map((b) => b['application/vnd.convlab.progress+json']!);
    expect(views.length).toBeGreaterThan(0);
    expect(views[views.length - 1].done).toBe(true);
    expect(views[views.length - 1].value).toBe(4);
  });

  it('falls through sources that answer with HTML (SPA fallback) or 404 and reports them all when none works', async () => {
    const html = (async () => new Response('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html' } })) as typeof fetch;
    const err = await loadFashionMnistFiles({ baseUrl: BASE, fetch: html, cache: false, sink: null }).then(() => null, (e: unknown) => e as Error);
    expect(err?.message).toMatch(/could not be loaded/);
    expect(err?.message).toContain(BASE + 'train-images-idx3-ubyte.gz');
  });

  it('caches validated files: a second load makes no request', async () => {
    const cache = memoryCache();
    const first = fakeFetch(BASE, fashionLikeFiles());
    await loadFashionMnistFiles({ baseUrl: BASE, fetch: first.fetch, cache, sink: null });
    expect(cache.entries.size).toBe(4);
    const offline = (async () => { throw new TypeError('offline'); }) as typeof fetch;
    const again = await loadFashionMnistFiles({ baseUrl: BASE, fetch: offline, cache, sink: null });
    expect(again.fromCache).toBe(true);
  });

  it('the IndexedDB cache works across loads (fake-indexeddb)', async () => {
    const cache = browserCache();
    expect(cache).not.toBeNull();
    const { fetch } = fakeFetch(BASE + 'idb/', fashionLikeFiles());
    await loadFashionMnistFiles({ baseUrl: BASE + 'idb/', fetch, cache: cache!, sink: null });
    const offline = (async () => { throw new TypeError('offline'); }) as typeof fetch;
    const ds = await fashionMnist({ baseUrl: BASE + 'idb/', fetch: offline, cache: browserCache()!, sink: null });
    expect(ds.train.count).toBe(60);
  });

  it('corrupted input is never cached and the error names the file', async () => {
    const files = fashionLikeFiles();
    const bad = idxFiles(19, 2).labels; // 19 labels for 20 test images
    files['t10k-labels-idx1-ubyte.gz'] = new Uint8Array(gzipSync(bad));
    const cache = memoryCache();
    const err = await fashionMnist({ baseUrl: BASE, fetch: fakeFetch(BASE, files).fetch, cache, sink: null }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(IdxError);
    expect((err as IdxError).problem).toBe('count-mismatch');
    expect((err as Error).message).toContain('t10k-labels-idx1-ubyte.gz');
    expect(cache.entries.size).toBe(0);

    const truncated = fashionLikeFiles();
    const gz = truncated['train-images-idx3-ubyte.gz'];
    truncated['train-images-idx3-ubyte.gz'] = gz.subarray(0, gz.length - 200);
    const err2 = await fashionMnist({ baseUrl: BASE, fetch: fakeFetch(BASE, truncated).fetch, cache, sink: null }).then(() => null, (e: unknown) => e as Error);
    expect(err2?.message).toMatch(/^train-images-idx3-ubyte\.gz: .*truncated/);
    expect(cache.entries.size).toBe(0);
  });

  it('a damaged cache entry is dropped and downloaded again', async () => {
    const cache = memoryCache();
    const { fetch, calls } = fakeFetch(BASE, fashionLikeFiles());
    await loadFashionMnistFiles({ baseUrl: BASE, fetch, cache, sink: null });
    const key = [...cache.entries.keys()].find((k) => k.endsWith('train-images-idx3-ubyte.gz'))!;
    cache.entries.set(key, cache.entries.get(key)!.subarray(0, 100));
    const again = await loadFashionMnistFiles({ baseUrl: BASE, fetch, cache, sink: null });
    expect(again.fromCache).toBe(false);
    expect(calls).toHaveLength(8);
  });

  it('accepts files the server already decompressed (Content-Encoding: gzip)', async () => {
    const tr = idxFiles(30, 1), te = idxFiles(10, 2);
    const plain = { 'train-images-idx3-ubyte.gz': tr.images, 'train-labels-idx1-ubyte.gz': tr.labels, 't10k-images-idx3-ubyte.gz': te.images, 't10k-labels-idx1-ubyte.gz': te.labels };
    const ds = await fashionMnist({ baseUrl: BASE, fetch: fakeFetch(BASE, plain).fetch, cache: false, sink: null });
    expect(ds.test.count).toBe(10);
  });

  it('resize: 96 upsamples each batch', async () => {
    const ds = await fashionMnist({ baseUrl: BASE, fetch: fakeFetch(BASE, fashionLikeFiles()).fetch, cache: false, sink: null, resize: 96 });
    const { x, y } = ds.batches('test', 4).next().value!;
    expect(x.shape).toEqual([4, 96, 96, 1]);
    expect(y.shape).toEqual([4, 10]);
    tf.dispose([x, y]);
  });

  it('the browser tests\' mini fixture (e2e/fixtures/fashion-mini) is valid and covers every class', async () => {
    const dir = join(__dirname, '..', '..', 'e2e', 'fixtures', 'fashion-mini');
    const files = Object.fromEntries(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
    const ds = await fashionMnist({ baseUrl: BASE, fetch: fakeFetch(BASE, files).fetch, cache: false, sink: null });
    expect([ds.train.count, ds.test.count]).toEqual([512, 256]);
    expect(new Set(ds.train.labels).size).toBe(10);
  });
});
