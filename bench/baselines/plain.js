// The plain-JavaScript baseline: the rules ops-ux-engine enforces, written by hand, for the benchmark only
// (never shipped). Same inputs, same outputs (bench/run.mjs checks them against the engine before timing):
//   * the lifecycle queued → running → completed with the outcome rules and the same error codes;
//   * dedup: a Map of active runs per scope + dedup key (type + canonical identity);
//   * exactly one OperationRunCompleted per run and initiator, with the canonical copy and the same
//     FNV-1a-128 UUID (v8) the engine derives;
//   * the summary_counts whitelist and the failure_summary sanitizer (cap, one line, redaction, cut);
//   * the same input checks: ids, machine-name types, unknown keys, context and identity size limits.
// What it does not do, and the engine does: cross a boundary (JSON text both ways) and hand back fresh
// copies — this store returns its own (immutable-by-convention) run objects, as a hand-written one would.

import { cleanMessage } from './plain-redact.js';

export const SUMMARY_KEYS = ['total', 'processed', 'succeeded', 'failed', 'skipped', 'created', 'updated', 'deleted', 'warnings', 'retried'];
const STATUSES = ['queued', 'running', 'completed'];
const OUTCOMES = ['succeeded', 'partially_succeeded', 'failed', 'cancelled'];
const START_KEYS = ['workspace_id', 'tenant_id', 'user_id', 'type', 'identity', 'context'];
const UPDATE_KEYS = ['status', 'outcome', 'summary_counts', 'failure_summary', 'context'];
const LIMITS = { maxFailures: 10, maxMessageLength: 240, maxContextBytes: 16 * 1024, maxIdentityBytes: 512 };
const MAX_CODE_CHARS = 64;
const MACHINE_NAME = /^[a-z][a-z0-9._-]{0,63}$/;

export class OpsUxError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'OpsUxError';
    this.code = code;
  }
}
const invalid = (message) => new OpsUxError('E_INVALID_INPUT', message);

function checkId(value, what) {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
  } else if (typeof value === 'string') {
    // eslint-disable-next-line no-control-regex
    if (value.length > 0 && value.length <= 128 && value.isWellFormed() && !/[\u0000-\u001f\u007f-\u009f]/.test(value)) return value;
  }
  throw invalid(`${what} must be a safe integer or a string`);
}
const optionalId = (value, what) => (value === null || value === undefined ? null : checkId(value, what));
const scopeKey = (ws, tenant) => `${typeof ws === 'number' ? 'n' : 's'}${ws}\u0000${typeof tenant === 'number' ? 'n' : 's'}${tenant}`;

function checkKeys(value, what, allowed) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(`${what} must be an object`);
  for (const key in value) if (!allowed.includes(key)) throw invalid(`${what} has an unknown field ${JSON.stringify(key)}`);
}

function checkType(type) {
  if (typeof type !== 'string') throw invalid('type is required, e.g. "inventory.sync"');
  if (!MACHINE_NAME.test(type) || /[._-]$/.test(type) || type.includes('..')) {
    throw invalid(`type must be a machine name, got ${JSON.stringify(type)}`);
  }
  return type;
}

/** "inventory.sync" → "Inventory sync". */
export const label = (type) => type.charAt(0).toUpperCase() + type.slice(1).replace(/[._-]/g, ' ');

/** Canonical JSON: object keys sorted at every depth. */
function canonical(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
}

export function dedupKey(type, identity) {
  if (identity === null || identity === undefined) return type;
  const text = canonical(identity);
  if (!text.isWellFormed()) throw invalid('identity must be well-formed text');
  if (Buffer.byteLength(text) > LIMITS.maxIdentityBytes) throw invalid('identity is longer than 512 bytes as canonical JSON');
  return `${type}#${text}`;
}

function contextOf(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid('context must be an object');
  const text = JSON.stringify(value);
  // Bytes of UTF-8: only texts that could be over the limit pay for counting them.
  if (text.length * 3 > LIMITS.maxContextBytes && Buffer.byteLength(text) > LIMITS.maxContextBytes) throw invalid('context is too large');
  return JSON.parse(text); // a copy: the caller's object can change later, the stored one must not
}

const isCount = (n) => typeof n === 'number' && n >= 0 && n <= Number.MAX_SAFE_INTEGER && Number.isInteger(n);

/** Whitelisted keys with non-negative safe-integer values, sorted by key (as the engine writes them). */
export function sanitizeSummaryCounts(value, keys = SUMMARY_KEYS) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid('summary_counts must be an object of counters');
  const kept = [];
  for (const key of keys) if (Object.hasOwn(value, key) && isCount(value[key])) kept.push(key);
  kept.sort(); // the engine keeps counters sorted by key
  const out = {};
  for (const key of kept) out[key] = value[key] === 0 ? 0 : value[key]; // -0 is a count of zero
  return out;
}

