// Real Chromium for the browser tests, driven by playwright-core (which never downloads a browser):
// the system's Chromium, headless, with the flags that keep it off the network, and a fresh profile.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../../../scripts/serve.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts the static server (www/ at /, pkg/ at /pkg/) and a Chromium with a fresh profile. A persistent
 * context, so every page shares one origin's storage (IndexedDB survives a reload and is shared by tabs).
 * Returns `{ url, context, newPage, close }`; `newPage` records page errors into `page.errors`.
 */
export async function launchBrowser({ mounts } = {}) {
  const server = await serve(mounts ? { mounts } : {});
  const profile = mkdtempSync(join(tmpdir(), 'ops-ux-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: FLAGS,
      viewport: { width: 1280, height: 900 },
    });
  } catch (e) {
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  const newPage = async () => {
    const page = await context.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(e));
    page.on('dialog', (d) => {
      page.errors.push(new Error(`a dialog opened: ${d.message()}`));
      d.dismiss().catch(() => {});
    });
    return page;
  };
  const close = async () => {
    await context.close().catch(() => {});
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { url: server.url, context, newPage, close };
}
