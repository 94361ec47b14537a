// The conformance cases over the IndexedDB store (a fresh database per case) and the embedded store, by
// name, so the Node side can make each case its own test: `window.suite.names(kind)`, `.run(kind, name)`.
import { conformanceCases } from 'ops-ux-engine/conformance';
import { createIndexedDbStore, deleteIndexedDbStore } from 'ops-ux-engine/indexeddb';

let databases = 0;

const STORES = {
  async indexeddb() {
    const name = `conformance-${Date.now()}-${(databases += 1)}`;
    const store = await createIndexedDbStore({ name });
    return {
      store,
      close: async () => {
        store.close();
        await deleteIndexedDbStore({ name });
      },
    };
  },
  // No store object: the engine's embedded store (the suite leaves out the cases that call a store object).
  embedded: async () => ({ store: undefined }),
};

const cases = (kind) => conformanceCases({ createStore: STORES[kind], embedded: kind === 'embedded' });

window.suite = {
  names: (kind) => cases(kind).map((c) => c.name),
  /** `{ ok: true }` or `{ ok: false, error }` with the case's message and stack. */
  async run(kind, name) {
    const found = cases(kind).find((c) => c.name === name);
    if (!found) return { ok: false, error: `no case named ${JSON.stringify(name)}` };
    try {
      await found.run();
      return { ok: true };
    } catch (e) {
      return { ok: false, error: String(e?.stack ?? e) };
    }
  },
};
