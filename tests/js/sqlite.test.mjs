// The SQLite store on real database files: the shared conformance suite (a new file per case), then what is
// particular to this adapter — the schema, the id type guard, exact round trips, several connections on one
// file, recovery queries on their index, and a statement failing mid-commit.
import { describe, it, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { createEngine } from 'ops-ux-engine';
import { runConformance } from 'ops-ux-engine/conformance';
import { createSqliteStore, sqliteSchemaSql } from 'ops-ux-engine/sqlite';
import { SCOPE, OTHER_TENANT, OTHER_WORKSPACE, USER, TYPE, request, rejectsWith } from './support/helpers.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ops-ux-sqlite-'));
const open = [];
after(() => {
  for (const db of open) if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
const newFile = () => join(dir, `case-${++files}.db`);

/** A connection to `file` with the pragmas the README recommends. */
function connect(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  open.push(db);
  return db;
}

/** A store with its schema on a new file: `{ db, store, file }`. */
function fresh(options) {
  const file = newFile();
  const db = connect(file);
  const store = createSqliteStore(db, options);
  store.createSchema();
  return { db, store, file };
}

const count = (db, table) => db.prepare(`SELECT count(*) AS n FROM ${table}`).get().n;
const rowOf = (db, id) => db.prepare('SELECT * FROM operation_runs WHERE id = ?').get(id);

runConformance({
  name: 'sqlite',
  test,
  stringIds: false, // integer columns (the default); the text mode is tested below
  createStore: () => {
    const { db, store } = fresh();
    return { store, close: () => db.close() };
  },
});

describe('sqlite store: schema', () => {
  it('createSchema is idempotent and creates the two tables, the partial unique index and the recovery index', () => {
    const { db, store } = fresh();
    store.createSchema();
    createSqliteStore(connect(db.name)).createSchema();
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
    assert.deepEqual(names.map((r) => r.name), [
      'notifications',
      'notifications_completed_run',
      'notifications_notifiable',
      'operation_runs',
      'operation_runs_active_dedup',
      'operation_runs_scope',
    ]);
    const columns = (table) => db.prepare(`PRAGMA table_info(${table})`).all().map((c) => `${c.name} ${c.type}`);
    assert.deepEqual(columns('notifications'), [
      'id TEXT', 'type TEXT', 'notifiable_type TEXT', 'notifiable_id INTEGER', 'data TEXT', 'read_at TEXT', 'created_at TEXT', 'updated_at TEXT',
    ]);
    assert.ok(columns('operation_runs').includes('workspace_id INTEGER'));
    assert.match(sqliteSchemaSql({ ids: 'text' }), /workspace_id TEXT NOT NULL/);
  });

  it('createSchema from four processes at once on one new file', async () => {
    const file = newFile();
    const script = `import Database from 'better-sqlite3';
      import { createSqliteStore } from 'ops-ux-engine/sqlite';
      const db = new Database(${JSON.stringify(file)});
      createSqliteStore(db).createSchema();
      db.close();`;
    const run = promisify(execFile);
    await Promise.all(Array.from({ length: 4 }, () => run(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT })));
    const engine = await createEngine({ store: createSqliteStore(connect(file)) });
    assert.equal((await engine.startRun(request())).run.id, 1);
  });

  it('the database itself refuses a second active run for one key, and frees the key on completion', async () => {
    const { db, store } = fresh();
    const engine = await createEngine({ store });
    const { run } = await engine.startRun(request());
    const insert = db.prepare(`INSERT INTO operation_runs (workspace_id, tenant_id, type, status, dedup_key, created_at, updated_at)
      VALUES (1, 10, 'x', ?, ?, 'a', 'a')`);
    assert.throws(() => insert.run('running', run.dedup_key), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    insert.run('completed', run.dedup_key); // completed runs may share a key
    await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'cancelled' });
    assert.equal((await engine.startRun(request())).deduped, false);
  });

  it('never reuses the id of a deleted run, so an old notification cannot pass for a new run’s', async () => {
    const { db, store } = fresh();
    const engine = await createEngine({ store });
    const { run } = await engine.startRun(request());
    db.prepare('DELETE FROM operation_runs WHERE id = ?').run(run.id);
    assert.equal((await engine.startRun(request())).run.id, run.id + 1);
  });
});

