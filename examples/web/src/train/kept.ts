// Models kept in the browser: IndexedDB database "cnn1d-web", store "models", one record per model
// (its model.json and weights, and what it was trained on). Plain IndexedDB: four requests do
// not need a wrapper library.

export interface KeptSummary {
  id: number;
  name: string;
  /** ms since the epoch */
  savedAt: number;
  dataset: string;
  classes: string[];
  testAccuracy: number;
}

export interface KeptModel extends KeptSummary {
  modelJson: Record<string, unknown>;
  weightData: Uint8Array;
}

const request = <T>(r: IDBRequest<T>) => new Promise<T>((resolve, reject) => ((r.onsuccess = () => resolve(r.result)), (r.onerror = () => reject(r.error))));

let db: Promise<IDBDatabase> | undefined;
function open(): Promise<IDBDatabase> {
  db ??= new Promise((resolve, reject) => {
    const r = indexedDB.open('cnn1d-web', 1);
    r.onupgradeneeded = () => r.result.createObjectStore('models', { keyPath: 'id', autoIncrement: true });
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(new Error(`models kept in this browser are unavailable: ${r.error?.message ?? 'IndexedDB refused'}`));
  });
  return db;
}

const store = async (mode: IDBTransactionMode) => (await open()).transaction('models', mode).objectStore('models');

export async function keepModel(model: Omit<KeptModel, 'id'>): Promise<number> {
  return Number(await request((await store('readwrite')).add(model)));
}

/** Every kept model's summary, newest first. */
export async function keptModels(): Promise<KeptSummary[]> {
  const all = (await request((await store('readonly')).getAll())) as KeptModel[];
  return all.map(({ id, name, savedAt, dataset, classes, testAccuracy }) => ({ id, name, savedAt, dataset, classes, testAccuracy })).sort((a, b) => b.savedAt - a.savedAt);
}

export async function keptModel(id: number): Promise<KeptModel> {
  const m = (await request((await store('readonly')).get(id))) as KeptModel | undefined;
  if (!m) throw new Error(`no kept model with id ${id}; it may have been deleted in another tab`);
  return m;
}

export async function forgetModel(id: number): Promise<void> {
  await request((await store('readwrite')).delete(id));
}
