// A host store that misbehaves as fast-check says, over a ReferenceStore with a known world in it: what each
// engine call reaches, which answers of a store method are still legal, and the invariants of what was stored.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createEngine } from 'ops-ux-engine';
import { ReferenceStore, asyncStore, faultyStore, STORE_METHOD_NAMES } from './stores.mjs';
import { SCOPE, USER, request } from './helpers.mjs';
import { hostile, materialize, Spoiled } from './hostile.mjs';
import { checkRun, checkNotification, checkStartResult, checkUpdateResult, jsonOf, readAsJson, ANY_CONFIGURATION, RUN_KEYS, NOTIFICATION_KEYS, DATA_KEYS } from './shapes.mjs';

/**
 * Fault modes. `throw`/`reject` throw or reject with any value; `garbage` answers a hostile value without
 * calling the store; `spoil` answers the store's real answer with one field spoiled; `other-scope` answers
 * the store's real answer moved to another tenant (or user), a well-formed record the caller must not see.
 */
export const MODES = ['throw', 'reject', 'garbage', 'garbage', 'spoil', 'other-scope'];
/** Modes that never reach the inner store: a refusal after one of them must leave the store as it was. */
const UNTOUCHED = new Set(['throw', 'reject', 'garbage']);

/** The engine calls of the world, each valid on a healthy store, and the store methods each reaches. */
export const CALLS = {
  'startRun (new)': { reaches: ['insertRun'], call: (w) => w.engine.startRun(request({ identity: 'new' })), check: (r) => checkStartResult(r, { scope: SCOPE, ...ANY_CONFIGURATION }) },
  'startRun (duplicate)': { reaches: ['insertRun'], call: (w) => w.engine.startRun(request({ identity: 'live' })), check: (r) => checkStartResult(r, { scope: SCOPE, ...ANY_CONFIGURATION }) },
  getRun: { reaches: ['getRun'], call: (w) => w.engine.getRun(SCOPE, w.live.id), check: (r) => checkRun(r, { scope: SCOPE, ...ANY_CONFIGURATION }) },
  'updateRun (progress)': {
    reaches: ['getRun', 'commitRun'],
    call: (w) => w.engine.updateRun(SCOPE, w.live.id, { summary_counts: { processed: 3 }, context: { n: 1 } }),
    check: (r) => checkUpdateResult(r, { scope: SCOPE, ...ANY_CONFIGURATION }),
  },
  'updateRun (complete)': {
    reaches: ['getRun', 'commitRun'],
    call: (w) => w.engine.updateRun(SCOPE, w.live.id, { status: 'completed', outcome: 'failed', failure_summary: ['boom'] }),
    check: (r) => checkUpdateResult(r, { scope: SCOPE, ...ANY_CONFIGURATION }),
  },
  'updateRun (repeated completion)': {
    reaches: ['getRun'],
    call: (w) => w.engine.updateRun(SCOPE, w.done.id, { status: 'completed', outcome: 'succeeded' }),
    check: (r) => checkUpdateResult(r, { scope: SCOPE, ...ANY_CONFIGURATION }),
  },
  listRuns: {
    reaches: ['listRuns'],
    call: (w) => w.engine.listRuns(SCOPE, { limit: 10 }),
    check: (list) => {
      assert.ok(Array.isArray(list) && list.length <= 10);
      list.forEach((r) => checkRun(r, { scope: SCOPE, ...ANY_CONFIGURATION }));
    },
  },
  listNotifications: {
    reaches: ['listNotifications'],
    call: (w) => w.engine.listNotifications(SCOPE, USER),
    check: (list) => {
      assert.ok(Array.isArray(list));
      list.forEach((n) => checkNotification(n, { scope: SCOPE, userId: USER }));
    },
  },
  markNotificationRead: {
    reaches: ['markNotificationRead'],
    call: (w) => w.engine.markNotificationRead(SCOPE, USER, w.noteId),
    check: (n, w) => {
      checkNotification(n, { scope: SCOPE, userId: USER });
      assert.equal(n.id, w.noteId);
    },
  },
  'reconcile (scope)': { reaches: ['findUnnotifiedRuns', 'insertNotifications'], call: (w) => w.engine.reconcile({ scope: SCOPE }), check: checkReconciled },
  'reconcile (every scope)': { reaches: ['findUnnotifiedRuns', 'insertNotifications'], call: (w) => w.engine.reconcile(), check: checkReconciled },
};