describe('sqlite store: ids', () => {
  it('ids: integer refuses string scope and user ids with a clear error, storing nothing', async () => {
    const { db, store } = fresh();
    const engine = await createEngine({ store });
    const hint = /must be a safe integer, got the string "1".*ids: 'text'/;
    await rejectsWith(engine.startRun(request({ workspace_id: '1' })), 'E_STORE', hint);
    await rejectsWith(engine.startRun(request({ user_id: '7' })), 'E_STORE', /user_id must be a safe integer/);
    await rejectsWith(engine.listRuns({ ...SCOPE, tenant_id: '10' }), 'E_STORE', /tenant_id must be a safe integer/);
    await rejectsWith(engine.listNotifications(SCOPE, '7'), 'E_STORE', /userId must be a safe integer/);
    assert.equal(count(db, 'operation_runs'), 0);
    const { run } = await engine.startRun(request());
    await rejectsWith(engine.getRun(SCOPE, String(run.id)), 'E_NOT_FOUND'); // run ids are integers: "1" names no run
  });

  it('ids: text stores string ids as text and refuses numbers', async () => {
    const { db, store } = fresh({ ids: 'text' });
    const engine = await createEngine({ store });
    const scope = { workspace_id: 'acme', tenant_id: '10' };
    const { run } = await engine.startRun({ ...scope, user_id: 'u-7', type: TYPE });
    assert.equal(run.id, 1, 'run ids stay integers');
    await engine.updateRun(scope, run.id, { status: 'running' });
    const done = await engine.updateRun(scope, run.id, { status: 'completed', outcome: 'succeeded' });
    assert.deepEqual(await engine.getRun(scope, run.id), done.run);
    assert.deepEqual(await engine.listNotifications(scope, 'u-7'), done.notifications);
    assert.deepEqual(db.prepare('SELECT typeof(tenant_id) AS t, typeof(user_id) AS u FROM operation_runs').get(), { t: 'text', u: 'text' });
    await rejectsWith(engine.startRun({ ...scope, tenant_id: 10, type: TYPE }), 'E_STORE', /tenant_id must be a string, got number 10.*ids: 'integer'/);
    await rejectsWith(engine.getRun({ ...scope, tenant_id: 10 }, run.id), 'E_STORE', /must be a string/);
  });

  it('options are checked', () => {
    const db = connect(newFile());
    assert.throws(() => createSqliteStore(db, { ids: 'uuid' }), /options.ids must be 'integer'.*or 'text'/);
    assert.throws(() => createSqliteStore(db, { id: 'text' }), /unknown option "id"/);
    assert.throws(() => createSqliteStore({}), /needs a better-sqlite3 Database/);
  });

  it('a database opened with defaultSafeIntegers still gives the engine numbers', async () => {
    const { db, store } = fresh();
    db.defaultSafeIntegers(true);
    const engine = await createEngine({ store });
    const scope = { workspace_id: Number.MAX_SAFE_INTEGER, tenant_id: -3 };
    const { run } = await engine.startRun({ ...scope, user_id: 2 ** 40, type: TYPE });
    assert.deepEqual(await engine.getRun(scope, run.id), run);
    assert.equal(typeof run.version, 'number');
  });
});

describe('sqlite store: exact round trips', () => {
  it('context with any unicode, control characters and 15 KB of text comes back as given', async () => {
    const { store } = fresh();
    const engine = await createEngine({ store });
    const context = {
      text: 'Zürich — 東京 🚀 \u0000 \u2028 \u202e عربى "quoted" \\ back',
      big: 'x'.repeat(15_000),
      numbers: [0, -1, 1.5, 1e21, 5e-324, Number.MAX_SAFE_INTEGER],
      nested: { a: { b: { c: [null, true, false, {}] } } },
    };
    const { run } = await engine.startRun(request({ context }));
    assert.deepEqual(run.context, context);
    assert.deepEqual(store.getRun(SCOPE, run.id), run);
  });

  it('timestamps are the engine’s strings, at both ends of the calendar', async () => {
    for (const at of ['0001-01-01T00:00:00.000Z', '2026-12-04T17:33:11.410Z', '9999-12-31T23:59:59.999Z']) {
      const { store } = fresh();
      const engine = await createEngine({ store, clock: () => at });
      const { run } = await engine.startRun(request());
      const done = (await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'failed' })).run;
      assert.deepEqual(store.getRun(SCOPE, run.id), done);
      assert.equal(done.completed_at, at);
    }
  });
});

