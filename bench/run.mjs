// `make bench`: every benchmark of issue 5, one table, then the targets with pass or miss.
//
//   make bench                         the whole suite (PostgreSQL rows under scripts/with-postgres.sh)
//   node bench/run.mjs                 the same without the Makefile (PostgreSQL rows need DATABASE_URL)
//   BENCH_QUICK=1 node bench/run.mjs   a smoke run: fewer samples, dedup up to 100 thousand runs
//   BENCH_ROWS=1,3 node bench/run.mjs  only some rows
//
// Every figure is the median of several samples after warm-up rounds, with its spread (min – max); the
// cases of one comparison are interleaved round by round, and every ratio comes from the same run. Before
// anything is timed the plain-JS baseline is checked against the engine's own answers (bench/lib/verify.mjs).
// Progress goes to stderr, the table (markdown) to stdout.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { verifyBaselines } from './lib/verify.mjs';
import { QUICK, SAMPLES, WARMUP } from './lib/measure.mjs';
import { Report, fmtBytes } from './lib/report.mjs';
import { addTargets } from './lib/targets.mjs';
import { lifecycleRows } from './rows/lifecycle.mjs';
import { pureRows } from './rows/pure.mjs';
import { dedupRows } from './rows/dedup.mjs';
import { sqliteRows } from './rows/sqlite.mjs';
import { postgresRows } from './rows/postgres.mjs';
import { coldStartRows } from './rows/coldstart.mjs';
import { measureSize } from './size.mjs';

const only = process.env.BENCH_ROWS ? new Set(process.env.BENCH_ROWS.split(',').map(Number)) : null;
const report = new Report();
const results = {};
const began = performance.now();
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const loadAtStart = load();

async function row(numbers, key, name, fn) {
  if (only && !numbers.some((n) => only.has(n))) return;
  const t0 = performance.now();
  process.stderr.write(`bench: ${name}…`);
  results[key] = await fn(report);
  process.stderr.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

function sizeRows() {
  const s = measureSize();
  for (const f of [s.wasm, s.glue]) report.value(8, `size of ${f.name}`, `${fmtBytes(f.gzip)} gzipped`, '', '', `${fmtBytes(f.raw)} raw`);
  const budget = `${fmtBytes(s.total.raw)} raw; budget ${fmtBytes(s.budget)} gzipped`;
  report.value(8, 'size of .wasm + JS glue', `${fmtBytes(s.total.gzip)} gzipped`, '', '', budget);
  return s;
}

process.stderr.write('bench: checking the baselines against the engine…');
const corpus = await verifyBaselines();
process.stderr.write(' equal\n');
report.note(
  'Baselines checked before timing: the plain-JS baseline returns exactly the engine’s results on every benchmark ' +
    `input (lifecycle, checks, sanitizers), and its failure sanitizer gives the engine’s entry on ${corpus.same} of ` +
    `${corpus.total} messages (the ${corpus.corpus} of tests/corpus/ and generated mixes of their fragments).`,
);

await row([1, 2], 'lifecycle', 'rows 1–2 (lifecycle, single updates)', lifecycleRows);
await row([3], 'pure', 'row 3 (pure checks, sanitizers)', pureRows);
await row([4], 'dedup', 'row 4 (dedup at scale, memory)', dedupRows);
await row([5], 'sqlite', 'row 5 (SQLite)', sqliteRows);
await row([6], 'postgres', 'row 6 (PostgreSQL)', postgresRows);
await row([7], 'cold', 'row 7 (cold start)', coldStartRows);
await row([8], 'size', 'row 8 (size)', sizeRows);
addTargets(report, results);

const cpu = cpus();
let commit = 'not a git checkout';
try {
  const git = (...args) => execFileSync('git', args, { cwd: new URL('..', import.meta.url), encoding: 'utf8' }).trim();
  commit = `commit ${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src', 'pkg') ? ' + uncommitted changes in src/ or pkg/' : ''}`;
} catch {
  // no git: the date and the sizes in row 8 still say which build this was
}
const seconds = ((performance.now() - began) / 1000).toFixed(0);
const header = [
  `ops-ux-engine benchmarks — ${new Date().toISOString()} — ${commit}`,
  `machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores; Node ${process.version}; load average at start ${loadAtStart}, at end ${load()}`,
  `samples: median of ${SAMPLES} after ${WARMUP} warm-up round${WARMUP > 1 ? 's' : ''}${QUICK ? ' (BENCH_QUICK)' : ''}; total ${seconds} s`,
  '',
];
process.stdout.write(`${header.join('\n')}\n${report.toMarkdown()}\n`);
