// The core-op-tests page: tfjs-core's own jasmine specs for conv2d (forward and gradients), conv2dTranspose,
// fused conv2d, concat and batchNorm, run in the browser on the webgpu backend with ConvLab's kernels
// registered over the stock ones, the way tfjs-backend-webgpu runs them in its own CI (a 'webgpu' test env,
// WEBGPU_CPU_FORWARD off so nothing is computed on the CPU). The result, with how often each of ConvLab's
// kernels ran, is exposed as window.coreOpTests for e2e/core-op-tests.spec.ts. Not part of the app.
//
// jasmine-boot comes first: its evaluation puts describe/it/expect on globalThis, which the spec modules
// need when they are evaluated (they are imported dynamically, below, after the test env is set).
import { beforeEachGlobal, env, jasmine } from './core-ops/jasmine-boot';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setTestEnvs } from '@tensorflow/tfjs-core/dist/jasmine_util';
import type { JasmineDone, SpecResult, SuiteResult } from 'jasmine-core/lib/jasmine-core/jasmine.js';
import * as kernels from '../gpu';
import { refuseGpuSyncReads, type SyncReadingBackend } from '../runtime/sync-read-guard';
import { EXCLUDED, SPEC_FILES, familyOf, type Family } from './core-ops/specs';

type Counts = { passed: number; failed: number; skipped: number };

export interface CoreOpReport {
  backend: string;
  /** kernels.mode() once our kernels were installed (or stock, with ?kernels=stock), before any spec ran. */
  modeAtStart: string;
  ms: number;
  overallStatus: string;
  totals: Counts;
  families: Record<Family, Counts>;
  /**
   * Per spec file: spec counts, and how often each ConvLab kernel ran (calls) or handed a shape to stock
   * (fallbacks); with ?kernels=stock, calls of the stock kernels ConvLab can replace.
   */
  files: Record<string, Counts & { calls: Record<string, number>; fallbacks: Record<string, number> }>;
  /** Why our kernels handed shapes back to the stock ones (last reason per kernel). */
  fallbackReasons: Record<string, string>;
  /** Specs, suites (beforeAll/afterAll) or the run itself that failed, with jasmine's messages. */
  failures: Array<{ name: string; messages: string[] }>;
  excluded: Array<{ name: string; reason: string }>;
  /** Exclusion entries that matched no spec (stale: the list must only name specs that exist). */
  unusedExclusions: string[];
  /** Specs that started while kernels.mode() was not the requested one, 'convlab' by default (must be none). */
  notOnConvLab: string[];
}

const zero = (): Counts => ({ passed: 0, failed: 0, skipped: 0 });

function tally(c: Counts, status: string): void {
  if (status === 'passed') c.passed++;
  else if (status === 'failed') c.failed++;
  else c.skipped++; // 'excluded' (our filter) or 'pending' (xit / pending() in the spec file)
}

/**
 * Copies one mode's per-kernel call and fallback counters (they accumulate; suites are measured by
 * difference). The mode is named: between describe blocks there is no backend, so the default, mode(), is 'stock'.
 */
function counters(mode: kernels.KernelMode): Record<string, { calls: number; fallbacks: number }> {
  const out: Record<string, { calls: number; fallbacks: number }> = {};
  for (const [k, v] of Object.entries(kernels.stats(mode).kernels)) out[k] = { calls: v.calls, fallbacks: v.fallbacks };
  return out;
}

