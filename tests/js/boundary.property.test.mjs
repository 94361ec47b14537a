// Proves, on generated input, that every export and Engine method answers a result of its documented shape or
// refuses with a documented OpsUxError (never a trap, a raw throw or a hang), that a refusal changes nothing,
// and that the engine keeps working after every case — also over a host store that throws, rejects or lies.
//
// Cases: 15 calls × 1,000 + 2,000 store faults + 2 × 500 exact-input cases = 18,000 by default (15–35 s on
// 2 cores). PROPERTY_RUNS=10 runs ten times as many; PROPERTY_SEED picks another seed (fast-check prints the
// seed of a failure, and its counterexample, shrunk). Each test's diagnostic counts its cases by outcome.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as api from 'ops-ux-engine';
import { assertFullLifecycle, request, SCOPE, USER, OUTCOMES } from './support/helpers.mjs';
import { params, materialize, SEED } from './support/hostile.mjs';
import { calls, validUpdate, SCOPES, USERS, TYPES, LIFECYCLE_SCOPE } from './support/boundary-calls.mjs';
import { checkRefusal, describeThrown, readAsJson, STATUSES } from './support/shapes.mjs';
import { CALLS, callAndFault, faultWorld, checkStoredState } from './support/store-faults.mjs';
import { exactContext, exactIdentity, asStored, reordered } from './support/exact-json.mjs';

const RUNS_PER_CALL = 1000;
const STORE_FAULT_RUNS = 2000;
const EXACT_RUNS = 500;
/** A call that has not settled by then hangs. */
const HANG_MS = 10_000;
/** Cases on one engine before the world is made anew, so the refusal check (which lists it all) stays cheap. */
const CASES_PER_WORLD = 64;

/** Settles `promise` within HANG_MS: `{value}`, `{error}`, or a failed assertion naming `what`. */
async function settle(promise, what) {
  let timer;
  const hang = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ hang: true }), HANG_MS);
  });
  try {
    const outcome = await Promise.race([promise.then((value) => ({ value }), (error) => ({ error })), hang]);
    assert.ok(!outcome.hang, `${what} did not settle within ${HANG_MS} ms`);
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

/** An engine with runs in every scope of SCOPES — queued, running and completed (with a notification) — for users 7 and "7". */
async function makeWorld() {
  const engine = await api.createEngine();
  const runs = [];
  const notifications = [];
  let events;
  for (const scope of SCOPES) {
    for (const user of ['7', 7]) {
      const start = (identity) => engine.startRun({ ...scope, user_id: user, type: TYPES[0], identity });
      const queued = await start('queued');
      events = queued.events;
      const running = (await start('running')).run;
      await engine.updateRun(scope, running.id, { status: 'running' });
      const done = (await start('done')).run;
      await engine.updateRun(scope, done.id, { status: 'running' });
      const completed = await engine.updateRun(scope, done.id, { status: 'completed', outcome: 'succeeded' });
      runs.push(...[queued.run, running, done].map((r) => ({ scope, id: r.id })));
      notifications.push({ scope, user, id: completed.notifications[0].id });
    }
  }
  return { engine, runs, notifications, events, cases: 0 };
}

/** Everything a caller of SCOPES can see: a refused call must leave it exactly as it was. */
async function snapshot({ engine }) {
  const seen = [];
  for (const scope of SCOPES) {
    seen.push(await engine.listRuns(scope, { limit: 1000 }));
    for (const user of USERS) seen.push(await engine.listNotifications(scope, user, { limit: 1000 }));
  }
  return seen;
}

/** Counts of what the cases answered, by result or refusal code: the diagnostic shows how deep they reached. */
function tally() {
  const counts = {};
  return {
    add: (outcome) => {
      const key = 'error' in outcome ? outcome.error?.code ?? 'thrown' : 'result';
      counts[key] = (counts[key] ?? 0) + 1;
    },
    toString: () => Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', '),
  };
}

