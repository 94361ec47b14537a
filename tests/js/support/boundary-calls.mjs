// Every export of ops-ux-engine and every Engine method as a generated call: its argument lists (valid,
// almost valid, arbitrary), the refusals it may give, and the check of a result it returns.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as api from 'ops-ux-engine';
import { OUTCOMES } from './helpers.mjs';
import { argumentLists, hostileNumber, Hostile } from './hostile.mjs';
import {
  STATUSES,
  DEFAULT_SUMMARY_KEYS,
  jsonOf,
  readAsJson,
  scopeOf,
  checkRun,
  checkNotification,
  checkStartResult,
  checkUpdateResult,
  checkVerdict,
  checkPlan,
  checkCounts,
  checkFailures,
} from './shapes.mjs';

/** Scopes the valid inputs use: ids of both types, and a tenant id that differs from another only in type. */
export const SCOPES = Object.freeze([
  { workspace_id: 1, tenant_id: 10 },
  { workspace_id: 1, tenant_id: 11 },
  { workspace_id: 2, tenant_id: 10 },
  { workspace_id: 'w', tenant_id: 't' },
  { workspace_id: 1, tenant_id: '10' },
].map(Object.freeze));
export const USERS = Object.freeze([7, '7', 8]);
export const TYPES = Object.freeze(['inventory.sync', 'policy.backup']);
/** Where the after-each-case lifecycle runs, apart from the scopes the cases write to. */
export const LIFECYCLE_SCOPE = Object.freeze({ workspace_id: 'lifecycle', tenant_id: 'lifecycle' });

const SCOPE_KEYS = ['workspace_id', 'tenant_id'];
const START_KEYS = ['workspace_id', 'tenant_id', 'user_id', 'type', 'identity', 'context'];
const UPDATE_KEYS = ['status', 'outcome', 'summary_counts', 'failure_summary', 'context'];
const RULE_KEYS = ['labels', 'strictTypes', 'summaryKeys', 'limits'];
const ENGINE_KEYS = [...RULE_KEYS, 'store', 'clock', 'dispatchEvents', 'eventTarget'];

