// The host store over SQLite, for Node: pass a better-sqlite3 (v12) Database you opened. It never imports
// the driver, so a bundle that does not use this entry never pulls it in.
//
// The invariants live in the database, so they hold for every process on the same file:
//   * one active run per (workspace_id, tenant_id, dedup_key): a partial unique index over queued/running;
//   * every write is one BEGIN IMMEDIATE transaction, which takes the write lock first — writers on one
//     file queue on busy_timeout instead of failing the deferred read→write upgrade with SQLITE_BUSY;
//   * commitRun is a compare-and-set UPDATE … WHERE version = ? plus the notification inserts
//     (ON CONFLICT (id) DO NOTHING) in that one transaction: all of it lands or none of it does.
// Methods return plain values (better-sqlite3 is synchronous), so the engine finishes calls without waiting.

import {
  COMPLETED_TYPE,
  NOTIFIABLE_TYPE,
  RUN_COLUMNS,
  NOTIFICATION_COLUMNS,
  RECORD_COLUMNS,
  recordValues,
  readOptions,
  idGuard,
  isRunId,
  runFromRow,
  notificationFromRow,
  checkRun,
  checkNotifications,
  checkLimit,
} from './sql-shared.js';

const ADAPTER = 'ops-ux-engine/sqlite';
const RUNS = RUN_COLUMNS.join(', ');
const NOTES = NOTIFICATION_COLUMNS.join(', ');
// Newest first by creation time; notifications created in the same millisecond by their run id (the later run first).
const NEWEST_NOTES = "created_at DESC, json_extract(data, '$.run_id') DESC, id DESC";

/** The schema, idempotent. `ids` picks the type of workspace_id, tenant_id, user_id and notifiable_id. */
export function sqliteSchemaSql(options) {
  const { ids } = readOptions(options, ADAPTER);
  const idType = ids === 'integer' ? 'INTEGER' : 'TEXT';
  return `CREATE TABLE IF NOT EXISTS operation_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id ${idType} NOT NULL,
  tenant_id ${idType} NOT NULL,
  user_id ${idType},
  type TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed')),
  outcome TEXT CHECK (outcome IN ('succeeded', 'partially_succeeded', 'failed', 'cancelled')),
  summary_counts TEXT NOT NULL DEFAULT '{}',
  failure_summary TEXT NOT NULL DEFAULT '[]',
  context TEXT NOT NULL DEFAULT '{}',
  started_at TEXT,
  completed_at TEXT,
  dedup_key TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS operation_runs_active_dedup
  ON operation_runs (workspace_id, tenant_id, dedup_key) WHERE status IN ('queued', 'running');
CREATE INDEX IF NOT EXISTS operation_runs_scope ON operation_runs (workspace_id, tenant_id, id);
CREATE TABLE IF NOT EXISTS notifications (
  id TEXT PRIMARY KEY NOT NULL,
  type TEXT NOT NULL,
  notifiable_type TEXT NOT NULL,
  notifiable_id ${idType} NOT NULL,
  data TEXT NOT NULL,
  read_at TEXT,
  created_at TEXT,
  updated_at TEXT
);
CREATE INDEX IF NOT EXISTS notifications_notifiable ON notifications (notifiable_type, notifiable_id);
CREATE INDEX IF NOT EXISTS notifications_completed_run
  ON notifications (json_extract(data, '$.run_id'), notifiable_id) WHERE type = '${COMPLETED_TYPE}';
`;
}

/**
 * The store over `db` (a better-sqlite3 Database). Call `createSchema()` once before use (it is
 * idempotent), or create the tables with your migrations from `sqliteSchemaSql()`.
 */