function checkReconciled(result) {
  assert.deepEqual(Object.keys(result).sort(), ['checked', 'repaired']);
  assert.ok(Number.isSafeInteger(result.checked) && result.checked >= 0);
  assert.ok(Number.isSafeInteger(result.repaired) && result.repaired >= 0 && result.repaired <= result.checked);
}

/**
 * A call of CALLS and a fault: which store method (mostly one the call reaches), how, with what value, on
 * which field, over a sync or an async store.
 */
export const callAndFault = fc.constantFrom(...Object.keys(CALLS)).chain((name) =>
  fc.tuple(fc.constant(name), faultPlan(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CALLS[name].reaches) }, { weight: 1, arbitrary: fc.constantFrom(...STORE_METHOD_NAMES) }))),
);

function faultPlan(method) {
  return fc.record({
  method,
  mode: fc.constantFrom(...MODES),
  value: hostile,
  field: fc.constantFrom('id', 'workspace_id', 'tenant_id', 'status', 'outcome', 'version', 'summary_counts', 'context', 'created_at', 'inserted', 'run', 'data', 'notifiable_id', 'read_at', 'type'),
  how: fc.constantFrom('set', 'delete', 'nest'),
  async: fc.boolean(),
  // A cold engine (created after the world was made) reads every run it updates; a warm one may start from
  // the run it last saw and skip that read.
  cold: fc.boolean(),
  });
}

const OTHER = 999;

/** The record(s) of `answer` moved to another tenant (runs, notification data) or user (notifications). */
function otherScope(answer) {
  const move = (record) => {
    if (record === null || typeof record !== 'object') return record;
    if ('data' in record) return { ...record, notifiable_id: OTHER, data: { ...record.data, tenant_id: OTHER } };
    return { ...record, tenant_id: OTHER };
  };
  if (Array.isArray(answer)) return answer.map(move);
  if (answer && typeof answer === 'object' && 'inserted' in answer) return { ...answer, run: move(answer.run) };
  return move(answer);
}

/** Whether `answer` holds a record a caller of this scope and user could be shown (see `otherScope`). */
function holdsRecord(answer) {
  if (Array.isArray(answer)) return answer.length > 0;
  return answer !== null && answer !== undefined && typeof answer === 'object';
}

/** `value` with only `keys` (present ones): fields a record does not have are dropped by the engine, never shown. */
function only(value, keys) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(keys.filter((k) => Object.hasOwn(value, k)).map((k) => [k, value[k]]));
}

/**
 * Whether `answered` (a run or a notification, as `method` answers it) breaks what index.d.ts promises of
 * it, as JSON reads it and without the fields it does not have.
 */
function breaksShape(method, answered) {
  const notification = method === 'listNotifications' || method === 'markNotificationRead';
  let record = only(readAsJson(answered), notification ? NOTIFICATION_KEYS : RUN_KEYS);
  if (record !== null && typeof record === 'object' && !Array.isArray(record)) {
    // A nullable field left out is read as null.
    const nullable = notification ? ['read_at'] : ['user_id', 'outcome', 'started_at', 'completed_at'];
    record = { ...Object.fromEntries(nullable.map((k) => [k, null])), ...record };
    if (notification) record.data = only(record.data, DATA_KEYS);
  }
  try {
    if (notification) checkNotification(record);
    else checkRun(record, ANY_CONFIGURATION);
    return false;
  } catch {
    return true;
  }
}

/**
 * The store's real `answer` changed as `plan` says (mode spoil or other-scope), and whether the spoiled
 * record breaks the shape a caller is promised under any configuration: the engine must refuse it (E_STORE).
 */
function transform(plan, answer) {
  if (plan.mode === 'other-scope') return { out: otherScope(answer), corrupted: false };
  const target = Array.isArray(answer) ? answer[0] : answer && typeof answer === 'object' && 'inserted' in answer ? answer.run : answer;
  if (target === null || typeof target !== 'object') return { out: answer, corrupted: false };
  const spoiled = materialize(new Spoiled(target, plan.field, plan.value, plan.how));
  const corrupted = breaksShape(plan.method, spoiled);
  if (Array.isArray(answer)) return { out: [spoiled, ...answer.slice(1)], corrupted };
  if (target !== answer) return { out: { ...answer, run: spoiled }, corrupted };
  return { out: spoiled, corrupted };
}

