// Writes a small Fashion-MNIST in the official file layout for the browser tests:
// the first TRAIN/TEST images of the real files when Debian's copy exists, synthetic ones otherwise.
// Usage: node scripts/make-idx-fixture.mjs [outDir] (default e2e/fixtures/fashion-mini)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

const out = process.argv[2] ?? 'e2e/fixtures/fashion-mini';
const source = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const TRAIN = Number(process.env.TRAIN ?? 512), TEST = Number(process.env.TEST ?? 256);

function idx(magic, dims, body) {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(body)]);
}

function fromReal(prefix, n) {
  const images = gunzipSync(readFileSync(join(source, `${prefix}-images-idx3-ubyte.gz`)));
  const labels = gunzipSync(readFileSync(join(source, `${prefix}-labels-idx1-ubyte.gz`)));
  return { images: images.subarray(16, 16 + n * 784), labels: labels.subarray(8, 8 + n) };
}

// Same recipe as tests/fixtures/idx-fixtures.ts: each class lights its own block, so it is learnable.
function synthetic(n, seed) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296);
  const images = new Uint8Array(n * 784), labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 10; labels[i] = c;
    const by = Math.floor(c / 4) * 7 + 2, bx = (c % 4) * 7;
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
      const inBlock = y >= by && y < by + 7 && x >= bx && x < bx + 7;
      images[i * 784 + y * 28 + x] = inBlock ? 200 + Math.floor(rnd() * 55) : Math.floor(rnd() * 40);
    }
  }
  return { images, labels };
}

const real = existsSync(join(source, 'train-images-idx3-ubyte.gz'));
mkdirSync(out, { recursive: true });
for (const [prefix, n, seed] of [['train', TRAIN, 1], ['t10k', TEST, 2]]) {
  const { images, labels } = real ? fromReal(prefix, n) : synthetic(n, seed);
  writeFileSync(join(out, `${prefix}-images-idx3-ubyte.gz`), gzipSync(idx(0x803, [n, 28, 28], images), { level: 9 }));
  writeFileSync(join(out, `${prefix}-labels-idx1-ubyte.gz`), gzipSync(idx(0x801, [n], labels), { level: 9 }));
}
console.log(`${real ? 'Real' : 'Synthetic'} Fashion-MNIST subset (${TRAIN} train, ${TEST} test) written to ${out}`);
