// Row 5: the lifecycle on the SQLite store (better-sqlite3 12, a temp file, WAL, synchronous=NORMAL),
// through the engine and through the same SQL on the raw driver.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from 'ops-ux-engine';
import { sqliteRaw } from '../baselines/sql-raw.js';
import { SCOPE, START, TO_RUNNING, TYPICAL_COMPLETION } from '../lib/inputs.mjs';
import { SAMPLE_MS, compare, ratio } from '../lib/measure.mjs';
import { sameStatements } from './sql-check.mjs';

function open(file, verbose) {
  const db = new Database(file, verbose ? { verbose } : undefined);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

async function engineOver(db) {
  const { createSqliteStore } = await import('ops-ux-engine/sqlite');
  const store = createSqliteStore(db);
  store.createSchema();
  const engine = await createEngine({ store });
  return async () => {
    const { run } = await engine.startRun(START);
    await engine.updateRun(SCOPE, run.id, TO_RUNNING);
    const done = await engine.updateRun(SCOPE, run.id, TYPICAL_COMPLETION);
    if (done.notifications.length !== 1) throw new Error('sqlite: the completion stored no notification');
  };
}

async function rawOver(db) {
  const { sqliteSchemaSql } = await import('ops-ux-engine/sqlite');
  db.exec(sqliteSchemaSql());
  const lifecycle = sqliteRaw(db);
  return () => lifecycle(START, TYPICAL_COMPLETION);
}

export async function sqliteRows(report) {
  const dir = mkdtempSync(join(tmpdir(), 'ops-ux-bench-sqlite-'));
  try {
    // The statement check, on files of their own.
    const logs = { engine: [], raw: [] };
    const checkEngine = await engineOver(open(join(dir, 'check-engine.db'), (s) => logs.engine.push(s)));
    const checkRaw = await rawOver(open(join(dir, 'check-raw.db'), (s) => logs.raw.push(s)));
    await checkEngine(); // the first lifecycle prepares statements; log the second
    checkRaw();
    logs.engine.length = 0;
    logs.raw.length = 0;
    await checkEngine();
    checkRaw();
    const check = sameStatements(logs.engine, logs.raw);

    const engineLifecycle = await engineOver(open(join(dir, 'engine.db')));
    const rawLifecycle = await rawOver(open(join(dir, 'raw.db')));
    const r = await compare([
      {
        key: 'engine',
        async run(n) {
          for (let i = 0; i < n; i++) await engineLifecycle();
        },
      },
      {
        key: 'raw',
        run(n) {
          for (let i = 0; i < n; i++) rawLifecycle();
        },
      },
    ], { sampleMs: SAMPLE_MS * 8 });
    report.time(5, 'lifecycle on SQLite, engine + store', r.engine, { note: 'WAL, synchronous=NORMAL, temp file' });
    report.time(5, 'lifecycle on SQLite, raw better-sqlite3 (same SQL)', r.raw, { note: check.text });
    const overhead = ratio(r.engine, r.raw);
    report.ratio(5, 'engine ÷ raw driver (time)', overhead, 'target ≤ 1.15×');
    return { overhead, sameSql: check.same };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
