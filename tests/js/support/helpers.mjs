// Shared test helpers: store kinds, error assertions, a clock and a full-lifecycle check.
import assert from 'node:assert/strict';
import { createEngine, OpsUxError } from 'ops-ux-engine';
import { ReferenceStore, asyncStore } from './stores.mjs';

export const SCOPE = Object.freeze({ workspace_id: 1, tenant_id: 10 });
export const OTHER_TENANT = Object.freeze({ workspace_id: 1, tenant_id: 11 });
export const OTHER_WORKSPACE = Object.freeze({ workspace_id: 2, tenant_id: 10 });
export const USER = 7;
export const TYPE = 'inventory.sync';
export const OUTCOMES = Object.freeze(['succeeded', 'partially_succeeded', 'failed', 'cancelled']);
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const RFC3339_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The three ways an engine stores runs; `make(options)` gives a fresh engine and its store (if any). */
export const STORE_KINDS = [
  { name: 'embedded store', make: async (options = {}) => ({ engine: await createEngine(options), store: null }) },
  {
    name: 'ReferenceStore (sync methods)',
    make: async (options = {}) => {
      const store = new ReferenceStore();
      return { engine: await createEngine({ ...options, store }), store };
    },
  },
  {
    name: 'asyncStore(ReferenceStore) (Promise methods)',
    make: async (options = {}) => {
      const ref = new ReferenceStore();
      return { engine: await createEngine({ ...options, store: asyncStore(ref) }), store: ref };
    },
  },
];

/** A start request in SCOPE by USER; `extra` overrides. */
export function request(extra = {}) {
  return { ...SCOPE, user_id: USER, type: TYPE, ...extra };
}

/** Checks that `error` is an OpsUxError (a real Error) with `code`, and returns it. */
export function checkOpsUxError(error, code, messagePattern) {
  assert.ok(error instanceof Error, `expected an Error, got ${typeof error}: ${String(error)}`);
  assert.ok(error instanceof OpsUxError, `expected an OpsUxError, got ${error?.name}: ${error?.message}`);
  assert.equal(error.name, 'OpsUxError');
  assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0, 'the message says what happened');
  if (messagePattern) assert.match(error.message, messagePattern);
  return error;
}

/** Awaits `promiseOrFn` (a Promise or a function returning one, or throwing) and expects an OpsUxError with `code`. */
export async function rejectsWith(promiseOrFn, code, messagePattern) {
  let outcome;
  try {
    const value = typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn;
    outcome = { value: await value };
  } catch (error) {
    return checkOpsUxError(error, code, messagePattern);
  }
  assert.fail(`expected ${code}, but it resolved with ${safeJson(outcome.value)}`);
}

/** Calls the synchronous `fn` and expects it to throw an OpsUxError with `code`. */
export function throwsWith(fn, code, messagePattern) {
  try {
    const value = fn();
    assert.fail(`expected ${code}, but it returned ${safeJson(value)}`);
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    return checkOpsUxError(error, code, messagePattern);
  }
}

function safeJson(value) {
  try {
    return JSON.stringify(value)?.slice(0, 300);
  } catch {
    return String(value);
  }
}

/** A controllable clock: `clock.fn` for the engine, `clock.set(x)` / `clock.advance(ms)` to move it. */
export function manualClock(start = Date.parse('2026-03-01T09:00:00.000Z')) {
  let now = start;
  let override = null;
  return {
    fn: () => {
      if (override) return override();
      return now;
    },
    set(ms) {
      now = ms;
    },
    advance(ms = 1000) {
      now += ms;
      return now;
    },
    /** Makes the clock return what `f()` returns (or throw what it throws) until `restore()`. */
    misbehave(f) {
      override = f;
    },
    restore() {
      override = null;
    },
    get now() {
      return now;
    },
  };
}

let lifecycleCounter = 0;

/**
 * Runs a whole lifecycle on `engine` (start, running with progress, completed) in a fresh identity and
 * asserts every step: the engine instance still works.
 */
export async function assertFullLifecycle(engine, scope = SCOPE) {
  const identity = { lifecycle: ++lifecycleCounter, at: process.hrtime.bigint().toString() };
  const started = await engine.startRun({ ...scope, user_id: USER, type: TYPE, identity });
  assert.equal(started.deduped, false);
  assert.equal(started.run.status, 'queued');
  const running = await engine.updateRun(scope, started.run.id, { status: 'running', summary_counts: { total: 2 } });
  assert.equal(running.run.status, 'running');
  const done = await engine.updateRun(scope, started.run.id, {
    status: 'completed',
    outcome: 'succeeded',
    summary_counts: { processed: 2 },
  });
  assert.equal(done.changed, true);
  assert.equal(done.run.status, 'completed');
  assert.equal(done.run.outcome, 'succeeded');
  assert.deepEqual(done.run.summary_counts, { processed: 2, total: 2 });
  assert.equal(done.notifications.length, 1);
  const stored = await engine.getRun(scope, started.run.id);
  assert.deepEqual(stored, done.run);
  const listed = await engine.listNotifications(scope, USER);
  assert.ok(listed.some((n) => n.id === done.notifications[0].id), 'the completion notification is listed');
  return done.run;
}
