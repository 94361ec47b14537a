// The PostgreSQL store on a real server (run under scripts/with-postgres.sh): the shared conformance suite
// (a fresh schema per case), then what is particular to this adapter — the schema and its concurrent
// creation, the id type guard, exact round trips whatever the pool's type parsers and time zone, recovery
// on its index, and the faults: a refused connection, a statement failing mid-commit, a killed backend.
import { describe, it, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createEngine } from 'ops-ux-engine';
import { runConformance } from 'ops-ux-engine/conformance';
import { createPostgresStore, postgresSchemaSql } from 'ops-ux-engine/postgres';
import { SCOPE, OTHER_TENANT, OTHER_WORKSPACE, USER, TYPE, request, rejectsWith } from './support/helpers.mjs';
import { databaseUrl, freshStore, poolIn } from './support/postgres.mjs';

// Fails (never skips) without a server, saying how to get one.
before(() => databaseUrl());

/** Runs `body(world)` on a fresh schema and always drops it. */
const withStore = (options, body) => async () => {
  const world = await freshStore(options);
  try {
    await body(world);
  } finally {
    await world.close();
  }
};

const count = async (admin, table) => Number((await admin.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
const rowOf = async (admin, id) => (await admin.query('SELECT * FROM operation_runs WHERE id = $1', [id])).rows[0];

runConformance({
  name: 'postgres',
  test,
  stringIds: false, // bigint columns (the default); the text mode is tested below
  createStore: async () => {
    const { store, close } = await freshStore();
    return { store, close };
  },
});

describe('postgres store: schema', () => {
  it('createSchema run by six pools at once on an empty schema, then again: one set of tables', async () => {
    const { admin, schema, close } = await freshStore();
    await admin.query('DROP TABLE operation_runs, notifications');
    const pools = Array.from({ length: 6 }, () => poolIn(schema, { max: 1 }));
    try {
      await Promise.all(pools.map((p) => createPostgresStore(p).createSchema()));
      await createPostgresStore(pools[0]).createSchema();
      const columns = await admin.query(
        `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = $1
         AND column_name IN ('id', 'workspace_id', 'notifiable_id', 'data', 'context', 'created_at') ORDER BY 1, 2`,
        [schema],
      );
      assert.deepEqual(columns.rows.map((r) => `${r.table_name}.${r.column_name} ${r.data_type}`), [
        'notifications.created_at timestamp with time zone',
        'notifications.data jsonb',
        'notifications.id uuid',
        'notifications.notifiable_id bigint',
        'operation_runs.context json',
        'operation_runs.created_at timestamp with time zone',
        'operation_runs.id bigint',
        'operation_runs.workspace_id bigint',
      ]);
      const indexes = await admin.query('SELECT indexname FROM pg_indexes WHERE schemaname = $1 ORDER BY 1', [schema]);
      assert.deepEqual(indexes.rows.map((r) => r.indexname), [
        'notifications_completed_run',
        'notifications_notifiable',
        'notifications_pkey',
        'operation_runs_active_dedup',
        'operation_runs_pkey',
        'operation_runs_scope',
      ]);
      assert.match(postgresSchemaSql({ ids: 'text' }), /workspace_id text NOT NULL/);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await close();
    }
  });

  it(
    'the database itself refuses a second active run for one key, and frees the key on completion',
    withStore({}, async ({ store, admin }) => {
      const engine = await createEngine({ store });
      const { run } = await engine.startRun(request());
      const insert = (status) =>
        admin.query(
          `INSERT INTO operation_runs (workspace_id, tenant_id, type, status, dedup_key, created_at, updated_at)
           VALUES (1, 10, 'x', $1, $2, now(), now())`,
          [status, run.dedup_key],
        );
      await assert.rejects(insert('queued'), { code: '23505' });
      await insert('completed'); // completed runs may share a key
      await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'cancelled' });
      assert.equal((await engine.startRun(request())).deduped, false);
    }),
  );
});