function cleanCode(raw) {
  const cleaned = cleanMessage(raw, MAX_CODE_CHARS).replace(/[^A-Za-z0-9_.:-]/gu, '_');
  return /^_*$/.test(cleaned) ? 'unknown' : cleaned;
}

/** At most maxFailures entries, each {code, reason_code?, message}: one line, redacted, cut. */
export function sanitizeFailureSummary(value, limits = LIMITS) {
  if (!Array.isArray(value)) throw invalid('failure_summary must be an array of {code, reason_code?, message}');
  const out = [];
  for (const item of value) {
    if (out.length === limits.maxFailures) break;
    if (typeof item === 'string') {
      out.push({ code: 'unknown', message: cleanMessage(item, limits.maxMessageLength) });
    } else if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const entry = { code: cleanCode(typeof item.code === 'string' ? item.code : 'unknown') };
      if (typeof item.reason_code === 'string') entry.reason_code = cleanCode(item.reason_code);
      entry.message = cleanMessage(typeof item.message === 'string' ? item.message : '', limits.maxMessageLength);
      out.push(entry);
    }
  }
  return out;
}

/** The update, decoded and sanitized; `null` fields mean "leave it". */
function decodeUpdate(update) {
  checkKeys(update, 'update', UPDATE_KEYS);
  const { status, outcome, summary_counts, failure_summary, context } = update;
  if (status != null && !STATUSES.includes(status)) throw invalid('status must be "queued", "running" or "completed"');
  if (outcome != null && !OUTCOMES.includes(outcome)) throw invalid('outcome must be "succeeded", "partially_succeeded", "failed" or "cancelled"');
  return {
    status: status ?? null,
    outcome: outcome ?? null,
    counts: summary_counts == null ? null : sanitizeSummaryCounts(summary_counts),
    failures: failure_summary == null ? null : sanitizeFailureSummary(failure_summary),
    context: context == null ? null : contextOf(context),
  };
}

/** The state machine: {status, outcome, completes, repeats} or a thrown OpsUxError. */
function decide(runId, status, outcome, u) {
  if (u.outcome !== null && u.status !== 'completed') throw invalid(`outcome "${u.outcome}" needs status "completed" in the same update`);
  if (u.status === null) {
    if (status === 'completed' && (u.counts !== null || u.failures !== null)) {
      throw new OpsUxError('E_INVALID_TRANSITION', `run ${runId} is completed: only its context can change`);
    }
    return { status, outcome, completes: false, repeats: false };
  }
  if (u.status === 'completed' && u.outcome === null) throw new OpsUxError('E_OUTCOME_REQUIRED', `completing run ${runId} needs an outcome`);
  if (status === 'completed') {
    if (u.status === 'completed' && outcome === u.outcome) return { status, outcome, completes: false, repeats: true };
    throw new OpsUxError('E_INVALID_TRANSITION', `run ${runId} is completed, which is final`);
  }
  if (status === 'running' && u.status === 'queued') {
    throw new OpsUxError('E_INVALID_TRANSITION', `run ${runId} is running; it cannot go back to queued`);
  }
  if (status === 'queued' && u.status === 'completed' && u.outcome !== 'failed' && u.outcome !== 'cancelled') {
    throw new OpsUxError('E_INVALID_TRANSITION', `run ${runId} never started, so it can only complete as failed or cancelled`);
  }
  return { status: u.status, outcome: u.outcome, completes: u.status === 'completed', repeats: false };
}

const ALREADY_QUEUED_BODY = 'An identical operation is already queued or running. No new run was started.';
const QUEUED_BODY = 'It runs in the background; progress shows in the operations widget.';

function toast(type, deduped, runId) {
  const name = label(type);
  return deduped
    ? { kind: 'already_queued', title: `${name} already queued`, body: ALREADY_QUEUED_BODY, run_id: runId }
    : { kind: 'queued', title: `${name} queued`, body: QUEUED_BODY, run_id: runId };
}

const event = (runId, ws, tenant, type, status, deduped) => ({
  name: 'run-enqueued',
  detail: { run_id: runId, workspace_id: ws, tenant_id: tenant, type, status, deduped },
});

const COPY = {
  succeeded: [' completed', ' finished successfully.'],
  partially_succeeded: [' completed with warnings', ' finished, but some items did not succeed.'],
  failed: [' failed', ' could not be completed.'],
  cancelled: [' cancelled', ' was cancelled before it finished.'],
};

