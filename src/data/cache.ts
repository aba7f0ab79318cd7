// Decoded dataset files kept in the browser's IndexedDB, so a second load works offline and skips
// both the download and the gunzip. Only files that passed every check are stored (see fashion-mnist.ts).
import { createStore, del, get, set, type UseStore } from 'idb-keyval';

export interface ArrayCache {
  get(key: string): Promise<Uint8Array | undefined>;
  set(key: string, value: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
}

let store: UseStore | null = null;

/** IndexedDB where it exists (browsers, workers, fake-indexeddb in tests); otherwise null. */
export function browserCache(): ArrayCache | null {
  if (typeof indexedDB === 'undefined') return null;
  store ??= createStore('convlab-data', 'decoded-files');
  const s = store;
  return {
    async get(key) {
      try {
        const v = await get<unknown>(key, s);
        return v instanceof Uint8Array ? v : undefined;
      } catch {
        return undefined; // a broken or blocked database only costs a download
      }
    },
    async set(key, value) {
      try { await set(key, value, s); } catch { /* quota exceeded or private mode: carry on uncached */ }
    },
    async delete(key) {
      try { await del(key, s); } catch { /* nothing to undo */ }
    },
  };
}

/** For tests and for code that wants a cache without persistence. */
export function memoryCache(): ArrayCache & { readonly entries: Map<string, Uint8Array> } {
  const entries = new Map<string, Uint8Array>();
  return {
    entries,
    async get(key) { return entries.get(key); },
    async set(key, value) { entries.set(key, value); },
    async delete(key) { entries.delete(key); },
  };
}