export function createSqliteStore(db, options) {
  const { ids } = readOptions(options, ADAPTER);
  if (db === null || typeof db !== 'object' || typeof db.prepare !== 'function' || typeof db.transaction !== 'function') {
    throw new TypeError(`${ADAPTER}: createSqliteStore(db) needs a better-sqlite3 Database (new Database(file))`);
  }
  const guard = idGuard(ids, ADAPTER);
  // Integers are bound as BigInt so SQLite gets INTEGER, not REAL; read back as BigInt and checked safe.
  const bindId = ids === 'integer' ? (v) => BigInt(v) : (v) => v;
  const bindInt = (n) => BigInt(n);

  // Prepared on first use: the tables may not exist before createSchema(). SQLite re-prepares them itself
  // after a schema change.
  const cache = new Map();
  const statement = (sql) => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql).safeIntegers(true);
      cache.set(sql, s);
    }
    return s;
  };
  const immediate = (fn) => {
    const tx = db.transaction(fn);
    return (...args) => tx.immediate(...args);
  };
  const toRun = (row) => (row ? runFromRow(row, ids) : null);
  const toNote = (row) => (row ? notificationFromRow(row, ids) : null);

  const selectActive = `SELECT ${RUNS} FROM operation_runs
    WHERE workspace_id = ? AND tenant_id = ? AND dedup_key = ? AND status IN ('queued', 'running')`;
  const insertRunSql = `INSERT INTO operation_runs (workspace_id, tenant_id, ${RECORD_COLUMNS.join(', ')})
    VALUES (?, ?, ${RECORD_COLUMNS.map(() => '?').join(', ')})
    ON CONFLICT (workspace_id, tenant_id, dedup_key) WHERE status IN ('queued', 'running') DO NOTHING
    RETURNING ${RUNS}`;
  const updateRunSql = `UPDATE operation_runs SET ${RECORD_COLUMNS.map((c) => `${c} = ?`).join(', ')}
    WHERE id = ? AND workspace_id = ? AND tenant_id = ? AND version = ?`;
  const insertNoteSql = `INSERT INTO notifications
    (id, type, notifiable_type, notifiable_id, data, read_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`;
  // A notification of this user, in this scope (read from its data), of the one stored type.
  const noteOf = `type = '${COMPLETED_TYPE}' AND notifiable_type = '${NOTIFIABLE_TYPE}' AND notifiable_id = ?
    AND json_extract(data, '$.workspace_id') = ? AND json_extract(data, '$.tenant_id') = ?`;

  const insertNotes = (notifications) => {
    let inserted = 0;
    for (const n of notifications) {
      inserted += statement(insertNoteSql).run(
        n.id,
        n.type,
        n.notifiable_type,
        bindId(n.notifiable_id),
        JSON.stringify(n.data),
        n.read_at ?? null,
        n.created_at,
        n.updated_at,
      ).changes;
    }
    return inserted;
  };

  const insertRunTx = immediate((draft) => {
    const inserted = statement(insertRunSql).get(
      bindId(draft.workspace_id),
      bindId(draft.tenant_id),
      ...recordValues(draft, bindId, bindInt),
    );
    if (inserted) return { inserted: true, run: toRun(inserted) };
    // The write lock is held: the active run that collided cannot complete before this read.
    const active = statement(selectActive).get(bindId(draft.workspace_id), bindId(draft.tenant_id), draft.dedup_key);
    if (!active) throw new Error(`${ADAPTER}: insertRun collided with an active run it then could not read`);
    return { inserted: false, run: toRun(active) };
  });

  const commitTx = immediate(({ run, expected_version, notifications }) => {
    const updated = statement(updateRunSql).run(
      ...recordValues(run, bindId, bindInt),
      bindInt(run.id),
      bindId(run.workspace_id),
      bindId(run.tenant_id),
      bindInt(expected_version),
    );
    if (updated.changes === 0) return false;
    insertNotes(notifications);
    return true;
  });

  const insertNotesTx = immediate(insertNotes);

  const markReadTx = immediate((scope, userId, id, readAt) => {
    const args = [bindId(userId), bindId(scope.workspace_id), bindId(scope.tenant_id)];
    statement(
      `UPDATE notifications SET read_at = ?, updated_at = CASE WHEN updated_at > ? THEN updated_at ELSE ? END
       WHERE id = ? AND read_at IS NULL AND ${noteOf}`,
    ).run(readAt, readAt, readAt, id, ...args);
    return toNote(statement(`SELECT ${NOTES} FROM notifications WHERE id = ? AND ${noteOf}`).get(id, ...args));
  });

  return {
    /** Creates the tables and indexes if they are missing; safe to call on every start, from every process. */
    createSchema() {
      immediate(() => db.exec(sqliteSchemaSql({ ids })))();
    },

    insertRun(draft) {
      checkRun(guard, draft, 'insertRun draft');
      return insertRunTx(draft);
    },

    getRun(scope, id) {
      guard.scope(scope);
      if (!isRunId(id)) return null;
      const row = statement(`SELECT ${RUNS} FROM operation_runs WHERE id = ? AND workspace_id = ? AND tenant_id = ?`).get(
        bindInt(id),
        bindId(scope.workspace_id),
        bindId(scope.tenant_id),
      );
      return toRun(row);
    },

    commitRun(commit) {
      checkRun(guard, commit.run, 'commitRun run');
      checkNotifications(guard, commit.notifications, 'commitRun notifications');
      if (!isRunId(commit.run.id) || !Number.isSafeInteger(commit.expected_version)) return false;
      return commitTx(commit);
    },

    listRuns(scope, { status = [], type = null, limit }) {
      guard.scope(scope);
      checkLimit(limit, ADAPTER);
      const where = ['workspace_id = ?', 'tenant_id = ?'];
      const args = [bindId(scope.workspace_id), bindId(scope.tenant_id)];
      if (status.length > 0) {
        where.push(`status IN (${status.map(() => '?').join(', ')})`);
        args.push(...status);
      }
      if (type !== null && type !== undefined) {
        where.push('type = ?');
        args.push(type);
      }
      const sql = `SELECT ${RUNS} FROM operation_runs WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`;
      return statement(sql).all(...args, bindInt(limit)).map(toRun);
    },

    listNotifications(scope, userId, { unread = false, limit }) {
      guard.scope(scope);
      guard.id(userId, 'userId');
      checkLimit(limit, ADAPTER);
      const sql = `SELECT ${NOTES} FROM notifications WHERE ${noteOf}${unread ? ' AND read_at IS NULL' : ''}
        ORDER BY ${NEWEST_NOTES} LIMIT ?`;
      return statement(sql)
        .all(bindId(userId), bindId(scope.workspace_id), bindId(scope.tenant_id), bindInt(limit))
        .map(toNote);
    },

    markNotificationRead(scope, userId, id, readAt) {
      guard.scope(scope);
      guard.id(userId, 'userId');
      if (typeof id !== 'string') return null;
      return markReadTx(scope, userId, id, readAt);
    },

    findUnnotifiedRuns(scope, limit) {
      if (scope !== null && scope !== undefined) guard.scope(scope);
      checkLimit(limit, ADAPTER);
      const scoped = scope !== null && scope !== undefined;
      // `+r.id` has no column affinity, so the comparison is type-exact: a data.run_id of "5" is not run 5.
      const sql = `SELECT ${RUN_COLUMNS.map((c) => `r.${c}`).join(', ')} FROM operation_runs r
        WHERE r.status = 'completed' AND r.user_id IS NOT NULL${scoped ? ' AND r.workspace_id = ? AND r.tenant_id = ?' : ''}
          AND NOT EXISTS (SELECT 1 FROM notifications n
            WHERE n.type = '${COMPLETED_TYPE}' AND json_extract(n.data, '$.run_id') = +r.id AND n.notifiable_id = r.user_id)
        ORDER BY r.id LIMIT ?`;
      const args = scoped ? [bindId(scope.workspace_id), bindId(scope.tenant_id), bindInt(limit)] : [bindInt(limit)];
      return statement(sql).all(...args).map(toRun);
    },

    insertNotifications(notifications) {
      checkNotifications(guard, notifications, 'insertNotifications');
      return insertNotesTx(notifications);
    },
  };
}
