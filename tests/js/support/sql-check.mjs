// The databases of the multi-process race and crash tests: a fresh SQLite file or PostgreSQL database per
// test, the package's store over it (as a worker process opens it), the invariants read straight from
// the tables with SQL — never through the engine or the store under test — and the worker processes.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const KINDS = ['sqlite', 'postgres'];
const ACTIVE = "('queued', 'running')";

/** A fresh, empty database with the adapter's schema: `{ target, dispose }`; `target` is what workers open. */
export async function freshDatabase(kind, label) {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `ouxe-${label}-`));
    const target = join(dir, 'ops.db');
    const { store, close } = await openStore(kind, target);
    store.createSchema();
    await close();
    return { target, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const url = process.env.DATABASE_URL;
  // Never a skip: a machine without PostgreSQL must not pass these tests by not running them.
  assert.ok(url, 'DATABASE_URL is not set: run the PostgreSQL race and crash tests under scripts/with-postgres.sh, '
    + 'e.g. `scripts/with-postgres.sh node --test tests/js/races.test.mjs tests/js/crash.test.mjs`');
  const { default: pg } = await import('pg');
  const name = `ouxe_${label}_${process.pid}_${Date.now()}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const { store, close } = await openStore(kind, target.href);
  await store.createSchema();
  await close();
  return {
    target: target.href,
    dispose: async () => {
      const again = new pg.Client({ connectionString: url });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await again.end();
    },
  };
}

/** The package's store over `target`, opened the way a host process does: `{ store, close }`. */
export async function openStore(kind, target) {
  if (kind === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const { createSqliteStore } = await import('ops-ux-engine/sqlite');
    // What a host sharing one file between processes sets: WAL (readers never block the writer) and a
    // generous busy timeout, so a writer waits for the lock instead of failing.
    const db = new Database(target, { timeout: 20000 });
    db.pragma('journal_mode = WAL');
    return { store: createSqliteStore(db), close: async () => db.close() };
  }
  const { default: pg } = await import('pg');
  const { createPostgresStore } = await import('ops-ux-engine/postgres');
  const pool = new pg.Pool({ connectionString: target, max: 3 });
  return { store: createPostgresStore(pool), close: () => pool.end() };
}

/** A plain SQL connection for the checks: `{ all(sql), close() }`, rows as objects. */
export async function openSql(kind, target) {
  if (kind === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(target, { timeout: 20000 });
    return { kind, all: async (sql) => db.prepare(sql).all(), exec: async (sql) => db.exec(sql), close: async () => db.close() };
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  return {
    kind,
    all: async (sql) => (await client.query(sql)).rows,
    exec: async (sql) => { await client.query(sql); },
    close: () => client.end(),
  };
}

/** Operation keys with more than one active run right now (must always be empty). */
export function activeDuplicates(sql) {
  return sql.all(`SELECT workspace_id, tenant_id, dedup_key, count(*) AS n FROM operation_runs
    WHERE status IN ${ACTIVE} GROUP BY workspace_id, tenant_id, dedup_key HAVING count(*) > 1`);
}

/** How many runs are active right now (to show a sample was taken mid-race). */
export async function activeCount(sql) {
  const [row] = await sql.all(`SELECT count(*) AS n FROM operation_runs WHERE status IN ${ACTIVE}`);
  return Number(row.n);
}

/** Notifications whose run is not completed (must always be none: they are written with the completion). */
export async function notificationsOfUnfinishedRuns(sql) {
  const runId = sql.kind === 'sqlite' ? "json_extract(n.data, '$.run_id')" : "(n.data::jsonb ->> 'run_id')";
  const id = sql.kind === 'sqlite' ? 'r.id' : 'r.id::text';
  const [row] = await sql.all(`SELECT count(*) AS n FROM notifications n JOIN operation_runs r ON ${id} = ${runId}
    WHERE r.status <> 'completed'`);
  return Number(row.n);
}

/**
 * An audit log filled by triggers: one row per insert and per update of a run, in the order the database
 * applied them (SQLite has one writer; in PostgreSQL a run inserted after another's completion became
 * visible draws its sequence number after that completion drew its own). It shows every run's version
 * history and whether two runs of one key were ever active together.
 */
export async function installAudit(sql) {
  if (sql.kind === 'sqlite') {
    await sql.exec(`
      CREATE TABLE run_audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, op TEXT NOT NULL, run_id TEXT NOT NULL,
        run_key TEXT NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL);
      CREATE TRIGGER run_audit_insert AFTER INSERT ON operation_runs BEGIN
        INSERT INTO run_audit (op, run_id, run_key, status, version) VALUES ('insert', CAST(NEW.id AS TEXT),
          CAST(NEW.workspace_id AS TEXT) || '|' || CAST(NEW.tenant_id AS TEXT) || '|' || NEW.dedup_key, NEW.status, NEW.version);
      END;
      CREATE TRIGGER run_audit_update AFTER UPDATE ON operation_runs BEGIN
        INSERT INTO run_audit (op, run_id, run_key, status, version) VALUES ('update', CAST(NEW.id AS TEXT),
          CAST(NEW.workspace_id AS TEXT) || '|' || CAST(NEW.tenant_id AS TEXT) || '|' || NEW.dedup_key, NEW.status, NEW.version);
      END;`);
    return;
  }
  await sql.exec(`
    CREATE TABLE run_audit (seq bigserial PRIMARY KEY, op text NOT NULL, run_id text NOT NULL,
      run_key text NOT NULL, status text NOT NULL, version bigint NOT NULL);
    CREATE FUNCTION run_audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO run_audit (op, run_id, run_key, status, version) VALUES (lower(TG_OP), NEW.id::text,
        NEW.workspace_id::text || '|' || NEW.tenant_id::text || '|' || NEW.dedup_key::text, NEW.status::text, NEW.version::bigint);
      RETURN NULL;
    END $$;
    CREATE TRIGGER run_audit_row AFTER INSERT OR UPDATE ON operation_runs FOR EACH ROW EXECUTE FUNCTION run_audit_row();`);
}

/**
 * Checks the audit log: every run went queued (v1) → running (v2) → completed (v3), written exactly once
 * each, and no run of a key was inserted while another run of that key was still active.
 * Returns the number of runs per key.
 */
export async function checkAudit(sql) {
  const rows = await sql.all('SELECT seq, op, run_id, run_key, status, version FROM run_audit ORDER BY seq');
  const history = new Map();
  const activeByKey = new Map();
  const runsByKey = new Map();
  for (const row of rows) {
    const steps = history.get(row.run_id) ?? [];
    steps.push(`${row.op}:${row.status}:v${Number(row.version)}`);
    history.set(row.run_id, steps);
    if (row.op === 'insert') {
      assert.equal(activeByKey.get(row.run_key), undefined,
        `run ${row.run_id} was inserted while run ${activeByKey.get(row.run_key)} of ${row.run_key} was still active`);
      activeByKey.set(row.run_key, row.run_id);
      runsByKey.set(row.run_key, (runsByKey.get(row.run_key) ?? 0) + 1);
    } else if (row.status === 'completed' && activeByKey.get(row.run_key) === row.run_id) {
      activeByKey.delete(row.run_key);
    }
  }
  for (const [runId, steps] of history) {
    assert.deepEqual(steps, ['insert:queued:v1', 'update:running:v2', 'update:completed:v3'], `history of run ${runId}`);
  }
  return runsByKey;
}

const json = (value) => (typeof value === 'string' ? JSON.parse(value) : value);

/** All runs and notifications, their JSON columns parsed. */
export async function readAll(sql) {
  const runs = (await sql.all('SELECT * FROM operation_runs ORDER BY id')).map((r) => ({ ...r, context: json(r.context) }));
  const notes = (await sql.all('SELECT * FROM notifications')).map((n) => ({ ...n, data: json(n.data) }));
  return { runs, notes };
}

/**
 * The end state both suites require: every run completed once (version 3, an outcome, both timestamps),
 * exactly one OperationRunCompleted per run with an initiator — for that run, that user and that
 * outcome — and none for runs without one. Returns counts for the report.
 */
export function checkCompletedOnce({ runs, notes }) {
  const byRun = new Map();
  for (const n of notes) {
    assert.equal(n.type, 'OperationRunCompleted');
    const key = String(n.data.run_id);
    byRun.set(key, [...(byRun.get(key) ?? []), n]);
  }
  assert.equal(new Set(notes.map((n) => n.id)).size, notes.length, 'notification ids are unique');
  let withUser = 0;
  for (const run of runs) {
    const where = `run ${run.id} (${run.dedup_key}, user ${run.user_id})`;
    assert.equal(run.status, 'completed', `${where} is completed`);
    assert.ok(run.outcome, `${where} has an outcome`);
    assert.equal(Number(run.version), 3, `${where}: queued, running, completed — three versions`);
    assert.ok(run.started_at && run.completed_at, `${where} has started_at and completed_at`);
    const mine = byRun.get(String(run.id)) ?? [];
    byRun.delete(String(run.id));
    if (run.user_id === null) {
      assert.equal(mine.length, 0, `${where} has no initiator, so no notification`);
      continue;
    }
    withUser += 1;
    assert.equal(mine.length, 1, `${where}: exactly one completion notification, found ${mine.length}`);
    assert.equal(String(mine[0].notifiable_id), String(run.user_id), `${where}: notified its initiator`);
    assert.equal(mine[0].data.outcome, run.outcome, `${where}: the notification tells the stored outcome`);
  }
  assert.deepEqual([...byRun.keys()], [], 'no notification names a run that does not exist');
  return { runs: runs.length, withUser, notifications: notes.length };
}

/** Completed runs with an initiator and no completion notification, as run id text (a crash's gap). */
export async function unnotified(sql) {
  const { runs, notes } = await readAll(sql);
  const notified = new Set(notes.map((n) => `${n.data.run_id}|${n.notifiable_id}`));
  return runs
    .filter((r) => r.status === 'completed' && r.user_id !== null && !notified.has(`${r.id}|${r.user_id}`))
    .map((r) => String(r.id));
}

/**
 * Forks a worker script with an IPC channel. `messages` collects what it sends; `next(pick)` resolves with
 * the first message `pick` accepts (rejecting, with its error report and stderr, if it exits first);
 * `exited` resolves with `{ code, signal, stderr }`.
 */
export function forkWorker(script, args) {
  const child = fork(script, args, { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const messages = [];
  const listeners = new Set();
  child.on('message', (m) => {
    messages.push(m);
    for (const l of listeners) l(m);
  });
  // 'close', not 'exit': 'exit' can come before the last messages a worker sent are delivered, and a `next`
  // waiting for one of them would then report a worker that exited cleanly as one that never answered.
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  const report = () => messages.find((m) => 'error' in m)?.error ?? '';
  const next = (pick) => new Promise((resolve, reject) => {
    const found = messages.find(pick);
    if (found) return resolve(found);
    listeners.add((m) => pick(m) && resolve(m));
    exited.then((e) => reject(new Error(`worker ${args.join(' ')} exited (${e.code ?? e.signal}) ${report()}\n${e.stderr}`)));
  });
  return { child, messages, exited, next, report };
}
