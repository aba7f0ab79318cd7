// Training benchmark (`npm run bench:train`, not part of CI): d2l's DenseNet on Fashion-MNIST in headless
// Chromium with ConvLab's data and train libraries, appending test accuracy per epoch and wall time to
// docs/BENCHMARKS.md. The full d2l run (96 px, batch 256, lr 0.1, 10 epochs; 0.882–0.898 in d2l) takes days on
// SwiftShader, so the knobs below make short variants possible; every recorded row states the knobs it used.
//
//   EPOCHS=10 BATCH=256 LR=0.1 RESIZE=96 npm run bench:train          # d2l's setting (real GPU only)
//   EPOCHS=1 BATCH=8 RESIZE=28 LIMIT=64 TEST_LIMIT=64 MAX_STEPS=4 SMALL=1 npm run bench:train   # smoke run here
//
// It bundles a one-file page (no UI, no kernel worker: training runs on the page's main thread) with Vite,
// serves it and the dataset from a local HTTP server, and drives it with Playwright.
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium } from '@playwright/test';
import { findChromium, WEBGPU_ARGS } from './chromium.mjs';
import { recordSection } from './bench-report.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = (k, d) => (process.env[k] === undefined || process.env[k] === '' ? d : process.env[k]);
const cfg = {
  epochs: Number(env('EPOCHS', 10)),
  batchSize: Number(env('BATCH', 256)),
  lr: Number(env('LR', 0.1)),
  resize: Number(env('RESIZE', 96)),
  limit: env('LIMIT', null) === null ? null : Number(env('LIMIT')),
  testLimit: env('TEST_LIMIT', null) === null ? null : Number(env('TEST_LIMIT')),
  maxSteps: env('MAX_STEPS', null) === null ? null : Number(env('MAX_STEPS')),
  backend: env('BACKEND', 'webgpu'),
  // SMALL=1: growth 8 and 2 convs per block instead of 32 and 4, for smoke runs on slow adapters.
  small: env('SMALL', '0') === '1',
  // MODEL=local forces the tf.layers definition below even where src/nn is there.
  model: env('MODEL', 'nn'),
};
const dataDir = [env('FASHION_MNIST_DIR', '/usr/share/datasets/fashion-mnist'), join(root, 'public', 'data', 'fashion-mnist')]
  .find((d) => existsSync(join(d, 'train-images-idx3-ubyte.gz')));
if (!dataDir) throw new Error('Fashion-MNIST not found: install dataset-fashion-mnist (Debian) or set FASHION_MNIST_DIR');

// ---- the page -----------------------------------------------------------------------------------
const srcDir = join(root, '.build', 'bench-train-src');
const outDir = join(root, '.build', 'bench-train');
mkdirSync(srcDir, { recursive: true });
writeFileSync(join(srcDir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>bench-train</title><pre id="log"></pre><script type="module" src="./main.ts"></script>');
writeFileSync(join(srcDir, 'main.ts'), `
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { fashionMnist } from '${join(root, 'src/data/index.ts')}';
import { fit, evaluate } from '${join(root, 'src/train/index.ts')}';

// d2l's DenseNet (chapter 8.7, TensorFlow edition), NHWC: stem conv 7x7/2 64 + BN + ReLU + maxpool 3x3/2,
// 4 dense blocks of conv blocks (BN, ReLU, conv 3x3 'growth'), transitions halving the channels
// (BN, ReLU, conv 1x1, avgpool 2x2/2), then BN, ReLU, global average pool, dense 10.
function denseNet(size: number, growth: number, convsPerBlock: number): tf.LayersModel {
  const L = tf.layers;
  const S = (t: unknown) => t as tf.SymbolicTensor;
  const bnRelu = (x: tf.SymbolicTensor) => S(L.activation({ activation: 'relu' }).apply(S(L.batchNormalization().apply(x))));
  const input = tf.input({ shape: [size, size, 1] });
  // At 28 px the 96-px stem would shrink the map to nothing by the third transition: use a 3x3 stride-1
  // stem without max pooling instead (the 28-px variant in ../shared/tfjs-webgpu-internals.md).
  let x = size >= 64
    ? S(L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(bnRelu(S(L.conv2d({ filters: 64, kernelSize: 7, strides: 2, padding: 'same' }).apply(input)))))
    : bnRelu(S(L.conv2d({ filters: 64, kernelSize: 3, padding: 'same' }).apply(input)));
  let channels = 64;
  for (let b = 0; b < 4; b++) {
    for (let c = 0; c < convsPerBlock; c++) {
      const y = S(L.conv2d({ filters: growth, kernelSize: 3, padding: 'same' }).apply(bnRelu(x)));
      x = S(L.concatenate().apply([x, y]));
      channels += growth;
    }
    if (b !== 3) {
      channels = Math.floor(channels / 2);
      x = S(L.conv2d({ filters: channels, kernelSize: 1 }).apply(bnRelu(x)));
      x = S(L.averagePooling2d({ poolSize: 2, strides: 2 }).apply(x));
    }
  }
  x = S(L.globalAveragePooling2d({}).apply(bnRelu(x)));
  return tf.model({ inputs: input, outputs: S(L.dense({ units: 10 }).apply(x)) });
}

// The lesson's model is nn.d2l.densenet (src/nn, 96 px only); the glob keeps this page building while nn is absent.
const nnModule = import.meta.glob('../../src/nn/index.ts');

async function lessonModel(cfg: any): Promise<{ model: tf.LayersModel; source: string }> {
  const growth = cfg.small ? 8 : 32, convs = cfg.small ? 2 : 4;
  const load = nnModule['../../src/nn/index.ts'];
  if (cfg.resize === 96 && load && cfg.model !== 'local') {
    const nn: any = await load();
    return { model: nn.d2l.densenet({ inputShape: [96, 96, 1], growthRate: growth, blockConfig: [convs, convs, convs, convs] }), source: 'nn.d2l.densenet' };
  }
  return { model: denseNet(cfg.resize, growth, convs), source: 'bench-train.mjs tf.layers DenseNet' };
}

(window as any).runBench = async (cfg: any) => {
  await tf.setBackend(cfg.backend);
  await tf.ready();
  const t0 = performance.now();
  const ds = await fashionMnist({ resize: cfg.resize, baseUrl: '/data/fashion-mnist/', cache: false, sink: null,
    limit: cfg.limit === null ? undefined : cfg.limit });
  const loadMs = performance.now() - t0;
  const { model, source: modelSource } = await lessonModel(cfg);
  const params = model.countParams();
  const epochs: any[] = [];
  const started = performance.now();
  for (let e = 0; e < cfg.epochs; e++) {
    const t = performance.now();
    const h = await fit(model, ds, { epochs: 1, batchSize: cfg.batchSize, lr: cfg.lr, optimizer: 'sgd', seed: e, sink: null,
      maxSteps: cfg.maxSteps ?? undefined, evaluateEachEpoch: false });
    const trainSeconds = (performance.now() - t) / 1000;
    const ev = await evaluate(model, ds, { limit: cfg.testLimit ?? undefined, batchSize: Math.min(256, cfg.batchSize * 4), sink: null });
    epochs.push({ epoch: e + 1, steps: h.losses.length, loss: h.losses[h.losses.length - 1], trainAcc: h.epochs[0]?.trainAccuracy,
      testAcc: ev.accuracy, testCount: ev.count, trainSeconds, wallSeconds: (performance.now() - t) / 1000,
      imagesPerSecond: (h.losses.length * cfg.batchSize) / trainSeconds });
    console.log('epoch', JSON.stringify(epochs[epochs.length - 1]));
  }
  return { modelSource, loadMs, params, epochs, wallSeconds: (performance.now() - started) / 1000, backend: tf.getBackend(),
    trainCount: ds.train.count, tensors: tf.memory().numTensors };
};
(window as any).benchReady = true;
`);

console.log('building the benchmark page…');
await build({
  root: srcDir, configFile: false, logLevel: 'warn',
  build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8000 },
  server: { fs: { allow: [root] } },
});

// ---- a static server: the page, and the dataset at /data/fashion-mnist/ ---------------------------
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.gz': 'application/gzip' };
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const file = path.startsWith('/data/fashion-mnist/') ? join(dataDir, path.slice('/data/fashion-mnist/'.length)) : join(outDir, path === '/' ? 'index.html' : path);
  if (!file.startsWith(dataDir) && !file.startsWith(outDir)) { res.writeHead(403).end(); return; }
  if (!existsSync(file) || !statSync(file).isFile()) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(4397, 'localhost', r));

