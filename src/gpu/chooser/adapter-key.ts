// The key stored choices live under: the adapter as the browser describes it, plus the versions of the code whose
// speed was measured. A new driver name, tfjs release or kernel-layer version gives a new key, so choices made for
// other code are never applied to this one (they stay in IndexedDB until forgotten, harmless).

/**
 * Bump when a kernel, program or tiling rule changes speed: stored choices are then timed again. Kept by hand:
 * the bundle has no hash of the WGSL sources to derive it from.
 */
export const KERNEL_LAYER_VERSION = 'convlab-kernels-2026-12-03';

/** What GPUAdapterInfo says (fields may be empty: browsers blank them for privacy). */
export interface AdapterIdentity { vendor?: string; architecture?: string; device?: string; description?: string }

export function adapterKey(info: AdapterIdentity, tfjsVersion: string, layerVersion = KERNEL_LAYER_VERSION): string {
  const part = (s: string | undefined) => (s ?? '').trim().replace(/\|/g, '/') || '-';
  return [part(info.vendor), part(info.architecture), part(info.device), part(info.description), `tfjs ${tfjsVersion}`, layerVersion].join('|');
}
