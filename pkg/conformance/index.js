// The store conformance suite: the semantics of the host store contract, as cases any adapter author can
// run against their store — in Node (node:test, or any runner with `test(name, fn)`) or in a browser page.
// Engine cases drive the store through the engine, so they also run on the embedded store (no store
// object); contract cases call the store's methods directly and run when there is a store object.
import { createEngine } from 'ops-ux-engine';
import { check, deepEqual, equal, rejects, sameMembers } from './assert.js';

const SCOPE = Object.freeze({ workspace_id: 1, tenant_id: 2 });
const OTHER_TENANT = Object.freeze({ workspace_id: 1, tenant_id: 3 });
const OTHER_WORKSPACE = Object.freeze({ workspace_id: 9, tenant_id: 2 });
const USER = 7;
const ACTIVE = ['queued', 'running'];

const start = (overrides = {}) => ({ ...SCOPE, user_id: USER, type: 'inventory.sync', identity: 'all', ...overrides });
const COMPLETE = Object.freeze({ status: 'completed', outcome: 'succeeded' });

/** Runs `run` through queued → running → completed and returns the completion result. */
async function complete(engine, run, update = COMPLETE, scope = SCOPE) {
  await engine.updateRun(scope, run.id, { status: 'running' });
  return engine.updateRun(scope, run.id, update);
}

/** Commits `changes` to `run` straight through the store, as a crashed or non-atomic writer would. */
async function commitDirect(store, run, changes, notifications = []) {
  const next = { ...run, ...changes, version: run.version + 1 };
  const ok = await store.commitRun({ run: next, expected_version: run.version, notifications });
  equal(ok, true, 'commitRun at the stored version commits');
  return next;
}

/** A completed run with an initiator whose completion notification was never stored. */
async function completedWithoutNotification(engine, store, identity, scope = SCOPE) {
  const { run } = await engine.startRun(start({ ...scope, identity }));
  const running = (await engine.updateRun(scope, run.id, { status: 'running' })).run;
  return commitDirect(store, running, { status: 'completed', outcome: 'failed', completed_at: running.updated_at });
}