describe('sqlite store: notifications', () => {
  it('listNotifications keeps to the user and to the scope named in data; read state and limit', async () => {
    const { store } = fresh();
    const engine = await createEngine({ store });
    const finish = async (scope, user_id, identity) => {
      const { run } = await engine.startRun({ ...scope, user_id, type: TYPE, identity });
      return (await engine.updateRun(scope, run.id, { status: 'completed', outcome: 'cancelled' })).notifications[0];
    };
    const mine = [await finish(SCOPE, USER, 'a'), await finish(SCOPE, USER, 'b')];
    const elsewhere = [await finish(OTHER_TENANT, USER, 'a'), await finish(OTHER_WORKSPACE, USER, 'a')];
    await finish(SCOPE, USER + 1, 'c');
    assert.deepEqual(await engine.listNotifications(SCOPE, USER), [...mine].reverse());
    assert.deepEqual(await engine.listNotifications(OTHER_TENANT, USER), [elsewhere[0]]);
    assert.deepEqual(await engine.listNotifications(OTHER_WORKSPACE, USER), [elsewhere[1]]);
    await rejectsWith(engine.markNotificationRead(OTHER_TENANT, USER, mine[0].id), 'E_NOT_FOUND');
    await engine.markNotificationRead(SCOPE, USER, mine[1].id);
    assert.deepEqual((await engine.listNotifications(SCOPE, USER, { unread: true })).map((n) => n.id), [mine[0].id]);
    assert.equal((await engine.listNotifications(SCOPE, USER, { limit: 1 })).length, 1);
  });

  it('recovery: a data.run_id of another type is not the run’s notification, and the lookup uses its index', async () => {
    const { db, store } = fresh();
    const engine = await createEngine({ store });
    const { run } = await engine.startRun(request());
    await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'failed' });
    const stored = db.prepare('SELECT * FROM notifications').get();
    db.prepare('DELETE FROM notifications').run();
    const impostor = { ...stored, id: '33333333-3333-8333-8333-333333333333', data: JSON.stringify({ ...JSON.parse(stored.data), run_id: String(run.id) }) };
    db.prepare('INSERT INTO notifications VALUES (@id, @type, @notifiable_type, @notifiable_id, @data, @read_at, @created_at, @updated_at)').run(impostor);
    assert.deepEqual(store.findUnnotifiedRuns(null, 10).map((r) => r.id), [run.id]);
    assert.deepEqual(await engine.reconcile(), { checked: 1, repaired: 1 });
    assert.deepEqual(store.findUnnotifiedRuns(SCOPE, 10), []);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT 1 FROM notifications n WHERE n.type = 'OperationRunCompleted'
        AND json_extract(n.data, '$.run_id') = +? AND n.notifiable_id = ?`)
      .all(1, 7)
      .map((r) => r.detail)
      .join('\n');
    assert.match(plan, /USING INDEX notifications_completed_run/);
  });
});

describe('sqlite store: several connections on one file', () => {
  it('one insert wins and one commit wins across connections', async () => {
    const { file } = fresh();
    const engines = await Promise.all([0, 1, 2].map(() => createEngine({ store: createSqliteStore(connect(file)) })));
    const starts = await Promise.all(engines.map((e) => e.startRun(request())));
    assert.equal(starts.filter((s) => !s.deduped).length, 1);
    const id = starts[0].run.id;
    await engines[0].updateRun(SCOPE, id, { status: 'running' });
    const other = createSqliteStore(connect(file));
    const seen = other.getRun(SCOPE, id);
    await engines[0].updateRun(SCOPE, id, { context: { moved: 'on' } }); // another connection commits first
    const stale = { ...seen, context: { lost: 'update' }, version: seen.version + 1 };
    assert.equal(other.commitRun({ run: stale, expected_version: seen.version, notifications: [] }), false, 'a stale version changes nothing');
    const results = await Promise.all(engines.map((e) => e.updateRun(SCOPE, id, { status: 'completed', outcome: 'succeeded' })));
    assert.equal(results.filter((r) => r.changed).length, 1);
    assert.equal(count(connect(file), 'notifications'), 1);
    assert.deepEqual(other.getRun(SCOPE, id), results.find((r) => r.changed).run);
  });
});

describe('sqlite store: a statement failing mid-commit', () => {
  it('E_STORE, the run row as it was, no notification; once the fault is gone the same completion lands once', async () => {
    const { db, store } = fresh();
    const engine = await createEngine({ store });
    const { run } = await engine.startRun(request());
    const running = (await engine.updateRun(SCOPE, run.id, { status: 'running', summary_counts: { total: 2 } })).run;
    const before = rowOf(db, run.id);
    db.exec(`CREATE TRIGGER refuse_notifications BEFORE INSERT ON notifications
      BEGIN SELECT RAISE(ABORT, 'disk quota exceeded'); END`);
    const completion = { status: 'completed', outcome: 'succeeded', summary_counts: { processed: 2 } };
    await rejectsWith(engine.updateRun(SCOPE, run.id, completion), 'E_STORE', /commitRun threw.*disk quota exceeded/);
    assert.deepEqual(rowOf(db, run.id), before, 'the UPDATE that ran inside the transaction was rolled back');
    assert.equal(count(db, 'notifications'), 0);
    assert.deepEqual(await engine.getRun(SCOPE, run.id), running);
    db.exec('DROP TRIGGER refuse_notifications');
    const done = await engine.updateRun(SCOPE, run.id, completion);
    assert.equal(done.changed, true);
    assert.equal(done.run.version, running.version + 1);
    assert.equal(count(db, 'notifications'), 1);
    assert.deepEqual(await engine.listNotifications(SCOPE, USER), done.notifications);
  });
});