/**
 * One generated call on `world`: a valid result or a documented refusal that changed nothing; then a full
 * lifecycle. Returns the outcome.
 */
async function runCase(world, spec, plans) {
  const args = plans.map(materialize);
  const writes = spec.name.startsWith('engine.') && !spec.sync;
  const before = writes ? await snapshot(world) : null;
  let outcome;
  if (spec.sync) {
    try {
      outcome = { value: spec.invoke(world.engine, args) };
    } catch (error) {
      outcome = { error };
    }
  } else {
    let promise;
    try {
      promise = spec.invoke(world.engine, args);
    } catch (error) {
      assert.fail(`${spec.name} threw synchronously instead of rejecting: ${describeThrown(error)}`);
    }
    assert.equal(typeof promise?.then, 'function', `${spec.name} answers a Promise`);
    outcome = await settle(promise, spec.name);
  }
  if ('error' in outcome) {
    checkRefusal(outcome.error, spec.codes);
    if (before) assert.deepEqual(await snapshot(world), before, `a refused ${spec.name} changed what the scopes see`);
  } else {
    await spec.check(outcome.value, args, world.engine);
  }
  assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false, 'Object.prototype is not polluted');
  await assertFullLifecycle(world.engine, LIFECYCLE_SCOPE);
  return outcome;
}

describe('the boundary under generated input', () => {
  let world;
  let specs;

  before(async () => {
    world = await makeWorld();
    specs = calls(world);
  });

  it('covers every export and every Engine method; ERROR_CODES is the ErrorCode union of index.d.ts', () => {
    const covered = new Set(specs.map((s) => s.name));
    const values = ['ERROR_CODES', 'STORE_METHODS', 'RUN_ENQUEUED', 'OpsUxError', 'Engine'];
    for (const name of Object.keys(api)) {
      if (values.includes(name)) continue;
      assert.ok(covered.has(name), `the export ${name} has no generated call`);
    }
    for (const name of Object.getOwnPropertyNames(api.Engine.prototype)) {
      if (['constructor', 'embedded', 'free'].includes(name)) continue;
      assert.ok(covered.has(`engine.${name}`), `Engine.prototype.${name} has no generated call`);
    }
    const dts = readFileSync(new URL('../../pkg/index.d.ts', import.meta.url), 'utf8');
    const union = dts.match(/export type ErrorCode =([^;]+);/)[1].match(/'E_[A-Z_]+'/g).map((c) => c.slice(1, -1));
    assert.deepEqual([...api.ERROR_CODES].sort(), union.sort());
  });

  const names = [
    'engine.startRun', 'engine.updateRun', 'engine.getRun', 'engine.listRuns', 'engine.listNotifications',
    'engine.markNotificationRead', 'engine.reconcile', 'engine.checkUpdate', 'engine.planStart', 'checkUpdate',
    'planStart', 'sanitizeSummaryCounts', 'sanitizeFailureSummary', 'createEngine', 'dispatchRunEvents',
  ];
  for (const name of names) {
    it(`${name}: a valid result or a documented refusal that changes nothing; the engine works after every case`, { timeout: 600_000 }, async (t) => {
      const spec = specs.find((s) => s.name === name);
      assert.ok(spec, `no generated call named ${name}`);
      let cases = 0;
      const answered = tally();
      await fc.assert(
        fc.asyncProperty(spec.args, async (plans) => {
          if (++world.cases % CASES_PER_WORLD === 0) {
            const ids = world.runs.map((r) => r.id);
            world.engine.free();
            world = { ...(await makeWorld()), cases: world.cases };
            assert.deepEqual(world.runs.map((r) => r.id), ids, 'a new world has the same run ids');
          }
          answered.add(await runCase(world, spec, plans));
          cases++;
        }),
        params(RUNS_PER_CALL),
      );
      t.diagnostic(`${cases} cases (${answered}), seed ${SEED}`);
    });
  }
});

