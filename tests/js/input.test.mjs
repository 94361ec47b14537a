// Proves bad input through every public method is a typed OpsUxError (never a raw throw, trap or lost run) and the engine survives it.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from 'ops-ux-engine';
import { ReferenceStore, asyncStore } from './support/stores.mjs';
import { SCOPE, USER, request, rejectsWith, assertFullLifecycle } from './support/helpers.mjs';
import { deep, deepArray } from './support/hostile.mjs';

const HUGE = 'x'.repeat(5 * 1024 * 1024);
const PROTO = () => JSON.parse('{"__proto__": {"polluted": true}}');
const throwingGetter = (obj, key) => Object.defineProperty({ ...obj }, key, { enumerable: true, get() { throw new Error('getter'); } });

/** [label, (engine, ctx) => Promise, code?]: each must reject with an OpsUxError of `code` (default E_INVALID_INPUT). */
const BAD_CALLS = [
  // startRun: wrong types, missing and unknown fields
  ['startRun()', (e) => e.startRun()],
  ...[null, 'inventory.sync', 42, true, [], [request()]].map((r) => [`startRun(${JSON.stringify(r)})`, (e) => e.startRun(r)]),
  ['startRun without type', (e) => e.startRun({ ...SCOPE })],
  ['startRun without workspace_id', (e) => e.startRun({ tenant_id: 1, type: 'inventory.sync' })],
  ['startRun without tenant_id', (e) => e.startRun({ workspace_id: 1, type: 'inventory.sync' })],
  ['startRun with an unknown field', (e) => e.startRun(request({ identiy: 1 }))],
  ['startRun with a bad type name', (e) => e.startRun(request({ type: 'Inventory Sync' }))],
  ['startRun with type 42', (e) => e.startRun(request({ type: 42 }))],
  ['startRun with context [1]', (e) => e.startRun(request({ context: [1] }))],
  ['startRun with context "x"', (e) => e.startRun(request({ context: 'x' }))],
  ['startRun with user_id true', (e) => e.startRun(request({ user_id: true }))],
  ['startRun with user_id ""', (e) => e.startRun(request({ user_id: '' }))],
  ['startRun with a huge context', (e) => e.startRun(request({ context: { huge: HUGE } }))],
  ['startRun with a 20 KB context', (e) => e.startRun(request({ context: { big: 'y'.repeat(20000) } }))],
  ['startRun with a 600-byte identity', (e) => e.startRun(request({ identity: 'y'.repeat(600) }))],
  ['startRun with a huge type', (e) => e.startRun(request({ type: HUGE }))],
  ['startRun with a 200-char workspace id', (e) => e.startRun(request({ workspace_id: 'w'.repeat(200) }))],
  ['startRun with a control char in an id', (e) => e.startRun(request({ tenant_id: 'a\nb' }))],
  // JSON-hostile values
  ['__proto__ in context', (e) => e.startRun(request({ context: PROTO() }))],
  ['__proto__ nested in context', (e) => e.startRun(request({ context: { a: [PROTO()] } }))],
  ['__proto__ in identity', (e) => e.startRun(request({ identity: PROTO() }))],
  ['__proto__ in the request', (e) => e.startRun({ ...JSON.parse('{"__proto__": 1}'), ...request() })],
  ['__proto__ in an update context', (e, c) => e.updateRun(SCOPE, c.runId, { context: PROTO() })],
  ['context nested 1000 deep', (e) => e.startRun(request({ context: deep(1000) }))],
  ['identity nested 1000 deep', (e) => e.startRun(request({ identity: deep(1000) }))],
  ['failure_summary nested 1000 deep', (e, c) => e.updateRun(SCOPE, c.runId, { failure_summary: deepArray(1000) })],
  ['BigInt user_id', (e) => e.startRun(request({ user_id: 7n }))],
  ['BigInt in context', (e) => e.startRun(request({ context: { n: 1n } }))],
  ['BigInt summary count', (e, c) => e.updateRun(SCOPE, c.runId, { summary_counts: { total: 5n } })],
  ['a getter that throws in the request', (e) => e.startRun(throwingGetter(request(), 'type'))],
  ['a getter that throws in the update', (e, c) => e.updateRun(SCOPE, c.runId, throwingGetter({}, 'status'))],
  ['a getter that throws in the scope', (e, c) => e.getRun(throwingGetter(SCOPE, 'tenant_id'), c.runId)],
  ['a toJSON that throws', (e) => e.startRun(request({ context: { toJSON() { throw new Error('toJSON'); } } }))],
  ['a cyclic context', (e) => { const ctx = {}; ctx.ctx = ctx; return e.startRun(request({ context: ctx })); }],
  // Promises, functions and symbols where values belong
  ['a Promise as the request', (e) => e.startRun(Promise.resolve(request()))],
  ['a Promise as the scope', (e, c) => e.getRun(Promise.resolve(SCOPE), c.runId)],
  ['a Promise as the run id', (e, c) => e.getRun(SCOPE, Promise.resolve(c.runId))],
  ['a Promise as user_id', (e) => e.startRun(request({ user_id: Promise.resolve(USER) }))],
  ['a Promise as the update', (e, c) => e.updateRun(SCOPE, c.runId, Promise.resolve({ status: 'running' }))],
  ['a function as user_id', (e) => e.startRun(request({ user_id: () => USER }))],
  ['a Symbol as user_id', (e) => e.startRun(request({ user_id: Symbol('user') }))],
  ['a function as context', (e) => e.startRun(request({ context: () => ({}) }))],
  ['a function as identity', (e) => e.startRun(request({ identity: () => 1 }))],
  ['a function as summary_counts', (e, c) => e.updateRun(SCOPE, c.runId, { summary_counts: () => ({ total: 1 }) })],
  ['a Symbol as the status', (e, c) => e.updateRun(SCOPE, c.runId, { status: Symbol('running') })],
  // ids: NaN, Infinity, huge, fractional
  ...[NaN, Infinity, -Infinity, 1e300, 1.5, 2 ** 53, -(2 ** 53), '', null, undefined, {}, [1], true].map((id) => [
    `getRun with run id ${String(id)}`, (e) => e.getRun(SCOPE, id)]),
  ...[NaN, Infinity, 1.5, 1e300].map((id) => [`a workspace_id of ${id}`, (e) => e.startRun(request({ workspace_id: id }))]),
  ['-5 as a run id (valid, absent)', (e) => e.getRun(SCOPE, -5), 'E_NOT_FOUND'],
  // updateRun
  ['updateRun without an update', (e, c) => e.updateRun(SCOPE, c.runId)],
  ['updateRun with update null', (e, c) => e.updateRun(SCOPE, c.runId, null)],
  ['updateRun with update "running"', (e, c) => e.updateRun(SCOPE, c.runId, 'running')],
  ['updateRun with sumary_counts (typo)', (e, c) => e.updateRun(SCOPE, c.runId, { sumary_counts: { total: 1 } })],
  ['updateRun with status "done"', (e, c) => e.updateRun(SCOPE, c.runId, { status: 'done' })],
  ['updateRun with status "RUNNING"', (e, c) => e.updateRun(SCOPE, c.runId, { status: 'RUNNING' })],
  ['updateRun with outcome "ok"', (e, c) => e.updateRun(SCOPE, c.runId, { status: 'completed', outcome: 'ok' })],
  ['updateRun with summary_counts 3', (e, c) => e.updateRun(SCOPE, c.runId, { summary_counts: 3 })],
  ['updateRun with failure_summary "x"', (e, c) => e.updateRun(SCOPE, c.runId, { failure_summary: 'boom' })],
  ['updateRun with context [1]', (e, c) => e.updateRun(SCOPE, c.runId, { context: [1] })],
  ['updateRun with scope null', (e, c) => e.updateRun(null, c.runId, { status: 'running' })],
  ['updateRun with a scope missing tenant_id', (e, c) => e.updateRun({ workspace_id: 1 }, c.runId, {})],
  // lists and notifications
  ...[0, 1001, 1.5, -1, 1e300, '10'].map((limit) => [`listRuns limit ${String(limit)}`, (e) => e.listRuns(SCOPE, { limit })]),
  ['listRuns with status "done"', (e) => e.listRuns(SCOPE, { status: 'done' })],
  ['listRuns with status ["queued", 3]', (e) => e.listRuns(SCOPE, { status: ['queued', 3] })],
  ['listRuns with an unknown filter field', (e) => e.listRuns(SCOPE, { statuz: 'queued' })],
  ['listRuns with filter "queued"', (e) => e.listRuns(SCOPE, 'queued')],
  ['listRuns without a scope', (e) => e.listRuns()],
  ['listNotifications without a user', (e) => e.listNotifications(SCOPE)],
  ['listNotifications with unread "yes"', (e) => e.listNotifications(SCOPE, USER, { unread: 'yes' })],
  ['listNotifications with limit 0', (e) => e.listNotifications(SCOPE, USER, { limit: 0 })],
  ['markNotificationRead with id 5', (e) => e.markNotificationRead(SCOPE, USER, 5)],
  ['markNotificationRead without an id', (e) => e.markNotificationRead(SCOPE, USER)],
  ['markNotificationRead of an unknown id', (e) => e.markNotificationRead(SCOPE, USER, 'nope'), 'E_NOT_FOUND'],
];

