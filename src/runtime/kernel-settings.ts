// The page's settings for this kernel (src/protocol.ts KernelSettings), handed over in the page's first message.
// Kept apart from the session so the builtins can read them at any time without a reference to the worker.
import type { KernelSettings } from '../protocol';

const DEFAULTS: KernelSettings = { quick: false };
let current: KernelSettings = DEFAULTS;

/** Takes what the page sent; anything missing or malformed falls back to a learner's defaults. */
export function setKernelSettings(settings: Partial<KernelSettings> | undefined): void {
  current = { quick: settings?.quick === true };
}

export function kernelSettings(): KernelSettings {
  return current;
}
