// Proves compare-and-set under interleaving: exactly one completion notification, one run per dedup key, no lost updates.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from 'ops-ux-engine';
import { ReferenceStore, asyncStore, countingStore } from './support/stores.mjs';
import { SCOPE, USER, OUTCOMES, request, checkOpsUxError } from './support/helpers.mjs';

const COUNT_KEYS = ['total', 'processed', 'succeeded', 'failed', 'skipped', 'created', 'updated', 'deleted', 'warnings', 'retried'];

/** Store timings: every call a microtask later, a fixed timer, and random jitter (a few ms). */
const TIMINGS = [
  ['microtask', 0],
  ['setTimeout(1)', 1],
  ['jitter', () => Math.random() * 3],
];

async function setup(delayMs, engines = 1) {
  const ref = new ReferenceStore();
  const list = [];
  for (let i = 0; i < engines; i++) list.push(await createEngine({ store: asyncStore(ref, { delayMs }) }));
  return { ref, engine: list[0], engines: list };
}

async function runningRun(engine, extra = {}) {
  const { run } = await engine.startRun(request(extra));
  return (await engine.updateRun(SCOPE, run.id, { status: 'running' })).run;
}

/** Settles all, and splits into fulfilled values and rejection reasons. */
async function settle(promises) {
  const results = await Promise.allSettled(promises);
  return {
    values: results.filter((r) => r.status === 'fulfilled').map((r) => r.value),
    errors: results.filter((r) => r.status === 'rejected').map((r) => r.reason),
  };
}

