// Proves the pure functions (checkUpdate, planStart, sanitizers) make exactly the engine's decisions, synchronously, with typed errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, checkUpdate, planStart, sanitizeSummaryCounts, sanitizeFailureSummary, OpsUxError } from 'ops-ux-engine';
import { SCOPE, OTHER_TENANT, OTHER_WORKSPACE, TYPE, OUTCOMES, request, rejectsWith, throwsWith, checkOpsUxError } from './support/helpers.mjs';

const STATES = ['queued', 'running', ...OUTCOMES];
const UPDATES = [
  {},
  { status: 'queued' },
  { status: 'running' },
  { status: 'completed' },
  ...OUTCOMES.map((outcome) => ({ status: 'completed', outcome })),
  ...OUTCOMES.map((outcome) => ({ outcome })),
  { status: 'running', outcome: 'failed' },
  { status: 'completed', outcome: 'failed', summary_counts: { failed: 2 }, failure_summary: ['boom'] },
  { summary_counts: { processed: 1 } },
  { failure_summary: [{ code: 'x', message: 'y' }] },
  { context: { note: 'n' } },
  { status: 'completed', outcome: 'cancelled', context: { note: 'n' } },
  { status: 'finished' },
  { outcome: 'ok', status: 'completed' },
  { sumary_counts: { processed: 1 } },
  { summary_counts: 3 },
  { failure_summary: 'boom' },
  { context: [1] },
  null,
];

async function runIn(engine, state, userId) {
  const { run } = await engine.startRun(request({ user_id: userId, identity: Math.random() }));
  if (state === 'queued') return run;
  const running = (await engine.updateRun(SCOPE, run.id, { status: 'running' })).run;
  if (state === 'running') return running;
  return (await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: state })).run;
}

describe('checkUpdate agrees with updateRun', () => {
  for (const userId of [7, null]) {
    it(`every (state, update) pair, user_id ${userId}: same allow/refuse, code, status, outcome, notification`, async () => {
      const engine = await createEngine();
      let compared = 0;
      for (const state of STATES) {
        for (const update of UPDATES) {
          const label = `${state} + ${JSON.stringify(update)}`;
          const run = await runIn(engine, state, userId);
          const verdict = checkUpdate(run, update);
          assert.deepEqual(engine.checkUpdate(run, update).ok, verdict.ok, label);
          let result;
          try {
            result = { ok: true, value: await engine.updateRun(SCOPE, run.id, update) };
          } catch (error) {
            result = { ok: false, error };
          }
          assert.equal(verdict.ok, result.ok, `${label}: ${verdict.error?.message ?? result.error?.message}`);
          if (!verdict.ok) {
            checkOpsUxError(verdict.error, result.error.code);
            assert.equal(Object.keys(verdict).sort().join(), 'error,ok');
          } else {
            const { run: next, notifications, changed } = result.value;
            assert.equal(verdict.status, next.status, label);
            assert.equal(verdict.outcome, next.outcome, label);
            assert.equal(verdict.completes, run.status !== 'completed' && next.status === 'completed', label);
            assert.equal(verdict.repeats, run.status === 'completed' && update?.status === 'completed', label);
            assert.equal(verdict.notifies, notifications.length === 1, label);
            assert.equal(verdict.notifies, verdict.completes && userId !== null, label);
            if (verdict.repeats) assert.deepEqual(notifications, [], label);
            if (verdict.completes) assert.equal(changed, true, label);
          }
          compared++;
        }
      }
      assert.equal(compared, STATES.length * UPDATES.length);
    });
  }

  it('needs only status and outcome; an unreadable run throws E_INVALID_INPUT', () => {
    assert.deepEqual(checkUpdate({ status: 'queued', outcome: null }, { status: 'running' }),
      { ok: true, status: 'running', outcome: null, completes: false, repeats: false, notifies: false });
    assert.equal(checkUpdate({ status: 'running' }, { status: 'completed', outcome: 'failed' }).completes, true);
    for (const run of [null, undefined, 'queued', 3, { status: 'bogus' }, { status: 'completed', outcome: 'meh' }]) {
      throwsWith(() => checkUpdate(run, {}), 'E_INVALID_INPUT');
    }
    const hostile = { status: 'queued', get outcome() { throw new Error('getter'); } };
    throwsWith(() => checkUpdate(hostile, {}), 'E_INVALID_INPUT');
  });

  it('engine.checkUpdate and engine.updateRun share the engine options (limits)', async () => {
    const engine = await createEngine({ limits: { maxContextBytes: 16 } });
    const run = await runIn(engine, 'running', 7);
    const update = { context: { note: 'longer than sixteen bytes' } };
    const verdict = engine.checkUpdate(run, update);
    assert.equal(verdict.ok, false);
    checkOpsUxError(verdict.error, 'E_INVALID_INPUT');
    await rejectsWith(engine.updateRun(SCOPE, run.id, update), 'E_INVALID_INPUT');
    assert.equal(checkUpdate(run, update).ok, true, 'the default limits allow it');
  });
});

