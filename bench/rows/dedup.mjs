// Row 4: dedup at scale and memory per stored run, measured in a child process (see dedup-child.mjs).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { QUICK, ratio, stats } from '../lib/measure.mjs';
import { fmtBytes, fmtRatio, fmtTime } from '../lib/report.mjs';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./dedup-child.mjs', import.meta.url));

async function child(...args) {
  const { stdout } = await run(process.execPath, ['--expose-gc', '--max-old-space-size=8192', CHILD, ...args], {
    maxBuffer: 64 * 1024 * 1024,
    env: process.env,
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

const SIZES = QUICK ? [1_000, 100_000] : [1_000, 100_000, 1_000_000];
const TYPICAL_RUNS = QUICK ? 10_000 : 50_000;
const sizeName = (n) => (n >= 1e6 ? `${n / 1e6} million` : n >= 1e3 ? `${n / 1e3} thousand` : String(n));

export async function dedupRows(report) {
  const d = await child('dedup', SIZES.join(','));
  for (const level of d.levels) {
    const fill = `filled in ${fmtTime(level.engineFillMs * 1e6)} (plain JS ${fmtTime(level.plainFillMs * 1e6)})`;
    report.time(4, `startRun hitting an active run, ${sizeName(level.size)} stored, engine`, level.probe.engine, { note: fill });
    report.time(4, `startRun hitting an active run, ${sizeName(level.size)} stored, plain JS`, level.probe.plain);
  }
  const first = d.levels[0];
  const last = d.levels[d.levels.length - 1];
  const scale = ratio(last.probe.engine, first.probe.engine);
  report.ratio(4, `engine: ${sizeName(last.size)} ÷ ${sizeName(first.size)} (time)`, scale, 'target ≤ 1.25× at 1 million');
  report.ratio(4, `plain JS: ${sizeName(last.size)} ÷ ${sizeName(first.size)} (time)`, ratio(last.probe.plain, first.probe.plain));
  report.value(
    4,
    `memory per stored active run (small, ${sizeName(d.runs)} runs), engine`,
    fmtBytes(d.perRun.engineExternal),
    '',
    '',
    `WebAssembly memory growth (memoryUsage().external); rss ${fmtBytes(d.perRun.engineRss)}`,
  );
  report.value(4, '… plain JS', fmtBytes(d.perRun.plainHeap), '', '', 'JS heap growth (heapUsed, after gc)');

  const e = await child('engine', String(TYPICAL_RUNS));
  const p = await child('plain', String(TYPICAL_RUNS));
  const runs = sizeName(e.count);
  const ext = (rss, what) => `${what}; external growth; rss ${fmtBytes(rss)}`;
  const runOnly = `memory per stored typical completed run, no initiator (${runs} runs), engine`;
  report.value(4, runOnly, fmtBytes(e.system_bytes), '', '', ext(e.system_rss, 'run only'));
  report.value(4, '… plain JS', fmtBytes(p.system_bytes), '', '', 'heapUsed growth');
  const withNote = `memory per stored typical completed run with its notification (${runs} runs), engine`;
  report.value(4, withNote, fmtBytes(e.user_bytes), '', '', ext(e.user_rss, 'run + OperationRunCompleted'));
  report.value(4, '… plain JS', fmtBytes(p.user_bytes), '', '', 'heapUsed growth');
  // A lifecycle's cost through the fill, per tenth of the runs stored.
  const series = (t) => t.chunks_us.map((x) => fmtTime(x * 1000).replace(' µs', '')).join(', ');
  // Second half ÷ first half (medians; the first tenth, which includes warm-up, left out).
  const growth = (t) => {
    const half = t.chunks_us.length / 2;
    const g = stats(t.chunks_us.slice(half)).median / stats(t.chunks_us.slice(1, half)).median;
    return `${fmtRatio(g)} (2nd half ÷ 1st half)`;
  };
  const tenths = `µs per lifecycle in each tenth of the ${sizeName(2 * e.count)} stored`;
  report.value(4, 'lifecycle as the embedded store fills, engine', growth(e), '', '', `${tenths}: ${series(e)}`);
  report.value(4, '… plain JS', growth(p), '', '', `${series(p)}`);
  return { scale, lastSize: last.size, typicalRunBytes: e.system_bytes, typicalWithNotificationBytes: e.user_bytes };
}