for (const [timing, delayMs] of TIMINGS) {
  describe(`concurrency — asyncStore(ReferenceStore), ${timing}`, () => {
    for (const n of [2, 10]) {
      it(`${n} identical concurrent completions store exactly one notification`, async () => {
        const { ref, engine } = await setup(delayMs);
        const run = await runningRun(engine);
        const update = { status: 'completed', outcome: 'succeeded', summary_counts: { processed: 4 } };
        const { values, errors } = await settle(Array.from({ length: n }, () => engine.updateRun(SCOPE, run.id, update)));
        assert.deepEqual(errors, []);
        const changed = values.filter((v) => v.changed);
        assert.equal(changed.length, 1, 'exactly one call changed the run');
        assert.equal(changed[0].notifications.length, 1);
        for (const v of values.filter((x) => !x.changed)) {
          assert.deepEqual(v.notifications, []);
          assert.deepEqual(v.run, changed[0].run);
        }
        assert.equal(ref.dump().notifications.length, 1);
        assert.deepEqual(await engine.listNotifications(SCOPE, USER), changed[0].notifications);
        const stored = await engine.getRun(SCOPE, run.id);
        assert.equal(stored.version, run.version + 1);
        assert.deepEqual(stored, changed[0].run);
      });
    }

    it('concurrent completions with different outcomes: one wins, the others get E_INVALID_TRANSITION', async () => {
      const { ref, engine } = await setup(delayMs);
      const run = await runningRun(engine);
      const results = await Promise.allSettled(
        OUTCOMES.map((outcome) => engine.updateRun(SCOPE, run.id, { status: 'completed', outcome })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1);
      assert.equal(won[0].value.changed, true);
      for (const r of results.filter((x) => x.status === 'rejected')) checkOpsUxError(r.reason, 'E_INVALID_TRANSITION');
      const stored = await engine.getRun(SCOPE, run.id);
      assert.equal(stored.outcome, won[0].value.run.outcome);
      assert.equal(OUTCOMES[results.indexOf(won[0])], stored.outcome);
      assert.equal(ref.dump().notifications.length, 1);
      assert.equal(ref.dump().notifications[0].data.outcome, stored.outcome);
    });

    it('10 identical concurrent starts create one run; 9 are deduped to it', async () => {
      const { ref, engine } = await setup(delayMs);
      const { values, errors } = await settle(Array.from({ length: 10 }, () => engine.startRun(request({ identity: { p: 1 } }))));
      assert.deepEqual(errors, []);
      assert.equal(values.filter((v) => !v.deduped).length, 1);
      assert.equal(values.filter((v) => v.deduped).length, 9);
      assert.equal(new Set(values.map((v) => v.run.id)).size, 1);
      for (const v of values) {
        assert.equal(v.toast.kind, v.deduped ? 'already_queued' : 'queued');
        assert.equal(v.events[0].detail.deduped, v.deduped);
      }
      assert.equal(ref.dump().runs.length, 1);
      assert.equal((await engine.listRuns(SCOPE)).length, 1);
    });

    it('10 concurrent starts with distinct identities create 10 runs with distinct ids', async () => {
      const { ref, engine } = await setup(delayMs);
      const values = await Promise.all(Array.from({ length: 10 }, (_, i) => engine.startRun(request({ identity: i }))));
      assert.ok(values.every((v) => !v.deduped));
      assert.equal(new Set(values.map((v) => v.run.id)).size, 10);
      assert.equal(ref.dump().runs.length, 10);
    });

    it('concurrent progress updates within the retry budget all land, none lost', async () => {
      const { engine } = await setup(delayMs);
      const run = await runningRun(engine);
      const keys = COUNT_KEYS.slice(0, 5);
      const values = await Promise.all(keys.map((k, i) => engine.updateRun(SCOPE, run.id, { summary_counts: { [k]: i + 1 } })));
      assert.ok(values.every((v) => v.changed));
      const stored = await engine.getRun(SCOPE, run.id);
      assert.deepEqual(stored.summary_counts, Object.fromEntries(keys.map((k, i) => [k, i + 1]).sort()));
      assert.equal(stored.version, run.version + keys.length);
    });

    it('10 interleaved progress updates: each lands or gets E_CONFLICT; nothing is lost; retrying lands all', async () => {
      const { engine } = await setup(delayMs);
      const run = await runningRun(engine);
      const attempt = (k, i) => engine.updateRun(SCOPE, run.id, { summary_counts: { [k]: i + 1 } });
      const results = await Promise.allSettled(COUNT_KEYS.map(attempt));
      const landed = [];
      for (const [i, r] of results.entries()) {
        if (r.status === 'fulfilled') {
          assert.equal(r.value.changed, true);
          landed.push(COUNT_KEYS[i]);
        } else {
          checkOpsUxError(r.reason, 'E_CONFLICT', /retry/);
        }
      }
      const mid = await engine.getRun(SCOPE, run.id);
      assert.deepEqual(Object.keys(mid.summary_counts).sort(), [...landed].sort(), 'exactly the landed updates are stored');
      assert.equal(mid.version, run.version + landed.length, 'version = start + number of changing updates');
      // The caller does what the E_CONFLICT message says: retry. Every update then lands.
      const retried = await Promise.all(COUNT_KEYS.map(async (k, i) => {
        for (let tries = 0; ; tries++) {
          try {
            return await attempt(k, i);
          } catch (e) {
            if (e.code !== 'E_CONFLICT' || tries > 20) throw e;
          }
        }
      }));
      const final = await engine.getRun(SCOPE, run.id);
      assert.deepEqual(final.summary_counts, Object.fromEntries(COUNT_KEYS.map((k, i) => [k, i + 1]).sort()));
      const changing = retried.filter((v) => v.changed).length;
      assert.equal(changing, COUNT_KEYS.length - landed.length, 'already-landed updates are no-ops the second time');
      assert.equal(final.version, run.version + COUNT_KEYS.length);
    });

    it('progress racing a completion lands before it or is refused; the notification carries the final counts', async () => {
      const { ref, engine } = await setup(delayMs);
      const run = await runningRun(engine);
      const progress = COUNT_KEYS.slice(0, 4).map((k) => engine.updateRun(SCOPE, run.id, { summary_counts: { [k]: 1 } }));
      const completion = engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'partially_succeeded' });
      const results = await Promise.allSettled([...progress, completion]);
      assert.equal(results[4].status, 'fulfilled', String(results[4].reason));
      const final = await engine.getRun(SCOPE, run.id);
      for (const [i, r] of results.slice(0, 4).entries()) {
        if (r.status === 'fulfilled') assert.equal(final.summary_counts[COUNT_KEYS[i]], 1);
        else {
          assert.ok(['E_INVALID_TRANSITION', 'E_CONFLICT'].includes(r.reason.code), r.reason.message);
          assert.equal(final.summary_counts[COUNT_KEYS[i]], undefined);
        }
      }
      const { notifications } = ref.dump();
      assert.equal(notifications.length, 1);
      assert.deepEqual(notifications[0].data.summary_counts, final.summary_counts);
    });

    it('two engines (two workers) over one store complete a run once', async () => {
      const { ref, engines } = await setup(delayMs, 2);
      const [a, b] = engines;
      const run = await runningRun(a);
      const update = { status: 'completed', outcome: 'failed', failure_summary: ['worker gave up'] };
      const values = await Promise.all([a, b, a, b].map((e) => e.updateRun(SCOPE, run.id, update)));
      assert.equal(values.filter((v) => v.changed).length, 1);
      assert.equal(values.flatMap((v) => v.notifications).length, 1);
      assert.equal(ref.dump().notifications.length, 1);
      const again = await Promise.all([a.startRun(request()), b.startRun(request())]);
      assert.equal(again.filter((v) => !v.deduped).length, 1, 'after completion one new run, shared by both workers');
      assert.equal(again[0].run.id, again[1].run.id);
    });
  });
}

