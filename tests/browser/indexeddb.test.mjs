// The IndexedDB store where only a real browser can show it: pages of one origin racing on one database,
// state across a reload, the stored shape, and failures (closed, deleted, blocked, foreign, over quota)
// that must reject rather than hang. The contract itself is the conformance suite's (conformance.test.mjs).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './support/browser.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const MOUNTS = [['/pkg/', join(repo, 'pkg')], ['/tests/', join(repo, 'tests/browser/pages')], ['/', join(repo, 'www')]];
const SCOPE = { workspace_id: 1, tenant_id: 'acme' };

let browser;
let databases = 0;
/** A database name no other test uses. */
const freshName = () => `idb-test-${Date.now()}-${(databases += 1)}`;

/** A page of the lab (the package on `window.lab`). */
async function labPage(origin = new URL(browser.url).origin) {
  const page = await browser.newPage();
  await page.goto(`${origin}/tests/lab.html`);
  await page.waitForFunction(() => window.lab, null, { timeout: 10_000 });
  return page;
}

/**
 * Runs `body(arg, go)` in every page at the same moment: each page prepares (opens its store and engine),
 * then `await go()` parks it on a BroadcastChannel; once all are parked, one message releases them together.
 * Resolves to each page's result.
 */
async function race(pages, body, arg) {
  const gun = `go-${Math.random()}`;
  await Promise.all(
    pages.map((p) =>
      p.evaluate(
        ([source, gun, arg]) =>
          new Promise((ready) => {
            const body = new Function(`return (${source})`)();
            const go = () => {
              const gate = window.lab.barrier(gun);
              ready();
              return gate;
            };
            window.raced = body(arg, go);
            window.raced.catch(() => ready()); // a failure before go() is reported by the read below
          }),
        [body.toString(), gun, arg],
      ),
    ),
  );
  await pages[0].evaluate((gun) => window.lab.fire(gun), gun);
  return Promise.all(pages.map((p) => p.evaluate(() => window.raced)));
}

before(async () => {
  browser = await launchBrowser({ mounts: MOUNTS });
});
after(() => browser?.close());