describe('a host store that throws, rejects or answers garbage', () => {
  it('every call refuses with E_STORE when its store method fails or lies, changes nothing it should not, and the engine works on', { timeout: 600_000 }, async (t) => {
    const embedded = await api.createEngine();
    let cases = 0;
    const answered = tally();
    await fc.assert(
      fc.asyncProperty(callAndFault, async ([callName, plan]) => {
        const w = await faultWorld(plan);
        const { reaches, call, check } = CALLS[callName];
        const before = w.ref.dump();
        w.store.enable();
        const outcome = await settle(Promise.resolve().then(() => call(w)), callName);
        w.store.disable();
        const fired = w.store.fault.fired > 0;
        if (fired) assert.ok(reaches.includes(plan.method), `${callName} reaches only the store's ${reaches.join(' and ')}`);
        if (plan.cold) assert.equal(fired, reaches.includes(plan.method), `${callName} on a cold engine reaches the store's ${reaches.join(' and ')}`);
        if ('error' in outcome) {
          checkRefusal(outcome.error);
          if (w.untouched) assert.deepEqual(w.ref.dump(), before, 'a refusal after a fault that never reached the store left it as it was');
        } else {
          await check(outcome.value, w);
        }
        const mustRefuse =
          fired &&
          (plan.mode === 'throw' || plan.mode === 'reject' || w.fired.some((f) => f.legal === false || f.corrupted || (f.recordShown && callName !== 'reconcile (every scope)')));
        if (mustRefuse) {
          assert.ok('error' in outcome, `${callName} resolved although the store's ${plan.method} failed (${plan.mode})`);
          checkRefusal(outcome.error, ['E_STORE']);
        }
        checkStoredState(w.ref);
        await assertFullLifecycle(w.engine);
        await assertFullLifecycle(embedded);
        answered.add(outcome);
        cases++;
      }),
      params(STORE_FAULT_RUNS),
    );
    t.diagnostic(`${cases} cases (${answered}), seed ${SEED}`);
  });
});

