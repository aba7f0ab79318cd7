// Where choices persist, per adapter key: an interface so tests use a Map and the app IndexedDB (idb-keyval, in its
// own database so it never touches the notebooks' or the data cache's stores).
import { clear, createStore, get, set, type UseStore } from 'idb-keyval';
import type { ClassChoice } from './table';

export interface StoredChoices { adapter: string; savedAt: number; choices: Record<string, ClassChoice> }

export interface ChoiceStore {
  load(adapter: string): Promise<StoredChoices | undefined>;
  save(record: StoredChoices): Promise<void>;
  /** Forgets every adapter's choices. */
  clear(): Promise<void>;
}

export const CHOICES_DB = 'convlab-kernel-choices';
export const CHOICES_STORE = 'choices';

export function indexedDbChoiceStore(): ChoiceStore {
  let store: UseStore | undefined;
  const db = () => (store ??= createStore(CHOICES_DB, CHOICES_STORE));
  return {
    load: (adapter) => get<StoredChoices>(adapter, db()),
    save: (record) => set(record.adapter, record, db()),
    clear: () => clear(db()),
  };
}

/** A store in memory (unit tests, and places without IndexedDB). */
export function memoryChoiceStore(): ChoiceStore & { records: Map<string, StoredChoices> } {
  const records = new Map<string, StoredChoices>();
  const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
  return {
    records,
    load: async (adapter) => (records.has(adapter) ? copy(records.get(adapter)) : undefined),
    save: async (record) => { records.set(record.adapter, copy(record)); },
    clear: async () => { records.clear(); },
  };
}
