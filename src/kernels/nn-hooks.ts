// Points nn's dense-block hook at our memory-efficient dense block while our kernels are on. nn stays free
// of the kernel layer (and of the webgpu backend, so its unit tests run on the CPU backend in Node); the
// kernel layer, which sits below the notebook, is what knows when its path applies.
import { setDenseBlockImpl, type DenseBlockImpl } from '../nn/ops/dense-block';
import { denseBlock, onOurWebGPU } from './dense-block';

// Declines (null → plain concatenation) whenever tensors are not on webgpu with our kernels registered,
// e.g. after a cell switched tf to the CPU backend.
const viaKernelLayer: DenseBlockImpl = (x0, layers) => (onOurWebGPU() ? denseBlock(x0, layers) : null);

export function connectNn(on: boolean): void {
  setDenseBlockImpl(on ? viaKernelLayer : null);
}