const ENGINE_CASES = {
  'startRun stores a queued run at version 1 that getRun returns unchanged': async ({ engine }) => {
    const { run, deduped } = await engine.startRun(start({ context: { source: 'conformance', n: [1, 2.5, 'ü'] } }));
    equal(deduped, false);
    equal(run.status, 'queued');
    equal(run.version, 1);
    equal(run.outcome, null);
    check(typeof run.id === 'number' || typeof run.id === 'string', 'the store assigns an id');
    deepEqual(await engine.getRun(SCOPE, run.id), run, 'getRun returns the run exactly as stored');
  },

  'a duplicate start returns the active run and stores nothing': async ({ engine }) => {
    const first = await engine.startRun(start());
    const again = await engine.startRun(start({ context: { other: true } }));
    equal(again.deduped, true);
    deepEqual(again.run, first.run, 'the existing run, unchanged');
    equal((await engine.listRuns(SCOPE)).length, 1);
    equal((await engine.listNotifications(SCOPE, USER)).length, 0, 'starting stores no notification');
  },

  'dedup is per scope, type and identity, and only while the run is active': async ({ engine }) => {
    const { run } = await engine.startRun(start());
    for (const other of [start(OTHER_TENANT), start(OTHER_WORKSPACE), start({ type: 'policy.backup' }), start({ identity: 'one' })]) {
      equal((await engine.startRun(other)).deduped, false, `a different operation: ${JSON.stringify(other)}`);
    }
    await engine.updateRun(SCOPE, run.id, { status: 'running' });
    equal((await engine.startRun(start())).deduped, true, 'a running run still holds its key');
    await engine.updateRun(SCOPE, run.id, COMPLETE);
    const fresh = await engine.startRun(start());
    equal(fresh.deduped, false, 'a completed run frees its key');
    check(fresh.run.id !== run.id, 'a new run has a new id');
  },

  'concurrent starts of one operation store one run': async ({ engine }) => {
    const results = await Promise.all(Array.from({ length: 12 }, () => engine.startRun(start())));
    equal(new Set(results.map((r) => JSON.stringify(r.run.id))).size, 1, 'every start got the same run');
    equal(results.filter((r) => !r.deduped).length, 1, 'exactly one start inserted');
    equal((await engine.listRuns(SCOPE, { status: ACTIVE })).length, 1);
  },

  'a lifecycle moves the version 1 → 2 → 3 and stores exactly one notification': async ({ engine }) => {
    const { run } = await engine.startRun(start());
    const running = await engine.updateRun(SCOPE, run.id, { status: 'running', summary_counts: { total: 4 } });
    equal(running.run.version, 2);
    check(running.run.started_at !== null, 'started_at is set');
    equal(running.notifications.length, 0, 'nothing is stored for running');
    const done = await engine.updateRun(SCOPE, run.id, { ...COMPLETE, summary_counts: { processed: 4 } });
    equal(done.run.version, 3);
    check(done.run.completed_at !== null, 'completed_at is set');
    deepEqual(done.run.summary_counts, { total: 4, processed: 4 });
    equal(done.notifications.length, 1);
    deepEqual(await engine.getRun(SCOPE, run.id), done.run, 'the stored run is the committed run');
    deepEqual(await engine.listNotifications(SCOPE, USER), done.notifications, 'the stored notification is the emitted one');
    const n = done.notifications[0];
    equal(n.type, 'OperationRunCompleted');
    equal(n.notifiable_id, USER);
    equal(n.data.run_id, run.id);
  },

  'a run without an initiator completes with no notification': async ({ engine }) => {
    const { run } = await engine.startRun(start({ user_id: null }));
    const done = await complete(engine, run, { status: 'completed', outcome: 'failed' });
    equal(done.notifications.length, 0);
    equal((await engine.reconcile()).checked, 0, 'nothing is missing');
  },

  'a repeated completion is a no-op and another outcome is refused': async ({ engine }) => {
    const { run } = await engine.startRun(start());
    const done = await complete(engine, run);
    const again = await engine.updateRun(SCOPE, run.id, COMPLETE);
    equal(again.changed, false);
    equal(again.notifications.length, 0);
    await rejects(engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'failed' }), 'E_INVALID_TRANSITION');
    deepEqual(await engine.getRun(SCOPE, run.id), done.run, 'the run is as the first completion left it');
    equal((await engine.listNotifications(SCOPE, USER)).length, 1);
  },

  'concurrent completions store one notification': async ({ engine }) => {
    const { run } = await engine.startRun(start());
    await engine.updateRun(SCOPE, run.id, { status: 'running' });
    const results = await Promise.all(Array.from({ length: 8 }, () => engine.updateRun(SCOPE, run.id, COMPLETE)));
    equal(results.filter((r) => r.changed).length, 1, 'one writer applied the completion');
    equal(results.flatMap((r) => r.notifications).length, 1);
    equal((await engine.listNotifications(SCOPE, USER)).length, 1);
    equal((await engine.getRun(SCOPE, run.id)).version, 3);
  },

  'concurrent progress updates all land, each on its own version': async ({ engine }) => {
    const { run } = await engine.startRun(start());
    const keys = ['processed', 'succeeded', 'failed', 'skipped', 'created', 'updated'];
    await Promise.all(keys.map((key, i) => engine.updateRun(SCOPE, run.id, { summary_counts: { [key]: i + 1 } })));
    const stored = await engine.getRun(SCOPE, run.id);
    equal(stored.version, 1 + keys.length, 'every update committed once');
    deepEqual(stored.summary_counts, Object.fromEntries(keys.map((key, i) => [key, i + 1])));
  },

  'a run does not exist outside its scope': async ({ engine }) => {
    const { run } = await engine.startRun(start());
    const done = await complete(engine, run);
    for (const scope of [OTHER_TENANT, OTHER_WORKSPACE]) {
      await rejects(engine.getRun(scope, run.id), 'E_NOT_FOUND');
      await rejects(engine.updateRun(scope, run.id, { context: { stolen: true } }), 'E_NOT_FOUND');
      equal((await engine.listRuns(scope)).length, 0);
      equal((await engine.listNotifications(scope, USER)).length, 0);
      await rejects(engine.markNotificationRead(scope, USER, done.notifications[0].id), 'E_NOT_FOUND');
      equal((await engine.reconcile({ scope })).checked, 0);
    }
    await rejects(engine.markNotificationRead(SCOPE, USER + 1, done.notifications[0].id), 'E_NOT_FOUND');
    deepEqual(await engine.getRun(SCOPE, run.id), done.run, 'nothing changed');
  },

  'listRuns is newest first and filters by status, type and limit': async ({ engine }) => {
    const ids = [];
    for (const [type, identity] of [['inventory.sync', 'a'], ['policy.backup', 'b'], ['inventory.sync', 'c'], ['policy.backup', 'd']]) {
      ids.push((await engine.startRun(start({ type, identity }))).run.id);
    }
    await engine.updateRun(SCOPE, ids[1], { status: 'running' });
    deepEqual((await engine.listRuns(SCOPE)).map((r) => r.id), [...ids].reverse());
    deepEqual((await engine.listRuns(SCOPE, { status: ['running'] })).map((r) => r.id), [ids[1]]);
    deepEqual((await engine.listRuns(SCOPE, { type: 'inventory.sync' })).map((r) => r.id), [ids[2], ids[0]]);
    deepEqual((await engine.listRuns(SCOPE, { status: ['queued'], type: 'policy.backup' })).map((r) => r.id), [ids[3]]);
    deepEqual((await engine.listRuns(SCOPE, { limit: 2 })).map((r) => r.id), [ids[3], ids[2]]);
  },

  'listNotifications is newest first; markNotificationRead sets read_at once': async ({ engine }) => {
    const emitted = [];
    for (const identity of ['a', 'b', 'c']) {
      const { run } = await engine.startRun(start({ identity }));
      emitted.push(...(await complete(engine, run)).notifications);
    }
    const ids = emitted.map((n) => n.id);
    deepEqual((await engine.listNotifications(SCOPE, USER)).map((n) => n.id), [...ids].reverse());
    deepEqual((await engine.listNotifications(SCOPE, USER, { limit: 1 })).map((n) => n.id), [ids[2]]);
    const read = await engine.markNotificationRead(SCOPE, USER, ids[1]);
    check(typeof read.read_at === 'string', 'read_at is set');
    equal(read.updated_at, read.read_at);
    const again = await engine.markNotificationRead(SCOPE, USER, ids[1]);
    equal(again.read_at, read.read_at, 'a second read keeps the first read_at');
    deepEqual((await engine.listNotifications(SCOPE, USER, { unread: true })).map((n) => n.id), [ids[2], ids[0]]);
    await rejects(engine.markNotificationRead(SCOPE, USER, '00000000-0000-8000-8000-000000000000'), 'E_NOT_FOUND');
  },

  'what a run carries round-trips: counts, failures, unicode and nested context': async ({ engine }) => {
    const context = { label: 'Zürich — 東京 🚀', nested: { list: [1, -2, 3.25, null, true], empty: {} }, quote: '"\\' };
    const { run } = await engine.startRun(start({ context }));
    const failure = { code: 'HTTP_401', message: 'GET https://api.example.test failed: Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789' };
    const done = await complete(engine, run, { status: 'completed', outcome: 'partially_succeeded', summary_counts: { total: 10, failed: 1 }, failure_summary: [failure] });
    deepEqual(done.run.context, context);
    check(!JSON.stringify(done.run.failure_summary).includes('abcdefghijklmnopqrstuvwxyz'), 'the token is redacted');
    deepEqual(await engine.getRun(SCOPE, run.id), done.run, 'stored exactly as committed');
    const later = await engine.updateRun(SCOPE, run.id, { context: { ...context, after: 'completion' } });
    equal(later.run.status, 'completed', 'context still changes after completion');
    deepEqual(await engine.getRun(SCOPE, run.id), later.run);
  },

  'ids keep their type: 5 and "5" are different scopes and users': async ({ engine }) => {
    const numeric = { workspace_id: 5, tenant_id: 5 };
    const text = { workspace_id: '5', tenant_id: '5' };
    const a = await engine.startRun(start({ ...numeric, user_id: 5 }));
    const b = await engine.startRun(start({ ...text, user_id: '5' }));
    equal(b.deduped, false, 'a string scope is another scope');
    await complete(engine, a.run, COMPLETE, numeric);
    await complete(engine, b.run, COMPLETE, text);
    equal((await engine.listRuns(numeric)).length, 1);
    equal((await engine.listRuns(text)).length, 1);
    deepEqual((await engine.listNotifications(numeric, 5)).map((n) => n.notifiable_id), [5]);
    deepEqual((await engine.listNotifications(text, '5')).map((n) => n.notifiable_id), ['5']);
    equal((await engine.listNotifications(numeric, '5')).length, 0);
  },

  'reconcile finds nothing after the engine’s own commits': async ({ engine }) => {
    for (const identity of ['a', 'b']) await complete(engine, (await engine.startRun(start({ identity }))).run);
    deepEqual(await engine.reconcile(), { checked: 0, repaired: 0 });
  },
};

