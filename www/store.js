// Which store the dashboard runs on, from the URL: IndexedDB by default (runs survive a reload and are
// shared by the tabs of this origin), or `?store=memory` for the engine's embedded in-memory store
// (this tab only, gone on reload). `?db=NAME` picks another IndexedDB database — a separate data set
// for a demo or a test.

export const DEFAULT_DB = 'ops-ux-dashboard';

/** The store the URL asks for: `{ kind, label, detail, dbName, shared }`. */
export function storeChoice(params) {
  if (params.get('store') === 'memory') {
    return { kind: 'memory', label: 'In-memory', detail: 'the engine’s embedded store: this tab only, cleared on reload', dbName: null, shared: false };
  }
  const dbName = params.get('db') || DEFAULT_DB;
  return { kind: 'indexeddb', label: 'IndexedDB', detail: `database “${dbName}”: survives reloads, shared by tabs`, dbName, shared: true };
}

/** The host store for `createEngine({ store })`: undefined means the embedded store. */
export async function openStore(choice) {
  if (choice.kind === 'memory') return { store: undefined, clear: async () => {} };
  // Loaded only when used, so the in-memory mode works without the IndexedDB module.
  const { createIndexedDbStore, deleteIndexedDbStore } = await import('ops-ux-engine/indexeddb');
  const store = await createIndexedDbStore({ name: choice.dbName });
  return {
    store,
    /** Deletes the database. Other tabs' connections close themselves when asked. */
    clear: async () => {
      store.close();
      await deleteIndexedDbStore({ name: choice.dbName });
    },
  };
}

/** The URL of this page on the other store, keeping the other parameters. */
export function switchUrl(kind) {
  const url = new URL(location.href);
  if (kind === 'memory') url.searchParams.set('store', 'memory');
  else url.searchParams.delete('store');
  return url.pathname + url.search;
}
