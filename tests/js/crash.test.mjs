// Crashes: a worker streaming runs to completion is SIGKILLed at random moments, 20+ times, and restarted;
// each life reconciles first and finishes what the database shows unfinished. Checked from the tables
// with SQL: no run lost, every run completed once, exactly one notification per run with an initiator.
// Over the package's atomic stores reconcile never has anything to repair; over a deliberately
// non-atomic store (run and notifications in two transactions, killed between them) it repairs every
// gap exactly once and a second reconcile repairs nothing. SQLite (one file) and PostgreSQL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { KINDS, freshDatabase, openSql, forkWorker, readAll, checkCompletedOnce, unnotified } from './support/sql-check.mjs';

const WORKER = fileURLToPath(new URL('./support/crash-worker.mjs', import.meta.url));
const KILLS = 21;
const MAX_DELAY_MS = 120;
const SELF_KILL_BACKSTOP_MS = 10000;

/** A small seeded generator (mulberry32), so the seed in the test's diagnostics replays the same schedule. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One life of the worker: it reconciles — which must repair exactly the gaps counted in the tables
 * while no process was running — then streams until killed (by the timer, or by itself in split mode).
 */
async function life(sql, { kind, target, mode, generation, selfKillAt, killAfterMs, final }) {
  const gaps = await unnotified(sql);
  const worker = forkWorker(WORKER, [kind, target, mode, String(generation), String(selfKillAt), final ? '1' : '0']);
  let timer = null;
  try {
    const { reconciled } = await worker.next((m) => 'reconciled' in m);
    assert.deepEqual(reconciled, { checked: gaps.length, repaired: gaps.length },
      `life ${generation}: reconcile repairs exactly the ${gaps.length} missing notification(s) found with SQL`);
    if (!final) timer = setTimeout(() => worker.child.kill('SIGKILL'), killAfterMs);
  } catch (error) {
    worker.child.kill('SIGKILL'); // a failed check must not leave the worker streaming
    throw error;
  }
  const exit = await worker.exited;
  clearTimeout(timer);
  if (final) assert.equal(exit.code, 0, `the final life exits cleanly: ${worker.report()}\n${exit.stderr}`);
  else assert.equal(exit.signal, 'SIGKILL', `life ${generation} died only by SIGKILL: ${worker.report()}\n${exit.stderr}`);
  const of = (key) => worker.messages.filter((m) => key in m).map((m) => String(m[key]));
  return { gaps, started: of('started'), gapReported: of('gap'), final: worker.messages.find((m) => 'final' in m)?.final };
}

for (const kind of KINDS) {
  for (const mode of ['atomic', 'split']) {
    const what = mode === 'atomic'
      ? `the ${kind} store: reconcile never finds a gap`
      : `a non-atomic store over ${kind} (killed between writing the run and its notification): reconcile repairs each gap once`;
    describe(`crash — SIGKILL ${KILLS} times mid-stream, ${kind}, ${mode}`, () => {
      it(`no run lost, each completed once, one notification per initiator — ${what}`, async (t) => {
        const begun = Date.now();
        const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
        const rand = random(seed);
        const { target, dispose } = await freshDatabase(kind, 'crash');
        const sql = await openSql(kind, target);
        try {
          const started = new Set();
          let lives = 0;
          let selfKills = 0;
          let selfKillLives = 0;
          let repaired = 0;
          for (; lives < KILLS; lives++) {
            // In split mode every other life kills itself between the two writes of a random notified
            // completion (the outside kill only backs it up); the other lives are killed at a random moment.
            const selfKillAt = mode === 'split' && lives % 2 === 0 ? 1 + Math.floor(rand() * 20) : 0;
            if (selfKillAt > 0) selfKillLives += 1;
            const killAfterMs = selfKillAt > 0 ? SELF_KILL_BACKSTOP_MS : Math.floor(rand() * MAX_DELAY_MS);
            const result = await life(sql, { kind, target, mode, generation: lives, selfKillAt, killAfterMs, final: false });
            for (const id of result.started) started.add(id);
            selfKills += result.gapReported.length;
            repaired += result.gaps.length;
            if (mode === 'atomic') assert.deepEqual(result.gaps, [], 'an atomic store never leaves a completion without its notification');
            // What the next life must repair: the gap it reported, and — when killed from outside during or
            // between the split store's two writes — at most one more.
            const after = await unnotified(sql);
            for (const id of result.gapReported) assert.ok(after.includes(id), `the gap of run ${id} is in the tables`);
            assert.ok(after.length <= result.gapReported.length + 1, `life ${lives} left ${after.length} gaps`);
          }
          const last = await life(sql, { kind, target, mode, generation: lives, selfKillAt: 0, killAfterMs: 0, final: true });
          repaired += last.gaps.length;
          assert.deepEqual(last.final.again, { checked: 0, repaired: 0 }, 'a second reconcile finds nothing');

          // The end state, from the tables.
          assert.deepEqual(await unnotified(sql), []);
          const state = await readAll(sql);
          const counted = checkCompletedOnce(state);
          const stored = new Set(state.runs.map((r) => String(r.id)));
          for (const id of started) assert.ok(stored.has(id), `acknowledged run ${id} is stored`);
          // Runs never acknowledged: inserted just before a kill, at most one per life — and completed anyway.
          const unacknowledged = counted.runs - started.size;
          assert.ok(unacknowledged >= 0 && unacknowledged <= KILLS, `${unacknowledged} runs stored without acknowledgement`);
          assert.ok(counted.withUser > 0 && counted.withUser < counted.runs, 'runs with and without an initiator');
          if (mode === 'atomic') assert.equal(repaired, 0, 'reconcile repaired nothing over an atomic store');
          else {
            assert.equal(selfKills, selfKillLives, 'every life set to kill itself between the two writes did');
            assert.ok(repaired >= selfKills, `split store: ${selfKills} self-kills, ${repaired} repaired`);
          }

          t.diagnostic(`${kind} ${mode}: seed ${seed}; ${KILLS} kills (${selfKills} between the two writes), `
            + `${counted.runs} runs (${unacknowledged} unacknowledged, ${last.final.resumed} finished by the last life), `
            + `${counted.notifications} notifications, ${repaired} repaired by reconcile; ${Date.now() - begun} ms`);
        } finally {
          await sql.close();
          await dispose();
        }
      });
    });
  }
}
