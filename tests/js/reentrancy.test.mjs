// Callbacks may call back into the engine: no "recursive use" error, no trap, no half-applied change.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from 'ops-ux-engine';
import { ReferenceStore, STORE_METHOD_NAMES } from './support/stores.mjs';
import { SCOPE, request } from './support/helpers.mjs';

describe('re-entrant callbacks', () => {
  it('a clock that calls the engine while the engine reads it (embedded store)', async () => {
    let engine;
    let calls = 0;
    const clock = () => {
      calls += 1;
      // A pure check and an embedded-store read from inside an engine call.
      assert.equal(engine.checkUpdate({ status: 'queued', outcome: null }, { status: 'running' }).ok, true);
      void engine.listRuns(SCOPE);
      return Date.UTC(2026, 0, 1) + calls;
    };
    engine = await createEngine({ clock });
    const { run } = await engine.startRun(request());
    const done = await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'cancelled' });
    assert.equal(done.run.status, 'completed');
    assert.equal(done.notifications.length, 1);
    assert.ok(calls >= 2);
  });

  it('a host store whose methods call the engine, synchronously and after an await', async () => {
    const inner = new ReferenceStore();
    let engine;
    const nested = [];
    const store = {
      insertRun: (draft) => {
        nested.push(engine.listRuns(SCOPE)); // a call into the engine from inside insertRun
        return inner.insertRun(draft);
      },
      getRun: async (scope, id) => {
        await null;
        nested.push(engine.listNotifications(SCOPE, 7));
        return inner.getRun(scope, id);
      },
      commitRun: (commit) => inner.commitRun(commit),
      listRuns: (scope, filter) => inner.listRuns(scope, filter),
      listNotifications: (scope, user, filter) => inner.listNotifications(scope, user, filter),
      markNotificationRead: (scope, user, id, at) => inner.markNotificationRead(scope, user, id, at),
      findUnnotifiedRuns: (scope, limit) => inner.findUnnotifiedRuns(scope, limit),
      insertNotifications: (list) => inner.insertNotifications(list),
    };
    engine = await createEngine({ store });
    const { run } = await engine.startRun(request());
    await engine.updateRun(SCOPE, run.id, { status: 'running' });
    const done = await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'succeeded' });
    assert.equal(done.notifications.length, 1);
    await Promise.all(nested);
    assert.equal((await engine.listNotifications(SCOPE, 7)).length, 1);
  });

  it('a start awaiting a slow host store settles; once freed, the engine rejects calls instead of trapping', async () => {
    let release;
    const inner = new ReferenceStore();
    const store = {
      ...Object.fromEntries(
        STORE_METHOD_NAMES.filter((m) => m !== 'insertRun').map((m) => [m, (...a) => inner[m](...a)]),
      ),
      insertRun: (draft) => new Promise((resolve) => (release = () => resolve(inner.insertRun(draft)))),
    };
    const engine = await createEngine({ store });
    const pending = engine.startRun(request());
    release();
    const { run } = await pending;
    assert.equal(run.status, 'queued');
    engine.free();
    await assert.rejects(engine.getRun(SCOPE, run.id), (e) => e instanceof Error);
    // The module is not poisoned: a new engine works.
    const fresh = await createEngine();
    assert.equal((await fresh.startRun(request())).run.status, 'queued');
  });
});