async function run(): Promise<CoreOpReport> {
  const t0 = performance.now();
  if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend failed to initialise');
  // ?kernels=stock runs the same specs on tfjs's own webgpu kernels: the control that tells a ConvLab finding
  // from a spec that fails on this adapter anyway.
  const wanted: kernels.KernelMode = new URLSearchParams(location.search).get('kernels') === 'stock' ? 'stock' : 'convlab';
  if (wanted === 'convlab') kernels.install();
  else kernels.use('stock');
  const modeAtStart = kernels.mode();
  if (modeAtStart !== wanted) throw new Error(`kernels.use('${wanted}') left mode '${modeAtStart}'`);
  // Every output our kernels allocate starts as NaN, so an element a kernel never writes fails the spec.
  kernels.setPoisonOutputs(true);

  // The env tfjs-backend-webgpu registers for its own tests (backend_webgpu_test_registry.ts), except
  // isDataSync: false, which drops any describeWithFlags(SYNC_BACKEND_ENVS) block: a synchronous read of GPU
  // data destroys the device on this adapter (see runtime/sync-read-guard.ts).
  setTestEnvs([{ name: 'webgpu', backendName: 'webgpu', flags: { WEBGPU_CPU_FORWARD: false }, isDataSync: false }]);

  const excluded = new Map<string, string>();
  const usedExclusions = new Set<string>();
  env.configure({
    random: false, // file order, then spec order: failures read like the source and reruns match
    // concat_test defines 'concat complex input axis=1' twice in one describe (written for jasmine 3, which
    // allowed it); jasmine 6 would otherwise fail the whole concat3d block at definition time.
    forbidDuplicateNames: false,
    specFilter: (spec) => {
      const name = spec.getFullName();
      const hit = EXCLUDED.find((e) => name.includes(e.match));
      if (!hit) return true;
      excluded.set(name, hit.reason);
      usedExclusions.add(hit.match);
      return false;
    },
  });
  // Each describe block starts a fresh webgpu backend (ENGINE.reset in jasmine_util), so its shaders compile
  // again; SwiftShader compiles slowly, and the first spec of a block pays for it.
  jasmine.DEFAULT_TIMEOUT_INTERVAL = 120_000;

  // Runs before every spec, after its describe's beforeAll has started that block's backend: ConvLab's
  // kernels must be the ones in use, and a synchronous GPU read must fail the spec instead of the device.
  const notOnConvLab: string[] = [];
  const guarded = new WeakSet<object>();
  let current = '';
  beforeEachGlobal(() => {
    if (kernels.mode() !== wanted) notOnConvLab.push(current);
    const backend = tf.backend();
    if (!guarded.has(backend)) {
      refuseGpuSyncReads(backend as unknown as SyncReadingBackend);
      guarded.add(backend);
    }
  });

  // Which top-level suites each file defines: the root's children before and after importing it.
  const suiteFile = new Map<string, string>();
  for (const f of SPEC_FILES) {
    const before = new Set(env.topSuite().children.map((c) => c.id));
    await f.load();
    for (const c of env.topSuite().children) if (!before.has(c.id)) suiteFile.set(c.id, f.name);
  }

  const families = { 'conv2d forward': zero(), 'conv2d gradients': zero(), concat: zero(), batchnorm: zero() };
  const files: CoreOpReport['files'] = {};
  for (const f of SPEC_FILES) files[f.name] = { ...zero(), calls: {}, fallbacks: {} };
  const totals = zero();
  const failures: CoreOpReport['failures'] = [];
  let currentFile = '?'; // the file of the top-level suite running now (nested suites run inside it)
  let snapshot = counters(wanted);
  const messages = (r: { failedExpectations: Array<{ message: string }> }) => r.failedExpectations.map((e) => e.message);

  env.addReporter({
    suiteStarted(r: SuiteResult) {
      const file = suiteFile.get(r.id);
      if (file) { currentFile = file; snapshot = counters(wanted); }
    },
    suiteDone(r: SuiteResult) {
      if (r.failedExpectations.length) failures.push({ name: `${r.fullName} (beforeAll/afterAll)`, messages: messages(r) });
      const file = suiteFile.get(r.id);
      if (!file) return;
      const now = counters(wanted);
      for (const [k, v] of Object.entries(now)) {
        const calls = v.calls - (snapshot[k]?.calls ?? 0), fallbacks = v.fallbacks - (snapshot[k]?.fallbacks ?? 0);
        if (calls) files[file].calls[k] = (files[file].calls[k] ?? 0) + calls;
        if (fallbacks) files[file].fallbacks[k] = (files[file].fallbacks[k] ?? 0) + fallbacks;
      }
    },
    // Reporters hear of a spec before its beforeEach runs: the name notOnConvLab records.
    specStarted(r: SpecResult) { current = r.fullName; },
    specDone(r: SpecResult) {
      tally(totals, r.status);
      tally(files[currentFile], r.status);
      tally(families[familyOf(currentFile, r.fullName)], r.status);
      if (r.status === 'failed') failures.push({ name: r.fullName, messages: messages(r) });
    },
  });

  const done: JasmineDone = await env.execute();
  if (done.failedExpectations.length) failures.push({ name: '(top level: afterAll or a global error)', messages: messages(done) });
  const fallbackReasons: Record<string, string> = {};
  for (const [k, v] of Object.entries(kernels.stats(wanted).kernels)) if (v.lastFallback) fallbackReasons[k] = v.lastFallback;
  return {
    backend: 'webgpu', modeAtStart, ms: Math.round(performance.now() - t0), overallStatus: done.overallStatus,
    totals, families, files, fallbackReasons, failures,
    excluded: [...excluded].map(([name, reason]) => ({ name, reason })),
    unusedExclusions: EXCLUDED.filter((e) => !usedExclusions.has(e.match)).map((e) => e.match),
    notOnConvLab,
  };
}

const status = document.getElementById('status');
const done = run();
done.then(
  (r) => { if (status) status.textContent = `done: ${r.totals.passed} passed, ${r.totals.failed} failed, ${r.totals.skipped} skipped in ${r.ms} ms`; },
  (e: unknown) => { if (status) status.textContent = `failed to run: ${String(e)}`; },
);
Object.assign(window, { coreOpTests: { done } });