describe('postgres store: ids', () => {
  it(
    'ids: integer refuses string scope and user ids with a clear error, storing nothing; bigint comes back as a Number',
    withStore({}, async ({ store, admin }) => {
      const engine = await createEngine({ store });
      await rejectsWith(engine.startRun(request({ workspace_id: '1' })), 'E_STORE', /must be a safe integer, got the string "1".*ids: 'text'/);
      await rejectsWith(engine.startRun(request({ user_id: '7' })), 'E_STORE', /user_id must be a safe integer/);
      await rejectsWith(engine.listNotifications(SCOPE, '7'), 'E_STORE', /userId must be a safe integer/);
      assert.equal(await count(admin, 'operation_runs'), 0);
      const scope = { workspace_id: Number.MAX_SAFE_INTEGER, tenant_id: -3 };
      const { run } = await engine.startRun({ ...scope, user_id: 2 ** 40, type: TYPE });
      assert.deepEqual(await engine.getRun(scope, run.id), run);
      assert.equal(typeof (await store.getRun(scope, run.id)).workspace_id, 'number');
      await rejectsWith(engine.getRun(scope, String(run.id)), 'E_NOT_FOUND'); // run ids are integers: "1" names no run
    }),
  );

  it(
    'ids: text stores string ids as text and refuses numbers',
    withStore({ ids: 'text' }, async ({ store, admin }) => {
      const engine = await createEngine({ store });
      const scope = { workspace_id: 'acme', tenant_id: '10' };
      const { run } = await engine.startRun({ ...scope, user_id: 'u-7', type: TYPE });
      assert.equal(run.id, 1, 'run ids stay integers');
      const done = await engine.updateRun(scope, run.id, { status: 'completed', outcome: 'failed' });
      assert.deepEqual(await engine.getRun(scope, run.id), done.run);
      assert.deepEqual(await engine.listNotifications(scope, 'u-7'), done.notifications);
      assert.equal((await admin.query('SELECT pg_typeof(tenant_id)::text AS t FROM operation_runs')).rows[0].t, 'text');
      await rejectsWith(engine.startRun({ ...scope, tenant_id: 10, type: TYPE }), 'E_STORE', /tenant_id must be a string, got number 10.*ids: 'integer'/);
    }),
  );

  it('options are checked', () => {
    const pool = { query() {}, connect() {} };
    assert.throws(() => createPostgresStore(pool, { ids: 'uuid' }), /options.ids must be 'integer'.*or 'text'/);
    assert.throws(() => createPostgresStore(pool, { schema: 'x' }), /unknown option "schema"/);
    assert.throws(() => createPostgresStore({ query() {} }), /needs a pg Pool/);
  });
});

describe('postgres store: exact round trips', () => {
  // What an application may have set on its pool: int8 as BigInt, timestamps as Dates, JSON left raw, and a
  // session time zone that is not UTC. None of it may change what the engine gets back.
  const hostileTypes = {
    getTypeParser: (oid) =>
      ({ 20: BigInt, 1184: (v) => new Date(v), 114: (v) => ({ raw: v }), 3802: (v) => ({ raw: v }) })[oid] ?? String,
  };
  const poolConfig = { types: hostileTypes, options: '-c TimeZone=Asia/Kathmandu' };

  it(
    'context with any unicode, control characters (NUL too) and 15 KB of text comes back as given',
    withStore({ poolConfig }, async ({ store }) => {
      const engine = await createEngine({ store });
      const context = {
        text: 'Zürich — 東京 🚀 \u0000 \u2028 \u202e عربى "quoted" \\ back',
        big: 'x'.repeat(15_000),
        numbers: [0, -1, 1.5, 1e21, 5e-324, Number.MAX_SAFE_INTEGER],
        nested: { a: { b: { c: [null, true, false, {}] } } },
      };
      const { run } = await engine.startRun(request({ context }));
      assert.deepEqual(run.context, context);
      assert.deepEqual(await store.getRun(SCOPE, run.id), run);
    }),
  );

  it(
    'timestamps are the engine’s strings, at both ends of the calendar',
    withStore({ poolConfig }, async ({ store }) => {
      for (const [i, at] of ['0001-01-01T00:00:00.000Z', '2026-12-04T17:33:11.410Z', '9999-12-31T23:59:59.999Z'].entries()) {
        const engine = await createEngine({ store, clock: () => at });
        const { run } = await engine.startRun(request({ identity: i }));
        const done = await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'failed' });
        assert.deepEqual(await store.getRun(SCOPE, run.id), done.run);
        assert.equal(done.run.completed_at, at);
        const read = await engine.markNotificationRead(SCOPE, USER, done.notifications[0].id);
        assert.equal(read.read_at, at);
        engine.free();
      }
    }),
  );
});

