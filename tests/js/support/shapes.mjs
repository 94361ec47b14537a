// The shapes index.d.ts promises, as assertions: a result that passes is one a typed caller can trust.
// Property tests check every successful call with these, whatever input produced it.
import assert from 'node:assert/strict';
import { OpsUxError, ERROR_CODES } from 'ops-ux-engine';
import { UUID, RFC3339_UTC_MS, OUTCOMES } from './helpers.mjs';

export const STATUSES = Object.freeze(['queued', 'running', 'completed']);
export const DEFAULT_SUMMARY_KEYS = Object.freeze([
  'total', 'processed', 'succeeded', 'failed', 'skipped', 'created', 'updated', 'deleted', 'warnings', 'retried',
]);
export const RUN_KEYS = [
  'id', 'workspace_id', 'tenant_id', 'user_id', 'type', 'status', 'outcome', 'dedup_key', 'summary_counts',
  'failure_summary', 'context', 'started_at', 'completed_at', 'created_at', 'updated_at', 'version',
].sort();
export const NOTIFICATION_KEYS = ['id', 'type', 'notifiable_type', 'notifiable_id', 'data', 'read_at', 'created_at', 'updated_at'].sort();
export const DATA_KEYS = ['run_id', 'workspace_id', 'tenant_id', 'operation_type', 'outcome', 'title', 'body', 'summary_counts'].sort();

/** JSON text of `value`, or a description when JSON cannot write it (for messages and type-exact comparison). */
export function jsonOf(value) {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return typeof value === 'bigint' ? `${value}n` : `<${typeof value} JSON cannot write>`;
  }
}

