// The quick paths must answer exactly what the general path answers: embedded updates patched from the run
// last returned, status changes and their checks crossing as numbers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from 'ops-ux-engine';
import { SCOPE, USER, request } from './support/helpers.mjs';

const OTHER = { workspace_id: SCOPE.workspace_id, tenant_id: 'another' };

describe('embedded results patched from the last returned run', () => {
  it('every result of a lifecycle is the stored run, field for field', async () => {
    const engine = await createEngine();
    const { run } = await engine.startRun(request({ context: { step: 0 } }));
    const updates = [
      { status: 'running' },
      { summary_counts: { total: 4, processed: 1 } },
      { context: { step: 2, nested: { list: [1, 2] } } },
      { failure_summary: [{ code: 'E', message: 'password=hunter2 rejected' }] },
      { summary_counts: { processed: 4 } },
      { status: 'completed', outcome: 'partially_succeeded' },
      { status: 'completed', outcome: 'partially_succeeded' },
      { context: { step: 'after' } },
    ];
    for (const update of updates) {
      const result = await engine.updateRun(SCOPE, run.id, update);
      assert.deepEqual(result.run, await engine.getRun(SCOPE, run.id), JSON.stringify(update));
    }
  });

  it('a caller mutating a result changes nothing the engine says later', async () => {
    const engine = await createEngine();
    const { run } = await engine.startRun(request({ context: { keep: 'me' } }));
    run.status = 'completed';
    run.version = 99;
    assert.throws(() => { run.context.keep = 'changed'; }, TypeError, 'nested values are frozen');
    const { run: running } = await engine.updateRun(SCOPE, run.id, { status: 'running', summary_counts: { total: 2 } });
    assert.equal(running.status, 'running');
    assert.equal(running.version, 2);
    running.summary_counts = { total: 1000 };
    assert.throws(() => running.failure_summary.push({}), TypeError);
    const { run: next } = await engine.updateRun(SCOPE, run.id, { summary_counts: { processed: 1 } });
    assert.deepEqual(next.summary_counts, { total: 2, processed: 1 });
    assert.deepEqual(next, await engine.getRun(SCOPE, run.id));
  });

  it('a remembered run is still not found from another scope', async () => {
    const engine = await createEngine();
    const { run } = await engine.startRun(request());
    await assert.rejects(engine.updateRun(OTHER, run.id, { status: 'running' }), { code: 'E_NOT_FOUND' });
    assert.equal((await engine.getRun(SCOPE, run.id)).status, 'queued');
  });

  it('runs forgotten by the bounded memory are read whole and stay exact', async () => {
    const engine = await createEngine();
    const first = (await engine.startRun(request({ identity: 'first' }))).run;
    for (let i = 0; i < 5000; i++) await engine.startRun(request({ identity: i }));
    const { run } = await engine.updateRun(SCOPE, first.id, { status: 'running' });
    assert.deepEqual(run, await engine.getRun(SCOPE, first.id));
    assert.equal(run.version, 2);
  });

  it('a completion patched from the remembered run carries its one notification', async () => {
    const engine = await createEngine();
    const { run } = await engine.startRun(request());
    const done = await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'failed' });
    assert.equal(done.notifications.length, 1);
    assert.deepEqual(done.notifications, await engine.listNotifications(SCOPE, USER));
    assert.deepEqual(done.run, await engine.getRun(SCOPE, run.id));
  });
});

describe('the status-only path without JSON', () => {
  const STATUSES = ['queued', 'running', 'completed'];
  const OUTCOMES = [undefined, null, 'succeeded', 'partially_succeeded', 'failed', 'cancelled'];
  const RUNNING = { status: 'running' };
  const FROM = [[], [RUNNING], ...OUTCOMES.slice(2).map((outcome) => [RUNNING, { status: 'completed', outcome }])];

  it('answers every status × outcome from every state exactly as the general path over a host store', async () => {
    let now = Date.parse('2026-12-04T12:00:00.000Z');
    const clock = () => now;
    const { ReferenceStore } = await import('./support/stores.mjs');
    let cases = 0;
    for (const history of FROM) {
      for (const status of STATUSES) {
        for (const outcome of OUTCOMES) {
          const update = outcome === undefined ? { status } : { status, outcome };
          const fast = await createEngine({ clock });
          const general = await createEngine({ clock, store: new ReferenceStore() });
          const settle = async (engine) => {
            const { run } = await engine.startRun(request());
            for (const step of history) {
              now += 1000;
              await engine.updateRun(SCOPE, run.id, step);
            }
            now += 1000;
            return engine.updateRun(SCOPE, run.id, update).then(
              (result) => ({ result, stored: null }),
              (error) => ({ error: error.code, message: error.message }),
            );
          };
          const saved = now;
          const a = await settle(fast);
          now = saved;
          const b = await settle(general);
          assert.deepEqual(a, b, `${JSON.stringify(history)} then ${JSON.stringify(update)}`);
          if (a.result) assert.deepEqual(a.result.run, await fast.getRun(SCOPE, a.result.run.id));
          cases += 1;
        }
      }
    }
    assert.equal(cases, FROM.length * STATUSES.length * OUTCOMES.length);
  });
});

