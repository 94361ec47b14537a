// Page helpers for the dashboard tests: open it on a database of its own, fill the start form, read the
// runs table and the toasts, read IndexedDB directly (not through the page's engine), save screenshots.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const OUT = fileURLToPath(new URL('../../.out/', import.meta.url));
const TIMEOUT = 10_000;

/** Opens the dashboard with `query` (default: a manual worker) and waits until it has drawn its data. */
export async function openDashboard(browser, query = {}) {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const params = new URLSearchParams({ worker: 'manual', ...query });
  for (const [k, v] of [...params]) if (v === '') params.delete(k);
  await page.goto(`${browser.url}?${params}`);
  await page.waitForSelector('html[data-ready]');
  return page;
}

/** Sets the start form's fields; only those given change. */
export async function fillStart(page, { workspace, tenant, identity, initiator, simulate } = {}) {
  if (workspace !== undefined) await page.selectOption('select[name=workspace]', String(workspace));
  if (tenant !== undefined) await page.selectOption('select[name=tenant]', tenant);
  if (identity !== undefined) await page.fill('input[name=identity]', identity);
  if (initiator !== undefined) await page.selectOption('select[name=initiator]', String(initiator));
  if (simulate !== undefined) await page.selectOption('select[name=simulate]', simulate);
}

export const startButton = (type) => `#operations button[data-type="${type}"]`;

/**
 * Clicks the start button of `type` and waits for the toast it brings; returns the toast's kind, title and
 * body. The toast is then dismissed (unless `keep`), as a user would, so it covers no later click.
 */
export async function clickStart(page, type, { keep = false } = {}) {
  // Mark the toasts already there, so the new one is the unmarked one.
  await page.$$eval('.toast', (toasts) => toasts.forEach((t) => (t.dataset.seen = 'true')));
  await page.click(startButton(type));
  const toast = page.locator('.toast:not([data-seen])');
  await toast.waitFor();
  const shown = {
    kind: await toast.getAttribute('data-kind'),
    title: await toast.locator('.toast-title').textContent(),
    body: await toast.locator('.toast-body').textContent(),
  };
  if (!keep) await toast.locator('.toast-close').click();
  return shown;
}

/** The rows of the runs table, as the page shows them. */
export function tableRuns(page) {
  return page.$$eval('#runs tbody.run', (bodies) =>
    bodies.map((b) => ({
      id: b.dataset.runId,
      status: b.dataset.status,
      outcome: b.dataset.outcome,
      text: b.innerText,
    })),
  );
}

/** Waits until the runs table shows `count` runs. */
export function waitForRunCount(page, count) {
  return page.waitForFunction((n) => document.querySelectorAll('#runs tbody.run').length === n, count);
}

/**
 * Every record of the IndexedDB database `name`, read with the browser's own IndexedDB API in `page`:
 * `{ runs, notifications }`. The store's wrapper records are unwrapped by shape, so the check does not
 * depend on its object store names. Call it only once the page has created the database.
 */
export async function readIndexedDb(page, name) {
  const records = await page.evaluate(async (dbName) => {
    const req = (r) => new Promise((ok, fail) => ((r.onsuccess = () => ok(r.result)), (r.onerror = () => fail(r.error))));
    const known = (await indexedDB.databases()).some((d) => d.name === dbName);
    if (!known) throw new Error(`no IndexedDB database "${dbName}"`);
    const db = await req(indexedDB.open(dbName));
    try {
      const all = [];
      for (const store of db.objectStoreNames) all.push(...(await req(db.transaction(store).objectStore(store).getAll())));
      return all;
    } finally {
      db.close();
    }
  }, name);
  const values = records.map((r) => r?.run ?? r?.note ?? r);
  return {
    runs: values.filter((v) => typeof v?.dedup_key === 'string'),
    notifications: values.filter((v) => v?.type === 'OperationRunCompleted'),
  };
}

/** Saves a screenshot to tests/.out/<file> and returns its path. */
export async function screenshot(page, file) {
  mkdirSync(OUT, { recursive: true });
  const path = `${OUT}${file}`;
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}