describe('IndexedDB store — two pages of one origin', () => {
  it('racing startRun of the same operation leaves exactly one active run each time', async () => {
    const name = freshName();
    const pages = [await labPage(), await labPage()];
    const ROUNDS = 30;
    const COPIES = 3;
    const results = await race(
      pages,
      async ({ name, scope, ROUNDS, COPIES }, go) => {
        const store = await window.lab.createIndexedDbStore({ name });
        const engine = await window.lab.createEngine({ store });
        await go();
        const starts = [];
        for (let round = 0; round < ROUNDS; round++) {
          for (let copy = 0; copy < COPIES; copy++) {
            const request = { ...scope, user_id: 7, type: 'inventory.sync', identity: { round } };
            starts.push(engine.startRun(request).then((s) => ({ round, id: s.run.id, deduped: s.deduped })));
          }
        }
        const out = await Promise.all(starts);
        store.close();
        return out;
      },
      { name, scope: SCOPE, ROUNDS, COPIES },
    );
    const all = results.flat();
    assert.equal(all.length, 2 * ROUNDS * COPIES);
    for (let round = 0; round < ROUNDS; round++) {
      const mine = all.filter((s) => s.round === round);
      assert.equal(new Set(mine.map((s) => s.id)).size, 1, `round ${round}: every start got the same run`);
      assert.equal(mine.filter((s) => !s.deduped).length, 1, `round ${round}: exactly one start inserted`);
    }
    const stored = await pages[0].evaluate(async ([name, scope]) => {
      const store = await window.lab.createIndexedDbStore({ name });
      const runs = await store.listRuns(scope, { status: ['queued', 'running'], type: null, limit: 1000 });
      store.close();
      return runs.map((r) => r.dedup_key);
    }, [name, SCOPE]);
    assert.equal(stored.length, ROUNDS, 'one active run per operation in the database');
    assert.equal(new Set(stored).size, ROUNDS);
    for (const p of pages) assert.deepEqual(p.errors, []);
  });

  it('racing the completion of the same run stores exactly one notification per run', async () => {
    const name = freshName();
    const pages = [await labPage(), await labPage()];
    const RUNS = 25;
    const ids = await pages[0].evaluate(async ([name, scope, RUNS]) => {
      const store = await window.lab.createIndexedDbStore({ name });
      const engine = await window.lab.createEngine({ store });
      const ids = [];
      for (let i = 0; i < RUNS; i++) {
        const { run } = await engine.startRun({ ...scope, user_id: 7, type: 'policy.backup', identity: { i } });
        await engine.updateRun(scope, run.id, { status: 'running' });
        ids.push(run.id);
      }
      store.close();
      return ids;
    }, [name, SCOPE, RUNS]);
    const results = await race(
      pages,
      async ({ name, scope, ids }, go) => {
        const store = await window.lab.createIndexedDbStore({ name });
        const engine = await window.lab.createEngine({ store });
        await go();
        const finish = { status: 'completed', outcome: 'succeeded', summary_counts: { total: 3 } };
        const out = await Promise.all(
          ids.map((id) => engine.updateRun(scope, id, finish).then((u) => ({ id, changed: u.changed, stored: u.notifications.length }))),
        );
        store.close();
        return out;
      },
      { name, scope: SCOPE, ids },
    );
    const all = results.flat();
    for (const id of ids) {
      const mine = all.filter((u) => u.id === id);
      assert.equal(mine.length, 2);
      assert.equal(mine.filter((u) => u.changed).length, 1, `run ${id}: exactly one page completed it`);
      assert.equal(mine.reduce((n, u) => n + u.stored, 0), 1, `run ${id}: one notification between the pages`);
    }
    const { notes, unnotified } = await pages[1].evaluate(async ([name, scope]) => {
      const store = await window.lab.createIndexedDbStore({ name });
      const notes = await store.listNotifications(scope, 7, { unread: false, limit: 1000 });
      const unnotified = await store.findUnnotifiedRuns(null, 1000);
      store.close();
      return { notes, unnotified };
    }, [name, SCOPE]);
    assert.equal(notes.length, RUNS, 'one stored notification per run');
    assert.deepEqual(notes.map((n) => n.data.run_id).sort((a, b) => a - b), [...ids].sort((a, b) => a - b));
    assert.deepEqual(unnotified, []);
  });

  it('racing recovery of a run whose notification is missing stores it once', async () => {
    const name = freshName();
    const pages = [await labPage(), await labPage()];
    const RUNS = 10;
    // Completed through the store with no notification, as a writer that crashed half-way would leave it.
    const gaps = await pages[0].evaluate(async ([name, scope, RUNS]) => {
      const store = await window.lab.createIndexedDbStore({ name });
      const engine = await window.lab.createEngine({ store });
      const gaps = [];
      for (let i = 0; i < RUNS; i++) {
        const { run } = await engine.startRun({ ...scope, user_id: 7, type: 'report.export', identity: { i } });
        const done = { ...run, status: 'completed', outcome: 'failed', completed_at: run.created_at, version: 2 };
        if (!(await store.commitRun({ run: done, expected_version: 1, notifications: [] }))) throw new Error('commit refused');
        gaps.push(run.id);
      }
      const found = (await store.findUnnotifiedRuns(scope, 100)).map((r) => r.id);
      store.close();
      return { gaps, found };
    }, [name, SCOPE, RUNS]);
    assert.deepEqual(gaps.found, gaps.gaps, 'every gap is found, oldest first');
    const results = await race(
      pages,
      async ({ name }, go) => {
        const store = await window.lab.createIndexedDbStore({ name });
        const engine = await window.lab.createEngine({ store });
        await go();
        const out = await Promise.all([engine.reconcile(), engine.reconcile()]);
        store.close();
        return out;
      },
      { name },
    );
    const repaired = results.flat().reduce((n, r) => n + r.repaired, 0);
    assert.equal(repaired, RUNS, 'four reconciles in two pages repair each gap once between them');
    const after = await pages[0].evaluate(async ([name, scope]) => {
      const store = await window.lab.createIndexedDbStore({ name });
      const notes = await store.listNotifications(scope, 7, { unread: true, limit: 100 });
      const left = await store.findUnnotifiedRuns(null, 100);
      store.close();
      return { notes: notes.map((n) => n.data.run_id), left };
    }, [name, SCOPE]);
    assert.deepEqual([...after.notes].sort((a, b) => a - b), gaps.gaps);
    assert.deepEqual(after.left, []);
  });
});

