// Makes the official Fashion-MNIST files (Debian's dataset-fashion-mnist) available to the app
// at /data/fashion-mnist/. Without them the app fetches the official public files instead.
import { existsSync, mkdirSync, symlinkSync, rmSync, lstatSync } from 'node:fs';
import { join } from 'node:path';

const source = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const target = join(process.cwd(), 'public', 'data', 'fashion-mnist');
const files = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];

if (!files.every((f) => existsSync(join(source, f)))) {
  console.log(`Fashion-MNIST not found in ${source}; the app will fetch the official files when a lesson needs them.`);
  process.exit(0);
}
mkdirSync(target, { recursive: true });
for (const f of files) {
  const dst = join(target, f);
  try { if (lstatSync(dst)) rmSync(dst); } catch { /* absent */ }
  symlinkSync(join(source, f), dst);
}
console.log(`Fashion-MNIST linked from ${source} into public/data/fashion-mnist/`);