const plain = { noNullPrototype: true };
const text = fc.string({ maxLength: 12, unit: 'grapheme' });
const json = fc.jsonValue({ maxDepth: 2 });
const scope = fc.constantFrom(...SCOPES).map((s) => ({ ...s }));
const user = fc.constantFrom(...USERS, null);
const context = fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 4, ...plain });
const counts = fc.dictionary(fc.constantFrom(...DEFAULT_SUMMARY_KEYS, 'bogus', 'Total'), fc.oneof(fc.nat(), hostileNumber), { maxKeys: 5, ...plain });
const failureEntry = fc.oneof(
  text,
  fc.record({ code: text, reason_code: text, message: fc.oneof(text, fc.constantFrom('token=abc123secret', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x', 'line\nbreak')) }, { requiredKeys: ['message'], ...plain }),
);
const failures = fc.array(failureEntry, { maxLength: 12 });
const limit = fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.constantFrom(1, 2, 1000));

export const validRequest = fc
  .tuple(scope, fc.record({ user_id: user, type: fc.constantFrom(...TYPES), identity: json, context }, { requiredKeys: ['type'], ...plain }))
  .map(([s, rest]) => ({ ...s, ...rest }));
/** Status changes the state machine may allow (from some state), so that updates get past decoding. */
const statusChange = fc.oneof(
  fc.constantFrom({}, { status: 'running' }, { status: 'queued' }, { status: null, outcome: null }),
  fc.constantFrom(...OUTCOMES).map((outcome) => ({ status: 'completed', outcome })),
);
export const validUpdate = fc
  .tuple(statusChange, fc.record({ summary_counts: counts, failure_summary: failures, context }, { requiredKeys: [], ...plain }))
  .map(([change, progress]) => ({ ...change, ...progress }));
const runFilter = fc.record({ status: fc.oneof(fc.constantFrom(...STATUSES), fc.subarray([...STATUSES])), type: fc.constantFrom(...TYPES), limit }, { requiredKeys: [], ...plain });
const noteFilter = fc.record({ unread: fc.boolean(), limit }, { requiredKeys: [], ...plain });
const ruleOptions = fc.record(
  {
    labels: fc.dictionary(fc.constantFrom(...TYPES), fc.string({ minLength: 1, maxLength: 20 }), plain),
    strictTypes: fc.boolean(),
    summaryKeys: fc.subarray([...DEFAULT_SUMMARY_KEYS], { minLength: 1 }),
    limits: fc.record(
      {
        maxFailures: fc.integer({ min: 0, max: 100 }),
        maxMessageLength: fc.integer({ min: 16, max: 4000 }),
        maxContextBytes: fc.integer({ min: 2, max: 65536 }),
        maxIdentityBytes: fc.integer({ min: 1, max: 4096 }),
      },
      { requiredKeys: [], ...plain },
    ),
  },
  { requiredKeys: [], ...plain },
);
const engineOptions = fc
  .tuple(ruleOptions, fc.record({ clock: fc.constantFrom(new Hostile('a clock'), new Hostile('a clock of Dates'), new Hostile('a clock of text')), dispatchEvents: fc.boolean(), eventTarget: fc.constant(new Hostile('an EventTarget')) }, { requiredKeys: [], ...plain }))
  .map(([rules, rest]) => ({ ...rules, ...rest }));
const runLike = fc.record(
  { id: fc.oneof(fc.nat(), text), ...Object.fromEntries(SCOPE_KEYS.map((k) => [k, fc.constantFrom(1, 2, 10, '10', 'w', 't')])), status: fc.constantFrom(...STATUSES), outcome: fc.constantFrom(...OUTCOMES, null), user_id: user, dedup_key: fc.constantFrom(...TYPES, 'inventory.sync#"a"') },
  { requiredKeys: ['status'], ...plain },
);

/** The fields of the result's run that a filter `filterArg` allows (JSON form), checked on a list. */
function checkRunList(list, scopeArg, filterArg) {
  assert.ok(Array.isArray(list), 'listRuns answers an array');
  const filter = readAsJson(filterArg ?? null);
  assert.ok(list.length <= (filter?.limit ?? 100), `listRuns answered ${list.length} runs past its limit`);
  // No status, or an empty list of them (as StoreRunFilter has it), is any status.
  const named = [filter?.status ?? []].flat();
  const statuses = named.length === 0 ? STATUSES : named;
  for (const [i, run] of list.entries()) {
    checkRun(run, { scope: scopeOf(scopeArg), what: `listRuns[${i}]` });
    assert.ok(statuses.includes(run.status), `listRuns[${i}] is ${run.status}, outside the filter`);
    if (typeof filter?.type === 'string') assert.equal(run.type, filter.type);
  }
  const ids = list.map((r) => jsonOf(r.id));
  assert.equal(new Set(ids).size, ids.length, 'listRuns lists each run once');
}

function checkNotificationList(list, scopeArg, userArg, filterArg) {
  assert.ok(Array.isArray(list), 'listNotifications answers an array');
  const filter = readAsJson(filterArg ?? null);
  assert.ok(list.length <= (filter?.limit ?? 100), 'listNotifications stays within its limit');
  for (const [i, n] of list.entries()) {
    checkNotification(n, { scope: scopeOf(scopeArg), userId: readAsJson(userArg), what: `listNotifications[${i}]` });
    if (filter?.unread === true) assert.equal(n.read_at, null, 'an unread filter lists unread notifications only');
  }
}

/**
 * The calls, given `world` (an engine's known runs and notifications, see the test file):
 * `{ name, args: arbitrary of argument lists, invoke(engine, args), sync, codes, check(result, args, engine) }`.
 * `codes` are the refusals a call may give; `check` asserts a result.
 */
export function calls(world) {
  const runRef = fc.constantFrom(...world.runs).map(({ scope: s, id }) => [{ ...s }, id]);
  const noteRef = fc.constantFrom(...world.notifications).map(({ scope: s, user: u, id }) => [{ ...s }, u, id]);
  const INPUT = ['E_INVALID_INPUT'];
  return [
    {
      name: 'engine.startRun',
      args: argumentLists(fc.tuple(validRequest), [START_KEYS]),
      invoke: (engine, [request]) => engine.startRun(request),
      codes: INPUT,
      async check(result, [request], engine) {
        checkStartResult(result, { scope: scopeOf(request) });
        assert.deepEqual(await engine.getRun(result.run, result.run.id), result.run, 'the answered run is the stored run');
      },
    },
    {
      name: 'engine.updateRun',
      args: argumentLists(fc.tuple(runRef, validUpdate).map(([[s, id], u]) => [s, id, u]), [SCOPE_KEYS, [], UPDATE_KEYS]),
      invoke: (engine, [s, id, update]) => engine.updateRun(s, id, update),
      codes: ['E_INVALID_INPUT', 'E_NOT_FOUND', 'E_INVALID_TRANSITION', 'E_OUTCOME_REQUIRED'],
      async check(result, [s], engine) {
        checkUpdateResult(result, { scope: scopeOf(s) });
        assert.deepEqual(await engine.getRun(result.run, result.run.id), result.run, 'the answered run is the stored run');
      },
    },
    {
      name: 'engine.getRun',
      args: argumentLists(runRef, [SCOPE_KEYS, []]),
      invoke: (engine, [s, id]) => engine.getRun(s, id),
      codes: ['E_INVALID_INPUT', 'E_NOT_FOUND'],
      check: (run, [s, id]) => {
        checkRun(run, { scope: scopeOf(s) });
        assert.equal(jsonOf(run.id), jsonOf(id), 'getRun answers the run asked for');
      },
    },
    {
      name: 'engine.listRuns',
      args: argumentLists(fc.tuple(scope, fc.option(runFilter, { nil: undefined })), [SCOPE_KEYS, ['status', 'type', 'limit']]),
      invoke: (engine, [s, filter]) => engine.listRuns(s, filter),
      codes: INPUT,
      check: (list, [s, filter]) => checkRunList(list, s, filter),
    },
    {
      name: 'engine.listNotifications',
      args: argumentLists(fc.tuple(scope, fc.constantFrom(...USERS), fc.option(noteFilter, { nil: undefined })), [SCOPE_KEYS, [], ['unread', 'limit']]),
      invoke: (engine, [s, u, filter]) => engine.listNotifications(s, u, filter),
      codes: INPUT,
      check: (list, [s, u, filter]) => checkNotificationList(list, s, u, filter),
    },
    {
      name: 'engine.markNotificationRead',
      args: argumentLists(noteRef, [SCOPE_KEYS, [], []]),
      invoke: (engine, [s, u, id]) => engine.markNotificationRead(s, u, id),
      codes: ['E_INVALID_INPUT', 'E_NOT_FOUND'],
      check: (n, [s, u, id]) => {
        checkNotification(n, { scope: scopeOf(s), userId: readAsJson(u) });
        assert.equal(n.id, id, 'the notification asked for');
        assert.notEqual(n.read_at, null, 'it is read now');
      },
    },
    {
      name: 'engine.reconcile',
      args: argumentLists(fc.tuple(fc.option(fc.record({ scope: fc.option(scope), limit }, { requiredKeys: [], ...plain }), { nil: undefined })), [['scope', 'limit']]),
      invoke: (engine, [options]) => engine.reconcile(options),
      codes: INPUT,
      // Every completion over the embedded store stores its notification with it: nothing is ever missing.
      check: (result) => assert.deepEqual(result, { checked: 0, repaired: 0 }),
    },
    {
      name: 'engine.checkUpdate',
      sync: true,
      args: argumentLists(fc.tuple(runLike, validUpdate), [['id', 'status', 'outcome', 'user_id'], UPDATE_KEYS]),
      invoke: (engine, [run, update]) => engine.checkUpdate(run, update),
      codes: INPUT,
      check: (verdict) => checkVerdict(verdict),
    },
    {
      name: 'engine.planStart',
      sync: true,
      args: argumentLists(fc.tuple(fc.array(runLike, { maxLength: 4 }), validRequest), [['0', '1'], START_KEYS]),
      invoke: (engine, [active, request]) => engine.planStart(active, request),
      codes: INPUT,
      check: (plan, [active]) => checkPlan(plan, active),
    },
    {
      name: 'checkUpdate',
      sync: true,
      args: argumentLists(fc.tuple(runLike, validUpdate, fc.option(ruleOptions, { nil: undefined })), [['id', 'status', 'outcome', 'user_id'], UPDATE_KEYS, RULE_KEYS]),
      invoke: (_, [run, update, options]) => api.checkUpdate(run, update, options),
      codes: INPUT,
      check: (verdict) => checkVerdict(verdict),
    },
    {
      name: 'planStart',
      sync: true,
      args: argumentLists(fc.tuple(fc.array(runLike, { maxLength: 4 }), validRequest, fc.option(ruleOptions, { nil: undefined })), [['0', '1'], START_KEYS, RULE_KEYS]),
      invoke: (_, [active, request, options]) => api.planStart(active, request, options),
      codes: INPUT,
      check: (plan, [active]) => checkPlan(plan, active),
    },
    {
      name: 'sanitizeSummaryCounts',
      sync: true,
      args: argumentLists(fc.tuple(counts, fc.option(ruleOptions, { nil: undefined })), [[...DEFAULT_SUMMARY_KEYS, 'bogus'], RULE_KEYS]),
      invoke: (_, [value, options]) => api.sanitizeSummaryCounts(value, options),
      codes: INPUT,
      check: (result, [value, options]) => checkSanitizedCounts(result, value, options),
    },
    {
      name: 'sanitizeFailureSummary',
      sync: true,
      args: argumentLists(fc.tuple(failures, fc.option(ruleOptions, { nil: undefined })), [['0', '1', '11'], RULE_KEYS]),
      invoke: (_, [value, options]) => api.sanitizeFailureSummary(value, options),
      codes: INPUT,
      check: (result, [, options]) => checkFailures(result, 'sanitizeFailureSummary', limitsOf(options)),
    },
    {
      name: 'createEngine',
      args: argumentLists(fc.tuple(fc.option(engineOptions, { nil: undefined })), [ENGINE_KEYS]),
      invoke: (_, [options]) => api.createEngine(options),
      codes: INPUT,
      async check(engine) {
        assert.ok(engine instanceof api.Engine, 'createEngine answers an Engine');
        assert.equal(engine.embedded, true);
        try {
          const runs = await engine.listRuns(SCOPES[0]);
          assert.deepEqual(runs, [], 'a new engine has no runs');
        } finally {
          engine.free();
        }
      },
    },
    {
      name: 'dispatchRunEvents',
      sync: true,
      args: argumentLists(fc.tuple(fc.constant(world.events), fc.constant(new Hostile('an EventTarget'))), [['0'], ['dispatchEvent']]),
      invoke: (_, [events, target]) => api.dispatchRunEvents(events, target),
      codes: INPUT,
      check: (result) => assert.equal(result, undefined),
    },
  ];
}

/** The rule options' failure limits, when they are readable valid numbers (the check's bounds). */
function limitsOf(options) {
  const limits = readAsJson(options ?? null)?.limits ?? {};
  return { maxFailures: limits.maxFailures ?? 10, maxMessageLength: limits.maxMessageLength ?? 240 };
}

/** Sanitized counters: whitelisted keys only; every kept value is the input's (as JSON reads it). */
function checkSanitizedCounts(result, value, options) {
  const keys = readAsJson(options ?? null)?.summaryKeys ?? DEFAULT_SUMMARY_KEYS;
  checkCounts(result, 'sanitizeSummaryCounts', keys);
  const input = readAsJson(value);
  if (input === undefined || input === null || typeof input !== 'object' || Array.isArray(input)) return;
  for (const [key, count] of Object.entries(result)) {
    assert.ok(Object.hasOwn(input, key), `sanitizeSummaryCounts invented the key ${key}`);
    assert.equal(count, input[key], `sanitizeSummaryCounts changed ${key}`);
  }
  for (const key of keys) {
    const v = input[key];
    if (Object.hasOwn(input, key) && Number.isSafeInteger(v) && v >= 0) assert.equal(result[key], v, `a valid ${key} is kept`);
  }
}
