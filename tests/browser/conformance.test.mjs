// The shared store conformance suite in Chromium: every case against the IndexedDB store (a fresh database
// each) and, for the engine cases, against the embedded store — each case its own test, named after it.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './support/browser.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const browser = await launchBrowser({
  mounts: [['/pkg/', join(repo, 'pkg')], ['/tests/', join(repo, 'tests/browser/pages')], ['/', join(repo, 'www')]],
});
let page;
let names;
try {
  page = await browser.newPage();
  await page.goto(`${browser.url}tests/conformance.html`);
  await page.waitForFunction(() => window.suite, null, { timeout: 10_000 });
  names = {
    indexeddb: await page.evaluate(() => window.suite.names('indexeddb')),
    embedded: await page.evaluate(() => window.suite.names('embedded')),
  };
} catch (e) {
  await browser.close();
  throw new Error(`the conformance page did not load: ${e.message}; page errors: ${page?.errors.join('; ')}`);
}

after(() => browser.close());

for (const [kind, list] of Object.entries(names)) {
  describe(`conformance in Chromium — ${kind} store`, () => {
    it('has cases to run', () => {
      assert.ok(list.length >= 10, `only ${list.length} cases`);
    });
    for (const name of list) {
      it(name, async () => {
        const result = await page.evaluate(([k, n]) => window.suite.run(k, n), [kind, name]);
        assert.ok(result.ok, result.error);
        assert.deepEqual(page.errors, [], 'no uncaught errors in the page');
      });
    }
  });
}
