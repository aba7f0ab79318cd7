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

type Kind = 'conv' | 'fused' | 'concat' | 'slice' | 'dense' | 'nnDense' | 'grouped' | 'bn' | 'fusedBn' | 'pool' | 'matmul' | 'unary' | 'adam';

/**
 * Runs one family of cases. `count`: for 'conv' and 'fused' the number of random shapes per kernel size
 * (3×3 and 1×1, on top of the fixed edge cases and a few other sizes); otherwise the number of cases.
 */
async function conformance(kind: Kind, count: number, seed: number): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  if (kind === 'conv' || kind === 'fused') {
    const cases = convCases(count, seed);
    for (let i = 0; i < cases.length; i++) results.push(await (kind === 'conv' ? convCase(cases[i], seed + i) : fusedCase(cases[i], seed + i, i)));
  } else if (kind === 'concat') {
    const device = (tf.findBackend('webgpu') as unknown as { device: GPUDevice }).device;
    const cases = concatCases(count, seed, Math.max(2, device.limits.maxStorageBuffersPerShaderStage - 1));
    for (let i = 0; i < cases.length; i++) results.push(await concatCase(cases[i], seed + i));
  } else if (kind === 'grouped') {
    // `count` random problems on top of the fixed edge cases.
    const cases = groupedCases(count, seed);
    for (let i = 0; i < cases.length; i++) results.push(await groupedCase(cases[i], seed + i));
  } else if (kind === 'bn') {
    // BatchNorm statistics / gradient kernels: `count` random cases per op on top of the fixed ones.
    const cases = bnCases(count, seed);
    for (let i = 0; i < cases.length; i++) results.push(await bnCase(cases[i], seed + i));
  } else if (kind === 'fusedBn') {
    // Fused training BatchNorm (op and layer hook): `count` random op cases and count/2 random layer steps on top of the fixed ones.
    const cases = fusedBnCases(count, seed);
    for (let i = 0; i < cases.length; i++) results.push(await fusedBnCase(cases[i], seed + i));
  } else if (kind === 'pool') {
    // 2×2 stride-2 max-pool forward and gradient: `count` cases including the fixed ones.
    const cases = poolCases(count, seed);
    for (let i = 0; i < cases.length; i++) results.push(await poolCase(cases[i], seed + i));
  } else if (kind === 'matmul') {
    // BatchMatMul and _FusedMatMul, forward and gradients: `count` plain cases (fixed ones included), `count` fused.
    const cases = matMulCases(count, seed);
    for (let i = 0; i < cases.length; i++) results.push(await matMulCase(cases[i], seed + i));
  } else if (kind === 'unary') {
    // Relu and Step, forward (and relu's gradient): `count` cases including the fixed ones.
    const cases = unaryCases(count, seed);
    for (let i = 0; i < cases.length; i++) results.push(await unaryCase(cases[i], seed + i));
  } else if (kind === 'adam') {
    // The fused Adam update through tf.train.adam: `count` cases including the fixed ones.
    const cases = adamCases(count, seed);
    for (let i = 0; i < cases.length; i++) results.push(await adamCase(cases[i], seed + i));
  } else if (kind === 'slice') {
    const cases = sliceCases(count, seed);
    for (let i = 0; i < cases.length; i++) results.push(await sliceCase(cases[i], seed + i));
  } else {
    const cases = denseCases(count);
    for (let i = 0; i < cases.length; i++) results.push(await (kind === 'dense' ? denseCase(cases[i], seed + i) : nnDenseCase(cases[i], seed + i)));
  }
  await tf.setBackend('webgpu');
  return results;
}

const ready = init();
const status = document.getElementById('status');
ready.then((info) => { if (status) status.textContent = `ready ${JSON.stringify(info)}`; },
  (e) => { if (status) status.textContent = `failed: ${String(e)}`; });

Object.assign(window, { harness: { ready, tf, kernels, prepare, conformance, bench: benchApi, sweep: sweepApi, trainingRun } });