describe('IndexedDB store — persistence and shape', () => {
  it('state survives a page reload: runs, notifications, the active key and the id counter', async () => {
    const name = freshName();
    const page = await labPage();
    const before = await page.evaluate(async ([name, scope]) => {
      const store = await window.lab.createIndexedDbStore({ name });
      const engine = await window.lab.createEngine({ store });
      const first = await engine.startRun({ ...scope, user_id: 7, type: 'inventory.sync' });
      await engine.updateRun(scope, first.run.id, { status: 'running' });
      const done = await engine.updateRun(scope, first.run.id, { status: 'completed', outcome: 'partially_succeeded' });
      const second = await engine.startRun({ ...scope, user_id: 7, type: 'inventory.sync' });
      return { done: done.run, notification: done.notifications[0], active: second.run };
    }, [name, SCOPE]);
    await page.reload();
    await page.waitForFunction(() => window.lab);
    const afterReload = await page.evaluate(async ([name, scope, ids]) => {
      const store = await window.lab.createIndexedDbStore({ name });
      const engine = await window.lab.createEngine({ store });
      return {
        done: await engine.getRun(scope, ids[0]),
        active: await engine.getRun(scope, ids[1]),
        notifications: await engine.listNotifications(scope, 7),
        again: await engine.startRun({ ...scope, user_id: 7, type: 'inventory.sync' }),
        other: await engine.startRun({ ...scope, user_id: 7, type: 'policy.backup' }),
      };
    }, [name, SCOPE, [before.done.id, before.active.id]]);
    assert.deepEqual(afterReload.done, before.done);
    assert.deepEqual(afterReload.active, before.active);
    assert.deepEqual(afterReload.notifications, [before.notification]);
    assert.equal(afterReload.again.deduped, true, 'the active run still holds its key after the reload');
    assert.equal(afterReload.again.run.id, before.active.id);
    assert.equal(afterReload.other.run.id, before.active.id + 1, 'ids continue, never reused');
    assert.deepEqual(page.errors, []);
  });

  it('stores records exactly as given: no internal fields, ids and scope keys keep their type', async () => {
    const page = await labPage();
    const got = await page.evaluate(async (name) => {
      const store = await window.lab.createIndexedDbStore({ name });
      const draft = (workspace_id, tenant_id, user_id) => ({
        workspace_id, tenant_id, user_id, type: 't', status: 'queued', outcome: null, dedup_key: 't',
        summary_counts: {}, failure_summary: [], context: { nested: { list: [1, '1', null] } },
        started_at: null, completed_at: null, created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z', version: 1,
      });
      const a = await store.insertRun(draft(5, 5, 5));
      const b = await store.insertRun(draft('5', 5, 5));
      const c = await store.insertRun(draft(5, '5', '5'));
      const completed = { ...a.run, status: 'completed', outcome: 'succeeded', version: 2 };
      await store.commitRun({ run: completed, expected_version: 1, notifications: [] });
      return {
        a, b, c, draft: draft(5, 5, 5),
        byNumber: await store.getRun({ workspace_id: 5, tenant_id: 5 }, a.run.id),
        byString: await store.getRun({ workspace_id: 5, tenant_id: 5 }, String(a.run.id)),
        crossScope: await store.getRun({ workspace_id: '5', tenant_id: 5 }, a.run.id),
        listed: await store.listRuns({ workspace_id: 5, tenant_id: 5 }, { status: [], type: null, limit: 10 }),
        unnotified: await store.findUnnotifiedRuns({ workspace_id: 5, tenant_id: 5 }, 10),
        unnotifiedOther: await store.findUnnotifiedRuns({ workspace_id: 5, tenant_id: '5' }, 10),
      };
    }, freshName());
    assert.deepEqual([got.a.inserted, got.b.inserted, got.c.inserted], [true, true, true], '5 and "5" are different scopes');
    assert.deepEqual([got.a.run.id, got.b.run.id, got.c.run.id], [1, 2, 3], 'integer ids from a counter');
    assert.deepEqual(got.a.run, { ...got.draft, id: 1 });
    assert.deepEqual(Object.keys(got.byNumber).sort(), Object.keys({ ...got.draft, id: 1 }).sort(), 'no internal fields');
    assert.equal(got.byNumber.status, 'completed');
    assert.equal(got.byString, null, 'id "1" is not id 1');
    assert.equal(got.crossScope, null);
    assert.deepEqual(got.listed, [got.byNumber]);
    assert.deepEqual(got.unnotified, [got.byNumber], 'a completed run of user 5 with no notification is found');
    assert.deepEqual(got.unnotifiedOther, []);
  });
});