describe('valid input is taken exactly', () => {
  it('any JSON context (lone surrogates as U+FFFD) is stored as JSON reads it; an identity with its keys reordered is the same operation', { timeout: 600_000 }, async (t) => {
    const engine = await api.createEngine();
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SCOPES), fc.constantFrom(...USERS, null), exactIdentity, exactContext, exactContext, async (scope, user, identity, context, later) => {
        const request = { ...scope, user_id: user, type: TYPES[1], identity, context };
        // U+FFFD is what a lone surrogate becomes, so an identity that holds one is refused (README).
        if (JSON.stringify(identity).includes('\uFFFD')) {
          const refused = await settle(engine.startRun(request), 'startRun');
          assert.ok('error' in refused, 'an identity with U+FFFD is refused');
          checkRefusal(refused.error, ['E_INVALID_INPUT']);
          return;
        }
        const first = await engine.startRun(request);
        assert.equal(first.deduped, false, 'a new operation');
        assert.deepEqual(first.run.context, asStored(context), 'the context as JSON reads it');
        assert.deepEqual(await engine.getRun(scope, first.run.id), first.run);
        const again = await engine.startRun({ ...scope, user_id: user, type: TYPES[1], identity: reordered(identity), context: later });
        assert.equal(again.deduped, true, 'the same identity, keys in another order, is the same operation');
        assert.deepEqual(again.run, first.run, 'the duplicate is the first run, unchanged');
        const updated = await engine.updateRun(scope, first.run.id, { context: later });
        assert.deepEqual(updated.run.context, asStored(later), 'an updated context as JSON reads it');
        await engine.updateRun(scope, first.run.id, { status: 'completed', outcome: 'cancelled' });
        cases++;
      }),
      params(EXACT_RUNS),
    );
    t.diagnostic(`${cases} cases, seed ${SEED}`);
  });

  it('checkUpdate (engine and pure, with and without options) decides exactly what updateRun does', { timeout: 600_000 }, async (t) => {
    const engine = await api.createEngine();
    const path = fc.array(fc.constantFrom({ status: 'running' }, { status: 'completed', outcome: 'failed' }, { status: 'completed', outcome: 'succeeded' }), { maxLength: 2 });
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(7, null), path, validUpdate, async (user, steps, update) => {
        let run = (await engine.startRun({ ...SCOPES[0], user_id: user, type: TYPES[0], identity: ++cases })).run;
        for (const step of steps) run = (await engine.updateRun(SCOPES[0], run.id, step).catch(() => ({ run }))).run;
        // An update JSON cannot even carry (a forbidden key such as __proto__, too deep) makes checkUpdate throw
        // the refusal rather than answer it: the same decision, told another way.
        const verdictOf = (check) => {
          try {
            return check();
          } catch (error) {
            checkRefusal(error, ['E_INVALID_INPUT']);
            return { ok: false, error };
          }
        };
        const verdicts = [() => engine.checkUpdate(run, update), () => api.checkUpdate(run, update), () => api.checkUpdate(run, update, {})].map(verdictOf);
        let done;
        try {
          done = { value: await engine.updateRun(SCOPES[0], run.id, update) };
        } catch (error) {
          done = { error };
        }
        for (const verdict of verdicts) {
          assert.equal(verdict.ok, 'value' in done, `checkUpdate says ${verdict.ok ? 'yes' : verdict.error.message}; updateRun ${'value' in done ? 'applied it' : done.error.message}`);
          if (!verdict.ok) {
            assert.equal(verdict.error.code, done.error.code);
            continue;
          }
          const { run: next, notifications, changed } = done.value;
          assert.deepEqual([verdict.status, verdict.outcome], [next.status, next.outcome]);
          assert.equal(verdict.completes, run.status !== 'completed' && next.status === 'completed');
          assert.equal(verdict.notifies, notifications.length === 1);
          if (verdict.repeats) assert.equal(notifications.length, 0);
          if (verdict.completes) assert.equal(changed, true);
        }
      }),
      params(EXACT_RUNS),
    );
    t.diagnostic(`${cases} cases, seed ${SEED}`);
  });
});

