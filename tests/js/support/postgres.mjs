// Connecting the PostgreSQL tests: DATABASE_URL names a real server (scripts/with-postgres.sh starts a
// throwaway one). Each store gets a schema of its own, so every test starts from empty tables.
import pg from 'pg';
import { createPostgresStore } from 'ops-ux-engine/postgres';

/** The server to test against. Without one the tests fail, loudly: a skipped PostgreSQL suite proves nothing. */
export function databaseUrl() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set: the PostgreSQL tests need a real server. Run them under scripts/with-postgres.sh, e.g. ' +
        'scripts/with-postgres.sh node --test tests/js/postgres.test.mjs',
    );
  }
  return url;
}

let schemas = 0;

/** A pool whose connections work in schema `schema` (and in `extra` settings such as a time zone). */
export function poolIn(schema, { options = '', ...config } = {}) {
  const pool = new pg.Pool({
    connectionString: databaseUrl(),
    max: 4,
    application_name: schema, // lets a test find its own backends in pg_stat_activity
    options: `-c search_path=${schema} ${options}`.trim(),
    ...config,
  });
  // A connection that dies while idle in the pool (a test terminates backends) must not crash the runner.
  pool.on('error', () => {});
  return pool;
}

/**
 * A fresh schema with the store's tables: `{ store, pool, admin, schema, close }`. `admin` is a second pool
 * in the same schema for the test's own SQL (triggers, locks, direct reads).
 */
export async function freshStore({ ids, poolConfig } = {}) {
  const schema = `ops_t${process.pid}_${++schemas}`;
  const admin = poolIn(schema);
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = poolIn(schema, poolConfig);
  const store = createPostgresStore(pool, ids ? { ids } : undefined);
  await store.createSchema();
  const close = async () => {
    await pool.end();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  };
  return { store, pool, admin, schema, close };
}