describe('the status-only path for a run the JS face no longer holds', () => {
  it('answers the whole stored run: moves, completions with their notification, repeats and refusals', async () => {
    const engine = await createEngine();
    const ids = [];
    for (const identity of ['a', 'b', 'c']) ids.push((await engine.startRun(request({ identity }))).run.id);
    for (let i = 0; i < 4200; i++) await engine.startRun(request({ identity: i })); // forget a, b and c
    const running = await engine.updateRun(SCOPE, ids[0], { status: 'running' });
    assert.deepEqual(running, { run: await engine.getRun(SCOPE, ids[0]), notifications: [], changed: true });
    for (let i = 0; i < 4200; i++) await engine.startRun(request({ identity: `again ${i}` }));
    const done = await engine.updateRun(SCOPE, ids[0], { status: 'completed', outcome: 'succeeded' });
    assert.equal(done.changed, true);
    assert.deepEqual(done.run, await engine.getRun(SCOPE, ids[0]));
    assert.deepEqual(done.notifications, await engine.listNotifications(SCOPE, USER));
    for (let i = 0; i < 4200; i++) await engine.startRun(request({ identity: `third ${i}` }));
    const repeat = await engine.updateRun(SCOPE, ids[0], { status: 'completed', outcome: 'succeeded' });
    assert.deepEqual(repeat, { run: done.run, notifications: [], changed: false });
    await assert.rejects(engine.updateRun(SCOPE, ids[1], { status: 'completed', outcome: 'succeeded' }), { code: 'E_INVALID_TRANSITION' });
    await assert.rejects(engine.updateRun(OTHER, ids[2], { status: 'running' }), { code: 'E_NOT_FOUND' });
    await assert.rejects(engine.updateRun({ ...SCOPE, tenant_id: 999 }, ids[2], { status: 'running' }), { code: 'E_NOT_FOUND' });
  });
});

describe('checkUpdate of a status-only update, decided from numbers', () => {
  it('gives the same verdict as the general path for every run state and every status × outcome', async () => {
    const { checkUpdate } = await import('ops-ux-engine');
    const engine = await createEngine();
    const shown = (v) => (v.ok ? v : { ok: false, code: v.error.code, message: v.error.message, isError: v.error instanceof Error });
    // A run whose outcome contradicts its status is refused (thrown) by both paths alike.
    const verdict = (check) => {
      try {
        return shown(check());
      } catch (e) {
        return { threw: e.code, message: e.message };
      }
    };
    const STATES = [undefined, null, 'succeeded', 'partially_succeeded', 'failed', 'cancelled'];
    let cases = 0;
    for (const status of ['queued', 'running', 'completed']) {
      for (const outcome of STATES) {
        for (const user_id of [7, null, undefined]) {
          const run = { id: 3, status, outcome, user_id };
          for (const to of ['queued', 'running', 'completed']) {
            for (const toOutcome of STATES) {
              const update = toOutcome === undefined ? { status: to } : { status: to, outcome: toOutcome };
              const general = verdict(() => checkUpdate(run, update, {})); // options: the general path
              const what = `${JSON.stringify(run)} ← ${JSON.stringify(update)}`;
              assert.equal(general.threw !== undefined, (status === 'completed') !== (outcome != null), what);
              assert.deepEqual(verdict(() => checkUpdate(run, update)), general, what);
              assert.deepEqual(verdict(() => engine.checkUpdate(run, update)), general, what);
              cases += 1;
            }
          }
        }
      }
    }
    assert.equal(cases, 3 * 6 * 3 * 3 * 6);
  });
});