describe('planStart', () => {
  const req = request({ identity: { b: 2, a: 1 } });
  const key = 'inventory.sync#{"a":1,"b":2}';

  it('finds the active duplicate by scope + dedup_key and returns the caller\'s own object', () => {
    const mine = { id: 'r-9', ...SCOPE, status: 'running', dedup_key: key, extra: { keep: true } };
    const active = [
      { id: 1, ...SCOPE, status: 'completed', dedup_key: key },
      { id: 2, ...OTHER_TENANT, status: 'queued', dedup_key: key },
      { id: 3, ...OTHER_WORKSPACE, status: 'queued', dedup_key: key },
      { id: 4, ...SCOPE, status: 'queued', dedup_key: TYPE },
      mine,
    ];
    const plan = planStart(active, req);
    assert.equal(plan.deduped, true);
    assert.equal(plan.run, mine, 'the very object the caller passed');
    assert.equal(plan.dedup_key, key);
    assert.deepEqual(plan.toast, { kind: 'already_queued', title: 'Inventory sync already queued', body: plan.toast.body, run_id: 'r-9' });
    assert.deepEqual(plan.events, [{
      name: 'run-enqueued',
      detail: { run_id: 'r-9', workspace_id: 1, tenant_id: 10, type: TYPE, status: 'running', deduped: true },
    }]);
  });

  it('without an active duplicate: a queued plan with no run', () => {
    const plan = planStart([{ id: 1, ...SCOPE, status: 'completed', dedup_key: key }], req);
    assert.equal(plan.deduped, false);
    assert.equal(plan.run, null);
    assert.equal(plan.toast.kind, 'queued');
    assert.equal(plan.toast.title, 'Inventory sync queued');
    assert.equal(plan.toast.run_id, null);
    assert.deepEqual(plan.events[0].detail, { run_id: null, workspace_id: 1, tenant_id: 10, type: TYPE, status: 'queued', deduped: false });
    assert.deepEqual(planStart([], req), plan);
  });

  it('dedup_key and toast equal what the engine stores and returns for the same request', async () => {
    const engine = await createEngine({ labels: { 'inventory.sync': 'Stock sync' } });
    assert.equal(planStart([], request({ identity: null })).dedup_key, TYPE, 'a null identity is no identity');
    for (const identity of [undefined, 'x', 42, [2, 1], { z: { y: 1, x: [true, null] }, a: 'é' }]) {
      const r = request({ identity });
      const before = engine.planStart(await engine.listRuns(SCOPE, { status: ['queued', 'running'] }), r);
      const started = await engine.startRun(r);
      assert.equal(before.dedup_key, started.run.dedup_key, JSON.stringify(identity));
      assert.deepEqual({ ...before.toast, run_id: started.run.id }, started.toast);
      assert.equal(before.toast.title, 'Stock sync queued');
      const after = engine.planStart(await engine.listRuns(SCOPE), r);
      assert.deepEqual(after.run, started.run);
      assert.deepEqual(after.toast, (await engine.startRun(r)).toast);
      assert.deepEqual(after.events, (await engine.startRun(r)).events);
    }
  });

  it('refuses what the engine refuses, with E_INVALID_INPUT', () => {
    for (const active of [null, 'runs', 3, { length: 0 }]) throwsWith(() => planStart(active, req), 'E_INVALID_INPUT');
    for (const active of [[null], [{ id: 1 }], [{ ...SCOPE, status: 'done', dedup_key: key }]]) {
      throwsWith(() => planStart(active, req), 'E_INVALID_INPUT');
    }
    for (const bad of [null, {}, request({ type: 'Bad Type' }), request({ extra: 1 }), request({ tenant_id: 1.5 })]) {
      throwsWith(() => planStart([], bad), 'E_INVALID_INPUT');
    }
  });
});

