// Proves that a host store that throws, rejects or returns garbage gives E_STORE, changes nothing, and never breaks the engine.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createEngine } from 'ops-ux-engine';
import { ReferenceStore, asyncStore, faultyStore, thenableStore, STORE_METHOD_NAMES } from './support/stores.mjs';
import { SCOPE, USER, request, rejectsWith, checkOpsUxError, assertFullLifecycle } from './support/helpers.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * An engine over a faulty store (fault off) with: a completed run `done` (with its notification) and a
 * running run `run`. `call(method)` makes the engine call that reaches `method` of the store.
 */
async function world({ async = false, ...fault }) {
  const ref = new ReferenceStore();
  const store = faultyStore(async ? asyncStore(ref) : ref, { ...fault, enabled: false });
  const engine = await createEngine({ store });
  const started = await engine.startRun(request({ identity: 'done' }));
  await engine.updateRun(SCOPE, started.run.id, { status: 'running' });
  const completed = await engine.updateRun(SCOPE, started.run.id, { status: 'completed', outcome: 'succeeded' });
  const run = (await engine.updateRun(SCOPE, (await engine.startRun(request({ identity: 'live' }))).run.id, { status: 'running' })).run;
  const notificationId = completed.notifications[0].id;
  // A gap for reconcile to repair: a completed run whose notification a non-atomic store never wrote.
  const gap = (await engine.updateRun(SCOPE, (await engine.startRun(request({ identity: 'gap' }))).run.id, { status: 'running' })).run;
  ref.commitRun({
    run: { ...gap, status: 'completed', outcome: 'succeeded', completed_at: gap.started_at, version: gap.version + 1 },
    expected_version: gap.version,
    notifications: [],
  });
  let n = 0;
  const calls = {
    insertRun: () => engine.startRun(request({ identity: 'new' })),
    getRun: () => engine.getRun(SCOPE, run.id),
    commitRun: () => engine.updateRun(SCOPE, run.id, { summary_counts: { processed: ++n }, context: { n } }),
    complete: () => engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'failed', summary_counts: { failed: 1 } }),
    listRuns: () => engine.listRuns(SCOPE),
    listNotifications: () => engine.listNotifications(SCOPE, USER),
    markNotificationRead: () => engine.markNotificationRead(SCOPE, USER, notificationId),
    findUnnotifiedRuns: () => engine.reconcile({ scope: SCOPE }),
    insertNotifications: () => engine.reconcile(),
  };
  return { ref, store, engine, run, done: completed.run, calls };
}

/** Asserts that nothing stored changed since `before` (a ReferenceStore dump). */
function assertUnchanged(ref, before) {
  assert.deepEqual(ref.dump(), before, 'the store is exactly as before the fault');
}

/** Exercises one faulty call: E_STORE with `pattern`, nothing changed, then healthy again on the same engine. */
async function checkFault(w, method, pattern) {
  const before = w.ref.dump();
  const runBefore = await w.engine.getRun(SCOPE, w.run.id);
  w.store.enable();
  await rejectsWith(w.calls[method](), 'E_STORE', pattern);
  w.store.disable();
  assertUnchanged(w.ref, before);
  assert.deepEqual(await w.engine.getRun(SCOPE, w.run.id), runBefore);
  await w.calls[method]();
  await assertFullLifecycle(w.engine);
}

for (const async of [false, true]) {
  describe(`faults — ${async ? 'asyncStore' : 'sync'} ReferenceStore`, () => {
    for (const method of STORE_METHOD_NAMES) {
      it(`${method} throwing → E_STORE "threw", nothing changed, engine keeps working`, async () => {
        const w = await world({ async, method, mode: 'throw', thrown: new Error('disk on fire') });
        await checkFault(w, method, new RegExp(`${method}.*threw.*disk on fire`));
      });

      it(`${method} rejecting → E_STORE "rejected", nothing changed, engine keeps working`, async () => {
        const w = await world({ async, method, mode: 'reject', thrown: new Error('connection reset') });
        await checkFault(w, method, new RegExp(`${method}.*rejected.*connection reset`));
      });
    }

    for (const thrown of ['a string', 42, null, undefined, Symbol('s'), { code: 'EPIPE' }]) {
      it(`commitRun throwing and rejecting the non-Error ${describeValue(thrown) ?? String(thrown)} → E_STORE`, async () => {
        const w = await world({ async, method: 'commitRun', mode: 'throw', thrown });
        await checkFault(w, 'commitRun', /commitRun threw/);
        w.store.fault.mode = 'reject';
        await checkFault(w, 'commitRun', /commitRun rejected/);
      });
    }
  });
}

