// Row 7: cold start — import + createEngine — in a fresh Node process per sample (timed inside it with
// performance.now(), from before the dynamic import to after createEngine), and in Chromium on a fresh page
// per sample (the static server sends no-store, so the .wasm is fetched and compiled every time).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { QUICK, WARMUP, stats } from '../lib/measure.mjs';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLES = QUICK ? 5 : 15;

const NODE_SCRIPT = `
const t0 = performance.now();
const { createEngine } = await import('ops-ux-engine');
await createEngine();
process.stdout.write(String(performance.now() - t0));
`;

async function nodeSample() {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', NODE_SCRIPT], { cwd: ROOT });
  return Number(stdout) * 1e6;
}

async function chromiumSamples() {
  const { CHROMIUM, launchBrowser } = await import('../../tests/browser/support/browser.mjs');
  if (!existsSync(CHROMIUM)) return { missing: `no Chromium at ${CHROMIUM} (scripts/ensure-chromium.sh installs it)` };
  const browser = await launchBrowser({
    mounts: [
      ['/pkg/', fileURLToPath(new URL('../../pkg', import.meta.url))],
      ['/', fileURLToPath(new URL('../page', import.meta.url))],
    ],
  });
  try {
    const samples = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const page = await browser.newPage();
      await page.goto(browser.url);
      const ms = await page.evaluate(async () => {
        const t0 = performance.now();
        const { createEngine } = await import('/pkg/dist/browser.js');
        await createEngine({ dispatchEvents: false });
        return performance.now() - t0;
      });
      if (page.errors.length) throw page.errors[0];
      await page.close();
      if (i >= WARMUP) samples.push(ms * 1e6);
    }
    return { stats: stats(samples) };
  } finally {
    await browser.close();
  }
}

export async function coldStartRows(report) {
  const samples = [];
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const ns = await nodeSample();
    if (i >= WARMUP) samples.push(ns);
  }
  const node = stats(samples);
  const nodeNote = `fresh process per sample, ${SAMPLES} samples; target ≤ 15 ms`;
  report.time(7, 'cold start in Node: import + createEngine', node, { rate: false, note: nodeNote });
  let chromium = null;
  try {
    const c = await chromiumSamples();
    if (c.missing) report.value(7, 'cold start in Chromium: import + createEngine', 'no browser', '', '', c.missing);
    else {
      chromium = c.stats;
      const note = `fresh page per sample, no HTTP cache, ${SAMPLES} samples`;
      report.time(7, 'cold start in Chromium: import + createEngine', chromium, { rate: false, note });
    }
  } catch (e) {
    report.value(7, 'cold start in Chromium: import + createEngine', 'failed', '', '', String(e.message).split('\n')[0]);
  }
  return { node, chromium };
}