describe('sanitizers', () => {
  it('sanitizeSummaryCounts keeps whitelisted non-negative safe integers (summaryKeys option)', () => {
    assert.deepEqual(
      sanitizeSummaryCounts({ total: 10, processed: 4, bogus: 1, failed: -1, skipped: 1.5, created: NaN, updated: '2', deleted: -0, warnings: 2 ** 53 }),
      { deleted: 0, processed: 4, total: 10 },
    );
    assert.deepEqual(sanitizeSummaryCounts({ moved: 3, total: 1 }, { summaryKeys: ['moved'] }), { moved: 3 });
    assert.deepEqual(sanitizeSummaryCounts({}), {});
    for (const bad of [[1, 2], 'x', 3, null, undefined, true]) throwsWith(() => sanitizeSummaryCounts(bad), 'E_INVALID_INPUT');
    throwsWith(() => sanitizeSummaryCounts({}, { summaryKeys: ['Total'] }), 'E_INVALID_INPUT');
  });

  it('sanitizeFailureSummary bounds entries and message length (limits option)', () => {
    const list = Array.from({ length: 20 }, (_, i) => ({ code: `c${i}`, reason_code: 'R', message: 'm'.repeat(300) }));
    const def = sanitizeFailureSummary(list);
    assert.equal(def.length, 10);
    assert.equal([...def[0].message].length, 240);
    assert.equal(def[0].reason_code, 'R');
    const small = sanitizeFailureSummary(list, { limits: { maxFailures: 3, maxMessageLength: 50 } });
    assert.deepEqual(small.map((f) => f.code), ['c0', 'c1', 'c2']);
    assert.equal(small[0].message, `${'m'.repeat(49)}…`);
    assert.deepEqual(sanitizeFailureSummary(list, { limits: { maxFailures: 0 } }), []);
    assert.deepEqual(sanitizeFailureSummary(['plain', 42, null, { message: 'no code' }]), [
      { code: 'unknown', message: 'plain' },
      { code: 'unknown', message: 'no code' },
    ]);
    for (const bad of [{ code: 'x' }, 'x', 3, null, undefined]) throwsWith(() => sanitizeFailureSummary(bad), 'E_INVALID_INPUT');
    for (const limits of [{ maxFailures: -1 }, { maxFailures: 101 }, { maxMessageLength: 15 }, { maxMessageLength: 2.5 }, { maxBytes: 1 }]) {
      throwsWith(() => sanitizeFailureSummary([], { limits }), 'E_INVALID_INPUT');
    }
  });
});

describe('JSON-hostile input to the pure functions', () => {
  const cyclic = () => {
    const o = { a: 1 };
    o.self = o;
    return o;
  };
  const thrower = () => ({ get message() { throw new Error('getter'); } });
  /** A thrown OpsUxError, or (checkUpdate only) an {ok:false} verdict: E_INVALID_INPUT either way, never a TypeError. */
  function invalid(fn) {
    let value;
    try {
      value = fn();
    } catch (error) {
      assert.ok(!(error instanceof TypeError) || error instanceof OpsUxError, `a raw ${error?.name}: ${error?.message}`);
      return checkOpsUxError(error, 'E_INVALID_INPUT');
    }
    assert.equal(value?.ok, false, `expected E_INVALID_INPUT, got ${JSON.stringify(value)}`);
    return checkOpsUxError(value.error, 'E_INVALID_INPUT');
  }

  for (const [name, make] of [['BigInt', () => 10n], ['cyclic', cyclic], ['throwing getter', thrower]]) {
    it(`${name} anywhere → E_INVALID_INPUT OpsUxError`, () => {
      invalid(() => sanitizeSummaryCounts({ total: make() }));
      invalid(() => sanitizeSummaryCounts(make()));
      invalid(() => sanitizeFailureSummary([make()]));
      invalid(() => sanitizeFailureSummary([{ code: 'x', message: make() }]));
      invalid(() => checkUpdate({ status: 'running', outcome: null }, { context: { x: make() } }));
      invalid(() => checkUpdate({ status: 'running', outcome: null, id: make() }, {}));
      invalid(() => planStart([], request({ identity: make() })));
      invalid(() => planStart([{ ...SCOPE, status: 'queued', dedup_key: TYPE, id: make() }], request()));
      invalid(() => sanitizeFailureSummary([], { limits: { maxFailures: make() } }));
    });
  }
});
