// Proves tenant isolation over every read and write path, on generated programs of calls across several
// scopes (ids that differ only in type, workspace and tenant swapped): over the embedded store, SQLite (a
// real file) and PostgreSQL, every call answers exactly what its scope's own calls alone would answer (a
// per-scope model over a ReferenceStore), shows only its scope's and user's records, and the store holds
// nothing outside them. Ids of the other type are refused by the SQL stores (E_STORE), never coerced.
//
// Cases: 150 embedded + 2 × 100 SQLite + 2 × 40 PostgreSQL programs of 4 to 40 calls, about 8,500 calls
// by default (about 25 s on 2 cores; each program's diagnostic counts them). PROPERTY_RUNS=10 runs ten times as many; PROPERTY_SEED picks another seed. Needs the
// server scripts/with-postgres.sh starts.
import { describe, it, before, after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { createEngine } from 'ops-ux-engine';
import { createSqliteStore } from 'ops-ux-engine/sqlite';
import { freshStore } from './support/postgres.mjs';
import { params, SEED } from './support/hostile.mjs';
import { Harness, ID_SETS, programs } from './support/isolation.mjs';

const MAX_CALLS = 40;

/** Runs `numRuns` generated programs through `harness`; the diagnostic counts programs and calls. */
async function check(t, harness, numRuns, { gaps }) {
  let count = 0;
  let calls = 0;
  await fc.assert(
    fc.asyncProperty(programs(harness.ids, { gaps, maxLength: MAX_CALLS }), async (program) => {
      await harness.run(program);
      count++;
      calls += program.length;
    }),
    params(numRuns),
  );
  t.diagnostic(`${count} programs, ${calls} calls, seed ${SEED}`);
}

describe('tenant isolation — embedded store', () => {
  it('ids 1 and "1", workspace and tenant swapped: every call answers as its scope alone would', { timeout: 600_000 }, async (t) => {
    const harness = new Harness(ID_SETS.mixed, async (clock) => {
      const engine = await createEngine({ clock });
      return { engine, store: null, rows: async () => null, close: () => engine.free() };
    });
    await check(t, harness, 150, { gaps: false });
  });
});

describe('tenant isolation — SQLite store on a file', () => {
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ops-isolation-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const ids of ['integer', 'text']) {
    it(`ids: '${ids}': every call answers as its scope alone would, ids of the other type are refused, the file holds nothing else`, { timeout: 600_000 }, async (t) => {
      let files = 0;
      const harness = new Harness(ID_SETS[ids], async (clock) => {
        const file = join(dir, `program-${ids}-${++files}.db`);
        const db = new Database(file);
        const store = createSqliteStore(db, { ids });
        store.createSchema();
        const engine = await createEngine({ store, clock });
        const count = (table) => db.prepare(`SELECT count(*) AS n FROM ${table}`).get().n;
        return {
          engine,
          store,
          rows: async () => ({ runs: count('operation_runs'), notifications: count('notifications') }),
          close: () => {
            engine.free();
            db.close();
            rmSync(file, { force: true });
          },
        };
      });
      await check(t, harness, 100, { gaps: true });
    });
  }
});

describe('tenant isolation — PostgreSQL store', () => {
  for (const ids of ['integer', 'text']) {
    it(`ids: '${ids}': every call answers as its scope alone would, ids of the other type are refused, the tables hold nothing else`, { timeout: 600_000 }, async (t) => {
      const db = await freshStore({ ids });
      try {
        const harness = new Harness(ID_SETS[ids], async (clock) => {
          await db.admin.query('TRUNCATE operation_runs, notifications RESTART IDENTITY');
          const engine = await createEngine({ store: db.store, clock });
          const count = async (table) => Number((await db.admin.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
          return {
            engine,
            store: db.store,
            rows: async () => ({ runs: await count('operation_runs'), notifications: await count('notifications') }),
            close: () => engine.free(),
          };
        });
        await check(t, harness, 40, { gaps: true });
      } finally {
        await db.close();
      }
    });
  }
});
