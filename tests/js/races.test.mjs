// Many processes, one database: 8 Node processes start the same 200 operations at once and race every run
// to running and to completed, over one SQLite file and over one PostgreSQL database. Checked from the
// tables with SQL, during the race (sampled) and after it: never two active runs for one operation, every
// run completed exactly once, exactly one completion notification per run with an initiator.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  KINDS, freshDatabase, openSql, installAudit, checkAudit, activeDuplicates, activeCount,
  notificationsOfUnfinishedRuns, readAll, checkCompletedOnce, forkWorker,
} from './support/sql-check.mjs';

const WORKER = fileURLToPath(new URL('./support/race-worker.mjs', import.meta.url));
const PROCESSES = 8;
const OPERATIONS = 200;
const OUTCOMES = ['succeeded', 'partially_succeeded', 'failed', 'cancelled'];

/** The 200 operations every process starts: one scope, two types, a third of them without initiator. */
function operations() {
  return Array.from({ length: OPERATIONS }, (_, n) => ({
    n,
    workspace_id: 1,
    tenant_id: 10,
    type: n % 2 === 0 ? 'inventory.sync' : 'policy.backup',
    identity: { device: n },
    user_id: n % 3 === 0 ? null : 100 + (n % 5),
    outcome: OUTCOMES[n % OUTCOMES.length],
  }));
}

/** Samples the tables every few milliseconds until `stop()`: duplicates of active runs on every sample;
 *  on every fourth, notifications of unfinished runs and whether runs were in flight. */
function sampler(sql) {
  const seen = { samples: 0, full: 0, midRace: 0, duplicates: [], earlyNotifications: 0, error: null };
  let running = true;
  const loop = (async () => {
    while (running) {
      seen.duplicates.push(...await activeDuplicates(sql));
      if (seen.samples % 4 === 0) {
        seen.full += 1;
        if (await activeCount(sql) > 0) seen.midRace += 1;
        seen.earlyNotifications += await notificationsOfUnfinishedRuns(sql);
      }
      seen.samples += 1;
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
  })().catch((error) => { seen.error = error; });
  return { seen, stop: async () => { running = false; await loop; } };
}

const sum = (reports, key) => reports.reduce((total, r) => total + r.counts[key], 0);

for (const kind of KINDS) {
  describe(`races — ${PROCESSES} processes, one ${kind} database`, () => {
    it(`${PROCESSES} processes start the same ${OPERATIONS} operations and race them to completion: one active run per operation, each completed once, one notification per initiator`, async (t) => {
      const begun = Date.now();
      const { target, dispose } = await freshDatabase(kind, 'race');
      const sql = await openSql(kind, target);
      const workers = [];
      let watch = null;
      try {
        await installAudit(sql);
        const ops = operations();
        for (let i = 0; i < PROCESSES; i++) workers.push(forkWorker(WORKER, [kind, target, String(i)]));
        // The barrier: nobody starts before every process has its engine and store ready.
        await Promise.all(workers.map((w) => w.next((m) => 'ready' in m)));
        watch = sampler(sql);
        for (const w of workers) w.child.send({ operations: ops });
        const reports = await Promise.all(workers.map((w) => w.next((m) => 'done' in m)));
        await watch.stop();
        const exits = await Promise.all(workers.map((w) => w.exited));
        assert.deepEqual(exits.map((e) => e.code), Array(PROCESSES).fill(0), exits.map((e) => e.stderr).join('\n'));

        // Sampled while they ran.
        assert.equal(watch.seen.error, null, 'every sample was read');
        assert.deepEqual(watch.seen.duplicates, [], 'never two active runs for one operation, sampled mid-race');
        assert.equal(watch.seen.earlyNotifications, 0, 'never a notification for a queued or running run');
        assert.ok(watch.seen.midRace >= 3, `the sampler saw runs in flight (${watch.seen.midRace} of ${watch.seen.full} full samples)`);

        // The end state, from the tables.
        assert.deepEqual(await activeDuplicates(sql), []);
        const state = await readAll(sql);
        const counted = checkCompletedOnce(state);
        const runsByKey = await checkAudit(sql);
        assert.equal(runsByKey.size, OPERATIONS, 'every operation got at least one run');
        const keys = new Set(state.runs.map((r) => `${r.dedup_key}`));
        assert.equal(keys.size, OPERATIONS);
        const expected = new Map(ops.map((op) => [op.n, op]));
        for (const run of state.runs) {
          const op = expected.get(run.context.n);
          assert.equal(run.outcome, op.outcome, `run ${run.id} has its operation's outcome`);
          assert.equal(run.user_id === null, op.user_id === null, `run ${run.id} keeps its initiator (or none)`);
        }

        // What the processes saw agrees with the tables: each insert is one stored run, each run was
        // moved to running and completed by exactly one process, each completion's notifications stored.
        assert.equal(sum(reports, 'inserted'), counted.runs, 'every successful insert is one stored run');
        assert.equal(sum(reports, 'inserted') + sum(reports, 'deduped'), PROCESSES * OPERATIONS);
        assert.equal(sum(reports, 'toRunning'), counted.runs, 'each run was moved to running by one process');
        assert.equal(sum(reports, 'completed'), counted.runs, 'each run was completed by one process');
        assert.equal(sum(reports, 'notifications'), counted.withUser, 'the completing process got the one notification');
        assert.equal(counted.notifications, counted.withUser);
        assert.ok(counted.withUser > 0 && counted.withUser < counted.runs, 'runs with and without an initiator');

        const lost = ['deduped', 'runningUnchanged', 'runningTooLate', 'completeUnchanged', 'completeTooLate', 'conflicts']
          .map((k) => `${k} ${sum(reports, k)}`).join(', ');
        t.diagnostic(`${kind}: ${counted.runs} runs for ${OPERATIONS} operations (max ${Math.max(...runsByKey.values())} per operation), `
          + `${counted.withUser} notifications; races lost: ${lost}; ${watch.seen.samples} samples (${watch.seen.midRace} of ${watch.seen.full} full ones mid-race); `
          + `slowest process ${Math.max(...reports.map((r) => r.ms))} ms, test ${Date.now() - begun} ms`);
      } finally {
        await watch?.stop();
        for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
        await Promise.all(workers.map((w) => w.exited));
        await sql.close();
        await dispose();
      }
    });
  });
}