/** Wrong shapes per method; each must give E_STORE. A function gets `(args, inner)`. */
const cyclic = () => {
  const o = { inserted: true };
  o.run = o;
  return o;
};
const without = (obj, key) => Object.fromEntries(Object.entries(obj).filter(([k]) => k !== key));
const GARBAGE = {
  insertRun: [{ nope: 1 }, 'a string', 42, null, [], cyclic(), { inserted: 'yes', run: null }, 10n,
    ([draft]) => ({ inserted: true, run: { id: 99, ...without(draft, 'version') } }),
    ([draft]) => ({ inserted: true, run: { id: 99, ...draft, tenant_id: 999 } }),
    ([draft]) => ({ inserted: true, run: { id: 99, ...draft, dedup_key: 'other' } }),
    ([draft]) => ({ inserted: true, run: { id: 99, ...draft, status: 'running' } }),
    ([draft]) => ({ inserted: false, run: { id: 99, ...draft, status: 'completed', outcome: 'succeeded' } })],
  getRun: [{ nope: 1 }, 'a string', 42, true, [], () => 1,
    ([scope, id], inner) => without(inner.getRun(scope, id), 'version'),
    ([scope, id], inner) => ({ ...inner.getRun(scope, id), status: 'finished' }),
    ([scope, id], inner) => ({ ...inner.getRun(scope, id), summary_counts: { total: -1 } }),
    ([scope, id], inner) => ({ ...inner.getRun(scope, id), created_at: 'yesterday' }),
    ([scope, id], inner) => ({ ...inner.getRun(scope, id), id: 12345 }),
    ([scope, id], inner) => ({ ...inner.getRun(scope, id), tenant_id: 999 })],
  commitRun: [{ nope: 1 }, 'true', 1, 0, null, [], undefined],
  listRuns: [{ nope: 1 }, 'a string', 42, null, [{ nope: 1 }],
    ([scope], inner) => inner.listRuns(scope, { status: [], type: null, limit: 100 }).map((r) => ({ ...r, tenant_id: 999 })),
    ([scope], inner) => [...inner.listRuns(scope, { status: [], type: null, limit: 100 }), ...Array(100).fill(null)].slice(0, 101)],
  listNotifications: [{ nope: 1 }, 'a string', 42, null, [{ nope: 1 }],
    ([scope, user, filter], inner) => inner.listNotifications(scope, user, filter).map((n) => ({ ...n, notifiable_id: 8 })),
    ([scope, user, filter], inner) => inner.listNotifications(scope, user, filter).map((n) => ({ ...n, data: 'x' }))],
  markNotificationRead: [{ nope: 1 }, 'a string', 42, true, [],
    ([scope, user, id], inner) => ({
      ...inner.listNotifications(scope, user, { unread: false, limit: 100 }).find((n) => n.id === id),
      id: 'another',
    })],
  findUnnotifiedRuns: [{ nope: 1 }, 'a string', 42, null, [{ nope: 1 }],
    ([scope, limit], inner) => inner.findUnnotifiedRuns(scope, limit).map((r) => ({ ...r, status: 'running', outcome: null })),
    ([scope, limit], inner) => inner.findUnnotifiedRuns(scope, limit).map((r) => ({ ...r, user_id: null })),
    ([scope, limit], inner) => inner.findUnnotifiedRuns(scope, limit).map((r) => ({ ...r, tenant_id: 999 })),
    ([scope, limit], inner) => Array(limit + 1).fill(inner.findUnnotifiedRuns(scope, limit)[0])],
  insertNotifications: ['1', -1, 1.5, null, { nope: 1 }, true, ([list]) => list.length + 1],
};