describe('IndexedDB store — failures reject, never hang', () => {
  it('a closed store rejects every call, and the engine turns it into E_STORE', async () => {
    const page = await labPage();
    const got = await page.evaluate(async ([name, scope]) => {
      const store = await window.lab.createIndexedDbStore({ name });
      const engine = await window.lab.createEngine({ store });
      store.close();
      const direct = await store.getRun(scope, 1).then(() => 'resolved', (e) => e.message);
      const viaEngine = await engine.startRun({ ...scope, type: 'x.y' }).then(() => 'resolved', (e) => [e.code, e.message]);
      return { direct, viaEngine };
    }, [freshName(), SCOPE]);
    assert.match(got.direct, /getRun failed: the database is closed \(close\(\) was called\)/);
    assert.equal(got.viaEngine[0], 'E_STORE');
    assert.match(got.viaEngine[1], /insertRun.*closed/);
  });

  it('a deletion from another page is not blocked by the store, whose later calls reject', async () => {
    const name = freshName();
    const [holder, deleter] = [await labPage(), await labPage()];
    await holder.evaluate(async (name) => {
      window.held = await window.lab.createIndexedDbStore({ name });
    }, name);
    await deleter.evaluate((name) => window.lab.deleteIndexedDbStore({ name, timeout: 5_000 }), name);
    const message = await holder.evaluate(() => window.held.listRuns({ workspace_id: 1, tenant_id: 1 }).then(() => 'resolved', (e) => e.message));
    assert.match(message, /closed \(another connection upgraded or deleted the database\)/);
  });

  it('a deletion held up by a foreign connection makes opens time out with a rejection', async () => {
    const name = freshName();
    const [foreign, page] = [await labPage(), await labPage()];
    await page.evaluate(async (name) => (await window.lab.createIndexedDbStore({ name })).close(), name);
    // A connection that ignores versionchange, as code not using this module might hold.
    await foreign.evaluate(
      (name) =>
        new Promise((resolve, reject) => {
          const req = indexedDB.open(name);
          req.onsuccess = () => resolve((window.raw = req.result) && undefined);
          req.onerror = () => reject(req.error);
        }),
      name,
    );
    const started = Date.now();
    const got = await page.evaluate(async (name) => {
      const outcome = (p) => p.then(() => 'resolved', (e) => e.message);
      const deletion = window.lab.deleteIndexedDbStore({ name, timeout: 300 });
      const opening = window.lab.createIndexedDbStore({ name, openTimeout: 300 });
      return { deletion: await outcome(deletion), opening: await outcome(opening) };
    }, name);
    assert.ok(Date.now() - started < 5_000, 'rejected promptly');
    assert.match(got.deletion, /deleting timed out after 300 ms/);
    assert.match(got.opening, /opening timed out after 300 ms/);
    // Once the foreign connection closes, the pending deletion goes through and the name opens afresh.
    await foreign.evaluate(() => window.raw.close());
    const runs = await page.evaluate(async (name) => {
      const store = await window.lab.createIndexedDbStore({ name });
      const runs = await store.listRuns({ workspace_id: 1, tenant_id: 1 }, { status: [], type: null, limit: 10 });
      store.close();
      return runs;
    }, name);
    assert.deepEqual(runs, []);
  });

  it('a database of another shape or a newer version is refused with a rejection', async () => {
    const page = await labPage();
    const got = await page.evaluate(async ([foreign, newer]) => {
      const make = (name, version) =>
        new Promise((resolve, reject) => {
          const req = indexedDB.open(name, version);
          req.onsuccess = () => resolve(req.result.close());
          req.onerror = () => reject(req.error);
        });
      await make(foreign, 1);
      await make(newer, 5);
      const outcome = (p) => p.then(() => 'resolved', (e) => e.message);
      return {
        foreign: await outcome(window.lab.createIndexedDbStore({ name: foreign })),
        newer: await outcome(window.lab.createIndexedDbStore({ name: newer })),
        option: await outcome(window.lab.createIndexedDbStore({ nmae: 'typo' })),
      };
    }, [freshName(), freshName()]);
    assert.match(got.foreign, /exists but was not created by ops-ux-engine/);
    assert.match(got.newer, /cannot open: VersionError/);
    assert.match(got.option, /unknown option "nmae"/);
  });

  it('a write over the quota rejects with QuotaExceededError, and the engine reports E_STORE', async () => {
    // A fresh origin (localhost instead of 127.0.0.1, same server): Chromium caches an origin's remaining
    // space once it has written, and would let small writes through a quota lowered afterwards.
    const origin = new URL(browser.url).origin.replace('127.0.0.1', 'localhost');
    const page = await labPage(origin);
    const cdp = await browser.context.newCDPSession(page);
    const name = freshName();
    await page.evaluate(async (name) => {
      window.full = await window.lab.createIndexedDbStore({ name });
      window.fullEngine = await window.lab.createEngine({ store: window.full });
    }, name);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
    let got;
    try {
      got = await page.evaluate(async (scope) => {
        const big = { blob: 'x'.repeat(15_000) };
        const results = [];
        for (let i = 0; i < 5; i++) {
          results.push(
            await window.fullEngine.startRun({ ...scope, type: 'x.y', identity: { i }, context: big }).then(
              () => 'resolved',
              (e) => [e.code, e.message],
            ),
          );
        }
        return results;
      }, SCOPE);
      const refused = got.find((r) => r !== 'resolved');
      assert.ok(refused, `some write must exceed a 1-byte quota: ${JSON.stringify(got)}`);
      assert.equal(refused[0], 'E_STORE');
      assert.match(refused[1], /insertRun failed: QuotaExceededError: the origin's storage quota is full/);
    } finally {
      await cdp.send('Storage.overrideQuotaForOrigin', { origin });
      await cdp.detach();
    }
    // Nothing half-written: the refused start left no run, and the store works again under a normal quota.
    const after = await page.evaluate(async (scope) => {
      const { deduped } = await window.fullEngine.startRun({ ...scope, type: 'x.y', identity: 'after' });
      return { deduped, runs: (await window.fullEngine.listRuns(scope)).length };
    }, SCOPE);
    assert.equal(after.deduped, false);
    assert.equal(after.runs, got.filter((r) => r === 'resolved').length + 1);
  });
});

describe('README', () => {
  it('every ```js browser block runs in a page and prints what its `// →` comments say', async () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/^```js browser\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
    assert.ok(blocks.length >= 1, 'the README has a browser example (the IndexedDB store section)');
    for (const code of blocks) {
      const expected = [...code.matchAll(/\/\/ → (.*)$/gm)].map((m) => m[1].trim());
      // A fresh profile and origin per block, so its default database name starts empty.
      const own = await launchBrowser({ mounts: MOUNTS });
      try {
        const page = await own.newPage();
        const printed = [];
        page.on('console', (m) => m.type() === 'log' && printed.push(m.text()));
        await page.goto(`${own.url}tests/lab.html`);
        await page.waitForFunction(() => window.lab);
        // As a module of the page, so the page's import map resolves 'ops-ux-engine'.
        await page.evaluate(async (code) => {
          await import(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
        }, code);
        assert.deepEqual(printed, expected);
        assert.deepEqual(page.errors, []);
      } finally {
        await own.close();
      }
    }
  });
});