describe('store traffic (countingStore)', () => {
  it('starts insert once; updates commit on the run the engine last wrote; refusals and no-ops never write; a lost race re-reads once', async () => {
    const ref = new ReferenceStore();
    // Commits are slower than reads, so a second engine reads before the first one's commit lands.
    const store = countingStore(asyncStore(ref, { delayMs: (method) => (method === 'commitRun' ? 5 : 0) }));
    const engine = await createEngine({ store });
    const { run } = await engine.startRun(request());
    assert.deepEqual(store.calls, { insertRun: 1, getRun: 0, commitRun: 0, listRuns: 0, listNotifications: 0, markNotificationRead: 0, findUnnotifiedRuns: 0, insertNotifications: 0 });
    const draft = store.log[0].args[0];
    assert.equal(draft.id, undefined, 'the store assigns the id');
    assert.equal(draft.status, 'queued');
    assert.equal(draft.version, 1);
    store.reset();
    await engine.updateRun(SCOPE, run.id, { status: 'running' });
    assert.deepEqual([store.calls.getRun, store.calls.commitRun], [0, 1], 'the engine commits on the run it inserted, unread');
    store.reset();
    await assert.rejects(engine.updateRun(SCOPE, run.id, { status: 'queued' }), { code: 'E_INVALID_TRANSITION' });
    assert.deepEqual([store.calls.getRun, store.calls.commitRun], [1, 0], 'a refusal is decided on a fresh read and writes nothing');
    store.reset();
    const other = await createEngine({ store }); // another process: it has not seen the run
    const update = { status: 'completed', outcome: 'succeeded' };
    const [mine, theirs] = await Promise.all([engine.updateRun(SCOPE, run.id, update), other.updateRun(SCOPE, run.id, update)]);
    assert.deepEqual([mine.changed, theirs.changed], [true, false]);
    assert.equal(store.calls.commitRun, 2, 'both tried; one lost the compare-and-set');
    assert.equal(store.calls.getRun, 2, 'the other engine read, lost, re-read once and found its change done');
    const commits = store.log.filter((l) => l.method === 'commitRun').map((l) => l.args[0]);
    for (const c of commits) {
      assert.equal(c.expected_version, 2);
      assert.equal(c.run.version, 3);
      assert.equal(c.run.id, run.id);
      assert.equal(c.notifications.length, 1);
    }
    store.reset();
    const again = await engine.updateRun(SCOPE, run.id, update);
    assert.equal(again.changed, false);
    assert.deepEqual([store.calls.getRun, store.calls.commitRun], [1, 0], 'a repeated completion reads and writes nothing');
  });
});
