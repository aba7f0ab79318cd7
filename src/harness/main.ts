// The harness page: tfjs with webgpu (our kernels installed), webgl and cpu, exposed on window.harness for
// e2e/kernels-*.spec.ts and scripts/bench.mjs. Not part of the app.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import * as kernels from '../kernels';
import { concatCase, concatCases, convCase, convCases, denseCase, fusedCase, sliceCase, sliceCases, type CaseResult } from './conformance';
import { benchApi } from './bench';
import { trainingRun } from './training';

async function init(): Promise<Record<string, unknown>> {
  await tf.setBackend('cpu');
  const ok = await tf.setBackend('webgpu');
  if (!ok) throw new Error('webgpu backend failed to initialise');
  kernels.install();
  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  return { backend: tf.getBackend(), mode: kernels.mode(), maxStorageBuffers: device.limits.maxStorageBuffersPerShaderStage };
}

type Kind = 'conv' | 'fused' | 'concat' | 'slice' | 'dense';

async function conformance(kind: Kind, count: number, seed: number): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  if (kind === 'conv' || kind === 'fused') {
    const cases = convCases(count, seed);
    for (let i = 0; i < cases.length; i++) results.push(await (kind === 'conv' ? convCase : fusedCase)(cases[i], seed + i));
  } else if (kind === 'concat') {
    const cases = concatCases(count, seed);
    for (let i = 0; i < cases.length; i++) results.push(await concatCase(cases[i], seed + i));
  } else if (kind === 'slice') {
    const cases = sliceCases(count, seed);
    for (let i = 0; i < cases.length; i++) results.push(await sliceCase(cases[i], seed + i));
  } else {
    const shapes: Array<[number, number, number, number]> = [[1, 5, 5, 3], [2, 6, 7, 8], [2, 4, 4, 5], [1, 7, 7, 16], [3, 3, 5, 2]];
    for (let i = 0; i < count; i++) results.push(await denseCase({ x: shapes[i % shapes.length], layers: 2 + (i % 3), growth: [4, 3, 8][i % 3] }, seed + i));
  }
  await tf.setBackend('webgpu');
  return results;
}

const ready = init();
const status = document.getElementById('status');
ready.then((info) => { if (status) status.textContent = `ready ${JSON.stringify(info)}`; },
  (e) => { if (status) status.textContent = `failed: ${String(e)}`; });

Object.assign(window, { harness: { ready, tf, kernels, conformance, bench: benchApi, trainingRun } });