function describeValue(value) {
  try {
    return String(JSON.stringify(value) ?? value);
  } catch {
    return typeof value === 'bigint' ? `${value}n` : 'a cyclic object';
  }
}

describe('faults — garbage results', () => {
  for (const [method, list] of Object.entries(GARBAGE)) {
    for (const [i, garbage] of list.entries()) {
      const label = typeof garbage === 'function' ? `shape #${i}` : describeValue(garbage);
      it(`${method} returning ${label} → E_STORE, nothing changed`, async () => {
        const value = typeof garbage === 'function' && garbage.length === 0 ? () => garbage : garbage;
        const w = await world({ method, mode: 'garbage', garbage: value });
        await checkFault(w, method, new RegExp(method));
      });
    }
  }
});

describe('faults — retries, thenables and bad stores', () => {
  it("mode 'once': the first call fails with E_STORE, the caller's retry succeeds", async () => {
    const w = await world({ method: 'commitRun', mode: 'once' });
    w.store.enable();
    await rejectsWith(w.calls.complete(), 'E_STORE', /threw/);
    assert.equal(w.ref.dump().notifications.length, 1, 'only the earlier run\'s notification');
    assert.equal((await w.engine.getRun(SCOPE, w.run.id)).status, 'running');
    const retried = await w.calls.complete();
    assert.equal(retried.changed, true);
    assert.equal(retried.notifications.length, 1);
    assert.equal(w.store.fault.fired, 1);
    assert.equal(w.ref.dump().notifications.length, 2);
  });

  for (const mode of ['throw', 'reject', 'garbage']) {
    it(`a completion whose commitRun fails (${mode}) stores no notification; the retry stores exactly one`, async () => {
      const w = await world({ async: true, method: 'commitRun', mode });
      const before = w.ref.dump();
      w.store.enable();
      await rejectsWith(w.calls.complete(), 'E_STORE', /commitRun/);
      w.store.disable();
      assertUnchanged(w.ref, before);
      const done = await w.calls.complete();
      assert.equal(done.notifications.length, 1);
      assert.equal(w.ref.dump().notifications.length, before.notifications.length + 1);
    });
  }

  it('a commit that landed but whose acknowledgement was lost: the retry is a no-op, one notification', async () => {
    const ref = new ReferenceStore();
    let lose = false;
    const store = asyncStore({
      ...Object.fromEntries(STORE_METHOD_NAMES.map((m) => [m, (...a) => ref[m](...a)])),
      commitRun(c) {
        const ok = ref.commitRun(c);
        if (lose) throw new Error('connection reset after commit');
        return ok;
      },
    });
    const engine = await createEngine({ store });
    const { run } = await engine.startRun(request());
    await engine.updateRun(SCOPE, run.id, { status: 'running' });
    lose = true;
    await rejectsWith(engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'succeeded' }), 'E_STORE');
    lose = false;
    const retry = await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'succeeded' });
    assert.equal(retry.changed, false);
    assert.deepEqual(retry.notifications, []);
    assert.equal(ref.dump().notifications.length, 1);
  });

  it('store methods returning thenables (not Promises) work, and a rejecting thenable is E_STORE', async () => {
    const ref = new ReferenceStore();
    const engine = await createEngine({ store: thenableStore(ref) });
    await assertFullLifecycle(engine);
    assert.equal(ref.dump().notifications.length, 1);
    const rejecting = { ...thenableStore(ref), getRun: () => ({ then: (_, reject) => setTimeout(() => reject(new Error('nope')), 0) }) };
    const e2 = await createEngine({ store: rejecting });
    await rejectsWith(e2.getRun(SCOPE, 1), 'E_STORE', /getRun rejected: nope/);
  });

  for (const method of STORE_METHOD_NAMES) {
    it(`a store without ${method} (or with a non-function) → createEngine rejects with E_INVALID_INPUT naming it`, async () => {
      const ref = new ReferenceStore();
      const full = Object.fromEntries(STORE_METHOD_NAMES.map((m) => [m, (...a) => ref[m](...a)]));
      await rejectsWith(createEngine({ store: without(full, method) }), 'E_INVALID_INPUT', new RegExp(method));
      await rejectsWith(createEngine({ store: { ...full, [method]: 'not a function' } }), 'E_INVALID_INPUT', new RegExp(method));
    });
  }

  it('a store that is not an object → E_INVALID_INPUT', async () => {
    for (const store of [42, 'store', true]) await rejectsWith(createEngine({ store }), 'E_INVALID_INPUT');
  });
});

