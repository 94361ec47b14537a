// The dashboard (www/) in real Chromium, on its IndexedDB store: toasts, the progress widget, dedup across
// clicks and tabs, exactly one completion notification, persistence across a reload, redaction shown as
// text, the in-memory store switch, "Clear all" and the in-page worker. Each test opens its own database
// (?db=…) and, unless it tests the worker itself, drives runs through the page's manual worker.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchBrowser } from './support/browser.mjs';
import { clickStart, fillStart, openDashboard, readIndexedDb, screenshot, startButton, tableRuns, waitForRunCount } from './support/dashboard.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const noErrors = (...pages) => {
  for (const page of pages) assert.deepEqual(page.errors.map(String), []);
};

test('a start shows the queued toast and the run in the progress widget at once; a second start is "already queued"', async () => {
  const page = await openDashboard(browser, { db: 'start' });
  await page.evaluate(() => (window.__sameDocument = true)); // gone if anything reloads the page
  await fillStart(page, { tenant: 'fabrikam', identity: 'device-group-42', initiator: 7 });

  const first = await clickStart(page, 'inventory.sync');
  assert.deepEqual(first, {
    kind: 'queued',
    title: 'Inventory sync queued',
    body: 'It runs in the background; progress shows in the operations widget.',
  });
  const widget = page.locator('#active-runs li');
  await widget.first().waitFor();
  assert.equal(await widget.count(), 1);
  assert.match(await widget.first().innerText(), /#1 Inventory sync[\s\S]*Fabrikam · queued/);
  assert.equal(await page.textContent('#active-count'), '1');

  // The optimistic check (planStart over the runs on the page) knows the duplicate before any click.
  await page.waitForFunction(() => document.querySelector('[data-hint-for="inventory.sync"]').textContent.includes('#1'));
  assert.equal(await page.textContent('[data-hint-for="inventory.sync"]'), 'Already queued — will show the existing run #1');
  assert.equal(await page.textContent(startButton('inventory.sync')), 'Show run');
  assert.equal(await page.textContent('[data-hint-for="policy.backup"]'), '', 'another type is not a duplicate');

  const second = await clickStart(page, 'inventory.sync');
  assert.deepEqual(second, {
    kind: 'already_queued',
    title: 'Inventory sync already queued',
    body: 'An identical operation is already queued or running. No new run was started.',
  });
  await page.locator('#runs tbody.run.highlight').waitFor(); // "will show the existing run"
  const rows = await tableRuns(page);
  assert.deepEqual(rows.map((r) => [r.id, r.status]), [['1', 'queued']]);
  assert.match(rows[0].text, /Acme Corp · Fabrikam · device-group-42/);

  // The store agrees: one run, and toasts are never stored as notifications.
  const stored = await readIndexedDb(page, 'start');
  assert.equal(stored.runs.length, 1);
  assert.equal(stored.runs[0].dedup_key, 'inventory.sync#"device-group-42"');
  assert.equal(stored.notifications.length, 0);
  assert.equal(await page.locator('#notifications li').count(), 0);

  // run-enqueued drives the widget: a start outside the page's own button is drawn before startRun resolves.
  const drawn = await page.evaluate(async () => {
    const { run } = await window.__dashboard.engine.startRun({ workspace_id: 2, tenant_id: 'northwind', user_id: null, type: 'report.export' });
    return document.querySelector(`#active-runs li[data-run-id="${run.id}"]`)?.textContent ?? null;
  });
  assert.match(drawn, /#2 Report export/);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'nothing reloaded the page');
  await screenshot(page, 'dashboard-start.png');
  noErrors(page);
  await page.close();
});

test('a completed run has exactly one notification, in the list and in IndexedDB; it survives a reload', async () => {
  const page = await openDashboard(browser, { db: 'complete' });
  await clickStart(page, 'policy.backup');
  const row = page.locator('#runs tbody.run[data-run-id="1"]');

  // The manual worker's row buttons: run, one progress step, succeed.
  await row.locator('button[data-action="run"]').click();
  await page.waitForSelector('#runs tbody.run[data-run-id="1"][data-status="running"]');
  await row.locator('button[data-action="step"]').click();
  await page.waitForFunction(() => /^[1-9]\d*%$/.test(document.querySelector('#active-runs li .active-percent')?.textContent));
  assert.match(await page.textContent('#runs tbody.run[data-run-id="1"] .col-progress'), /^\d+ \/ \d+$/);
  await row.locator('button[data-action="succeed"]').click();
  await page.waitForSelector('#runs tbody.run[data-run-id="1"][data-outcome="succeeded"]');

  // A worker retrying the same completion changes nothing and stores nothing twice.
  const retry = await page.evaluate(() => window.__dashboard.complete(1, { outcome: 'succeeded' }));
  assert.equal(retry.changed, false);

  const notes = page.locator('#notifications li');
  await notes.first().waitFor();
  assert.equal(await notes.count(), 1);
  assert.equal(await notes.first().locator('.note-title').textContent(), 'Policy backup completed');
  assert.equal(await notes.first().getAttribute('class'), 'note unread');
  assert.equal(await page.textContent('#unread-count'), '1');
  assert.equal(await page.locator('#active-runs li').count(), 0);

  let stored = await readIndexedDb(page, 'complete');
  assert.equal(stored.notifications.length, 1);
  assert.equal(stored.notifications[0].data.run_id, 1);
  assert.equal(stored.notifications[0].notifiable_id, 7);
  assert.equal(stored.notifications[0].read_at, null);

  // A click marks it read through the engine, in the store too.
  await notes.first().click();
  await page.waitForSelector('#notifications li:not(.unread)');
  stored = await readIndexedDb(page, 'complete');
  assert.match(stored.notifications[0].read_at, /^\d{4}-\d\d-\d\dT/);

  await page.reload();
  await page.waitForSelector('html[data-ready]');
  const rows = await tableRuns(page);
  assert.deepEqual(rows.map((r) => [r.id, r.status, r.outcome]), [['1', 'completed', 'succeeded']]);
  assert.equal(await page.locator('#notifications li').count(), 1);
  assert.equal(await page.locator('#notifications li.unread').count(), 0);
  assert.equal(await page.isHidden('#unread-count'), true);
  await screenshot(page, 'dashboard-complete.png');
  noErrors(page);
  await page.close();
});

test('two tabs starting the same operation at the same moment make one run; a start in one tab shows in the other', async () => {
  const [a, b] = await Promise.all([openDashboard(browser, { db: 'race' }), openDashboard(browser, { db: 'race' })]);
  await Promise.all([a, b].map((p) => fillStart(p, { tenant: 'northwind', identity: 'nightly' })));

  const toasts = await Promise.all([clickStart(a, 'directory.import'), clickStart(b, 'directory.import')]);
  assert.deepEqual(toasts.map((t) => t.kind).sort(), ['already_queued', 'queued']);
  const stored = await readIndexedDb(a, 'race');
  assert.equal(stored.runs.length, 1);
  await Promise.all([waitForRunCount(a, 1), waitForRunCount(b, 1)]);

  // Tab A starts another operation; tab B hears of it without a reload.
  await clickStart(a, 'report.export');
  await waitForRunCount(b, 2);
  assert.deepEqual((await tableRuns(b)).map((r) => r.id), ['2', '1']);
  await screenshot(b, 'dashboard-two-tabs.png');
  noErrors(a, b);
  await Promise.all([a.close(), b.close()]);
});

test('a failure message with a bearer token and markup is shown redacted, as text, and runs no script', async () => {
  const page = await openDashboard(browser, { db: 'xss' });
  const markup = '<img src=x onerror=alert(1)>';
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXNlY3JldA';
  await fillStart(page, { identity: markup });
  await clickStart(page, 'directory.import');
  await page.evaluate(
    ([message]) => window.__dashboard.complete(1, { outcome: 'failed', failure_summary: [{ code: 'graph.unauthorized', message }] }),
    [`GET /users failed: 401 (Authorization: Bearer ${jwt}) ${markup}`],
  );
  const message = page.locator('#runs tbody.run[data-run-id="1"] .failure-message');
  await message.waitFor();
  assert.equal(await message.textContent(), `GET /users failed: 401 (Authorization: Bearer [REDACTED]) ${markup}`);
  assert.equal(await page.locator('#runs tbody.run[data-run-id="1"] .identity').textContent(), markup);

  // Give a created <img> every chance to fire: its URL has been fetched once this resolves.
  await page.evaluate(() => fetch('/x').then((r) => r.status));
  const dom = await page.evaluate(() => ({
    images: document.querySelectorAll('img').length,
    html: document.documentElement.outerHTML,
    text: document.body.innerText,
  }));
  assert.equal(dom.images, 0, 'no <img> element was created');
  assert.ok(dom.text.includes(markup), 'the markup is visible as literal text');
  assert.ok(!dom.html.includes(jwt) && !dom.html.includes('c2lnbmF0dXJlLXNlY3JldA'), 'the token is not in the DOM');
  const stored = await readIndexedDb(page, 'xss');
  assert.equal(stored.runs[0].failure_summary[0].message, `GET /users failed: 401 (Authorization: Bearer [REDACTED]) ${markup}`);
  assert.equal(stored.notifications.length, 1);
  await screenshot(page, 'dashboard-redaction.png');
  noErrors(page); // no alert dialog, no page error
  await page.close();
});

test('?store=memory runs on the embedded store, labelled, and forgets on reload; "Clear all" empties IndexedDB', async () => {
  const memory = await openDashboard(browser, { store: 'memory' });
  assert.match(await memory.textContent('.tagline'), /^In-memory — the engine’s embedded store/);
  assert.equal(await memory.getAttribute('#store-switch [aria-current]', 'data-store'), 'memory');
  assert.equal((await clickStart(memory, 'report.export')).kind, 'queued');
  await waitForRunCount(memory, 1);
  await memory.reload();
  await memory.waitForSelector('html[data-ready]');
  await waitForRunCount(memory, 0);
  noErrors(memory);
  await memory.close();

  const page = await openDashboard(browser, { db: 'clear' });
  assert.match(await page.textContent('.tagline'), /^IndexedDB — database “clear”/);
  await clickStart(page, 'inventory.sync');
  await waitForRunCount(page, 1);
  await page.click('#clear-all');
  await Promise.all([page.waitForEvent('load'), page.click('#clear-all')]); // the second click confirms
  await page.waitForSelector('html[data-ready]');
  await waitForRunCount(page, 0);
  assert.equal((await readIndexedDb(page, 'clear')).runs.length, 0);
  noErrors(page);
  await page.close();
});

test('the in-page worker of one tab completes runs; with two tabs open, one works and one stands by', async () => {
  const [a, b] = await Promise.all([openDashboard(browser, { db: 'worker', worker: '' }), openDashboard(browser, { db: 'worker', worker: '' })]);
  // Both ask for the worker lock; one gets it.
  await Promise.race([a, b].map((p) => p.waitForSelector('#worker-badge[data-role="working"]')));
  const roles = await Promise.all([a, b].map((p) => p.getAttribute('#worker-badge', 'data-role')));
  assert.deepEqual(roles.sort(), ['standby', 'working']);

  await fillStart(b, { simulate: 'failed' });
  await clickStart(b, 'directory.import');
  for (const p of [a, b]) {
    await p.waitForSelector('#runs tbody.run[data-run-id="1"][data-outcome="failed"]', { timeout: 20_000 });
    await p.locator('#notifications li').first().waitFor();
  }
  const message = await a.textContent('#runs tbody.run[data-run-id="1"] .failure-message');
  assert.match(message, /Authorization: Bearer \[REDACTED\]$/);
  assert.equal((await readIndexedDb(a, 'worker')).notifications.length, 1);
  noErrors(a, b);
  await Promise.all([a.close(), b.close()]);
});

test('the dashboard with runs in every state (the README screenshot)', async () => {
  const page = await openDashboard(browser, { db: 'showcase' });
  const plan = [
    { type: 'inventory.sync', tenant: 'contoso', identity: 'all-devices', end: { outcome: 'succeeded', summary_counts: { total: 412, processed: 412, succeeded: 412 } } },
    { type: 'policy.backup', tenant: 'fabrikam', identity: '', end: { outcome: 'partially_succeeded', summary_counts: { total: 96, processed: 96, succeeded: 93, failed: 3 }, failure_summary: [{ code: 'graph.throttled', message: 'GET /deviceManagement/configurationPolicies?api_key=sk_live_51Hq8sXKa9f2LmN0pQ failed: 429 Too Many Requests' }] } },
    { type: 'directory.import', tenant: 'northwind', identity: 'hr-sync', end: { outcome: 'failed', summary_counts: { total: 1200, processed: 310, succeeded: 310, failed: 890 }, failure_summary: [{ code: 'graph.unauthorized', reason_code: 'token_expired', message: 'POST /directory/import failed: 401 (Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzdmMifQ.c2lnbmF0dXJl)' }] } },
    { type: 'report.export', tenant: 'contoso', identity: 'q4-compliance', progress: { total: 240, processed: 150 } },
    { type: 'inventory.sync', tenant: 'fabrikam', identity: '', progress: { total: 80, processed: 18 } },
    { type: 'policy.backup', tenant: 'northwind', identity: '', initiator: 'system' },
  ];
  for (const [i, step] of plan.entries()) {
    await fillStart(page, { tenant: step.tenant, identity: step.identity, initiator: step.initiator ?? 7 });
    await clickStart(page, step.type);
    const id = i + 1;
    if (step.end) await page.evaluate(([runId, end]) => window.__dashboard.complete(runId, end), [id, step.end]);
    if (step.progress) await page.evaluate(([runId, counts]) => window.__dashboard.update(runId, { status: 'running', summary_counts: counts }), [id, step.progress]);
  }
  await page.locator('#notifications li').nth(2).waitFor();
  await page.locator('#notifications li').last().click(); // one read, two unread
  await page.waitForSelector('#notifications li:not(.unread)');
  assert.deepEqual((await tableRuns(page)).map((r) => r.outcome || r.status), ['queued', 'running', 'running', 'failed', 'partially_succeeded', 'succeeded']);
  assert.equal(await page.locator('#active-runs li').count(), 3);
  await fillStart(page, { tenant: 'contoso', identity: 'q4-compliance', initiator: 7 });
  await clickStart(page, 'report.export', { keep: true }); // the "already queued" toast in the picture
  await page.evaluate(() => window.scrollTo(0, 0));
  const path = await screenshot(page, 'dashboard.png');
  if (process.env.UPDATE_DOCS_SCREENSHOT) copyFileSync(path, new URL('../../docs/dashboard.png', import.meta.url));
  noErrors(page);
  await page.close();
});