/** `value` as JSON reads it (what the engine receives), or undefined when JSON cannot read it. */
export function readAsJson(value) {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What a thrown value is, for a failure message; never throws. */
export function describeThrown(e) {
  try {
    if (e instanceof Error) return `${e.constructor?.name ?? 'Error'}(code ${String(e.code)}): ${e.message}`;
    return `a non-Error ${typeof e}: ${typeof e === 'symbol' ? e.toString() : jsonOf(e)}`;
  } catch {
    return 'an undescribable value';
  }
}

const isPlainObject = (v) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

export function checkId(id, what) {
  const ok =
    Number.isSafeInteger(id) ||
    (typeof id === 'string' && id.length > 0 && Buffer.byteLength(id) <= 128 && id.isWellFormed() && !/\p{Cc}/u.test(id));
  assert.ok(ok, `${what} is not an Id: ${jsonOf(id)}`);
}

function checkTime(value, what, nullable = false) {
  if (nullable && value === null) return;
  assert.ok(typeof value === 'string' && RFC3339_UTC_MS.test(value), `${what} is not an RFC 3339 UTC timestamp: ${jsonOf(value)}`);
}

/** A type name as config.rs accepts it. */
function checkTypeName(type, what) {
  assert.ok(
    typeof type === 'string' && /^[a-z][a-z0-9._-]{0,63}$/.test(type) && !/[._-]$/.test(type) && !type.includes('..'),
    `${what} is not a machine name: ${jsonOf(type)}`,
  );
}

/** Counters: whitelisted keys, non-negative safe integers. */
export function checkCounts(counts, what, summaryKeys = DEFAULT_SUMMARY_KEYS) {
  assert.ok(isPlainObject(counts), `${what} is not a plain object: ${jsonOf(counts)}`);
  for (const [key, value] of Object.entries(counts)) {
    // summaryKeys null: any key (a run stored under another configuration may hold others).
    assert.ok(summaryKeys === null || summaryKeys.includes(key), `${what} holds a key outside the whitelist: ${jsonOf(key)}`);
    assert.ok(Number.isSafeInteger(value) && value >= 0 && !Object.is(value, -0), `${what}.${key} is not a non-negative safe integer: ${jsonOf(value)}`);
  }
}

/** A sanitized failure list: bounded, one well-formed line per message, within the message limit. */
export function checkFailures(list, what, { maxFailures = 10, maxMessageLength = 240 } = {}) {
  assert.ok(Array.isArray(list), `${what} is not an array`);
  assert.ok(list.length <= maxFailures, `${what} holds ${list.length} entries; the cap is ${maxFailures}`);
  for (const [i, entry] of list.entries()) {
    assert.ok(isPlainObject(entry), `${what}[${i}] is not a plain object`);
    const keys = Object.keys(entry).sort();
    assert.ok(
      jsonOf(keys) === jsonOf(['code', 'message']) || jsonOf(keys) === jsonOf(['code', 'message', 'reason_code']),
      `${what}[${i}] has keys ${jsonOf(keys)}`,
    );
    for (const key of keys) {
      const text = entry[key];
      assert.equal(typeof text, 'string', `${what}[${i}].${key} is not a string`);
      assert.ok(text.isWellFormed(), `${what}[${i}].${key} holds a lone surrogate`);
      assert.ok(!/[\n\r\u2028\u2029]/.test(text), `${what}[${i}].${key} is not one line: ${jsonOf(text)}`);
    }
    assert.ok([...entry.message].length <= maxMessageLength, `${what}[${i}].message is longer than ${maxMessageLength}`);
  }
}

function sameId(a, b) {
  return jsonOf(a) === jsonOf(b);
}

/** The scope `value` names as the engine reads it (its JSON form), or null when JSON cannot read one. */
export function scopeOf(value) {
  const json = readAsJson(value);
  return json && typeof json === 'object' && 'workspace_id' in json && 'tenant_id' in json
    ? { workspace_id: json.workspace_id, tenant_id: json.tenant_id }
    : null;
}

/**
 * What holds of a run whatever the engine's configuration: a run a store answers may have been written
 * under another whitelist or other limits, so only these are checked of it.
 */
export const ANY_CONFIGURATION = Object.freeze({ summaryKeys: null, limits: { maxFailures: Infinity, maxMessageLength: Infinity } });

/** A run as OperationRun promises it; with `scope`, it must live there. `summaryKeys` and `limits` are the engine's. */
export function checkRun(run, { scope = null, what = 'run', summaryKeys, limits } = {}) {
  assert.ok(isPlainObject(run), `${what} is not a plain object: ${jsonOf(run)}`);
  assert.deepEqual(Object.keys(run).sort(), RUN_KEYS, `${what} has the fields of OperationRun`);
  for (const key of ['id', 'workspace_id', 'tenant_id']) checkId(run[key], `${what}.${key}`);
  if (run.user_id !== null) checkId(run.user_id, `${what}.user_id`);
  checkTypeName(run.type, `${what}.type`);
  assert.ok(STATUSES.includes(run.status), `${what}.status is ${jsonOf(run.status)}`);
  if (run.status === 'completed') assert.ok(OUTCOMES.includes(run.outcome), `${what}.outcome of a completed run is ${jsonOf(run.outcome)}`);
  else assert.equal(run.outcome, null, `${what}.outcome is set on a ${run.status} run`);
  assert.ok(
    typeof run.dedup_key === 'string' && (run.dedup_key === run.type || run.dedup_key.startsWith(`${run.type}#`)),
    `${what}.dedup_key ${jsonOf(run.dedup_key)} is not its type plus an identity`,
  );
  checkCounts(run.summary_counts, `${what}.summary_counts`, summaryKeys);
  checkFailures(run.failure_summary, `${what}.failure_summary`, limits);
  assert.ok(isPlainObject(run.context), `${what}.context is not a plain object`);
  checkTime(run.created_at, `${what}.created_at`);
  checkTime(run.updated_at, `${what}.updated_at`);
  checkTime(run.started_at, `${what}.started_at`, true);
  checkTime(run.completed_at, `${what}.completed_at`, true);
  assert.ok(run.created_at <= run.updated_at, `${what}: updated_at is before created_at`);
  if (run.status === 'queued') assert.equal(run.started_at, null, `${what}: a queued run has no started_at`);
  assert.equal(run.completed_at !== null, run.status === 'completed', `${what}: completed_at is set exactly when completed`);
  assert.ok(Number.isSafeInteger(run.version) && run.version >= 1, `${what}.version is ${jsonOf(run.version)}`);
  if (scope) {
    assert.ok(
      sameId(run.workspace_id, scope.workspace_id) && sameId(run.tenant_id, scope.tenant_id),
      `${what} of scope ${jsonOf([run.workspace_id, run.tenant_id])} answered a call in scope ${jsonOf(scope)}`,
    );
  }
}

/** The one stored notification; with `scope` and `userId`, it must be theirs. */
export function checkNotification(n, { scope = null, userId, what = 'notification' } = {}) {
  assert.ok(isPlainObject(n), `${what} is not a plain object`);
  assert.deepEqual(Object.keys(n).sort(), NOTIFICATION_KEYS, `${what} has the fields of the notifications table`);
  assert.match(n.id, UUID, `${what}.id is a UUID`);
  assert.equal(n.type, 'OperationRunCompleted');
  assert.equal(n.notifiable_type, 'User');
  checkId(n.notifiable_id, `${what}.notifiable_id`);
  assert.ok(isPlainObject(n.data), `${what}.data is not a plain object`);
  assert.deepEqual(Object.keys(n.data).sort(), DATA_KEYS, `${what}.data has its fields`);
  for (const key of ['run_id', 'workspace_id', 'tenant_id']) checkId(n.data[key], `${what}.data.${key}`);
  checkTypeName(n.data.operation_type, `${what}.data.operation_type`);
  assert.ok(OUTCOMES.includes(n.data.outcome), `${what}.data.outcome is ${jsonOf(n.data.outcome)}`);
  assert.ok(typeof n.data.title === 'string' && n.data.title.length > 0, `${what}.data.title`);
  assert.ok(typeof n.data.body === 'string' && n.data.body.length > 0, `${what}.data.body`);
  assert.ok(isPlainObject(n.data.summary_counts), `${what}.data.summary_counts`);
  checkTime(n.read_at, `${what}.read_at`, true);
  checkTime(n.created_at, `${what}.created_at`);
  checkTime(n.updated_at, `${what}.updated_at`);
  if (scope) {
    assert.ok(
      sameId(n.data.workspace_id, scope.workspace_id) && sameId(n.data.tenant_id, scope.tenant_id),
      `${what} of scope ${jsonOf([n.data.workspace_id, n.data.tenant_id])} answered a call in scope ${jsonOf(scope)}`,
    );
  }
  if (userId !== undefined) assert.ok(sameId(n.notifiable_id, userId), `${what} of user ${jsonOf(n.notifiable_id)} answered user ${jsonOf(userId)}`);
}

function checkToastAndEvents({ toast, events }, runId, deduped, what) {
  assert.ok(isPlainObject(toast), `${what}.toast`);
  assert.deepEqual(Object.keys(toast).sort(), ['body', 'kind', 'run_id', 'title']);
  assert.equal(toast.kind, deduped ? 'already_queued' : 'queued', `${what}.toast.kind matches deduped`);
  assert.ok(typeof toast.title === 'string' && toast.title.length > 0 && typeof toast.body === 'string' && toast.body.length > 0);
  assert.ok(sameId(toast.run_id, runId), `${what}.toast.run_id`);
  assert.ok(Array.isArray(events) && events.length === 1, `${what}.events holds exactly one event`);
  const [event] = events;
  assert.equal(event.name, 'run-enqueued');
  assert.deepEqual(Object.keys(event.detail).sort(), ['deduped', 'run_id', 'status', 'tenant_id', 'type', 'workspace_id']);
  assert.equal(event.detail.deduped, deduped);
  assert.ok(sameId(event.detail.run_id, runId), `${what}.events[0].detail.run_id`);
  assert.ok(STATUSES.includes(event.detail.status));
}

/** StartRunResult; `scope` is where the request asked for the run; `config` as for checkRun. */
export function checkStartResult(result, { scope = null, what = 'startRun result', ...config } = {}) {
  assert.ok(isPlainObject(result), `${what} is not a plain object`);
  assert.deepEqual(Object.keys(result).sort(), ['deduped', 'events', 'run', 'toast']);
  assert.equal(typeof result.deduped, 'boolean');
  checkRun(result.run, { scope, what: `${what}.run`, ...config });
  if (result.deduped) assert.notEqual(result.run.status, 'completed', 'a duplicate is an active run');
  else assert.equal(result.run.status, 'queued', 'a new run is queued');
  checkToastAndEvents(result, result.run.id, result.deduped, what);
  const { detail } = result.events[0];
  assert.ok(sameId(detail.workspace_id, result.run.workspace_id) && sameId(detail.tenant_id, result.run.tenant_id));
  assert.equal(detail.type, result.run.type);
  assert.equal(detail.status, result.run.status);
}

/** UpdateRunResult: the run, at most one notification (the completion, for its initiator), `changed`. */
export function checkUpdateResult(result, { scope = null, what = 'updateRun result', ...config } = {}) {
  assert.ok(isPlainObject(result), `${what} is not a plain object`);
  assert.deepEqual(Object.keys(result).sort(), ['changed', 'notifications', 'run']);
  assert.equal(typeof result.changed, 'boolean');
  checkRun(result.run, { scope, what: `${what}.run`, ...config });
  assert.ok(Array.isArray(result.notifications) && result.notifications.length <= 1, `${what}.notifications holds at most one`);
  for (const n of result.notifications) {
    assert.equal(result.changed, true, 'a notification comes only with a change');
    assert.equal(result.run.status, 'completed', 'a notification comes only with a completion');
    checkNotification(n, { scope: result.run, userId: result.run.user_id, what: `${what}.notifications[0]` });
    assert.ok(sameId(n.data.run_id, result.run.id), 'the notification names the run');
    assert.equal(n.data.outcome, result.run.outcome);
  }
}

/** The verdict of checkUpdate: a consistent `ok: true` or an OpsUxError of a rule. */
export function checkVerdict(verdict) {
  assert.ok(isPlainObject(verdict), 'the verdict is a plain object');
  if (verdict.ok === false) {
    assert.deepEqual(Object.keys(verdict).sort(), ['error', 'ok']);
    checkRefusal(verdict.error, ['E_INVALID_INPUT', 'E_INVALID_TRANSITION', 'E_OUTCOME_REQUIRED']);
    return;
  }
  assert.equal(verdict.ok, true);
  assert.deepEqual(Object.keys(verdict).sort(), ['completes', 'notifies', 'ok', 'outcome', 'repeats', 'status']);
  assert.ok(STATUSES.includes(verdict.status));
  if (verdict.status === 'completed') assert.ok(OUTCOMES.includes(verdict.outcome));
  else assert.equal(verdict.outcome, null);
  for (const key of ['completes', 'repeats', 'notifies']) assert.equal(typeof verdict[key], 'boolean');
  if (verdict.completes || verdict.repeats) assert.equal(verdict.status, 'completed');
  assert.ok(!(verdict.completes && verdict.repeats), 'a completion is new or repeated, not both');
  if (verdict.notifies) assert.ok(verdict.completes, 'only a new completion notifies');
}

/** StartPlan: the duplicate is one of `activeRuns` (the same object) or null. */
export function checkPlan(plan, activeRuns) {
  assert.ok(isPlainObject(plan), 'the plan is a plain object');
  assert.deepEqual(Object.keys(plan).sort(), ['dedup_key', 'deduped', 'events', 'run', 'toast']);
  assert.equal(plan.deduped, plan.run !== null);
  if (plan.run !== null) assert.ok(activeRuns.includes(plan.run), 'the duplicate is one of activeRuns itself');
  assert.equal(typeof plan.dedup_key, 'string');
  checkToastAndEvents(plan, plan.run === null ? null : plan.toast.run_id, plan.deduped, 'planStart');
}

/** A refusal: a real Error, an OpsUxError, one of `allowed` (documented codes), with a message; never a trap. */
export function checkRefusal(error, allowed = ERROR_CODES) {
  assert.ok(!(error instanceof WebAssembly.RuntimeError), `a WebAssembly trap: ${describeThrown(error)}`);
  assert.ok(error instanceof Error, `the refusal is not an Error: ${describeThrown(error)}`);
  assert.ok(error instanceof OpsUxError, `the refusal is not an OpsUxError: ${describeThrown(error)}`);
  assert.equal(error.name, 'OpsUxError');
  assert.ok(ERROR_CODES.includes(error.code), `undocumented code: ${describeThrown(error)}`);
  assert.ok(allowed.includes(error.code), `${error.code} is not a refusal this call can give (${allowed.join(', ')}): ${error.message}`);
  assert.ok(typeof error.message === 'string' && error.message.length > 0, 'the message says what happened');
}
