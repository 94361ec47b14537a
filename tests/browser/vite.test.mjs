// The package as a Vite 7 app consumes it. tests/vite-consumer is copied into a temporary project whose
// node_modules holds the files `npm pack` would publish (a copy, not the repository's symlink: Vite treats
// a linked package as source and would never pre-bundle it). The app is built with Vite's API and served
// statically, and also served by Vite's dev server; in Chromium each runs a lifecycle over IndexedDB.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createServer } from 'vite';
import { launchBrowser } from './support/browser.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const consumer = join(repo, 'tests/vite-consumer');
const configFile = join(consumer, 'vite.config.js');
const work = mkdtempSync(join(tmpdir(), 'ops-ux-vite-'));
const app = join(work, 'app');
const outDir = join(work, 'dist');
let browser;

before(async () => {
  const [{ files }] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: join(repo, 'pkg') }).toString());
  const installed = join(app, 'node_modules/ops-ux-engine');
  for (const { path } of files) cpSync(join(repo, 'pkg', path), join(installed, path));
  for (const file of ['index.html', 'main.js']) cpSync(join(consumer, file), join(app, file));
  mkdirSync(outDir);
  browser = await launchBrowser({ mounts: [['/', outDir]] });
});

after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Opens `url`, waits for the app's lifecycle and checks what it reports. */
async function checkLifecycle(url) {
  const page = await browser.newPage();
  const wasm = page.waitForResponse((r) => r.url().endsWith('.wasm'));
  await page.goto(url);
  const response = await wasm;
  assert.equal(response.status(), 200, `the .wasm is served: ${response.url()}`);
  assert.equal(response.headers()['content-type'], 'application/wasm');
  await page.waitForFunction(() => window.lifecycleResult, null, { timeout: 20_000 });
  const result = await page.evaluate(() => window.lifecycleResult);
  assert.equal(result.ok, true, result.error);
  assert.equal(result.toast, 'Inventory sync queued');
  assert.equal(result.events, 1, 'run-enqueued was dispatched on window');
  assert.equal(result.run.status, 'completed');
  assert.equal(result.run.outcome, 'succeeded');
  assert.equal(result.run.version, 3);
  assert.equal(result.retryChanged, false);
  assert.equal(result.stored, 1);
  assert.deepEqual(result.notifications, ['Inventory sync completed'], 'exactly one notification');
  assert.deepEqual(page.errors, []);
  await page.close();
}

describe('Vite 7 consumer', () => {
  it('vite build emits the .wasm, and the built app completes a run with one notification', async () => {
    await build({ root: app, configFile, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const assets = readdirSync(join(outDir, 'assets'));
    assert.ok(assets.some((f) => f.endsWith('.wasm')), `the WebAssembly is an asset of the build: ${assets}`);
    await checkLifecycle(browser.url);
  });

  it('the dev server (optimizeDeps.exclude) serves the package and its .wasm', async () => {
    const server = await createServer({
      root: app,
      configFile,
      logLevel: 'warn',
      cacheDir: join(work, 'vite-cache'),
      server: { host: '127.0.0.1', port: 0, hmr: false, watch: null },
    });
    try {
      await server.listen();
      await checkLifecycle(server.resolvedUrls.local[0]);
    } finally {
      await server.close();
    }
  });
});