describe('postgres store: notifications', () => {
  it(
    'listNotifications keeps to the user and to the scope named in data; read state, limit, and ids that are no uuid',
    withStore({}, async ({ store }) => {
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
      await rejectsWith(engine.markNotificationRead(SCOPE, USER, 'not-a-uuid'), 'E_NOT_FOUND');
      await rejectsWith(engine.markNotificationRead(SCOPE, USER, mine[0].id.toUpperCase()), 'E_NOT_FOUND');
      await engine.markNotificationRead(SCOPE, USER, mine[1].id);
      assert.deepEqual((await engine.listNotifications(SCOPE, USER, { unread: true })).map((n) => n.id), [mine[0].id]);
      assert.equal((await engine.listNotifications(SCOPE, USER, { limit: 1 })).length, 1);
    }),
  );

  it(
    'recovery: a data.run_id of another type is not the run’s notification, and the lookup uses its index',
    withStore({}, async ({ store, admin }) => {
      const engine = await createEngine({ store });
      const { run } = await engine.startRun(request());
      await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'failed' });
      await admin.query(`UPDATE notifications SET id = '33333333-3333-8333-8333-333333333333',
        data = jsonb_set(data, '{run_id}', to_jsonb(data ->> 'run_id'))`);
      assert.deepEqual((await store.findUnnotifiedRuns(null, 10)).map((r) => r.id), [run.id]);
      assert.deepEqual(await engine.reconcile(), { checked: 1, repaired: 1 });
      assert.deepEqual(await store.findUnnotifiedRuns(SCOPE, 10), []);
      const client = await admin.connect();
      try {
        await client.query('SET enable_seqscan = off'); // tiny tables: ask whether the index can serve the probe at all
        const plan = await client.query(`EXPLAIN SELECT 1 FROM notifications n WHERE n.type = 'OperationRunCompleted'
          AND n.data -> 'run_id' = to_jsonb(1::bigint) AND n.notifiable_id = 7`);
        assert.match(plan.rows.map((r) => r['QUERY PLAN']).join('\n'), /notifications_completed_run/);
      } finally {
        client.release();
      }
    }),
  );
});

describe('postgres store: separate pools (as separate processes would be)', () => {
  it(
    'twenty starts over three pools store one run; racing completions store one notification',
    withStore({}, async ({ schema, admin }) => {
      const pools = [0, 1, 2].map(() => poolIn(schema));
      try {
        const engines = await Promise.all(pools.map((p) => createEngine({ store: createPostgresStore(p) })));
        const starts = await Promise.all(Array.from({ length: 20 }, (_, i) => engines[i % 3].startRun(request())));
        assert.equal(starts.filter((s) => !s.deduped).length, 1);
        assert.equal(new Set(starts.map((s) => s.run.id)).size, 1);
        const id = starts[0].run.id;
        await engines[0].updateRun(SCOPE, id, { status: 'running' });
        const done = await Promise.all(engines.flatMap((e) => [e, e]).map((e) => e.updateRun(SCOPE, id, { status: 'completed', outcome: 'succeeded' })));
        assert.equal(done.filter((r) => r.changed).length, 1);
        assert.equal(await count(admin, 'notifications'), 1);
      } finally {
        await Promise.all(pools.map((p) => p.end()));
      }
    }),
  );
});

