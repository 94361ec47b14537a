// Proves the product rules (start/dedup, state machine, notifications, scoping, sanitizing, clock) through the built package on every store kind.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  STORE_KINDS, SCOPE, OTHER_TENANT, OTHER_WORKSPACE, USER, TYPE, OUTCOMES, UUID, RFC3339_UTC_MS,
  request, rejectsWith, manualClock,
} from './support/helpers.mjs';

const TITLES = {
  succeeded: 'Inventory sync completed',
  partially_succeeded: 'Inventory sync completed with warnings',
  failed: 'Inventory sync failed',
  cancelled: 'Inventory sync cancelled',
};

for (const kind of STORE_KINDS) {
  describe(`engine rules — ${kind.name}`, () => {
    const fresh = async (options) => (await kind.make(options)).engine;
    /** A run of `engine` moved to `state`: 'queued', 'running' or an outcome (completed from running). */
    async function runIn(engine, state, extra = {}) {
      const { run } = await engine.startRun(request({ identity: { n: Math.random() }, ...extra }));
      if (state === 'queued') return run;
      const running = (await engine.updateRun(SCOPE, run.id, { status: 'running' })).run;
      if (state === 'running') return running;
      return (await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: state })).run;
    }

    describe('starting and dedup', () => {
      it('a start stores a queued run and returns the queued toast and one run-enqueued event', async () => {
        const engine = await fresh();
        const result = await engine.startRun(request({ context: { source: 'ui' } }));
        const { run } = result;
        assert.equal(result.deduped, false);
        assert.equal(run.status, 'queued');
        assert.equal(run.outcome, null);
        assert.equal(run.version, 1);
        assert.equal(run.user_id, USER);
        assert.deepEqual(run.context, { source: 'ui' });
        assert.equal(run.dedup_key, TYPE);
        assert.deepEqual(result.toast, {
          kind: 'queued', title: 'Inventory sync queued', body: result.toast.body, run_id: run.id,
        });
        assert.ok(result.toast.body.length > 0);
        assert.deepEqual(result.events, [{
          name: 'run-enqueued',
          detail: { run_id: run.id, workspace_id: 1, tenant_id: 10, type: TYPE, status: 'queued', deduped: false },
        }]);
        assert.deepEqual(await engine.getRun(SCOPE, run.id), run);
      });

      it('a duplicate start (queued or running) returns the same run with the already-queued toast', async () => {
        const engine = await fresh();
        const first = await engine.startRun(request({ identity: { policy: 5 } }));
        const again = await engine.startRun(request({ identity: { policy: 5 }, user_id: 8 }));
        assert.equal(again.deduped, true);
        assert.equal(again.toast.kind, 'already_queued');
        assert.equal(again.toast.title, 'Inventory sync already queued');
        assert.equal(again.toast.run_id, first.run.id);
        assert.deepEqual(again.run, first.run, 'the stored run is returned as it is (initiator kept)');
        assert.equal(again.events.length, 1);
        assert.equal(again.events[0].detail.deduped, true);
        assert.equal(again.events[0].detail.run_id, first.run.id);
        await engine.updateRun(SCOPE, first.run.id, { status: 'running' });
        const whileRunning = await engine.startRun(request({ identity: { policy: 5 } }));
        assert.equal(whileRunning.deduped, true);
        assert.equal(whileRunning.events[0].detail.status, 'running');
        assert.equal((await engine.listRuns(SCOPE)).length, 1);
      });

      it('identity is compared canonically; other identity, type, tenant or workspace make new runs', async () => {
        const engine = await fresh();
        const base = await engine.startRun(request({ identity: { a: 1, b: { c: 2, d: [1, 2] } } }));
        const reordered = await engine.startRun(request({ identity: { b: { d: [1, 2], c: 2 }, a: 1 } }));
        assert.equal(reordered.deduped, true);
        assert.equal(reordered.run.id, base.run.id);
        const fresh1 = [
          request({ identity: { a: 1, b: { c: 2, d: [2, 1] } } }),
          request({ identity: { a: 2 } }),
          request(),
          request({ identity: { a: 1, b: { c: 2, d: [1, 2] } }, type: 'policy.sync' }),
          request({ identity: { a: 1, b: { c: 2, d: [1, 2] } }, ...OTHER_TENANT }),
          request({ identity: { a: 1, b: { c: 2, d: [1, 2] } }, ...OTHER_WORKSPACE }),
          request({ identity: { a: 1, b: { c: 2, d: [1, 2] } }, tenant_id: '10' }),
        ];
        const ids = new Set([JSON.stringify([base.run.workspace_id, base.run.tenant_id, base.run.id])]);
        for (const r of fresh1) {
          const res = await engine.startRun(r);
          assert.equal(res.deduped, false, JSON.stringify(r));
          assert.equal(res.toast.kind, 'queued');
          ids.add(JSON.stringify([res.run.workspace_id, res.run.tenant_id, res.run.id]));
        }
        assert.equal(ids.size, 1 + fresh1.length);
        assert.equal((await engine.listRuns(SCOPE)).length, 5);
      });

      it('after completion the same start creates a new run', async () => {
        const engine = await fresh();
        const first = await engine.startRun(request());
        await engine.updateRun(SCOPE, first.run.id, { status: 'completed', outcome: 'cancelled' });
        const second = await engine.startRun(request());
        assert.equal(second.deduped, false);
        assert.notEqual(second.run.id, first.run.id);
        assert.equal(second.run.status, 'queued');
        assert.equal((await engine.listRuns(SCOPE)).length, 2);
        assert.equal((await engine.startRun(request())).run.id, second.run.id);
      });
    });

    describe('the state machine', () => {
      const allowed = [
        ['queued', { status: 'running' }, 'running', null],
        ...OUTCOMES.map((o) => ['running', { status: 'completed', outcome: o }, 'completed', o]),
        ['queued', { status: 'completed', outcome: 'failed' }, 'completed', 'failed'],
        ['queued', { status: 'completed', outcome: 'cancelled' }, 'completed', 'cancelled'],
      ];
      for (const [from, update, status, outcome] of allowed) {
        it(`allows ${from} → ${JSON.stringify(update)}`, async () => {
          const engine = await fresh();
          const run = await runIn(engine, from);
          const res = await engine.updateRun(SCOPE, run.id, update);
          assert.equal(res.run.status, status);
          assert.equal(res.run.outcome, outcome);
          assert.equal(res.changed, true);
          assert.equal(res.run.version, run.version + 1);
          assert.equal(res.notifications.length, status === 'completed' ? 1 : 0);
          assert.deepEqual(await engine.getRun(SCOPE, run.id), res.run);
        });
      }

      const refused = [
        ['running', { status: 'queued' }, 'E_INVALID_TRANSITION'],
        ['queued', { status: 'completed', outcome: 'succeeded' }, 'E_INVALID_TRANSITION'],
        ['queued', { status: 'completed', outcome: 'partially_succeeded' }, 'E_INVALID_TRANSITION'],
        ...OUTCOMES.flatMap((o) => [
          [o, { status: 'queued' }, 'E_INVALID_TRANSITION'],
          [o, { status: 'running' }, 'E_INVALID_TRANSITION'],
          [o, { status: 'completed', outcome: OUTCOMES.find((x) => x !== o) }, 'E_INVALID_TRANSITION'],
          [o, { summary_counts: { processed: 1 } }, 'E_INVALID_TRANSITION'],
          [o, { failure_summary: [{ code: 'x', message: 'late' }] }, 'E_INVALID_TRANSITION'],
        ]),
        ['queued', { status: 'completed' }, 'E_OUTCOME_REQUIRED'],
        ['running', { status: 'completed' }, 'E_OUTCOME_REQUIRED'],
        ['running', { outcome: 'failed' }, 'E_INVALID_INPUT'],
        ['running', { status: 'running', outcome: 'failed' }, 'E_INVALID_INPUT'],
      ];
      for (const [from, update, code] of refused) {
        it(`refuses ${from} → ${JSON.stringify(update)} with ${code}, changing nothing`, async () => {
          const engine = await fresh();
          const run = await runIn(engine, from);
          await rejectsWith(engine.updateRun(SCOPE, run.id, update), code);
          assert.deepEqual(await engine.getRun(SCOPE, run.id), run);
        });
      }

      it('a repeated completion is a no-op; context still changes after completion', async () => {
        const engine = await fresh();
        const run = await runIn(engine, 'running');
        const done = await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'failed' });
        const again = await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'failed' });
        assert.equal(again.changed, false);
        assert.deepEqual(again.notifications, []);
        assert.deepEqual(again.run, done.run);
        const ctx = await engine.updateRun(SCOPE, run.id, { context: { ticket: 'OPS-1' } });
        assert.equal(ctx.changed, true);
        assert.deepEqual(ctx.notifications, []);
        assert.deepEqual(ctx.run.context, { ticket: 'OPS-1' });
        assert.equal(ctx.run.version, done.run.version + 1);
        assert.equal(ctx.run.completed_at, done.run.completed_at);
        const same = await engine.updateRun(SCOPE, run.id, { context: { ticket: 'OPS-1' } });
        assert.equal(same.changed, false);
        assert.equal(same.run.version, ctx.run.version);
        assert.equal((await engine.listNotifications(SCOPE, USER)).length, 1);
      });
    });

    describe('notifications', () => {
      for (const outcome of OUTCOMES) {
        it(`completing as ${outcome} stores exactly one OperationRunCompleted`, async () => {
          const engine = await fresh();
          const run = await runIn(engine, 'running');
          assert.deepEqual(await engine.listNotifications(SCOPE, USER), [], 'nothing stored while queued/running');
          const done = await engine.updateRun(SCOPE, run.id, {
            status: 'completed', outcome, summary_counts: { total: 3, processed: 3 },
          });
          const [n] = done.notifications;
          assert.equal(done.notifications.length, 1);
          assert.match(n.id, UUID);
          assert.equal(n.type, 'OperationRunCompleted');
          assert.equal(n.notifiable_type, 'User');
          assert.equal(n.notifiable_id, USER);
          assert.equal(n.read_at, null);
          assert.match(n.created_at, RFC3339_UTC_MS);
          assert.deepEqual(n.data, {
            run_id: run.id, workspace_id: 1, tenant_id: 10, operation_type: TYPE, outcome,
            title: TITLES[outcome], body: n.data.body, summary_counts: { processed: 3, total: 3 },
          });
          assert.match(n.data.body, /^Inventory sync /);
          await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome });
          assert.deepEqual(await engine.listNotifications(SCOPE, USER), [n]);
        });
      }

      it('runs without an initiator store no notification', async () => {
        const kindEngine = await kind.make();
        const run = await runIn(kindEngine.engine, 'running', { user_id: null });
        const done = await kindEngine.engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'succeeded' });
        assert.equal(run.user_id, null);
        assert.deepEqual(done.notifications, []);
        if (kindEngine.store) assert.deepEqual(kindEngine.store.dump().notifications, []);
      });

      it('markNotificationRead sets read_at once, only for its user and scope', async () => {
        const clock = manualClock();
        const engine = await fresh({ clock: clock.fn });
        const run = await runIn(engine, 'running');
        const [n] = (await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'succeeded' })).notifications;
        await rejectsWith(engine.markNotificationRead(SCOPE, USER + 1, n.id), 'E_NOT_FOUND');
        await rejectsWith(engine.markNotificationRead(OTHER_TENANT, USER, n.id), 'E_NOT_FOUND');
        await rejectsWith(engine.markNotificationRead(SCOPE, USER, '00000000-0000-8000-8000-000000000000'), 'E_NOT_FOUND');
        assert.deepEqual(await engine.listNotifications(SCOPE, USER, { unread: true }), [n]);
        clock.advance(5000);
        const read = await engine.markNotificationRead(SCOPE, USER, n.id);
        assert.equal(read.read_at, new Date(clock.now).toISOString());
        clock.advance(5000);
        const again = await engine.markNotificationRead(SCOPE, USER, n.id);
        assert.equal(again.read_at, read.read_at, 'read_at is set once');
        assert.deepEqual(await engine.listNotifications(SCOPE, USER, { unread: true }), []);
        assert.deepEqual(await engine.listNotifications(SCOPE, USER), [again]);
        assert.deepEqual(await engine.listNotifications(SCOPE, USER + 1), []);
        assert.deepEqual(await engine.listNotifications(OTHER_TENANT, USER), []);
      });
    });

    describe('scoping and listing', () => {
      it('another workspace or tenant cannot see or change a run', async () => {
        const engine = await fresh();
        const run = await runIn(engine, 'queued');
        for (const scope of [OTHER_TENANT, OTHER_WORKSPACE, { workspace_id: '1', tenant_id: 10 }]) {
          await rejectsWith(engine.getRun(scope, run.id), 'E_NOT_FOUND');
          await rejectsWith(engine.updateRun(scope, run.id, { status: 'running' }), 'E_NOT_FOUND');
          await rejectsWith(engine.updateRun(scope, run.id, { context: { x: 1 } }), 'E_NOT_FOUND');
          assert.deepEqual(await engine.listRuns(scope), []);
        }
        await rejectsWith(engine.getRun(SCOPE, String(run.id)), 'E_NOT_FOUND');
        assert.deepEqual(await engine.getRun(SCOPE, run.id), run);
      });

      it('listRuns filters by status (string or array), type and limit, newest first', async () => {
        const engine = await fresh();
        const a = await runIn(engine, 'queued');
        const b = await runIn(engine, 'running');
        const c = await runIn(engine, 'succeeded');
        const d = await runIn(engine, 'queued', { type: 'policy.sync' });
        const ids = (runs) => runs.map((r) => r.id);
        assert.deepEqual(ids(await engine.listRuns(SCOPE)), [d.id, c.id, b.id, a.id]);
        assert.deepEqual(ids(await engine.listRuns(SCOPE, { status: 'queued' })), [d.id, a.id]);
        assert.deepEqual(ids(await engine.listRuns(SCOPE, { status: ['running', 'completed'] })), [c.id, b.id]);
        assert.deepEqual(ids(await engine.listRuns(SCOPE, { type: TYPE })), [c.id, b.id, a.id]);
        assert.deepEqual(ids(await engine.listRuns(SCOPE, { type: TYPE, status: 'queued' })), [a.id]);
        assert.deepEqual(ids(await engine.listRuns(SCOPE, { limit: 2 })), [d.id, c.id]);
        assert.deepEqual(await engine.listRuns(SCOPE, { type: 'nothing.here' }), []);
      });
    });

    describe('progress and sanitizing', () => {
      it('summary_counts merge and keep only whitelisted non-negative safe integers', async () => {
        const engine = await fresh();
        const run = await runIn(engine, 'queued');
        const one = await engine.updateRun(SCOPE, run.id, { status: 'running', summary_counts: { total: 10, processed: 2 } });
        assert.deepEqual(one.run.summary_counts, { processed: 2, total: 10 });
        const two = await engine.updateRun(SCOPE, run.id, {
          summary_counts: {
            processed: 5, bogus: 4, failed: -1, skipped: 1.5, created: NaN, updated: '3', deleted: Infinity,
            warnings: 2 ** 53, retried: 0,
          },
        });
        assert.deepEqual(two.run.summary_counts, { processed: 5, retried: 0, total: 10 });
        const keyed = await fresh({ summaryKeys: ['moved'] });
        const r2 = await runIn(keyed, 'queued');
        const res = await keyed.updateRun(SCOPE, r2.id, { summary_counts: { moved: 3, total: 9 } });
        assert.deepEqual(res.run.summary_counts, { moved: 3 });
      });

      it('failure_summary is replaced, bounded to 10 entries of 240 chars, one line each', async () => {
        const engine = await fresh();
        const run = await runIn(engine, 'running');
        const list = Array.from({ length: 15 }, (_, i) => ({ code: `e${i}`, message: `line one\nline\ttwo ${'x'.repeat(400)}` }));
        const res = await engine.updateRun(SCOPE, run.id, { failure_summary: list });
        const fs = res.run.failure_summary;
        assert.equal(fs.length, 10);
        assert.deepEqual(fs.map((f) => f.code), list.slice(0, 10).map((f) => f.code));
        for (const f of fs) {
          assert.ok([...f.message].length <= 240, `${[...f.message].length} chars`);
          assert.ok(f.message.endsWith('…'));
          assert.ok(f.message.startsWith('line one line two xxx'));
          assert.doesNotMatch(f.message, /[\n\r\t]/);
        }
        const replaced = await engine.updateRun(SCOPE, run.id, { failure_summary: [{ code: 'only', message: 'one' }] });
        assert.deepEqual(replaced.run.failure_summary, [{ code: 'only', message: 'one' }]);
      });
    });

    describe('timestamps, version and clock', () => {
      it('the engine sets ordered RFC 3339 timestamps from the clock and increments version', async () => {
        const clock = manualClock();
        const engine = await fresh({ clock: clock.fn });
        const t0 = clock.now;
        const { run } = await engine.startRun(request());
        assert.equal(run.created_at, new Date(t0).toISOString());
        assert.equal(run.updated_at, run.created_at);
        assert.equal(run.started_at, null);
        assert.equal(run.completed_at, null);
        const t1 = clock.advance(1500);
        const running = (await engine.updateRun(SCOPE, run.id, { status: 'running' })).run;
        assert.equal(running.started_at, new Date(t1).toISOString());
        assert.equal(running.version, 2);
        clock.advance(250);
        const progress = (await engine.updateRun(SCOPE, run.id, { summary_counts: { total: 1 } })).run;
        assert.equal(progress.version, 3);
        assert.equal(progress.started_at, running.started_at);
        const t3 = clock.advance(250);
        const done = (await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'succeeded' })).run;
        assert.equal(done.completed_at, new Date(t3).toISOString());
        assert.equal(done.updated_at, done.completed_at);
        assert.equal(done.version, 4);
        for (const t of [done.created_at, done.started_at, done.completed_at, done.updated_at]) assert.match(t, RFC3339_UTC_MS);
        assert.ok(done.created_at < done.started_at && done.started_at < done.completed_at);
      });

      it('a clock returning a Date or an RFC 3339 string works; time never runs backwards', async () => {
        let value = new Date('2026-05-01T12:00:00.000Z');
        const engine = await fresh({ clock: () => value });
        const { run } = await engine.startRun(request());
        assert.equal(run.created_at, '2026-05-01T12:00:00.000Z');
        value = '2026-05-01T14:30:00.250+02:00';
        const running = (await engine.updateRun(SCOPE, run.id, { status: 'running' })).run;
        assert.equal(running.started_at, '2026-05-01T12:30:00.250Z');
        value = '2020-01-01T00:00:00Z';
        const done = (await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'failed' })).run;
        assert.ok(done.completed_at >= running.started_at, `${done.completed_at} ≥ ${running.started_at}`);
      });

      it('a clock returning garbage or throwing gives E_INVALID_INPUT and stores nothing', async () => {
        const clock = manualClock();
        const engine = await fresh({ clock: clock.fn });
        const run = await runIn(engine, 'queued');
        const bad = [() => 'yesterday', () => NaN, () => Infinity, () => ({}), () => undefined, () => null,
          () => new Date('nope'), () => 1e20, () => 10n, () => { throw new Error('clock broke'); }, () => { throw 'x'; }];
        for (const f of bad) {
          clock.misbehave(f);
          await rejectsWith(engine.startRun(request({ identity: 'other' })), 'E_INVALID_INPUT');
          await rejectsWith(engine.updateRun(SCOPE, run.id, { status: 'running' }), 'E_INVALID_INPUT');
          clock.restore();
          assert.deepEqual(await engine.listRuns(SCOPE), [run], String(f));
        }
        assert.equal((await engine.updateRun(SCOPE, run.id, { status: 'running' })).run.version, 2);
      });
    });
  });
}