const CONTRACT_CASES = {
  'insertRun inserts a draft once and returns the active run for its key': async ({ engine, store }) => {
    const { run } = await engine.startRun(start());
    const { id, ...draft } = run;
    const again = await store.insertRun(draft);
    equal(again.inserted, false);
    deepEqual(again.run, run);
    const other = await store.insertRun({ ...draft, dedup_key: `${draft.dedup_key}-other` });
    equal(other.inserted, true);
    check(JSON.stringify(other.run.id) !== JSON.stringify(id), 'a new id');
  },

  'commitRun at a stale version changes nothing and returns false': async ({ engine, store }) => {
    const { run } = await engine.startRun(start());
    const running = (await engine.updateRun(SCOPE, run.id, { status: 'running' })).run;
    const stale = { ...run, status: 'completed', outcome: 'succeeded', version: 2 };
    const done = await complete(engine, (await engine.startRun(start({ identity: 'n' }))).run);
    const ok = await store.commitRun({ run: stale, expected_version: 1, notifications: [{ ...done.notifications[0], id: '11111111-1111-8111-8111-111111111111' }] });
    equal(ok, false);
    deepEqual(await store.getRun(SCOPE, run.id), running, 'the run is unchanged');
    equal((await engine.listNotifications(SCOPE, USER)).length, 1, 'no notification went in');
  },

  'commitRun outside the run’s scope changes nothing': async ({ engine, store }) => {
    const { run } = await engine.startRun(start());
    const ok = await store.commitRun({ run: { ...run, ...OTHER_TENANT, context: { moved: true }, version: 2 }, expected_version: 1, notifications: [] });
    equal(ok, false);
    deepEqual(await store.getRun(SCOPE, run.id), run);
    equal(await store.getRun(OTHER_TENANT, run.id) ?? null, null);
  },

  'commitRun skips notifications whose id is stored': async ({ engine, store }) => {
    const { run } = await engine.startRun(start());
    const done = await complete(engine, run);
    const stored = await store.getRun(SCOPE, run.id);
    await commitDirect(store, stored, { context: { again: 1 } }, done.notifications);
    equal((await engine.listNotifications(SCOPE, USER)).length, 1, 'the same id is never stored twice');
  },

  'getRun is null for an unknown id or another scope': async ({ engine, store }) => {
    const { run } = await engine.startRun(start());
    equal((await store.getRun(OTHER_TENANT, run.id)) ?? null, null);
    equal((await store.getRun(SCOPE, typeof run.id === 'number' ? run.id + 1000 : `${run.id}-x`)) ?? null, null);
  },

  'findUnnotifiedRuns and insertNotifications find and fill a missing notification once': async ({ engine, store }) => {
    const gap = await completedWithoutNotification(engine, store, 'gap');
    const other = await completedWithoutNotification(engine, store, 'gap', OTHER_TENANT);
    const system = (await engine.startRun(start({ user_id: null, identity: 'sys' }))).run;
    await complete(engine, system);
    await complete(engine, (await engine.startRun(start({ identity: 'fine' }))).run);
    await engine.startRun(start({ identity: 'queued' }));
    sameMembers((await store.findUnnotifiedRuns(null, 100)).map((r) => r.id), [gap.id, other.id]);
    deepEqual(await store.findUnnotifiedRuns(SCOPE, 100), [gap], 'scoped, and returned as stored');
    equal((await store.findUnnotifiedRuns(null, 1)).length, 1, 'at most limit');
    const done = await engine.startRun(start({ identity: 'template' }));
    const template = (await complete(engine, done.run)).notifications[0];
    const filler = { ...template, id: '22222222-2222-8222-8222-222222222222', data: { ...template.data, run_id: gap.id } };
    equal(await store.insertNotifications([filler]), 1);
    equal(await store.insertNotifications([filler, template]), 0, 'stored ids are skipped');
    deepEqual(await store.findUnnotifiedRuns(SCOPE, 100), []);
  },

  'reconcile repairs each missing notification exactly once': async ({ engine, store }) => {
    const gaps = [];
    for (const identity of ['a', 'b', 'c']) gaps.push(await completedWithoutNotification(engine, store, identity));
    gaps.push(await completedWithoutNotification(engine, store, 'a', OTHER_TENANT));
    deepEqual(await engine.reconcile({ scope: SCOPE, limit: 2 }), { checked: 3, repaired: 3 });
    const notes = await engine.listNotifications(SCOPE, USER);
    sameMembers(notes.map((n) => n.data.run_id), gaps.slice(0, 3).map((r) => r.id));
    check(notes.every((n) => n.data.outcome === 'failed' && n.read_at === null), 'the copy of the stored outcome, unread');
    const [a, b] = await Promise.all([engine.reconcile(), engine.reconcile()]);
    equal(a.repaired + b.repaired, 1, 'racing reconciles repair the other tenant’s run once between them');
    deepEqual(await engine.reconcile(), { checked: 0, repaired: 0 });
    equal((await engine.listNotifications(OTHER_TENANT, USER)).length, 1);
  },

  'a completion stored through commitRun frees the key for insertRun': async ({ engine, store }) => {
    const { run } = await engine.startRun(start());
    await commitDirect(store, run, { status: 'completed', outcome: 'cancelled', completed_at: run.created_at });
    const { id, ...draft } = run;
    const fresh = await store.insertRun(draft);
    equal(fresh.inserted, true);
  },
};

