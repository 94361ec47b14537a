// Proves the test stores themselves honour the host store contract, so the other suites' oracles are sound.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReferenceStore, asyncStore, faultyStore, countingStore, thenableStore } from './support/stores.mjs';

const scope = { workspace_id: 1, tenant_id: 2 };
const at = (s) => `2026-01-01T00:00:${String(s).padStart(2, '0')}.000Z`;
const draft = (extra = {}) => ({
  ...scope, user_id: 7, type: 'inventory.sync', status: 'queued', outcome: null, dedup_key: 'inventory.sync',
  summary_counts: {}, failure_summary: [], context: {}, started_at: null, completed_at: null,
  created_at: at(0), updated_at: at(0), version: 1, ...extra,
});
const note = (id, run, extra = {}) => ({
  id, type: 'OperationRunCompleted', notifiable_type: 'User', notifiable_id: 7,
  data: { run_id: run.id, ...scope, operation_type: 'inventory.sync', outcome: 'succeeded', title: 't', body: 'b', summary_counts: {} },
  read_at: null, created_at: at(1), updated_at: at(1), ...extra,
});

describe('ReferenceStore', () => {
  it('assigns integer ids from 1 and dedups active runs by scope + dedup_key', () => {
    const s = new ReferenceStore();
    const a = s.insertRun(draft());
    assert.deepEqual([a.inserted, a.run.id], [true, 1]);
    assert.deepEqual([s.insertRun(draft()).inserted, s.insertRun(draft()).run.id], [false, 1]);
    assert.equal(s.insertRun(draft({ tenant_id: '2' })).run.id, 2, '2 and "2" are different tenants');
    assert.equal(s.insertRun(draft({ dedup_key: 'other' })).run.id, 3);
    const done = { ...a.run, status: 'completed', outcome: 'failed', version: 2 };
    assert.equal(s.commitRun({ run: done, expected_version: 1, notifications: [] }), true);
    assert.deepEqual(s.insertRun(draft()).run.id, 4, 'a completed run frees its key');
  });

  it('deep-copies records in and out', () => {
    const s = new ReferenceStore();
    const d = draft({ context: { a: [1] } });
    const { run } = s.insertRun(d);
    d.context.a.push(2);
    run.context.a.push(3);
    s.getRun(scope, 1).context.a.push(4);
    s.listRuns(scope, { status: [], type: null, limit: 10 })[0].context.a.push(5);
    assert.deepEqual(s.getRun(scope, 1).context, { a: [1] });
  });

  it('getRun stays in scope; commitRun is compare-and-set with notifications skipped by id', () => {
    const s = new ReferenceStore();
    const { run } = s.insertRun(draft());
    assert.equal(s.getRun({ ...scope, tenant_id: 3 }, 1), null);
    assert.equal(s.getRun(scope, '1'), null);
    const next = { ...run, status: 'running', version: 2 };
    assert.equal(s.commitRun({ run: next, expected_version: 5, notifications: [note('n1', run)] }), false);
    assert.deepEqual(s.getRun(scope, 1), run);
    assert.deepEqual(s.dump().notifications, []);
    assert.equal(s.commitRun({ run: { ...next, tenant_id: 3 }, expected_version: 1, notifications: [] }), false);
    assert.equal(s.commitRun({ run: next, expected_version: 1, notifications: [note('n1', run)] }), true);
    assert.equal(s.commitRun({ run: { ...next, version: 3 }, expected_version: 2, notifications: [note('n1', run, { created_at: at(9) })] }), true);
    assert.deepEqual(s.dump().notifications.map((n) => n.created_at), [at(1)], 'the second n1 was skipped');
  });

  it('lists newest first with filters and limit; notifications by user and scope; read once', () => {
    const s = new ReferenceStore();
    for (const type of ['a.x', 'b.x', 'a.x']) s.insertRun(draft({ type, dedup_key: `${type}${Math.random()}` }));
    assert.deepEqual(s.listRuns(scope, { status: [], type: null, limit: 10 }).map((r) => r.id), [3, 2, 1]);
    assert.deepEqual(s.listRuns(scope, { status: [], type: 'a.x', limit: 1 }).map((r) => r.id), [3]);
    assert.deepEqual(s.listRuns(scope, { status: ['running'], type: null, limit: 10 }), []);
    const run = s.getRun(scope, 1);
    s.commitRun({ run: { ...run, version: 2 }, expected_version: 1, notifications: [note('n1', run), note('n2', run, { notifiable_id: 8 })] });
    assert.deepEqual(s.listNotifications(scope, 7, { unread: false, limit: 10 }).map((n) => n.id), ['n1']);
    assert.deepEqual(s.listNotifications({ ...scope, workspace_id: 9 }, 7, { unread: false, limit: 10 }), []);
    assert.equal(s.markNotificationRead(scope, 8, 'n1', at(5)), null);
    assert.equal(s.markNotificationRead(scope, 7, 'n1', at(5)).read_at, at(5));
    assert.equal(s.markNotificationRead(scope, 7, 'n1', at(9)).read_at, at(5));
    assert.deepEqual(s.listNotifications(scope, 7, { unread: true, limit: 10 }), []);
  });
});

describe('wrappers', () => {
  it('asyncStore returns Promises and lets calls interleave', async () => {
    const order = [];
    const inner = { getRun: (_, id) => order.push(id) && null };
    const s = asyncStore({ ...new ReferenceStore(), ...inner });
    const p = [s.getRun(scope, 1), s.getRun(scope, 2)];
    assert.ok(p[0] instanceof Promise);
    assert.deepEqual(order, [], 'nothing ran synchronously');
    await Promise.all(p);
    assert.deepEqual(order, [1, 2]);
  });

  it('faultyStore throws, rejects, returns garbage, fires once, and switches off', async () => {
    const ref = new ReferenceStore();
    const t = faultyStore(ref, { method: 'getRun', mode: 'throw' });
    assert.throws(() => t.getRun(scope, 1), /injected throw/);
    t.disable();
    assert.equal(t.getRun(scope, 1), null);
    await assert.rejects(faultyStore(ref, { method: 'getRun', mode: 'reject' }).getRun(scope, 1));
    assert.deepEqual(faultyStore(ref, { method: 'getRun', mode: 'garbage' }).getRun(scope, 1), { nope: 1 });
    const once = faultyStore(ref, { method: 'listRuns', mode: 'once' });
    assert.throws(() => once.listRuns(scope, { status: [], type: null, limit: 1 }));
    assert.deepEqual(once.listRuns(scope, { status: [], type: null, limit: 1 }), []);
    assert.equal(once.fault.fired, 1);
    assert.throws(() => faultyStore(ref, { method: 'getRun', mode: 'throw', thrown: undefined }).getRun(scope, 1), (e) => e === undefined);
  });

  it('countingStore counts per method; thenableStore returns non-Promise thenables', async () => {
    const c = countingStore(new ReferenceStore());
    c.getRun(scope, 1);
    c.getRun(scope, 2);
    c.listRuns(scope, { status: [], type: null, limit: 1 });
    assert.equal(c.calls.getRun, 2);
    assert.equal(c.calls.listRuns, 1);
    assert.equal(c.calls.commitRun, 0);
    const th = thenableStore(new ReferenceStore()).getRun(scope, 1);
    assert.ok(!(th instanceof Promise) && typeof th.then === 'function');
    assert.equal(await th, null);
  });
});
