// Reading and writing the app's IndexedDB ("convlab", store "notebooks", see src/notebook/persistence.ts) from a
// test, as a learner's devtools or another tab could.
import type { Page } from '@playwright/test';

/** Runs `action` on the app's object store; resolves with its result (undefined when the database is not there). */
async function withStore<T>(page: Page, mode: IDBTransactionMode, action: { op: 'get' | 'put' | 'keys'; key?: string; value?: unknown }): Promise<T | undefined> {
  return page.evaluate(
    ([mode, { op, key, value }]) =>
      new Promise<T | undefined>((resolve, reject) => {
        const open = indexedDB.open('convlab');
        // Creating the database here would leave it without the app's store: abort instead.
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => resolve(undefined);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('notebooks')) {
            db.close();
            return resolve(undefined);
          }
          const store = db.transaction('notebooks', mode).objectStore('notebooks');
          const req = op === 'get' ? store.get(key!) : op === 'put' ? store.put(value, key!) : store.getAllKeys();
          req.onsuccess = () => {
            resolve((op === 'put' ? undefined : req.result) as T);
            db.close();
          };
          req.onerror = () => {
            reject(req.error);
            db.close();
          };
        };
      }),
    [mode, action] as const,
  );
}

export function storedValue(page: Page, key: string): Promise<unknown> {
  return withStore(page, 'readonly', { op: 'get', key });
}

export async function putStoredValue(page: Page, key: string, value: unknown): Promise<void> {
  await withStore(page, 'readwrite', { op: 'put', key, value });
}

export async function storedKeys(page: Page): Promise<string[]> {
  return ((await withStore<IDBValidKey[]>(page, 'readonly', { op: 'keys' })) ?? []).map(String);
}

/** The source of cell `index` (0-based) in the learner's saved copy of `notebookId`, or null. */
export async function savedSource(page: Page, notebookId: string, index: number): Promise<string | null> {
  const record = (await storedValue(page, `notebook:${notebookId}`)) as { notebook?: { cells?: Array<{ source?: string }> } } | undefined;
  return record?.notebook?.cells?.[index]?.source ?? null;
}