/** A port on loopback that nothing listens on (taken, then released). */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('postgres store: faults', () => {
  it(
    'a refused connection: E_STORE, the run as it was, and the next call succeeds once the database is back',
    withStore({}, async ({ pool, admin }) => {
      const dead = new pg.Pool({ host: '127.0.0.1', port: await closedPort(), user: 'postgres', database: 'postgres' });
      // The application's pool, whose server goes away: wholly (every call) or for new connections only
      // (commitRun's transaction asks for one, plain reads reuse idle ones).
      let outage = null;
      const flaky = {
        query: (...args) => (outage === 'all' ? dead : pool).query(...args),
        connect: () => (outage ? dead : pool).connect(),
      };
      const engine = await createEngine({ store: createPostgresStore(flaky) });
      const { run } = await engine.startRun(request());
      const running = (await engine.updateRun(SCOPE, run.id, { status: 'running' })).run;
      const before = await rowOf(admin, run.id);
      const completion = { status: 'completed', outcome: 'succeeded', summary_counts: { total: 1 } };
      outage = 'all';
      // The engine commits on the run as it last wrote it; once a commit has failed it reads first.
      await rejectsWith(engine.updateRun(SCOPE, run.id, completion), 'E_STORE', /commitRun rejected.*ECONNREFUSED/);
      await rejectsWith(engine.updateRun(SCOPE, run.id, completion), 'E_STORE', /getRun rejected.*ECONNREFUSED/);
      outage = 'connect';
      await rejectsWith(engine.updateRun(SCOPE, run.id, completion), 'E_STORE', /commitRun rejected.*ECONNREFUSED/);
      assert.deepEqual(await rowOf(admin, run.id), before);
      assert.equal(await count(admin, 'notifications'), 0);
      outage = null;
      const done = await engine.updateRun(SCOPE, run.id, completion);
      assert.equal(done.run.version, running.version + 1);
      assert.equal(await count(admin, 'notifications'), 1);
      await dead.end();
    }),
  );

  it(
    'a statement failing mid-commit: E_STORE, the UPDATE rolled back, no notification; without the fault it lands once',
    withStore({}, async ({ store, admin }) => {
      const engine = await createEngine({ store });
      const { run } = await engine.startRun(request());
      const running = (await engine.updateRun(SCOPE, run.id, { status: 'running', summary_counts: { total: 2 } })).run;
      const before = await rowOf(admin, run.id);
      await admin.query(`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'disk quota exceeded'; END $$;
        CREATE TRIGGER refuse_notifications BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION refuse();`);
      const completion = { status: 'completed', outcome: 'succeeded', summary_counts: { processed: 2 } };
      await rejectsWith(engine.updateRun(SCOPE, run.id, completion), 'E_STORE', /commitRun rejected.*disk quota exceeded/);
      assert.deepEqual(await rowOf(admin, run.id), before, 'the UPDATE that ran inside the transaction was rolled back');
      assert.equal(await count(admin, 'notifications'), 0);
      await admin.query('DROP TRIGGER refuse_notifications ON notifications');
      const done = await engine.updateRun(SCOPE, run.id, completion);
      assert.equal(done.run.version, running.version + 1);
      assert.equal(await count(admin, 'notifications'), 1);
      assert.deepEqual(await engine.listNotifications(SCOPE, USER), done.notifications);
    }),
  );

  it(
    'the backend of a commit killed mid-transaction: E_STORE, nothing applied, the pool and the engine go on',
    withStore({}, async ({ store, admin, schema }) => {
      const engine = await createEngine({ store });
      const { run } = await engine.startRun(request());
      await engine.updateRun(SCOPE, run.id, { status: 'running' });
      const before = await rowOf(admin, run.id);
      // Hold the run's row lock so the commit's UPDATE waits inside its transaction, then kill that backend.
      const locker = await admin.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('SELECT 1 FROM operation_runs WHERE id = $1 FOR UPDATE', [run.id]);
        const completion = { status: 'completed', outcome: 'partially_succeeded' };
        const pending = engine.updateRun(SCOPE, run.id, completion);
        let waiting = [];
        for (let i = 0; i < 500 && waiting.length === 0; i++) {
          await sleep(10);
          waiting = (
            await admin.query(
              `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'
               AND query LIKE 'UPDATE operation_runs SET%'`,
              [schema],
            )
          ).rows;
        }
        assert.equal(waiting.length, 1, 'the commit is waiting on the row lock inside its transaction');
        await admin.query('SELECT pg_terminate_backend($1)', [waiting[0].pid]);
        await rejectsWith(pending, 'E_STORE', /commitRun rejected.*terminat/);
      } finally {
        // Released whatever happened above, or the pool (and the test process) would wait on it forever.
        await locker.query('ROLLBACK');
        locker.release();
      }
      assert.deepEqual(await rowOf(admin, run.id), before);
      assert.equal(await count(admin, 'notifications'), 0);
      const done = await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'partially_succeeded' });
      assert.equal(done.changed, true);
      assert.equal(await count(admin, 'notifications'), 1);
    }),
  );
});
