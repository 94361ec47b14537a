// The demo worker: a timer loop in the page that moves active runs forward (simulation.js decides how).
// With a shared store (IndexedDB) several tabs could each run one; a Web Lock makes exactly one tab the
// worker and hands the job to another tab when it closes. The engine's compare-and-set would keep a
// double completion to one notification anyway — the lock keeps the demo from doing the work twice.
import { nextStep } from './simulation.js';

const TICK_MS = 700;

/**
 * `mode`: 'auto' (works runs on a timer) or 'manual' (only when asked: tests and step-by-step demos).
 * `lockName`: a Web Lock shared by the tabs of one store, or null when the store is this tab's own.
 * `activeRuns()` returns the active runs to work; `apply(run, update)` sends one update.
 * `onRole(role)` hears 'manual', 'working' or 'standby'.
 */
export function startWorker({ mode, lockName, activeRuns, apply, onRole }) {
  if (mode === 'manual') {
    onRole('manual');
    return;
  }
  const loop = async () => {
    onRole('working');
    for (;;) {
      await new Promise((wake) => setTimeout(wake, TICK_MS));
      let runs = [];
      try {
        runs = await activeRuns();
      } catch (e) {
        console.warn('worker: cannot read the runs:', e);
      }
      for (const run of runs) {
        const update = nextStep(run);
        try {
          if (update) await apply(run, update);
        } catch (e) {
          // e.g. cancelled from a row button a moment ago: the engine refused the step; the next tick re-reads.
          console.warn(`worker: run #${run.id}:`, e.message);
        }
      }
    }
  };
  if (lockName && navigator.locks) {
    onRole('standby');
    // Held for the life of the tab: the loop never resolves.
    navigator.locks.request(lockName, loop);
  } else {
    loop();
  }
}
