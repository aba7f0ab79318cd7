// Picks the tfjs backend inside the worker: WebGPU first, else WebGL, else the CPU, and says why in
// words a learner can act on whenever it had to fall back.
import type * as tfType from '@tensorflow/tfjs';
import type { AdapterDescription, BackendName } from '../protocol';
import { refuseGpuSyncReads, type SyncReadingBackend } from './sync-read-guard';

export interface BackendChoice {
  backend: BackendName;
  fallback_reason?: string;
  adapter?: AdapterDescription;
  /** The WebGPU device, so the kernel can watch for it being lost. */
  device?: GPUDevice;
}

type Tf = typeof tfType;

interface GpuLike {
  requestAdapter(options?: GPURequestAdapterOptions): Promise<GPUAdapter | null>;
}

export interface BackendInitOptions {
  /** Which backends to try, in order (tests use ['cpu']). */
  order?: BackendName[];
  /** navigator.gpu, injectable for tests. */
  gpu?: GpuLike | undefined;
  /** Loads @tensorflow/tfjs-backend-webgpu (registers the 'webgpu' backend). */
  loadWebGpu?: () => Promise<unknown>;
}

export async function initBackend(tf: Tf, options: BackendInitOptions = {}): Promise<BackendChoice> {
  const order = options.order ?? ['webgpu', 'webgl', 'cpu'];
  const gpu = 'gpu' in options ? options.gpu : (globalThis.navigator as Navigator | undefined)?.gpu;
  const reasons: string[] = [];
  let adapter: AdapterDescription | undefined;

  for (const name of order) {
    if (name === 'webgpu') {
      const result = await tryWebGpu(tf, gpu, options.loadWebGpu ?? (() => import('@tensorflow/tfjs-backend-webgpu')));
      if ('reason' in result) {
        reasons.push(result.reason);
        adapter = result.adapter ?? adapter;
        continue;
      }
      return { backend: 'webgpu', adapter: result.adapter, device: result.device };
    }
    const ok = await trySetBackend(tf, name);
    if (ok === true) {
      return { backend: name, fallback_reason: reasons.length ? reasons.join(' ') : undefined, adapter };
    }
    reasons.push(`${name === 'webgl' ? 'WebGL' : 'The CPU backend'} failed to start${ok ? `: ${ok}` : ''}.`);
  }
  throw new Error(`No TensorFlow.js backend could start. ${reasons.join(' ')}`);
}

async function trySetBackend(tf: Tf, name: string): Promise<true | string> {
  try {
    // tf.setBackend resolves false (and logs) instead of throwing when a backend's factory fails.
    const ok = await tf.setBackend(name);
    if (!ok) return '';
    await tf.ready();
    return true;
  } catch (err) {
    return (err as Error)?.message ?? String(err);
  }
}

type WebGpuResult = { adapter: AdapterDescription; device?: GPUDevice } | { reason: string; adapter?: AdapterDescription };

async function tryWebGpu(tf: Tf, gpu: GpuLike | undefined, load: () => Promise<unknown>): Promise<WebGpuResult> {
  if (!gpu) {
    const secure = (globalThis as { isSecureContext?: boolean }).isSecureContext;
    return {
      reason:
        secure === false
          ? 'navigator.gpu is not available because the page is not a secure context (open it on http://localhost or https).'
          : 'navigator.gpu is not available in this browser (WebGPU disabled or unsupported).',
    };
  }
  let adapter: AdapterDescription | undefined;
  try {
    const found = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!found) return { reason: 'WebGPU found no usable GPU adapter (navigator.gpu.requestAdapter() returned null).' };
    adapter = describeAdapter(found);
  } catch (err) {
    return { reason: `WebGPU adapter request failed: ${(err as Error)?.message ?? String(err)}.` };
  }
  try {
    await load();
  } catch (err) {
    return { reason: `The WebGPU backend failed to load: ${(err as Error)?.message ?? String(err)}.`, adapter };
  }
  const ok = await trySetBackend(tf, 'webgpu');
  if (ok !== true) return { reason: `WebGPU failed to initialise${ok ? `: ${ok}` : ''}.`, adapter };
  const backend = tf.backend() as unknown as { device?: GPUDevice; adapterInfo?: { vendor?: string; architecture?: string } };
  refuseGpuSyncReads(backend as unknown as SyncReadingBackend);
  // The backend's own AdapterInfo keeps only vendor/architecture; fill those in if our adapter had none.
  if (backend.adapterInfo) {
    adapter = {
      ...adapter,
      vendor: adapter.vendor || backend.adapterInfo.vendor || '',
      architecture: adapter.architecture || backend.adapterInfo.architecture || '',
    };
  }
  return { adapter, device: backend.device };
}

function describeAdapter(adapter: GPUAdapter): AdapterDescription {
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
  const fallback =
    (info as (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined)?.isFallbackAdapter ??
    (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    description: info?.description || undefined,
    isFallbackAdapter: fallback,
  };
}

/** Calls back once if the GPU device is lost (out of memory, driver reset, tab backgrounded too long). */
export function watchDeviceLost(device: GPUDevice | undefined, onLost: (reason: string, message: string) => void): void {
  if (!device?.lost) return;
  device.lost.then(
    (info) => onLost(String(info.reason ?? 'unknown'), info.message || 'The GPU device was lost.'),
    () => {},
  );
}

/** What the worker needs of the GPU kernel layer (src/gpu). */
export interface KernelLayer {
  install(): void;
  mode(): string;
}

/**
 * Makes ConvLab's own kernels the default once the backend is WebGPU (on WebGL or the CPU there is nothing
 * to install: tfjs's kernels are the only ones). Never throws: a kernel layer that fails to load or install
 * leaves tfjs's stock WebGPU kernels in place, and the returned note says so for the learner.
 */
export async function installKernelLayer(backend: BackendName, load: (() => Promise<KernelLayer>) | undefined): Promise<string | undefined> {
  if (backend !== 'webgpu' || !load) return undefined;
  try {
    const layer = await load();
    layer.install();
    return undefined;
  } catch (err) {
    return `ConvLab's kernels could not be installed (${(err as Error)?.message ?? String(err)}); convolutions run on TensorFlow.js's stock WebGPU kernels.`;
  }
}
