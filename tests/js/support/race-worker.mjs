// One of the racing processes of races.test.mjs. Usage: node race-worker.mjs <sqlite|postgres> <target> <index>
// It opens its own store and engine, says `ready`, waits for `go` (carrying the operations), then for every
// operation: startRun, updateRun → running, updateRun → completed. Processes 0, 1, 4, 5 start all operations
// first and then drive the runs they saw; 2, 3, 6, 7 take one operation at a time. Losing a race is expected
// and counted (E_CONFLICT is retried; E_INVALID_TRANSITION or changed:false means another process got there
// first); any other error ends the process with an error report.
import { createEngine } from 'ops-ux-engine';
import { openStore } from './sql-check.mjs';

const [kind, target, indexText] = process.argv.slice(2);
const index = Number(indexText);
const counts = {
  inserted: 0, deduped: 0, toRunning: 0, runningUnchanged: 0, runningTooLate: 0,
  completed: 0, notifications: 0, completeUnchanged: 0, completeTooLate: 0, conflicts: 0,
};

const send = (message) => new Promise((resolve) => process.send(message, resolve));
process.on('disconnect', () => process.exit(3)); // the test process is gone: do not linger

/** `updateRun`, retrying E_CONFLICT: the result, or null for E_INVALID_TRANSITION (another process
 *  already completed the run). */
async function update(engine, scope, id, patch) {
  for (;;) {
    try {
      return await engine.updateRun(scope, id, patch);
    } catch (error) {
      if (error.code === 'E_CONFLICT') counts.conflicts += 1;
      else if (error.code === 'E_INVALID_TRANSITION') return null;
      else throw error;
    }
  }
}

/** Moves one run to running, then to completed, counting the races it loses. */
async function drive(engine, op, id) {
  const scope = { workspace_id: op.workspace_id, tenant_id: op.tenant_id };
  const running = await update(engine, scope, id, { status: 'running' });
  if (running === null) {
    counts.runningTooLate += 1;
    return;
  }
  counts[running.changed ? 'toRunning' : 'runningUnchanged'] += 1;
  const done = await update(engine, scope, id, { status: 'completed', outcome: op.outcome, summary_counts: { processed: op.n } });
  if (done === null) counts.completeTooLate += 1;
  else if (!done.changed) counts.completeUnchanged += 1;
  else {
    counts.completed += 1;
    counts.notifications += done.notifications.length;
  }
}

async function race(engine, operations, batch) {
  // Half the processes go forwards, half backwards, so they collide both head-on and in step.
  const order = index % 2 === 0 ? operations : [...operations].reverse();
  const start = async (op) => {
    const { run, deduped } = await engine.startRun({
      workspace_id: op.workspace_id, tenant_id: op.tenant_id, user_id: op.user_id, type: op.type,
      identity: op.identity, context: { n: op.n },
    });
    counts[deduped ? 'deduped' : 'inserted'] += 1;
    return run.id;
  };
  if (batch) {
    // Start everything, then drive every run seen: the processes pile onto the same active runs.
    const ids = [];
    for (const op of order) ids.push(await start(op));
    for (const [i, op] of order.entries()) await drive(engine, op, ids[i]);
  } else {
    // One operation at a time: this process may find an operation already completed by another and
    // start it again — a second run, which must never overlap the first.
    for (const op of order) await drive(engine, op, await start(op));
  }
}

try {
  const { store, close } = await openStore(kind, target);
  const engine = await createEngine({ store });
  const go = new Promise((resolve) => process.once('message', resolve));
  await send({ ready: index });
  const { operations } = await go;
  const begun = Date.now();
  await race(engine, operations, index % 4 < 2);
  const ms = Date.now() - begun;
  await close();
  await send({ done: index, counts, ms });
  process.exit(0);
} catch (error) {
  await send({ error: `${error?.code ?? ''} ${error?.stack ?? error}` });
  process.exit(1);
}
