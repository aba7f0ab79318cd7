// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017) loaded inside the kernel worker.
// Sources, first that has the files wins: the IndexedDB cache, the app's own /data/fashion-mnist/
// (scripts/link-data.mjs links Debian's copy there), then the official public files.
import { browserCache, type ArrayCache } from './cache';
import { ImageDataset, type Split } from './dataset';
import { gunzip, GunzipError, isGzip } from './gunzip';
import { readStream } from './read-stream';
import { checkPair, IdxError, parseIdxImages, parseIdxLabels } from './idx';
import { Progress } from '../plots/progress';
import type { DisplaySink } from '../plots/sink';

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

/** The official release (zalandoresearch/fashion-mnist); GitHub's raw host sends CORS headers. */
export const OFFICIAL_SOURCES = [
  'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
  // The README's mirror; S3 website endpoints speak plain http only, so https pages cannot use it.
  'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
];

export function appDataUrl(): string {
  const base = (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
  const origin = typeof location !== 'undefined' ? location.origin : 'http://localhost';
  return new URL(`${base.replace(/\/?$/, '/')}data/fashion-mnist/`, origin).href;
}

export interface FashionMnistOptions {
  /** 28 keeps the original size; 96 upsamples each batch bilinearly, as d2l does for its ImageNet-style models. */
  resize?: 28 | 96;
  /** Use only the first N images of each split (or per split), e.g. for quick experiments. */
  limit?: number | { train?: number; test?: number };
  /** Load only from here (a folder URL holding the four .gz files): tests point it at fixtures. */
  baseUrl?: string;
  /** Default: IndexedDB where available. false turns caching off. */
  cache?: ArrayCache | false;
  fetch?: typeof fetch;
  /** Default: the running cell. null hides the progress bar. */
  sink?: DisplaySink | null;
}

/** Thrown when a source answered with something that is not the file: never cached, and named. */
export class DatasetFileError extends Error {
  constructor(readonly file: string, readonly url: string, detail: string) {
    super(`${file} (${url}): ${detail}`);
    this.name = 'DatasetFileError';
  }
}

/**
 * Thrown when no source had the files: offline, or every source answered 404. Nothing was cached and nothing in the
 * cache was touched, so running the cell again (the page offers Retry) is all it takes once the network is back.
 */
export class DatasetUnavailableError extends Error {
  constructor(readonly offline: boolean, readonly tried: string[]) {
    super(
      (offline
        ? 'Fashion-MNIST could not be loaded: no source could be reached (are you offline?). Tried:\n  '
        : 'Fashion-MNIST could not be loaded: no source has the files. Tried:\n  ') +
        `${tried.join('\n  ')}\n` +
        'Fix: go online and run the cell again (Retry), run `npm run data:link` (needs Debian\'s dataset-fashion-mnist package), ' +
        'or pass {baseUrl} pointing at a folder with the four .gz files.',
    );
    this.name = 'DatasetUnavailableError';
  }
}

/** A source that does not have a file: `unreachable` when it did not answer at all (offline, blocked, DNS). */
class Missing extends Error {
  constructor(message: string, readonly unreachable = false) {
    super(message);
  }
}

async function download(url: string, fetchFn: typeof fetch, onBytes: (got: number, total: number) => void): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (err) {
    throw new Missing(`${url}: ${err instanceof Error ? err.message : String(err)}`, true);
  }
  if (!res.ok) throw new Missing(`${url}: HTTP ${res.status}`);
  // Dev servers answer unknown paths with the app's index.html (SPA fallback): that means "not here".
  if ((res.headers.get('content-type') ?? '').includes('text/html')) throw new Missing(`${url}: got an HTML page`);
  const total = Number(res.headers.get('content-length') ?? 0);
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  return readStream(res.body, (got) => onBytes(got, total));
}

const mb = (n: number) => (n / 1e6).toFixed(1);

