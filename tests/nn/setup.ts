// Shared by the nn tests: tfjs on the CPU backend in Node (the browser uses WebGPU).
import * as tf from '@tensorflow/tfjs';

export async function cpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

export function paramCount(vars: tf.LayerVariable[]): number {
  return vars.reduce((sum, v) => sum + (v.shape as number[]).reduce((a, b) => a * b, 1), 0);
}