// What the properties above found, pinned as plain cases (each was an engine bug until its fix).
describe('boundary cases the properties found', () => {
  const revoked = (target) => {
    const { proxy, revoke } = Proxy.revocable(target, {});
    revoke();
    return proxy;
  };
  const refuses = (fn) => {
    try {
      fn();
    } catch (error) {
      checkRefusal(error);
      return;
    }
    assert.fail('it did not refuse');
  };

  it('planStart and engine.planStart of a revoked Proxy throw E_INVALID_INPUT', async () => {
    const engine = await api.createEngine();
    refuses(() => api.planStart(revoked([]), request()));
    refuses(() => engine.planStart(revoked([]), request()));
  });

  it('checkUpdate of a run whose outcome contradicts its status throws E_INVALID_INPUT', async () => {
    const engine = await api.createEngine();
    for (const run of [{ status: 'queued', outcome: 'succeeded' }, { status: 'running', outcome: 'failed' }, { status: 'completed', outcome: null }]) {
      for (const update of [{}, { status: 'running' }, { status: 'completed', outcome: 'failed' }, { context: { a: 1 } }]) {
        refuses(() => api.checkUpdate(run, update));
        refuses(() => api.checkUpdate(run, update, { strictTypes: false }));
        refuses(() => engine.checkUpdate(run, update));
      }
    }
  });

  it('createEngine with an unreadable eventTarget rejects with E_INVALID_INPUT', async () => {
    for (const eventTarget of [revoked({}), { get dispatchEvent() { throw 1; } }]) {
      const outcome = await settle(api.createEngine({ eventTarget }), 'createEngine');
      assert.ok('error' in outcome, 'it refuses');
      checkRefusal(outcome.error);
    }
  });

  it('dispatchRunEvents of what is not a list of events throws E_INVALID_INPUT; arrays without an iterator are read', () => {
    const target = new EventTarget();
    const event = { name: 'run-enqueued', detail: {} };
    for (const events of [42, null, [null], [1], [{ name: Symbol('x') }], [revoked({})], [, event]]) refuses(() => api.dispatchRunEvents(events, target)); // eslint-disable-line no-sparse-arrays
    for (const events of [Object.setPrototypeOf([event], null), Object.assign([event], { [Symbol.iterator]: () => { throw new Error('iterator'); } })]) {
      let seen = 0;
      const counting = new EventTarget();
      counting.addEventListener('run-enqueued', () => seen++);
      api.dispatchRunEvents(events, counting);
      assert.equal(seen, 1, 'the one event is dispatched');
    }
    refuses(() => api.dispatchRunEvents([], revoked({})));
    // A target is host code, like a store: what its dispatchEvent throws comes back typed.
    refuses(() => api.dispatchRunEvents([{ name: 'run-enqueued', detail: {} }], { dispatchEvent: () => { throw new Error('broken target'); } }));
  });

  it('a store answer that breaks the record\'s invariants is refused with E_STORE, not passed on', async () => {
    const spoiled = [
      ['startRun (new)', 'insertRun', 'type', 'Not A Type'],
      ['getRun', 'getRun', 'type', 'x y'],
      ['getRun', 'getRun', 'dedup_key', 'other.type#1'],
      ['getRun', 'getRun', 'failure_summary', [{ code: 'a', message: 'line\nbreak' }]],
      ['getRun', 'getRun', 'completed_at', '2020-01-01T00:00:00.000Z'],
      ['getRun', 'getRun', 'created_at', '2999-01-01T00:00:00.000Z'],
      ['listNotifications', 'listNotifications', 'id', 'not-a-uuid'],
    ];
    for (const [callName, method, field, value] of spoiled) {
      const w = await faultWorld({ method, mode: 'spoil', field, how: 'set', value, async: false, cold: true });
      w.store.enable();
      const outcome = await settle(Promise.resolve().then(() => CALLS[callName].call(w)), callName);
      w.store.disable();
      assert.ok('error' in outcome, `${callName} passed on a ${method} answer whose ${field} is ${JSON.stringify(value).slice(0, 40)}`);
      checkRefusal(outcome.error, ['E_STORE']);
    }
  });

  it('U+FFFD in an identity or a string id is refused, saying why: it is what a lone surrogate becomes', async () => {
    const engine = await api.createEngine();
    for (const request of [
      { ...SCOPE, type: TYPES[0], identity: 'caf\uFFFD' },
      { ...SCOPE, type: TYPES[0], identity: { '\uFFFD': [] } },
      { ...SCOPE, type: TYPES[0], identity: '\uD800' },
      { workspace_id: 'w\uFFFD', tenant_id: 1, type: TYPES[0] },
    ]) {
      const outcome = await settle(engine.startRun(request), 'startRun');
      assert.ok('error' in outcome, `${JSON.stringify(request)} was accepted`);
      checkRefusal(outcome.error, ['E_INVALID_INPUT']);
      assert.match(outcome.error.message, /U\+FFFD/, 'the message names U+FFFD');
    }
  });

  it('an engine after free() refuses with a documented code, and a second free() is harmless', async () => {
    const engine = await api.createEngine();
    const { run } = await engine.startRun(request());
    engine.free();
    for (const call of [() => engine.getRun(SCOPE, run.id), () => engine.startRun(request()), () => engine.listNotifications(SCOPE, USER)]) {
      const outcome = await settle(Promise.resolve().then(call), 'a call after free()');
      assert.ok('error' in outcome);
      checkRefusal(outcome.error);
    }
    refuses(() => engine.checkUpdate(run, { summary_counts: { total: 1 } }));
    assert.doesNotThrow(() => engine.free(), 'free() twice');
  });
});
