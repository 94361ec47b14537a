// The worker that crash.test.mjs kills with SIGKILL. Usage:
//   node crash-worker.mjs <sqlite|postgres> <target> <atomic|split> <generation> <selfKillAt> <final 0|1>
// Each life: reconcile (reported as `reconciled`), finish the runs the database shows unfinished (a previous
// life's), then — unless final — stream new runs forever: start (acknowledged as `started` once the insert
// returned), running, completed (acknowledged as `completed`). A final life reconciles again and exits.
//
// `split` wraps the store in a deliberately non-atomic one: commitRun writes the run in one transaction and
// its notifications in a second. With selfKillAt = k > 0 the process SIGKILLs itself between the two at its
// k-th completion that carries a notification — reporting `gap` first — so the run is stored completed
// and its notification is not: the gap reconcile must repair.
import { createEngine } from 'ops-ux-engine';
import { openStore } from './sql-check.mjs';

const [kind, target, mode, generationText, selfKillAtText, finalText] = process.argv.slice(2);
const generation = Number(generationText);
const final = finalText === '1';
let selfKillCountdown = Number(selfKillAtText);
const SCOPE = { workspace_id: 1, tenant_id: 20 };
const OUTCOMES = ['succeeded', 'partially_succeeded', 'failed', 'cancelled'];

/** Resolves once the message is written to the channel: it reaches the test even if SIGKILL follows. */
const send = (message) => new Promise((resolve) => process.send(message, resolve));
process.on('disconnect', () => process.exit(3));

const METHODS = ['insertRun', 'getRun', 'commitRun', 'listRuns', 'listNotifications', 'markNotificationRead',
  'findUnnotifiedRuns', 'insertNotifications'];

/** The non-atomic host store: the run and its notifications in two transactions, a crash possible between. */
function splitCommits(inner) {
  const store = Object.fromEntries(METHODS.map((m) => [m, (...args) => inner[m](...args)]));
  store.commitRun = async ({ run, expected_version, notifications }) => {
    const written = await inner.commitRun({ run, expected_version, notifications: [] });
    if (!written || notifications.length === 0) return written;
    if (selfKillCountdown > 0 && --selfKillCountdown === 0) {
      await send({ gap: run.id });
      process.kill(process.pid, 'SIGKILL');
      await new Promise(() => {}); // SIGKILL is not deliverable to a handler; nothing after this runs
    }
    await inner.insertNotifications(notifications);
    return true;
  };
  return store;
}

/** Running, then completed with the outcome the run was started for. */
async function finish(engine, run) {
  if (run.status === 'queued') await engine.updateRun(SCOPE, run.id, { status: 'running' });
  await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: run.context.outcome, summary_counts: { processed: 1 } });
}

try {
  const { store, close } = await openStore(kind, target);
  const engine = await createEngine({ store: mode === 'split' ? splitCommits(store) : store });
  await send({ reconciled: await engine.reconcile() });
  const unfinished = await engine.listRuns(SCOPE, { status: ['queued', 'running'], limit: 1000 });
  for (const run of unfinished.reverse()) {
    await finish(engine, run);
    await send({ completed: run.id, resumed: true });
  }
  if (final) {
    const again = await engine.reconcile();
    await close();
    await send({ final: { resumed: unfinished.length, again } });
    process.exit(0);
  }
  for (let n = 0; ; n++) {
    const { run, deduped } = await engine.startRun({
      ...SCOPE,
      user_id: n % 5 === 4 ? null : 7 + (n % 3), // one in five without initiator: never notified
      type: 'inventory.sync',
      identity: { generation, n },
      context: { outcome: OUTCOMES[n % OUTCOMES.length] },
    });
    if (deduped) throw new Error(`run ${run.id} was deduped, but every identity of this stream is new`);
    await send({ started: run.id });
    await finish(engine, run);
    await send({ completed: run.id });
  }
} catch (error) {
  await send({ error: `${error?.code ?? ''} ${error?.stack ?? error}` });
  process.exit(1);
}
