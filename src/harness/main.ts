// The harness page: tfjs with webgpu (our kernels installed), webgl and cpu, exposed on window.harness for
// e2e/kernels-*.spec.ts and scripts/bench.mjs. Not part of the app.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import * as kernels from '../gpu';
import { concatCases, convCases, denseCases, sliceCases } from './cases';
import { concatCase, convCase, denseCase, fusedCase, nnDenseCase, recordPrograms, sliceCase, withPrograms, type CaseResult } from './conformance';
import { groupedCase, groupedCases } from './conformance-grouped';
import { bnCase, bnCases } from './conformance-bn';
import { poolCase, poolCases } from './conformance-pool';
import { matMulCase, matMulCases } from './conformance-matmul';
import { unaryCase, unaryCases } from './conformance-unary';
import { fusedBnCase, fusedBnCases } from './conformance-fused-bn';
import { adamCase, adamCases } from './conformance-adam';
import { benchApi } from './bench';
import { sweepApi } from './bench-sweep';
import { trainingRun } from './training';

async function init(): Promise<Record<string, unknown>> {
  await tf.setBackend('cpu');
  const ok = await tf.setBackend('webgpu');
  if (!ok) throw new Error('webgpu backend failed to initialise');
  kernels.install();
  recordPrograms(tf.backend());
  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  return { backend: tf.getBackend(), mode: kernels.mode(), maxStorageBuffers: device.limits.maxStorageBuffersPerShaderStage };
}

/**
 * Compiles every variant of our programs (NaN fill included) in parallel before the cases run, and returns
 * which program variants exist (the base shader keys the warm-up touched) so the suite can require each to run.
 */
async function prepare(): Promise<{ pipelines: number; ms: number; programs: string[] }> {
  await tf.setBackend('webgpu');
  kernels.setPoisonOutputs(true);
  try {
    const { value, programs } = await withPrograms(() => kernels.warmUp());
    return { ...value, programs };
  } finally {
    kernels.setPoisonOutputs(false);
  }
}

/** A family of conformance cases: its cases for (count, seed), and how one case runs (case seed = seed + index). */
interface Family<C> { cases(count: number, seed: number): C[]; run(c: C, seed: number, index: number): Promise<CaseResult> }
const family = <C>(cases: Family<C>['cases'], run: Family<C>['run']): Family<unknown> => ({ cases, run: run as Family<unknown>['run'] });

/** The most source tensors one concat dispatch binds on this device (one binding is the output). */
function maxConcatSources(): number {
  const device = (tf.findBackend('webgpu') as unknown as { device: GPUDevice }).device;
  return Math.max(2, device.limits.maxStorageBuffersPerShaderStage - 1);
}

// `count`: for 'conv' and 'fused' the number of random shapes per kernel size (3×3 and 1×1, on top of the fixed edge
// cases and a few other sizes); 'grouped', 'bn': random problems (per op for 'bn') on top of the fixed ones; 'fusedBn':
// random op cases and count/2 random layer steps on top of the fixed ones; 'matmul': plain cases (fixed ones included)
// and as many fused; 'pool', 'unary', 'adam', 'slice', 'concat': cases in all, fixed ones included.
const FAMILIES = {
  conv: family(convCases, convCase),
  fused: family(convCases, fusedCase),
  concat: family((count, seed) => concatCases(count, seed, maxConcatSources()), concatCase),
  slice: family(sliceCases, sliceCase),
  dense: family((count) => denseCases(count), denseCase),
  nnDense: family((count) => denseCases(count), nnDenseCase),
  grouped: family(groupedCases, groupedCase),
  bn: family(bnCases, bnCase),
  fusedBn: family(fusedBnCases, fusedBnCase),
  pool: family(poolCases, poolCase),
  matmul: family(matMulCases, matMulCase),
  unary: family(unaryCases, unaryCase),
  adam: family(adamCases, adamCase),
};
type Kind = keyof typeof FAMILIES;

/** Runs one family of cases, one after another, each with seed + its index. */
async function conformance(kind: Kind, count: number, seed: number): Promise<CaseResult[]> {
  const { cases, run } = FAMILIES[kind];
  const all = cases(count, seed);
  const results: CaseResult[] = [];
  for (let i = 0; i < all.length; i++) results.push(await run(all[i], seed + i, i));
  await tf.setBackend('webgpu');
  return results;
}

const ready = init();
const status = document.getElementById('status');
ready.then((info) => { if (status) status.textContent = `ready ${JSON.stringify(info)}`; },
  (e) => { if (status) status.textContent = `failed: ${String(e)}`; });

Object.assign(window, { harness: { ready, tf, kernels, prepare, conformance, bench: benchApi, sweep: sweepApi, trainingRun } });