/** FNV-1a-128 over the bytes of `text`, as 8 16-bit limbs (little end first); prime = 2^88 + 0x13B. */
function fnv128(text) {
  const h = [0xc58d, 0x6295, 0x2175, 0x62b8, 0x0142, 0x07bb, 0x272e, 0x6c62];
  for (const byte of Buffer.from(text)) {
    h[0] ^= byte;
    // h * 2^88 only touches limbs 5.5 and up: shift by 5 limbs and 8 bits, then add h * 0x13B.
    const s5 = (h[0] << 8) & 0xffff;
    const s6 = ((h[1] << 8) | (h[0] >>> 8)) & 0xffff;
    const s7 = ((h[2] << 8) | (h[1] >>> 8)) & 0xffff;
    let carry = 0;
    for (let i = 0; i < 8; i++) {
      const v = h[i] * 0x13b + carry + (i === 5 ? s5 : i === 6 ? s6 : i === 7 ? s7 : 0);
      h[i] = v & 0xffff;
      carry = Math.floor(v / 0x10000);
    }
  }
  return h;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The notification id: a UUID v8 from FNV-1a-128 over the type, run id and initiator (typed). */
export function notificationId(runId, userId) {
  const idText = (id) => (typeof id === 'number' ? String(id) : JSON.stringify(id));
  const h = fnv128(`OperationRunCompleted\u001f${idText(runId)}\u001f${idText(userId)}`);
  const bytes = [];
  for (let i = 7; i >= 0; i--) bytes.push(h[i] >>> 8, h[i] & 0xff);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.map((b) => HEX[b]).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function completionNotification(run, now) {
  const name = label(run.type);
  const [title, body] = COPY[run.outcome];
  const tally = Object.keys(run.summary_counts).map((k) => `${run.summary_counts[k]} ${k}`).join(', ');
  const at = iso(now);
  return {
    id: notificationId(run.id, run.user_id),
    type: 'OperationRunCompleted',
    notifiable_type: 'User',
    notifiable_id: run.user_id,
    data: {
      run_id: run.id,
      workspace_id: run.workspace_id,
      tenant_id: run.tenant_id,
      operation_type: run.type,
      outcome: run.outcome,
      title: name + title,
      body: tally ? `${name}${body} ${tally}.` : name + body,
      summary_counts: run.summary_counts,
    },
    read_at: null,
    created_at: at,
    updated_at: at,
  };
}

// Formatting a Date is slow next to everything else here; a lifecycle asks for the same millisecond often.
let lastMs = NaN;
let lastIso = '';
function iso(ms) {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

function sortedCounts(counts) {
  const out = {};
  for (const key of Object.keys(counts).sort()) out[key] = counts[key];
  return out;
}

function sameCounts(a, b) {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

function sameFailures(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].code !== b[i].code || a[i].reason_code !== b[i].reason_code || a[i].message !== b[i].message) return false;
  }
  return true;
}

/**
 * The engine's surface over an in-memory Map store, with the same rules: startRun, updateRun, getRun
 * (async, like the engine's), plus the synchronous core (`start`, `update`) the benchmark times.
 */
export function createPlainEngine({ clock = Date.now } = {}) {
  const runs = new Map(); // id → { run, updatedMs, contextText }
  const active = new Map(); // scope + dedup key → id
  const notifications = new Map(); // id → notification
  let nextId = 1;

  function start(request) {
    checkKeys(request, 'startRun request', START_KEYS);
    const type = checkType(request.type);
    const ws = checkId(request.workspace_id, 'workspace_id');
    const tenant = checkId(request.tenant_id, 'tenant_id');
    const userId = optionalId(request.user_id, 'user_id');
    const key = dedupKey(type, request.identity);
    const context = request.context == null ? {} : contextOf(request.context);
    const slot = `${scopeKey(ws, tenant)}\u0000${key}`;
    const existing = active.get(slot);
    if (existing !== undefined) {
      const run = runs.get(existing).run;
      return { run, deduped: true, toast: toast(type, true, run.id), events: [event(run.id, ws, tenant, type, run.status, true)] };
    }
    const now = clock();
    const at = iso(now);
    const run = {
      id: nextId++,
      workspace_id: ws,
      tenant_id: tenant,
      user_id: userId,
      type,
      status: 'queued',
      outcome: null,
      dedup_key: key,
      summary_counts: {},
      failure_summary: [],
      context,
      started_at: null,
      completed_at: null,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    runs.set(run.id, { run, updatedMs: now, slot });
    active.set(slot, run.id);
    return { run, deduped: false, toast: toast(type, false, run.id), events: [event(run.id, ws, tenant, type, 'queued', false)] };
  }

  function find(scope, id) {
    const ws = checkId(scope?.workspace_id, 'scope.workspace_id');
    const tenant = checkId(scope?.tenant_id, 'scope.tenant_id');
    const stored = runs.get(checkId(id, 'runId'));
    return stored && stored.run.workspace_id === ws && stored.run.tenant_id === tenant ? stored : null;
  }

  function update(scope, id, input) {
    const u = decodeUpdate(input);
    const stored = find(scope, id);
    if (!stored) throw new OpsUxError('E_NOT_FOUND', `no run ${id} in this scope`);
    const run = stored.run;
    const verdict = decide(run.id, run.status, run.outcome, u);
    const now = Math.max(clock(), stored.updatedMs);
    const next = { ...run };
    let changed = false;
    if (!verdict.repeats) {
      if (verdict.status === 'running' && run.status === 'queued') next.started_at = iso(now);
      if (verdict.completes) next.completed_at = iso(now);
      next.status = verdict.status;
      next.outcome = verdict.outcome;
      if (u.counts !== null) {
        const merged = sortedCounts({ ...run.summary_counts, ...u.counts });
        if (!sameCounts(merged, run.summary_counts)) next.summary_counts = merged;
      }
      if (u.failures !== null && !sameFailures(u.failures, run.failure_summary)) next.failure_summary = u.failures;
      changed =
        next.status !== run.status ||
        next.outcome !== run.outcome ||
        next.summary_counts !== run.summary_counts ||
        next.failure_summary !== run.failure_summary;
    }
    if (u.context !== null && JSON.stringify(u.context) !== JSON.stringify(run.context)) {
      next.context = u.context;
      changed = true;
    }
    if (!changed) return { run, notifications: [], changed: false };
    next.version = run.version + 1;
    next.updated_at = iso(now);
    const emitted = verdict.completes && next.user_id !== null ? [completionNotification(next, now)] : [];
    // The commit: one synchronous step, so it is atomic here as the engine's store commit is.
    runs.set(run.id, { run: next, updatedMs: now, slot: stored.slot });
    if (next.status === 'completed' && run.status !== 'completed') active.delete(stored.slot);
    for (const n of emitted) if (!notifications.has(n.id)) notifications.set(n.id, n);
    return { run: next, notifications: emitted, changed: true };
  }

  return {
    start,
    update,
    runCount: () => runs.size,
    startRun: async (request) => start(request),
    updateRun: async (scope, id, input) => update(scope, id, input),
    getRun: async (scope, id) => find(scope, id)?.run ?? null,
  };
}

/** The pure check of the README: can `update` apply to `run`? */
export function checkUpdate(run, update) {
  // An unreadable run throws; a refused update is a verdict.
  if (!STATUSES.includes(run.status)) throw invalid('run.status must be queued, running or completed');
  if (run.outcome != null && !OUTCOMES.includes(run.outcome)) throw invalid('run.outcome must be null or an outcome');
  try {
    const v = decide(run.id ?? '(unsaved)', run.status, run.outcome ?? null, decodeUpdate(update));
    const notifies = v.completes && run.user_id != null;
    return { ok: true, status: v.status, outcome: v.outcome, completes: v.completes, repeats: v.repeats, notifies };
  } catch (e) {
    if (e instanceof OpsUxError) return { ok: false, error: e };
    throw e;
  }
}

/** What starting would do given `activeRuns`: the duplicate, the toast, the event. */
export function planStart(activeRuns, request) {
  checkKeys(request, 'startRun request', START_KEYS);
  const type = checkType(request.type);
  const ws = checkId(request.workspace_id, 'workspace_id');
  const tenant = checkId(request.tenant_id, 'tenant_id');
  optionalId(request.user_id, 'user_id');
  const key = dedupKey(type, request.identity);
  if (request.context != null) contextOf(request.context);
  if (!Array.isArray(activeRuns)) throw invalid('planStart: activeRuns must be an array');
  let run = null;
  for (const r of activeRuns) {
    checkId(r.workspace_id, 'run.workspace_id');
    checkId(r.tenant_id, 'run.tenant_id');
    if (!STATUSES.includes(r.status) || typeof r.dedup_key !== 'string') throw invalid('planStart: every run needs status and dedup_key');
    if (run === null && r.status !== 'completed' && r.workspace_id === ws && r.tenant_id === tenant && r.dedup_key === key) run = r;
  }
  const runId = run?.id ?? null;
  return {
    deduped: run !== null,
    run,
    dedup_key: key,
    toast: toast(type, run !== null, runId),
    events: [event(runId, ws, tenant, type, run?.status ?? 'queued', run !== null)],
  };
}
