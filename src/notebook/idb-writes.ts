// The two ways persistence.ts writes a record. While the page lives, a write checks in the same transaction that it
// replaces the revision the tab knows (two tabs never overwrite each other silently). When the page is being closed
// or reloaded, Chromium aborts any transaction still open at unload, so the last write is committed at once instead,
// without the check, which would need one more turn of the event loop than a closing page has (issue 15, case 18).

/** The record changed under this tab since it read it: another tab wrote it. */
export class ConflictError extends Error {}

/**
 * Puts `value` and, in the same transaction, reads what it replaces; `accept(stored)` returning false aborts the
 * transaction, which undoes the put (rejects with ConflictError).
 */
export function checkedPut(objects: IDBObjectStore, key: string, value: unknown, accept: (stored: unknown) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = objects.transaction;
    let refused = false;
    const read = objects.get(key);
    try {
      objects.put(value, key);
    } catch (err) {
      read.onsuccess = null;
      tx.abort();
      reject(err);
      return;
    }
    read.onsuccess = () => {
      if (accept(read.result)) return;
      refused = true;
      tx.abort();
    };
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(refused ? new ConflictError() : (tx.error ?? new Error('The write was aborted.')));
  });
}

/** Puts `value` and commits at once: the write a closing page still gets into storage. */
export function committedPut(objects: IDBObjectStore, key: string, value: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = objects.transaction;
    objects.put(value, key);
    // Not waiting for the transaction to finish on its own: at unload it never would.
    if (typeof tx.commit === 'function') tx.commit();
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('The write was aborted.'));
  });
}