const BAD_OPTIONS = [
  null, 'x', 42, { lables: {} }, { clock: 5 }, { clock: 'now' }, { dispatchEvents: 'yes' }, { eventTarget: {} },
  { limits: { maxFailures: NaN } }, { limits: { maxFailures: 1000 } }, { limits: { maxMessageLength: 1 } }, { limits: { nope: 1 } },
  { summaryKeys: 'total' }, { summaryKeys: ['Total'] }, { labels: { 'inventory.sync': '' } }, { labels: { 'Bad Name': 'x' } },
  { strictTypes: 'yes' }, { labels: PROTO() }, { summaryKeys: [1n] },
];

for (const kind of ['embedded', 'asyncStore(ReferenceStore)']) {
  describe(`bad input — ${kind}`, () => {
    let engine;
    let store;
    const ctx = {};
    before(async () => {
      store = kind === 'embedded' ? undefined : new ReferenceStore();
      engine = await createEngine(store ? { store: asyncStore(store) } : {});
      ctx.run = (await engine.startRun(request({ identity: 'target' }))).run;
      ctx.runId = ctx.run.id;
    });

    for (const [label, call, code = 'E_INVALID_INPUT'] of BAD_CALLS) {
      it(`${label} → ${code}`, async () => {
        let promise;
        assert.doesNotThrow(() => {
          promise = call(engine, ctx);
        }, 'engine methods reject, they never throw synchronously');
        assert.equal(typeof promise?.then, 'function');
        await rejectsWith(promise, code);
        assert.deepEqual(await engine.getRun(SCOPE, ctx.runId), ctx.run, 'the target run is untouched');
      });
    }

    it('nothing polluted Object.prototype', () => {
      assert.equal({}.polluted, undefined);
      assert.equal(Object.prototype.polluted, undefined);
    });

    it('a 5 MB failure message is cut to the limit, not refused', async () => {
      const { run } = await engine.startRun(request({ identity: 'huge-failure' }));
      const res = await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'failed', failure_summary: [HUGE] });
      assert.equal(res.run.status, 'completed');
      assert.equal(res.run.failure_summary[0].message, `${'x'.repeat(239)}…`);
    });

    it('lone surrogates in messages are sanitized, not refused', async () => {
      const { run } = await engine.startRun(request({ identity: 'surrogates' }));
      const res = await engine.updateRun(SCOPE, run.id, { failure_summary: [{ code: 'e', message: 'bad \uD800 high \uDFFF low end' }] });
      const message = res.run.failure_summary[0].message;
      assert.ok(message.isWellFormed(), JSON.stringify(message));
      assert.match(message, /^bad .*high .*low end$/);
      assert.deepEqual((await engine.getRun(SCOPE, run.id)).failure_summary, res.run.failure_summary);
    });

    it('ids with lone surrogates never merge two scopes', async () => {
      const a = { workspace_id: 'ws-\uD800', tenant_id: 1 };
      const b = { workspace_id: 'ws-\uDBFF', tenant_id: 1 };
      let started;
      try {
        started = await engine.startRun({ ...a, type: 'inventory.sync' });
      } catch (error) {
        assert.equal(error.code, 'E_INVALID_INPUT', error.message);
        return;
      }
      await rejectsWith(engine.getRun(b, started.run.id), 'E_NOT_FOUND');
      assert.deepEqual(await engine.listRuns(b), [], 'another workspace sees nothing');
    });

    it('-0 is the id 0; frozen inputs are fine; JSON values like Date become their JSON form', async () => {
      const frozen = Object.freeze({ ...request({ identity: Object.freeze({ k: Object.freeze([1, 2]) }) }),
        workspace_id: -0, context: Object.freeze({ at: new Date(0), list: Object.freeze([1]) }) });
      const { run } = await engine.startRun(frozen);
      assert.ok(Object.is(run.workspace_id, 0));
      assert.deepEqual(run.context, { at: '1970-01-01T00:00:00.000Z', list: [1] });
      const scope = { workspace_id: 0, tenant_id: SCOPE.tenant_id };
      const res = await engine.updateRun(Object.freeze(scope), run.id, Object.freeze({ status: 'running', summary_counts: Object.freeze({ total: 1 }) }));
      assert.equal(res.run.status, 'running');
    });

    for (const options of BAD_OPTIONS) {
      it(`createEngine(${JSON.stringify(options, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}) → E_INVALID_INPUT`, async () => {
        await rejectsWith(createEngine(options), 'E_INVALID_INPUT');
      });
    }

    it('after all of this the same engine instance completes a full lifecycle', async () => {
      await assertFullLifecycle(engine);
      const again = await engine.startRun(request({ identity: 'target' }));
      assert.equal(again.deduped, true, 'the target run still holds its dedup key');
      if (store) assert.ok(store.dump().runs.every((r) => r.workspace_id !== undefined && r.version >= 1));
    });
  });
}