/**
 * Runs a scenario in a child process (an uncaught exception there cannot disturb this runner): a
 * commitRun that throws or rejects `thrownSource`. Prints what the engine call settled with.
 */
function hostileScenario(thrownSource, mode) {
  const script = `
    import { createEngine, OpsUxError } from 'ops-ux-engine';
    const out = { uncaught: [] };
    process.on('uncaughtException', (e) => out.uncaught.push(String(e?.message ?? e)));
    const thrown = ${thrownSource};
    let fail = false;
    const runs = [];
    const store = {
      insertRun: (d) => { runs.push({ id: runs.length + 1, ...d }); return { inserted: true, run: runs.at(-1) }; },
      getRun: (s, id) => runs[id - 1] ?? null,
      commitRun: (c) => { if (fail) { if (${JSON.stringify(mode)} === 'throw') throw thrown; return Promise.reject(thrown); } runs[c.run.id - 1] = c.run; return true; },
      listRuns: () => [], listNotifications: () => [], markNotificationRead: () => null,
      findUnnotifiedRuns: () => [], insertNotifications: () => 0,
    };
    const engine = await createEngine({ store });
    const scope = { workspace_id: 1, tenant_id: 1 };
    const { run } = await engine.startRun({ ...scope, type: 'inventory.sync' });
    fail = true;
    out.settled = await Promise.race([
      engine.updateRun(scope, run.id, { status: 'running' }).then(
        () => 'resolved',
        (e) => (e instanceof OpsUxError ? 'OpsUxError ' + e.code : 'other ' + (e?.name ?? typeof e)),
      ),
      new Promise((r) => setTimeout(() => r('never settled'), 500)),
    ]);
    fail = false;
    out.after = (await engine.updateRun(scope, run.id, { status: 'running' })).run.version;
    console.log(JSON.stringify(out));
    process.exit(0);
  `;
  const text = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(text.trim().split('\n').at(-1));
}

describe('faults — hostile thrown values', () => {
  const HOSTILE = {
    'an Error whose message getter throws': `(() => { const e = new Error('x'); Object.defineProperty(e, 'message', { get() { throw new Error('getter'); } }); return e; })()`,
    'a revoked Proxy': `(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; })()`,
    'a Proxy whose traps throw': `new Proxy({}, { getPrototypeOf() { throw new Error('trap'); }, get() { throw new Error('trap'); } })`,
  };
  for (const [name, source] of Object.entries(HOSTILE)) {
    for (const mode of ['throw', 'reject']) {
      it(`commitRun that ${mode === 'throw' ? 'throws' : 'rejects with'} ${name} → E_STORE, no uncaught exception`, () => {
        const out = hostileScenario(source, mode);
        assert.deepEqual(out.uncaught, [], 'nothing escapes as an uncaught exception');
        assert.equal(out.settled, 'OpsUxError E_STORE');
        assert.equal(out.after, 2, 'the engine keeps working');
      });
    }
  }
});

it('checkOpsUxError itself rejects a non-OpsUxError (guards the guard)', () => {
  assert.throws(() => checkOpsUxError(new Error('plain'), 'E_STORE'), assert.AssertionError);
});