const browser = await chromium.launch({ executablePath: findChromium(), args: WEBGPU_ARGS });
let result;
try {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.text().startsWith('epoch')) console.log(m.text()); });
  await page.goto('http://localhost:4397/');
  await page.waitForFunction(() => window.benchReady === true);
  const t0 = Date.now();
  result = await page.evaluate((c) => window.runBench(c), cfg);
  result.totalWallSeconds = (Date.now() - t0) / 1000;
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(result, null, 2));

// ---- the report: one row per run, newest last, older rows kept ---------------------------------------
const TITLE = 'Training: d2l DenseNet on Fashion-MNIST';
const doc = existsSync(join(root, 'docs/BENCHMARKS.md')) ? readFileSync(join(root, 'docs/BENCHMARKS.md'), 'utf8') : '';
const previousRows = (doc.split(`## ${TITLE}`)[1]?.split('\n## ')[0] ?? '').split('\n').filter((l) => l.startsWith('| 20'));
const knobs = `${result.modelSource}, ${cfg.backend}, ${cfg.small ? 'SMALL (growth 8, 2 convs/block)' : 'growth 32, 4 convs/block'}, ${result.params.toLocaleString('en')} params, ${cfg.resize} px, batch ${cfg.batchSize}, lr ${cfg.lr}, ` +
  `train ${result.trainCount}${cfg.maxSteps ? `, ≤${cfg.maxSteps} steps/epoch` : ''}, test ${result.epochs[0]?.testCount ?? '?'}`;
const row = `| ${new Date().toISOString().slice(0, 16).replace('T', ' ')} | ${knobs} | ${result.epochs.map((e) => e.testAcc.toFixed(4)).join(' → ')} | ` +
  `${result.epochs.map((e) => e.imagesPerSecond.toFixed(1)).join(', ')} | ${result.totalWallSeconds.toFixed(1)} |`;
recordSection(TITLE, [
  'Command: `npm run bench:train` (see the knobs at the top of scripts/bench-train.mjs). Headless Chromium, training on the page\'s',
  'main thread with src/data + src/train (no notebook UI). d2l\'s reference for the full setting (96 px, batch 256, lr 0.1,',
  '10 epochs): test accuracy 0.882 (PyTorch) / 0.895 (TensorFlow) / 0.898 (MXNet), ~5,500 img/s on one CUDA GPU.',
  'On SwiftShader (CPU-emulated WebGPU) only short variants are feasible; their accuracies say nothing about the full run.',
  '',
  '| run (UTC) | setting | test accuracy per epoch | train img/s per epoch | wall s |',
  '|---|---|---|---|---|',
  ...previousRows,
  row,
].join('\n'));
console.log('recorded in docs/BENCHMARKS.md');
