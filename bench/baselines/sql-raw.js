// The raw-driver baselines for rows 5 and 6: the lifecycle's SQL written by hand against better-sqlite3
// and pg, statement for statement what the engine's stores execute (bench/rows/sql-check.mjs compares the
// two statement logs before timing). Per lifecycle:
//   insert the run (INSERT … ON CONFLICT DO NOTHING on the partial unique index, RETURNING the row);
//   UPDATE it to running with the version check, in a transaction;
//   UPDATE it to completed + INSERT the notification, in one transaction.
// Like the engine, the client keeps the row it last wrote and builds each update on it, without reading.
// The raw client writes its payload as it is (no sanitizing, no state machine): what the engine adds on top
// of the driver is exactly what the rows measure.
import { randomUUID } from 'node:crypto';

const RUN_COLUMNS = [
  'id', 'workspace_id', 'tenant_id', 'user_id', 'type', 'status', 'outcome', 'dedup_key',
  'summary_counts', 'failure_summary', 'context', 'started_at', 'completed_at', 'created_at', 'updated_at', 'version',
];
const INSERT_COLUMNS = `(${RUN_COLUMNS.slice(1, 8).join(', ')}, summary_counts, failure_summary, context, started_at,
  completed_at, created_at, updated_at, version)`;
const NOTE_COLUMNS = '(id, type, notifiable_type, notifiable_id, data, read_at, created_at, updated_at)';
const ACTIVE = "ON CONFLICT (workspace_id, tenant_id, dedup_key) WHERE status IN ('queued', 'running') DO NOTHING";
const SET_ALL = `user_id = ?, type = ?, status = ?, outcome = ?, dedup_key = ?, summary_counts = ?, failure_summary = ?,
  context = ?, started_at = ?, completed_at = ?, created_at = ?, updated_at = ?, version = ?`;

const dedupKeyOf = (start) => (start.identity ? `${start.type}#${JSON.stringify(start.identity)}` : start.type);

/** The values of the INSERT of a new queued run. */
const insertValues = (start, now) => [
  start.workspace_id, start.tenant_id, start.user_id, start.type, 'queued', null, dedupKeyOf(start),
  '{}', '[]', JSON.stringify(start.context ?? {}), null, null, now, now, 1,
];

/** The values of the compare-and-set UPDATE of row `r` (as read back) to its next state. */
const updateValues = (r, next, now) => [
  r.user_id, r.type, next.status, next.outcome, r.dedup_key, next.counts, next.failures, r.context,
  next.startedAt, next.completedAt, r.created_at, now, Number(r.version) + 1, r.id, r.workspace_id, r.tenant_id, r.version,
];

/** The row as the client knows it after the UPDATE of `values` (from `updateValues`) succeeded. */
const updated = (r, next, now) => ({
  ...r, status: next.status, outcome: next.outcome, summary_counts: next.counts, failure_summary: next.failures,
  started_at: next.startedAt, completed_at: next.completedAt, updated_at: now, version: Number(r.version) + 1,
});

const toRunning = (r, now) => ({
  status: 'running', outcome: null, counts: r.summary_counts, failures: r.failure_summary, startedAt: now, completedAt: null,
});
const toCompleted = (r, completion, now) => ({
  status: 'completed',
  outcome: completion.outcome,
  counts: JSON.stringify(completion.summary_counts),
  failures: JSON.stringify(completion.failure_summary),
  startedAt: r.started_at,
  completedAt: now,
});

/** The notification row a completion stores (the raw client builds it by hand). */
const notificationValues = (r, completion, now) => [
  randomUUID(), 'OperationRunCompleted', 'User', r.user_id,
  JSON.stringify({
    run_id: r.id,
    workspace_id: r.workspace_id,
    tenant_id: r.tenant_id,
    operation_type: r.type,
    outcome: completion.outcome,
    title: 'Inventory sync completed with warnings',
    body: 'Inventory sync finished, but some items did not succeed.',
    summary_counts: completion.summary_counts,
  }),
  null, now, now,
];

const lost = (driver) => new Error(`raw ${driver}: lost a version race`);

// ---- better-sqlite3 --------------------------------------------------------------------------------

