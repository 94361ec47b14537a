// What the SQLite and PostgreSQL stores share: options, the id type guard, and row ↔ record mapping.
// Both keep records exactly as the engine gave them: ids keep their type (5 and "5" are different ids),
// timestamps stay the engine's RFC 3339 strings, JSON columns hold the same JSON values.

export const COMPLETED_TYPE = 'OperationRunCompleted';
export const NOTIFIABLE_TYPE = 'User';

/** The columns of operation_runs, in the order every query selects them. */
export const RUN_COLUMNS = [
  'id',
  'workspace_id',
  'tenant_id',
  'user_id',
  'type',
  'status',
  'outcome',
  'dedup_key',
  'summary_counts',
  'failure_summary',
  'context',
  'started_at',
  'completed_at',
  'created_at',
  'updated_at',
  'version',
];

/** The columns insertRun and commitRun write besides the id and the scope, in the order of `recordValues`. */
export const RECORD_COLUMNS = [
  'user_id', 'type', 'status', 'outcome', 'dedup_key', 'summary_counts', 'failure_summary', 'context',
  'started_at', 'completed_at', 'created_at', 'updated_at', 'version',
];

/**
 * The values of RECORD_COLUMNS for `run`, JSON columns as text and absent values as null; `bindId` and
 * `bindInt` give an id and an integer the form the driver binds (both stores write the same values).
 */
export function recordValues(run, bindId = (v) => v, bindInt = (v) => v) {
  return [
    run.user_id === null || run.user_id === undefined ? null : bindId(run.user_id),
    run.type,
    run.status,
    run.outcome ?? null,
    run.dedup_key,
    JSON.stringify(run.summary_counts),
    JSON.stringify(run.failure_summary),
    JSON.stringify(run.context),
    run.started_at ?? null,
    run.completed_at ?? null,
    run.created_at,
    run.updated_at,
    bindInt(run.version),
  ];
}

export const NOTIFICATION_COLUMNS = [
  'id',
  'type',
  'notifiable_type',
  'notifiable_id',
  'data',
  'read_at',
  'created_at',
  'updated_at',
];

const ID_MODES = ['integer', 'text'];

/** Reads `{ ids }`; unknown options are refused, so a typo is an error rather than a silent default. */
export function readOptions(options, adapter) {
  if (options === undefined || options === null) return { ids: 'integer' };
  if (typeof options !== 'object') throw new TypeError(`${adapter}: options must be an object such as { ids: 'text' }`);
  for (const key of Object.keys(options)) {
    if (key !== 'ids') throw new TypeError(`${adapter}: unknown option ${JSON.stringify(key)}; the only option is ids`);
  }
  const ids = options.ids ?? 'integer';
  if (!ID_MODES.includes(ids)) {
    throw new TypeError(`${adapter}: options.ids must be 'integer' (bigint columns, the default) or 'text', got ${JSON.stringify(ids)}`);
  }
  return { ids };
}

/**
 * The guard on workspace, tenant and user ids going into the database. The columns have one type, and a
 * database would coerce the other one ("5" into 5 under SQLite's INTEGER affinity, 5 into "5" in a text
 * column) — the run would come back with a different id than it was stored with. So the other type is
 * refused, with a message that says which option fits.
 */
export function idGuard(mode, adapter) {
  const integer = mode === 'integer';
  const check = (value, what) => {
    if (integer ? Number.isSafeInteger(value) : typeof value === 'string') return value;
    const got = typeof value === 'string' ? `the string ${JSON.stringify(value)}` : `${typeof value} ${String(value)}`;
    throw new Error(
      integer
        ? `${adapter}: ${what} must be a safe integer, got ${got}; this store was created with ids: 'integer' (bigint columns). Create it with { ids: 'text' } for string ids`
        : `${adapter}: ${what} must be a string, got ${got}; this store was created with ids: 'text' (text columns). Create it with { ids: 'integer' } for integer ids`,
    );
  };
  return {
    id: check,
    optional: (value, what) => (value === null || value === undefined ? null : check(value, what)),
    scope(scope, what = 'scope') {
      if (scope === null || typeof scope !== 'object') throw new Error(`${adapter}: ${what} must be { workspace_id, tenant_id }`);
      check(scope.workspace_id, `${what}.workspace_id`);
      check(scope.tenant_id, `${what}.tenant_id`);
      return scope;
    },
  };
}

/** A stored integer (a number, a bigint, or the decimal text PostgreSQL sends for bigint) as a safe Number. */
export function toSafeInteger(value, what) {
  let n = value;
  if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'string' && /^-?\d{1,16}$/.test(value)) n = Number(value);
  if (Number.isSafeInteger(n) && (typeof value !== 'bigint' || BigInt(n) === value)) return n;
  throw new Error(`${what} holds ${typeof value} ${String(value)}, which is not a safe integer`);
}

/** Run ids are always integers the database assigns: a string id names no run of these stores. */
export const isRunId = (id) => Number.isSafeInteger(id);

function parseJson(text, what) {
  if (typeof text !== 'string') return text; // a driver that already parsed it
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what} does not hold JSON`);
  }
}

/** A row of operation_runs (columns as in RUN_COLUMNS, JSON as text) → the run record. */
export function runFromRow(row, mode) {
  const id = mode === 'integer' ? (v, what) => toSafeInteger(v, what) : (v) => v;
  return {
    id: toSafeInteger(row.id, 'operation_runs.id'),
    workspace_id: id(row.workspace_id, 'operation_runs.workspace_id'),
    tenant_id: id(row.tenant_id, 'operation_runs.tenant_id'),
    user_id: row.user_id === null || row.user_id === undefined ? null : id(row.user_id, 'operation_runs.user_id'),
    type: row.type,
    status: row.status,
    outcome: row.outcome ?? null,
    dedup_key: row.dedup_key,
    summary_counts: parseJson(row.summary_counts, 'operation_runs.summary_counts'),
    failure_summary: parseJson(row.failure_summary, 'operation_runs.failure_summary'),
    context: parseJson(row.context, 'operation_runs.context'),
    started_at: row.started_at ?? null,
    completed_at: row.completed_at ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at,
    version: toSafeInteger(row.version, 'operation_runs.version'),
  };
}

/** A row of notifications → the notification record. */
export function notificationFromRow(row, mode) {
  return {
    id: row.id,
    type: row.type,
    notifiable_type: row.notifiable_type,
    notifiable_id: mode === 'integer' ? toSafeInteger(row.notifiable_id, 'notifications.notifiable_id') : row.notifiable_id,
    data: parseJson(row.data, 'notifications.data'),
    read_at: row.read_at ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Checks the ids of a run about to be written (the engine validated everything else). */
export function checkRun(guard, run, what) {
  guard.scope(run, what);
  guard.optional(run.user_id, `${what}.user_id`);
  return run;
}

/** Checks a list of notifications about to be written. */
export function checkNotifications(guard, notifications, what) {
  if (!Array.isArray(notifications)) throw new Error(`${what} must be an array of notifications`);
  for (const n of notifications) {
    if (n === null || typeof n !== 'object' || typeof n.id !== 'string') throw new Error(`${what} must hold notifications with a string id`);
    guard.id(n.notifiable_id, `${what}[].notifiable_id`);
  }
  return notifications;
}

/** A positive limit: the engine passes 1–1000; anything else is a caller's bug, not a reason to read everything. */
export function checkLimit(limit, adapter) {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`${adapter}: limit must be a non-negative integer, got ${String(limit)}`);
  return limit;
}
