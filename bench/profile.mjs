// A CPU profile of row 1 (the engine's lifecycle with the typical payload on the embedded store), or of
// row 5 (the same over the SQLite store, on a temp file), or of row 6 in one process (PostgreSQL at
// DATABASE_URL: run it under scripts/with-postgres.sh):
//   node bench/profile.mjs [seconds] [embedded|sqlite|postgres]
// runs the lifecycle for a few seconds in a child under `node --cpu-prof` and prints the functions with
// the most self time. The shipped .wasm has no names, so when the wasm-bindgen CLI is on PATH this first
// builds a copy of the same module that keeps its name section (wasm-bindgen + wasm-opt -Oz -g from
// target/, next to a copy of pkg/dist/node.mjs, in a temp folder); otherwise WebAssembly functions show
// as wasm-function[N]. Run `make pkg` first.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { topSelfTime } from './lib/cpuprofile.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// Where the time goes, by area: the first pattern that matches a function's name (or place) wins.
const AREAS = [
  ['wasm: redaction and one-line cleaning (sanitize/redact.rs)', (f) => f.where === 'wasm' && /sanitize::redact/.test(f.name)],
  ['wasm: other sanitizing (counts, failures)', (f) => f.where === 'wasm' && /sanitize::/.test(f.name)],
  ['wasm: JSON parse and write (json.rs)', (f) => f.where === 'wasm' && /domain::json/.test(f.name)],
  ['wasm: allocation and copying (the allocator, String/Vec growth, mem*)', (f) => f.where === 'wasm' && /dlmalloc|talc::|alloc::|__rdl|RawVec|memcpy|memmove|memset/.test(f.name)],
  ['wasm: UTF-8 and char iteration (core::str, core::char)', (f) => f.where === 'wasm' && /core::str|core::char|Chars|CharIndices|next_code_point|encode_utf8/.test(f.name)],
  ['wasm: everything else', (f) => f.where === 'wasm'],
  ['JS: JSON.parse of results (finish)', (f) => f.name === 'finish'],
  ['JS: argument checks and JSON.stringify (stringify, checkData)', (f) => /^(stringify|checkData|notData|boundUpdate|boundFailureStrings)$/.test(f.name)],
  ['garbage collector', (f) => f.name === '(garbage collector)'],
  ['JS: everything else (wrapper, glue, benchmark loop)', () => true],
];

function byArea(functions) {
  const totals = new Map(AREAS.map(([area]) => [area, 0]));
  for (const f of functions) {
    const [area] = AREAS.find(([, test]) => test(f));
    totals.set(area, totals.get(area) + f.share);
  }
  return [...totals].filter(([, x]) => x > 0);
}

/** The package's Node entry over a copy of its .wasm that keeps function names; null when it cannot be built. */
function namedBuild(dir) {
  const target = join(ROOT, 'target/wasm32-unknown-unknown/release/ops_ux_engine.wasm');
  try {
    if (!existsSync(target)) return null;
    const glue = join(dir, 'glue');
    const bindgen = [target, '--target', 'web', '--out-dir', glue, '--out-name', 'ops_ux_engine', '--no-typescript'];
    execFileSync('wasm-bindgen', bindgen, { stdio: 'ignore' });
    const features = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals'];
    const opt = ['--no-install', 'wasm-opt', '-Oz', '-g', ...features, join(glue, 'ops_ux_engine_bg.wasm')];
    execFileSync('npx', [...opt, '-o', join(dir, 'ops_ux_engine_bg.wasm')], { cwd: ROOT, stdio: 'ignore' });
    copyFileSync(join(ROOT, 'pkg/dist/node.mjs'), join(dir, 'node.mjs'));
    return pathToFileURL(join(dir, 'node.mjs')).href;
  } catch {
    return null;
  }
}

if (process.argv[2] === '--child') {
  const { createEngine } = await import(process.env.OPS_UX_ENTRY || 'ops-ux-engine');
  const { SCOPE, START, TO_RUNNING, TYPICAL_COMPLETION } = await import('./lib/inputs.mjs');
  let store;
  if (process.argv[4] === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const { createSqliteStore } = await import('ops-ux-engine/sqlite');
    const db = new Database(join(process.env.OPS_UX_PROFILE_DIR, 'profile.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    store = createSqliteStore(db);
    store.createSchema();
  } else if (process.argv[4] === 'postgres') {
    const { default: pg } = await import('pg');
    const { createPostgresStore } = await import('ops-ux-engine/postgres');
    store = createPostgresStore(new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 }));
    await store.createSchema();
  }
  const engine = await createEngine({ store });
  const until = performance.now() + Number(process.argv[3]) * 1000;
  let n = 0;
  while (performance.now() < until) {
    for (let i = 0; i < 100; i++, n++) {
      const { run } = await engine.startRun(START);
      await engine.updateRun(SCOPE, run.id, TO_RUNNING);
      await engine.updateRun(SCOPE, run.id, TYPICAL_COMPLETION);
    }
  }
  process.stdout.write(String(n));
  process.exit(0); // a pg Pool keeps the process alive
} else {
  const seconds = Number(process.argv[2] ?? 5);
  const storeName = process.argv[3] ?? 'embedded';
  const dir = mkdtempSync(join(tmpdir(), 'ops-ux-profile-'));
  try {
    const entry = namedBuild(dir);
    const env = { ...process.env, OPS_UX_ENTRY: entry ?? '', OPS_UX_PROFILE_DIR: dir };
    const self = fileURLToPath(import.meta.url);
    const args = ['--cpu-prof', '--cpu-prof-dir', dir, self, '--child', String(seconds), storeName];
    const count = execFileSync(process.execPath, args, { env, cwd: ROOT }).toString();
    const each = ((seconds * 1e6) / Number(count)).toFixed(1);
    const names = entry ? '; .wasm rebuilt with names' : '';
    console.log(`${storeName} store: ${count} lifecycles in ${seconds} s (${each} µs each, profiler on)${names}`);
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile')));
    const { top, split } = topSelfTime(file, 30);
    const pct = (x) => `${(x * 100).toFixed(1)}%`;
    console.log(`self time: WebAssembly ${pct(split.wasm)}, JavaScript ${pct(split.js)}, GC ${pct(split.gc)}, program/idle ${pct(split.idle)}\n`);
    console.log('| area | self time |\n|---|---:|');
    for (const [area, x] of byArea(topSelfTime(file, Infinity).top)) console.log(`| ${area} | ${pct(x)} |`);
    console.log('\n| self time | function | where |\n|---:|---|---|');
    // Rust symbols carry a hash suffix and crate disambiguators that say nothing here.
    const tidy = (name) => name.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]{16}\]/g, '').replace(/\|/g, '\\|');
    for (const r of top) console.log(`| ${pct(r.share)} | ${tidy(r.name)} | ${r.where} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