/** Cases that need string scope and user ids; left out for stores documented to hold integers only. */
const STRING_ID_CASES = new Set(['ids keep their type: 5 and "5" are different scopes and users']);

/**
 * The cases for a store: `[{ name, run }]`, where `run()` resolves or throws an Error that says what broke.
 * `createStore()` is called once per case and resolves to `{ store, close? }` over a fresh, empty store.
 * `embedded: true` means `createStore` gives `{ store: undefined }` (the engine's embedded store): the
 * contract cases, which call a store object directly, are left out. `stringIds: false` leaves out the case
 * that needs string ids, for stores documented to hold integer ids only.
 */
export function conformanceCases({ createStore, embedded = false, stringIds = true, engineOptions = {} }) {
  if (typeof createStore !== 'function') {
    throw new TypeError('conformanceCases needs createStore: () => Promise<{ store, close? }>');
  }
  const cases = (table, prefix) =>
    Object.entries(table)
      .filter(([name]) => stringIds || !STRING_ID_CASES.has(name))
      .map(([name, body]) => ({
        name: prefix + name,
        run: async () => {
          const { store, close } = (await createStore()) ?? {};
          if (!embedded && !store) throw new Error('createStore resolved without a store (pass embedded: true for the embedded store)');
          const engine = await createEngine({ ...engineOptions, store });
          try {
            await body({ engine, store });
          } finally {
            engine.free();
            await close?.();
          }
        },
      }));
  return [...cases(ENGINE_CASES, ''), ...(embedded ? [] : cases(CONTRACT_CASES, 'contract: '))];
}

/** Registers every case with `test(name, fn)`: node:test's `test`, or any runner's. Options as above. */
export function runConformance({ name = 'store', test, ...options }) {
  if (typeof test !== 'function') throw new TypeError('runConformance needs test: (name, fn) => void (e.g. node:test)');
  for (const c of conformanceCases(options)) test(`${name} conformance: ${c.name}`, c.run);
}
