// Row 6: the lifecycle on the PostgreSQL store through the engine and through the same SQL on pg alone,
// in one process (interleaved samples) and in 8 processes at once (total lifecycles per second).
// Needs DATABASE_URL (make bench runs under scripts/with-postgres.sh, which starts a throwaway server).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createEngine } from 'ops-ux-engine';
import { pgRaw } from '../baselines/sql-raw.js';
import { START, TO_RUNNING, TYPICAL_COMPLETION } from '../lib/inputs.mjs';
import { QUICK, SAMPLE_MS, compare, ratio, stats } from '../lib/measure.mjs';
import { fmtRate, fmtRatio } from '../lib/report.mjs';
import { loggingPool, sameStatements } from './sql-check.mjs';

const WORKER = fileURLToPath(new URL('./pg-worker.mjs', import.meta.url));
const PROCESSES = 8;

/** A lifecycle function over `pool`: through the engine and its store, or the raw SQL. */
export async function openPostgres(pool, mode, tenantId) {
  const start = { ...START, tenant_id: tenantId };
  const scope = { workspace_id: start.workspace_id, tenant_id: tenantId };
  if (mode === 'raw') {
    const lifecycle = pgRaw(pool);
    return () => lifecycle(start, TYPICAL_COMPLETION);
  }
  const { createPostgresStore } = await import('ops-ux-engine/postgres');
  const store = createPostgresStore(pool);
  await store.createSchema();
  const engine = await createEngine({ store });
  return async () => {
    const { run } = await engine.startRun(start);
    await engine.updateRun(scope, run.id, TO_RUNNING);
    const done = await engine.updateRun(scope, run.id, TYPICAL_COMPLETION);
    if (done.notifications.length !== 1) throw new Error('postgres: the completion stored no notification');
  };
}

/** Wall time of 8 forked processes each running `count` lifecycles, from "go" to the last one done. */
async function processes(mode, count) {
  const stdio = ['ignore', 'inherit', 'inherit', 'ipc'];
  const children = Array.from({ length: PROCESSES }, (_, w) => fork(WORKER, [mode, String(count), String(w)], { stdio }));
  const message = (child) =>
    new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => code !== 0 && reject(new Error(`a ${mode} worker exited with ${code}`)));
    });
  await Promise.all(children.map(message));
  const t0 = performance.now();
  const done = children.map(message);
  for (const child of children) child.send('go');
  await Promise.all(done);
  return performance.now() - t0;
}

export async function postgresRows(report) {
  if (!process.env.DATABASE_URL) {
    const why = 'DATABASE_URL is not set: run through scripts/with-postgres.sh (make bench does)';
    report.value(6, 'lifecycle on PostgreSQL', 'no server', '', '', why);
    return null;
  }
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  try {
    const logs = { engine: [], raw: [] };
    const checkEngine = await openPostgres(loggingPool(pool, logs.engine), 'engine', 1);
    const checkRaw = await openPostgres(loggingPool(pool, logs.raw), 'raw', 2);
    await checkEngine();
    await checkRaw();
    logs.engine.length = 0;
    logs.raw.length = 0;
    await checkEngine();
    await checkRaw();
    const check = sameStatements(logs.engine, logs.raw);

    const engine = await openPostgres(pool, 'engine', 3);
    const raw = await openPostgres(pool, 'raw', 4);
    const loop = (fn) => async (n) => {
      for (let i = 0; i < n; i++) await fn();
    };
    const r = await compare([{ key: 'engine', run: loop(engine) }, { key: 'raw', run: loop(raw) }], { sampleMs: SAMPLE_MS * 8 });
    report.time(6, 'lifecycle on PostgreSQL, 1 process, engine + store', r.engine, { note: 'pg Pool, loopback server' });
    report.time(6, 'lifecycle on PostgreSQL, 1 process, raw pg (same SQL)', r.raw, { note: check.text });
    const one = ratio(r.engine, r.raw);
    report.ratio(6, 'engine ÷ raw driver (time), 1 process', one, 'target ≤ 1.15×');

    // 8 processes: each sample is one fresh set of workers per mode, engine and raw alternating. Each
    // worker runs enough lifecycles for a set to last a few seconds at the speed just measured.
    const count = Math.max(20, Math.min(QUICK ? 100 : 400, Math.floor((QUICK ? 250 : 750) / (r.engine.median / 1e6))));
    const rounds = QUICK ? 1 : 3;
    const walls = { engine: [], raw: [] };
    await processes('engine', 10); // warm-up: connections, the server's caches
    for (let i = 0; i < rounds; i++) {
      for (const mode of i % 2 ? ['raw', 'engine'] : ['engine', 'raw']) walls[mode].push(await processes(mode, count));
    }
    const total = PROCESSES * count;
    const rate = (ms) => (total / ms) * 1000;
    const e = stats(walls.engine.map(rate));
    const w = stats(walls.raw.map(rate));
    const spread = (s) => `${fmtRate(s.min)} – ${fmtRate(s.max)}`;
    const what = `${rounds} × ${PROCESSES} × ${count} lifecycles`;
    report.value(6, `lifecycles on PostgreSQL, ${PROCESSES} processes, engine + store`, fmtRate(e.median), spread(e), '', what);
    report.value(6, `lifecycles on PostgreSQL, ${PROCESSES} processes, raw pg`, fmtRate(w.median), spread(w));
    const eight = { value: w.median / e.median, min: w.min / e.max, max: w.max / e.min };
    const eightSpread = `${fmtRatio(eight.min)} – ${fmtRatio(eight.max)}`;
    report.value(6, `engine ÷ raw driver (time), ${PROCESSES} processes`, fmtRatio(eight.value), eightSpread, '', 'target ≤ 1.15×');
    return { one, eight, sameSql: check.same };
  } finally {
    await pool.end();
  }
}
