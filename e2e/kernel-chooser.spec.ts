// The adapter-aware chooser (kernels.use('auto')) in the notebook, on this machine's adapter:
//  1. one training step of a small d2l DenseNet (28×28×1, 2 dense blocks × 2 layers, growth 4, 8 stem channels,
//     batch 4) meets its shape classes; kernels.calibrate() times ours against stock for each and picks one; the
//     choices show in kernels.stats('auto') and sit in IndexedDB under this adapter's key;
//  2. after a reload (a new worker: nothing in memory) the same model in auto mode loads those choices and times
//     nothing, and 20 SGD steps with the chooser give the same losses as 20 steps on tfjs's stock kernels (same
//     initial weights, same batches), within 1e-3 relative at every step.
// The browser runs with Dawn's disable_workgroup_init toggle, as gpu-training.spec.ts (why: there).
import { expect, test, type Page } from '@playwright/test';
import { findChromium, WEBGPU_ARGS } from './chromium';
import { openNotebook, output, runCell } from './helpers/notebook';

test.use({ launchOptions: { executablePath: findChromium(), args: [...WEBGPU_ARGS, '--enable-dawn-features=disable_workgroup_init'] } });

const SETUP = `const net = nn.d2l.densenet({ inputShape: [28, 28, 1], blockConfig: [2, 2], growthRate: 4, initFeatures: 8 });
const initial = net.getWeights().map((w) => w.clone());
let seed = 11;
const rand = () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 4294967296; };
const xs = Array.from({ length: 20 }, () => tf.tensor4d(Float32Array.from({ length: 4 * 28 * 28 }, rand), [4, 28, 28, 1]));
const ys = Array.from({ length: 20 }, () => tf.oneHot(tf.tensor1d(Array.from({ length: 4 }, () => Math.floor(rand() * 10)), "int32"), 10));
const step = (opt: tf.Optimizer, s: number) =>
  opt.minimize(() => tf.losses.softmaxCrossEntropy(ys[s], net.apply(xs[s], { training: true }) as tf.Tensor) as tf.Scalar, true)!;
const classesMet = () => kernels.stats("auto").chooser!.classes.filter((c) => c.calls > 0)
  .map((c) => ({ key: c.key, op: c.op, choice: c.choice, source: c.source, ms: c.ms }));
"ready"`;

// Session 1: start from nothing stored, meet the classes in one step, time them (generous budgets: SwiftShader).
const CALIBRATE = `await kernels.forgetChoices();
kernels.use("auto");
const first = step(tf.train.sgd(0.05), 0);
await first.data();
first.dispose();
const pass = await kernels.calibrate({ passMs: 600_000, perClassMs: 60_000 });
const c1 = kernels.stats("auto").chooser!;
const perOp1 = Object.fromEntries(Object.entries(kernels.stats("auto").kernels).map(([k, v]) => [k, { variant: v.variant, msPerCall: v.msPerCall }]));
print("RESULT " + JSON.stringify({ mode: kernels.mode(), adapter: c1.adapter, timed: c1.timed, loaded: c1.loaded, pending: c1.pending,
  skipped: pass.skipped, classes: classesMet(), perOp: perOp1 }));`;

// Session 2 (after the reload): the same model with the chooser, then on stock, from the same weights and batches.
const COMPARE = `const lossesOf = async (mode: "auto" | "stock") => {
  kernels.use(mode);
  net.setWeights(initial);
  const opt = tf.train.sgd(0.05);
  const out: number[] = [];
  for (let s = 0; s < 20; s++) { const l = step(opt, s); out.push((await l.data())[0]); l.dispose(); }
  opt.dispose();
  return out;
};
kernels.resetStats();
const auto = await lossesOf("auto");
await kernels.calibrate(); // a pass now finds nothing left to time (classes met before the load finished are dropped)
const c2 = kernels.stats("auto").chooser!;
const met = classesMet();
const stock = await lossesOf("stock");
print("RESULT " + JSON.stringify({ adapter: c2.adapter, timed: c2.timed, loaded: c2.loaded, pending: c2.pending, classes: met, auto, stock }));`;

interface ClassSeen { key: string; op: string; choice: string; source: string; ms: Record<string, number> }

async function result<T>(page: Page, n: number): Promise<T> {
  const text = await output(page, n).innerText();
  const line = text.split('\n').find((l) => l.startsWith('RESULT '));
  expect(line, `cell ${n} printed a result:\n${text}`).toBeTruthy();
  return JSON.parse(line!.slice('RESULT '.length)) as T;
}

/** The record the app stored in IndexedDB for an adapter key (src/gpu/chooser/store.ts). */
function storedChoices(page: Page, adapter: string): Promise<{ choices: Record<string, { choice: string }> } | undefined> {
  return page.evaluate((key) => new Promise((resolve, reject) => {
    const open = indexedDB.open('convlab-kernel-choices');
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onerror = () => resolve(undefined);
    open.onsuccess = () => {
      const db = open.result;
      const req = db.transaction('choices', 'readonly').objectStore('choices').get(key);
      req.onsuccess = () => { resolve(req.result); db.close(); };
      req.onerror = () => { reject(req.error); db.close(); };
    };
  }), adapter);
}