/**
 * Whether a store answer `value` of `method` is one the contract allows (as JSON reads it): null for a
 * lookup, a boolean for commitRun, an empty list, a count no larger than what was given. Anything else
 * must make the engine refuse with E_STORE. Undefined for a thenable (its settled value decides).
 */
export function legalAnswer(method, value, args) {
  let thenable;
  try {
    thenable = value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function';
  } catch {
    return false;
  }
  if (thenable) return undefined;
  if (typeof value === 'function' || typeof value === 'symbol') return false;
  const json = value === undefined ? null : readAsJson(value);
  if (json === undefined) return false;
  switch (method) {
    case 'getRun':
    case 'markNotificationRead':
      return json === null;
    case 'commitRun':
      return typeof json === 'boolean';
    case 'listRuns':
    case 'listNotifications':
    case 'findUnnotifiedRuns':
      return Array.isArray(json) && json.length === 0;
    case 'insertNotifications':
      return Number.isSafeInteger(json) && json >= 0 && json <= args[0].length;
    default:
      return false;
  }
}

/**
 * A fresh world over a ReferenceStore wrapped by a store that misbehaves per `plan` while enabled: a done
 * run (completed, its notification stored), a live run (running), a gap (completed without its notification,
 * for reconcile), and `fired` — the store answers given under the fault, with whether each was legal. Its
 * engine is the one that made the world (warm) or a new one over the same store (cold).
 */
export async function faultWorld(plan) {
  const ref = new ReferenceStore();
  const fired = [];
  const options = {
    method: plan.method,
    mode: plan.mode === 'throw' || plan.mode === 'reject' ? plan.mode : 'garbage',
    enabled: false,
    get thrown() {
      return materialize(plan.value);
    },
    garbage: (args, inner) => {
      if (plan.mode === 'garbage') {
        const answer = materialize(plan.value);
        fired.push({ legal: legalAnswer(plan.method, answer, args) });
        return plan.async ? Promise.resolve(answer) : answer;
      }
      const changed = (answer) => {
        const { out, corrupted } = transform(plan, answer);
        fired.push({ recordShown: plan.mode === 'other-scope' && holdsRecord(out), corrupted });
        return out;
      };
      const real = inner[plan.method](...args);
      return typeof real?.then === 'function' ? real.then(changed) : changed(real);
    },
  };
  const store = faultyStore(plan.async ? asyncStore(ref) : ref, options);
  const engine = await createEngine({ store });
  const done = (await engine.startRun(request({ identity: 'done' }))).run;
  await engine.updateRun(SCOPE, done.id, { status: 'running' });
  const completed = await engine.updateRun(SCOPE, done.id, { status: 'completed', outcome: 'succeeded' });
  const live = (await engine.updateRun(SCOPE, (await engine.startRun(request({ identity: 'live' }))).run.id, { status: 'running' })).run;
  const gap = (await engine.updateRun(SCOPE, (await engine.startRun(request({ identity: 'gap' }))).run.id, { status: 'running' })).run;
  ref.commitRun({ run: { ...gap, status: 'completed', outcome: 'succeeded', completed_at: gap.updated_at, version: gap.version + 1 }, expected_version: gap.version, notifications: [] });
  const used = plan.cold ? await createEngine({ store }) : engine;
  if (plan.cold) engine.free();
  return { ref, store, engine: used, done, live, noteId: completed.notifications[0].id, fired, untouched: UNTOUCHED.has(plan.mode) };
}

/** What the ReferenceStore holds is what the engine wrote: valid runs, one active run per key, valid notifications stored once. */
export function checkStoredState(ref) {
  const { runs, notifications } = ref.dump();
  const active = new Set();
  for (const run of runs) {
    checkRun(run, { what: `stored run ${jsonOf(run.id)}`, ...ANY_CONFIGURATION });
    if (run.status === 'completed') continue;
    const key = jsonOf([run.workspace_id, run.tenant_id, run.dedup_key]);
    assert.ok(!active.has(key), `two active runs hold ${key}`);
    active.add(key);
  }
  const ids = new Set();
  for (const n of notifications) {
    checkNotification(n, { what: `stored notification ${n.id}` });
    assert.ok(!ids.has(n.id), `notification ${n.id} is stored twice`);
    ids.add(n.id);
  }
}