/** The four files as validated IDX bytes (decompressed), plus where they came from. */
export async function loadFashionMnistFiles(opts: FashionMnistOptions = {}): Promise<{ source: string; fromCache: boolean; files: Record<keyof typeof FASHION_MNIST_FILES, Uint8Array> }> {
  const sources = opts.baseUrl ? [new URL(opts.baseUrl.replace(/\/?$/, '/'), typeof location !== 'undefined' ? location.href : 'http://localhost/').href] : [appDataUrl(), ...OFFICIAL_SOURCES];
  const cache = opts.cache === false ? null : (opts.cache ?? browserCache());
  const fetchFn = opts.fetch ?? fetch.bind(globalThis);
  const keys = Object.keys(FASHION_MNIST_FILES) as Array<keyof typeof FASHION_MNIST_FILES>;
  const progress = new Progress('Fashion-MNIST', keys.length, { sink: opts.sink });
  const cacheKey = (source: string, k: keyof typeof FASHION_MNIST_FILES) => `fashion-mnist|${source}|${FASHION_MNIST_FILES[k]}`;

  if (cache) {
    for (const source of sources) {
      const got = await Promise.all(keys.map((k) => cache.get(cacheKey(source, k))));
      if (got.every((g): g is Uint8Array => g !== undefined)) {
        const files = Object.fromEntries(keys.map((k, i) => [k, got[i]])) as Record<keyof typeof FASHION_MNIST_FILES, Uint8Array>;
        try {
          validate(files);
          progress.done(`from the browser cache (${source})`, { value: keys.length });
          return { source, fromCache: true, files };
        } catch {
          // A damaged cache entry: forget it and download again.
          await Promise.all(keys.map((k) => cache.delete(cacheKey(source, k))));
        }
      }
    }
  }

  const tried: string[] = [];
  let reachedAny = false;
  for (const source of sources) {
    const files = {} as Record<keyof typeof FASHION_MNIST_FILES, Uint8Array>;
    try {
      for (const [i, k] of keys.entries()) {
        const file = FASHION_MNIST_FILES[k];
        const url = source + file;
        progress.update(i, `downloading ${file} from ${source}`);
        const raw = await download(url, fetchFn, (got, total) =>
          progress.update(i + (total ? got / total : 0), `downloading ${file} · ${mb(got)}${total ? '/' + mb(total) : ''} MB from ${source}`));
        if (isGzip(raw)) {
          progress.update(i + 1, `decompressing ${file}`);
          files[k] = await gunzip(raw, file);
        } else if (raw.length >= 4 && raw[0] === 0 && raw[1] === 0 && raw[2] === 8) {
          files[k] = raw; // the server already undid the gzip (Content-Encoding)
        } else if (raw.length > 0 && raw[0] === 0x3c /* '<' */) {
          throw new Missing(`${url}: got an HTML page`);
        } else {
          throw new DatasetFileError(file, url, 'neither gzip nor IDX data');
        }
      }
    } catch (err) {
      if (err instanceof Missing) {
        tried.push(err.message);
        reachedAny ||= !err.unreachable;
        continue;
      }
      progress.done(`failed: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    try {
      validate(files);
    } catch (err) {
      progress.done(`failed: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    if (cache) await Promise.all(keys.map((k) => cache.set(cacheKey(source, k), files[k])));
    progress.done(`loaded from ${source}${cache ? ' (cached for next time)' : ''}`, { value: keys.length });
    return { source, fromCache: false, files };
  }
  progress.done(reachedAny ? 'no source had the files' : 'no source could be reached');
  throw new DatasetUnavailableError(!reachedAny, tried);
}

function validate(files: Record<keyof typeof FASHION_MNIST_FILES, Uint8Array>): { train: Split; test: Split } {
  const F = FASHION_MNIST_FILES;
  const split = (imgKey: 'trainImages' | 'testImages', lblKey: 'trainLabels' | 'testLabels'): Split => {
    const images = parseIdxImages(files[imgKey], F[imgKey]);
    const labels = parseIdxLabels(files[lblKey], F[lblKey]);
    checkPair(images, labels, F[imgKey], F[lblKey]);
    return { count: images.count, rows: images.rows, cols: images.cols, images: images.pixels, labels: labels.labels };
  };
  return { train: split('trainImages', 'trainLabels'), test: split('testImages', 'testLabels') };
}

function limited(s: Split, n: number | undefined): Split {
  if (n === undefined || n >= s.count) return s;
  const count = Math.max(0, Math.floor(n));
  return { ...s, count, images: s.images.subarray(0, count * s.rows * s.cols), labels: s.labels.subarray(0, count) };
}

/** `await data.fashionMnist({resize: 96, limit: 1000})` in a cell. */
export async function fashionMnist(opts: FashionMnistOptions = {}): Promise<ImageDataset> {
  const resize = opts.resize ?? 28;
  if (resize !== 28 && resize !== 96) throw new Error(`resize must be 28 or 96, got ${String(resize)}`);
  const { files } = await loadFashionMnistFiles(opts);
  const { train, test } = validate(files);
  const lim = typeof opts.limit === 'number' ? { train: opts.limit, test: opts.limit } : (opts.limit ?? {});
  return new ImageDataset('Fashion-MNIST', limited(train, lim.train), limited(test, lim.test), FASHION_MNIST_CLASSES, resize);
}

export { IdxError, GunzipError };
