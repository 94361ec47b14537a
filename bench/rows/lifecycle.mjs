// Rows 1 and 2: the lifecycle and single updates through the public API on the embedded store, beside the
// plain-JS baseline doing the same work and XState's bare lifecycle / one event on a long-lived actor.
import { createEngine } from 'ops-ux-engine';
import { createPlainEngine } from '../baselines/plain.js';
import { longLivedActor, xstateLifecycle } from '../baselines/xstate.js';
import { SCOPE, START, TO_RUNNING, TYPICAL_COMPLETION } from '../lib/inputs.mjs';
import { compare, ratio } from '../lib/measure.mjs';

/** One XState event on a long-lived actor: a progress report in `running` (the actor never finishes). */
export function xstateEventCase() {
  const actor = longLivedActor();
  let i = 0;
  return {
    key: 'xstateEvent',
    run(n) {
      for (let k = 0; k < n; k++) actor.send({ type: 'PROGRESS', summary_counts: { processed: i++ } });
    },
  };
}

export async function lifecycleRows(report) {
  const engine = await createEngine();
  const base = createPlainEngine();

  const r1 = await compare([
    {
      key: 'engine',
      async run(n) {
        for (let i = 0; i < n; i++) {
          const { run } = await engine.startRun(START);
          await engine.updateRun(SCOPE, run.id, TO_RUNNING);
          await engine.updateRun(SCOPE, run.id, TYPICAL_COMPLETION);
        }
      },
    },
    {
      key: 'plain',
      run(n) {
        for (let i = 0; i < n; i++) {
          const { run } = base.start(START);
          base.update(SCOPE, run.id, TO_RUNNING);
          base.update(SCOPE, run.id, TYPICAL_COMPLETION);
        }
      },
    },
    {
      key: 'plainAsync',
      async run(n) {
        for (let i = 0; i < n; i++) {
          const { run } = await base.startRun(START);
          await base.updateRun(SCOPE, run.id, TO_RUNNING);
          await base.updateRun(SCOPE, run.id, TYPICAL_COMPLETION);
        }
      },
    },
    {
      key: 'xstate',
      run(n) {
        for (let i = 0; i < n; i++) xstateLifecycle();
      },
    },
  ]);
  report.time(1, 'lifecycle, engine (embedded store, typical payload)', r1.engine, { note: 'startRun + 2 × updateRun, awaited' });
  report.time(1, 'lifecycle, plain JS (same rules, same payload)', r1.plain, { note: 'synchronous calls' });
  report.time(1, 'lifecycle, plain JS behind async functions', r1.plainAsync, { note: 'the same, awaited like the engine' });
  report.time(1, 'lifecycle, XState bare (create actor, start, 2 events)', r1.xstate);
  const vsPlain = ratio(r1.engine, r1.plain);
  const vsXstate = ratio(r1.xstate, r1.engine);
  report.ratio(1, 'engine ÷ plain JS (time)', vsPlain, 'target ≤ 5×');
  report.ratio(1, 'XState bare ÷ engine (speed-up)', vsXstate, 'target ≥ 5×');

  // Row 2: single updates. Runs are prepared outside the timed part (fresh ones each batch).
  let seq = 0;
  const request = () => ({ ...START, identity: { connection_id: `u-${seq++}` } });
  const prepare = async (target, n, toRunning) => {
    const ids = [];
    for (let i = 0; i < n; i++) {
      const { run } = await target.startRun(request());
      if (toRunning) await target.updateRun(SCOPE, run.id, TO_RUNNING);
      ids.push(run.id);
    }
    return ids;
  };
  const updates = (target, update, toRunning, sync) => ({
    setup: (n) => prepare(target, n, toRunning),
    run: sync
      ? (n, ids) => {
          for (const id of ids) target.update(SCOPE, id, update);
        }
      : async (n, ids) => {
          for (const id of ids) await target.updateRun(SCOPE, id, update);
        },
    maxBatch: 20_000,
  });
  const r2 = await compare([
    { key: 'engineTypical', ...updates(engine, TYPICAL_COMPLETION, true, false) },
    { key: 'plainTypical', ...updates(base, TYPICAL_COMPLETION, true, true) },
    { key: 'engineStatus', ...updates(engine, TO_RUNNING, false, false) },
    { key: 'plainStatus', ...updates(base, TO_RUNNING, false, true) },
    { key: 'plainAsyncStatus', ...updates(base, TO_RUNNING, false, false) },
    xstateEventCase(),
  ]);
  report.time(2, 'updateRun, typical payload (completion), engine', r2.engineTypical);
  report.time(2, 'updateRun, typical payload (completion), plain JS', r2.plainTypical);
  report.ratio(2, 'engine ÷ plain JS (time)', ratio(r2.engineTypical, r2.plainTypical));
  report.time(2, 'updateRun, status only (queued → running), engine', r2.engineStatus);
  report.time(2, 'updateRun, status only (queued → running), plain JS', r2.plainStatus);
  report.time(2, 'updateRun, status only (queued → running), plain JS behind an async function', r2.plainAsyncStatus, {
    note: 'the floor of an awaited call that answers a fresh run',
  });
  report.ratio(2, 'engine ÷ plain JS (time)', ratio(r2.engineStatus, r2.plainStatus));
  report.time(2, 'XState: one event on a long-lived actor', r2.xstateEvent);
  const statusVsEvent = ratio(r2.xstateEvent, r2.engineStatus);
  report.ratio(2, 'XState event ÷ status-only updateRun (speed-up)', statusVsEvent, 'target ≥ 10×');

  engine.free();
  return { vsPlain, vsXstate, statusVsEvent };
}
