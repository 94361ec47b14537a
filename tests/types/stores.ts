// Type-checks the store entry points and the conformance suite as a consumer sees them.
import { createEngine } from 'ops-ux-engine';
import type { Engine, HostStore, ReconcileResult } from 'ops-ux-engine';
import { createSqliteStore, sqliteSchemaSql } from 'ops-ux-engine/sqlite';
import type { SqliteDatabase, SqlStoreOptions } from 'ops-ux-engine/sqlite';
import { createPostgresStore, postgresSchemaSql } from 'ops-ux-engine/postgres';
import type { PostgresPool } from 'ops-ux-engine/postgres';
import { createIndexedDbStore, deleteIndexedDbStore } from 'ops-ux-engine/indexeddb';
import { conformanceCases, runConformance } from 'ops-ux-engine/conformance';
import type { ConformanceCase } from 'ops-ux-engine/conformance';

export async function sqlite(db: SqliteDatabase): Promise<Engine> {
  const options: SqlStoreOptions = { ids: 'text' };
  const store = createSqliteStore(db, options);
  store.createSchema();
  const schema: string = sqliteSchemaSql(options);
  console.log(schema.length);
  const asHost: HostStore = store;
  return createEngine({ store: asHost });
}

export async function postgres(pool: PostgresPool): Promise<ReconcileResult> {
  const store = createPostgresStore(pool);
  await store.createSchema();
  console.log(postgresSchemaSql().length);
  const engine = await createEngine({ store });
  return engine.reconcile({ limit: 100 });
}

export async function indexeddb(): Promise<void> {
  const store = await createIndexedDbStore({ name: 'ops', openTimeout: 5000 });
  const engine = await createEngine({ store });
  await engine.startRun({ workspace_id: 1, tenant_id: 'contoso', user_id: null, type: 'inventory.sync' });
  store.close();
  await deleteIndexedDbStore({ name: 'ops' });
}

export function suite(test: (name: string, fn: () => Promise<void>) => void, store: HostStore): ConformanceCase[] {
  runConformance({ name: 'mine', test, stringIds: false, createStore: () => ({ store, close: async () => {} }) });
  return conformanceCases({ createStore: async () => ({ store: undefined }), embedded: true });
}
