// What a timing pass needs from tfjs: a class's problem rebuilt on synthetic inputs of its shapes (uploaded to the
// GPU, as the real inputs were: tfjs runs small CPU-resident inputs on the CPU), each candidate run through the
// registered kernel with the candidate forced, and an awaited GPU sync after each run.
import * as tf from '@tensorflow/tfjs';
import type { NamedTensorMap } from '@tensorflow/tfjs';
import { seededRandom } from '../../util/random';
import type { ProblemRun } from './calibrate';
import { withCandidate } from './forced';
import type { Candidate } from './pick';
import type { KernelCall } from './shape-class';

interface SyncBackend {
  device: GPUDevice;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  uploadToGPU(dataId: object): void;
}

/** Submits what tfjs has recorded and waits until the GPU has done all submitted work. */
async function gpuSync(backend: SyncBackend): Promise<void> {
  backend.ensureCommandEncoderReady();
  backend.endComputePassEncoder();
  backend.submitQueue();
  await backend.device.queue.onSubmittedWorkDone();
}

function synthetic(shape: readonly number[], dtype: string, rand: () => number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (dtype === 'float32') {
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = rand() * 2 - 1;
    return tf.tensor(values, [...shape], 'float32');
  }
  const values = new Int32Array(size);
  for (let i = 0; i < size; i++) values[i] = Math.floor(rand() * 4);
  return tf.tensor(values, [...shape], dtype as 'int32' | 'bool');
}

/** The tfjs side of calibrate.ts's OpenProblem, on the active webgpu backend. */
export function openOnWebGPU(call: KernelCall): ProblemRun {
  const backend = tf.backend() as unknown as SyncBackend;
  const rand = seededRandom(call.inputs.length * 7919 + call.op.length);
  const tensors = call.inputs.map((o) => synthetic(o.shape, o.dtype, rand));
  for (const t of tensors) backend.uploadToGPU(t.dataId);
  // Concat's inputs are a list (its stock kernel filters them as an array); every other kernel's a named map.
  const named: NamedTensorMap = {};
  call.inputs.forEach((o, i) => { named[o.name] = tensors[i]; });
  const inputs = (call.list ? tensors : named) as NamedTensorMap;
  return {
    settle: () => gpuSync(backend),
    async run(candidate: Candidate, reps: number) {
      for (let i = 0; i < reps; i++) {
        const out = withCandidate(candidate, () => tf.engine().runKernel(call.op, inputs, call.attrs as tf.NamedAttrMap));
        for (const t of Array.isArray(out) ? out : [out]) t.dispose();
      }
      await gpuSync(backend);
    },
    close() { for (const t of tensors) t.dispose(); },
  };
}