test('the chooser times each shape class once, remembers it per adapter across a reload, and trains as stock does', async ({ page }) => {
  test.setTimeout(900_000);
  await openNotebook(page, [SETUP, CALIBRATE]);
  await runCell(page, 1, { timeout: 120_000 });
  await expect(output(page, 1)).toContainText('ready');
  await runCell(page, 2, { timeout: 600_000 });
  const s1 = await result<{ mode: string; adapter: string; timed: number; loaded: number; pending: number; skipped: Record<string, string>; classes: ClassSeen[]; perOp: Record<string, { variant?: string; msPerCall?: number }> }>(page, 2);
  const tally = (cs: ClassSeen[]) => cs.reduce<Record<string, number>>((t, c) => ({ ...t, [c.choice]: (t[c.choice] ?? 0) + 1 }), {});
  console.log(`adapter key: ${s1.adapter}\nsession 1: ${s1.classes.length} shape classes met, ${s1.timed} timed, choices ${JSON.stringify(tally(s1.classes))}`);
  for (const c of s1.classes) console.log(`  ${c.choice.padEnd(5)} ours ${c.ms.ours?.toFixed(2)} ms, stock ${c.ms.stock?.toFixed(2)} ms  ${c.key}`);
  console.log(`per op: ${JSON.stringify(s1.perOp)}`);
  expect(s1.mode).toBe('auto');
  expect(s1.adapter).toContain('tfjs 4.22.0');
  expect(s1.skipped).toEqual({});
  expect(s1.pending).toBe(0);
  expect(s1.loaded).toBe(0);
  // A DenseNet step meets convolutions in all three directions, copies and BatchNorm arithmetic: many classes.
  expect(s1.classes.length).toBeGreaterThan(10);
  for (const op of ['Conv2DBackpropFilter', 'Conv2DBackpropInput']) expect(s1.classes.some((c) => c.op === op), op).toBe(true);
  // Every class met was timed this session, with both candidates measured, and got a choice.
  for (const c of s1.classes) {
    expect(c.source, c.key).toBe('timed');
    expect(['ours', 'stock'], c.key).toContain(c.choice);
    expect(c.ms.ours, c.key).toBeGreaterThan(0);
    expect(c.ms.stock, c.key).toBeGreaterThan(0);
    expect(c.ms[c.choice], c.key).toBe(Math.min(c.ms.ours, c.ms.stock));
  }
  expect(s1.timed).toBe(s1.classes.length);
  // kernels.stats() per op: how its classes were chosen and the chosen candidate's time per call.
  const convs = Object.entries(s1.perOp).filter(([k]) => k.startsWith('Conv2DBackprop'));
  expect(convs.length).toBe(2);
  for (const [k, v] of convs) {
    expect(v.variant, k).toMatch(/^(ours|stock) ×\d+/);
    expect(v.msPerCall, k).toBeGreaterThan(0);
  }
  // Recorded in IndexedDB under this adapter's key.
  const stored = await storedChoices(page, s1.adapter);
  expect(stored).toBeDefined();
  for (const c of s1.classes) expect(stored!.choices[c.key]?.choice, c.key).toBe(c.choice);

  // A reload: a fresh worker, nothing in memory.
  await page.reload();
  await openNotebook(page, [SETUP, COMPARE]);
  await runCell(page, 1, { timeout: 120_000 });
  await runCell(page, 2, { timeout: 600_000 });
  const s2 = await result<{ adapter: string; timed: number; loaded: number; pending: number; classes: ClassSeen[]; auto: number[]; stock: number[] }>(page, 2);
  console.log(`session 2: loaded ${s2.loaded}, timed ${s2.timed}, ${s2.classes.length} classes met, choices ${JSON.stringify(tally(s2.classes))}`);
  console.log(`losses auto : ${s2.auto.map((l) => l.toFixed(5)).join(' ')}\nlosses stock: ${s2.stock.map((l) => l.toFixed(5)).join(' ')}`);
  expect(s2.adapter).toBe(s1.adapter);
  expect(s2.loaded).toBeGreaterThanOrEqual(s1.classes.length);
  // No re-timing: every class met came from the store, with the choice made before the reload.
  expect(s2.timed).toBe(0);
  expect(s2.pending).toBe(0);
  const before = new Map(s1.classes.map((c) => [c.key, c.choice]));
  expect(s2.classes.length).toBe(s1.classes.length);
  for (const c of s2.classes) {
    expect(c.source, c.key).toBe('stored');
    expect(c.choice, c.key).toBe(before.get(c.key));
  }
  // 20 steps with the chooser match 20 steps on stock kernels.
  expect(s2.auto).toHaveLength(20);
  expect(s2.stock).toHaveLength(20);
  const mismatches = s2.auto
    .map((a, i) => ({ step: i, auto: a, stock: s2.stock[i], rel: Math.abs(a - s2.stock[i]) / Math.max(Math.abs(s2.stock[i]), 1e-6) }))
    .filter((m) => !(m.rel < 1e-3));
  expect(mismatches).toEqual([]);
  expect(new Set(s2.auto.map((l) => l.toFixed(4))).size).toBeGreaterThan(5);
});