/** One lifecycle of `start` (a request) ending with `completion` (the typical payload), synchronously. */
export function sqliteRaw(db) {
  const runs = RUN_COLUMNS.join(', ');
  const insert = db.prepare(`INSERT INTO operation_runs ${INSERT_COLUMNS}
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ${ACTIVE} RETURNING ${runs}`);
  const update = db.prepare(`UPDATE operation_runs SET ${SET_ALL}
    WHERE id = ? AND workspace_id = ? AND tenant_id = ? AND version = ?`);
  const insertNote = db.prepare(`INSERT INTO notifications ${NOTE_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`);
  const insertTx = db.transaction((values) => insert.get(values));
  const updateTx = db.transaction((values, note) => {
    if (update.run(values).changes === 0) return false;
    if (note) insertNote.run(note);
    return true;
  });

  return function lifecycle(start, completion) {
    let now = new Date().toISOString();
    let r = insertTx.immediate(insertValues(start, now));
    if (!r) throw new Error('raw sqlite: the run was a duplicate');
    now = new Date().toISOString();
    const running = toRunning(r, now);
    if (!updateTx.immediate(updateValues(r, running, now), null)) throw lost('sqlite');
    r = updated(r, running, now);
    now = new Date().toISOString();
    const done = updateValues(r, toCompleted(r, completion, now), now);
    if (!updateTx.immediate(done, notificationValues(r, completion, now))) throw lost('sqlite');
  };
}

// ---- pg -------------------------------------------------------------------------------------------

// The store reads timestamps, ids and JSON back as text; so does the raw client, to send the same SQL.
const TIMESTAMPS = new Set(['started_at', 'completed_at', 'created_at', 'updated_at']);
const AS_TEXT = new Set(['id', 'version', 'summary_counts', 'failure_summary', 'context']);
const pgColumn = (c) => {
  if (TIMESTAMPS.has(c)) return `to_char(r.${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${c}`;
  return AS_TEXT.has(c) ? `r.${c}::text AS ${c}` : `r.${c}`;
};

/** One lifecycle of `start` ending with `completion`, through a pg Pool. */
export function pgRaw(pool) {
  const runs = RUN_COLUMNS.map(pgColumn).join(', ');
  const insertSql = `INSERT INTO operation_runs AS r ${INSERT_COLUMNS}
    VALUES ($1::bigint, $2::bigint, $3::bigint, $4, $5, $6, $7, $8::json, $9::json, $10::json,
      $11::timestamptz, $12::timestamptz, $13::timestamptz, $14::timestamptz, $15::bigint)
    ${ACTIVE} RETURNING ${runs}`;
  const updateSql = `UPDATE operation_runs SET
    user_id = $1::bigint, type = $2, status = $3, outcome = $4, dedup_key = $5, summary_counts = $6::json,
    failure_summary = $7::json, context = $8::json, started_at = $9::timestamptz, completed_at = $10::timestamptz,
    created_at = $11::timestamptz, updated_at = $12::timestamptz, version = $13::bigint
    WHERE id = $14::bigint AND workspace_id = $15::bigint AND tenant_id = $16::bigint AND version = $17::bigint`;
  const noteSql = `INSERT INTO notifications ${NOTE_COLUMNS}
    VALUES ($1::uuid, $2, $3, $4::bigint, $5::jsonb, $6::timestamptz, $7::timestamptz, $8::timestamptz)
    ON CONFLICT (id) DO NOTHING`;

  async function inTransaction(fn) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const ok = await fn(client);
      await client.query(ok ? 'COMMIT' : 'ROLLBACK');
      return ok;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  return async function lifecycle(start, completion) {
    let now = new Date().toISOString();
    const inserted = await pool.query(insertSql, insertValues(start, now));
    if (inserted.rows.length === 0) throw new Error('raw pg: the run was a duplicate');
    let r = inserted.rows[0];
    now = new Date().toISOString();
    const running = toRunning(r, now);
    const toRun = updateValues(r, running, now);
    if (!(await inTransaction(async (c) => (await c.query(updateSql, toRun)).rowCount === 1))) throw lost('pg');
    r = updated(r, running, now);
    now = new Date().toISOString();
    const done = updateValues(r, toCompleted(r, completion, now), now);
    const note = notificationValues(r, completion, now);
    const ok = await inTransaction(async (c) => {
      if ((await c.query(updateSql, done)).rowCount === 0) return false;
      await c.query(noteSql, note);
      return true;
    });
    if (!ok) throw lost('pg');
  };
}
