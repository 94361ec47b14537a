// The XState 5 baseline: the same lifecycle as a statechart. queued → running → completed, with the
// outcome rules as guards (a run that never started can only fail or be cancelled) and progress counters
// kept in context. No dedup, no notification, no sanitizing: the "bare" lifecycle the targets compare with.
import { assign, createActor, createMachine } from 'xstate';

const canCompleteUnstarted = ({ event }) => event.outcome === 'failed' || event.outcome === 'cancelled';
const recordOutcome = assign({ outcome: ({ event }) => event.outcome });
const recordProgress = assign({ summary_counts: ({ context, event }) => ({ ...context.summary_counts, ...event.summary_counts }) });

export const runMachine = createMachine({
  id: 'operationRun',
  initial: 'queued',
  context: { outcome: null, summary_counts: {} },
  states: {
    queued: {
      on: {
        START: 'running',
        COMPLETE: { guard: canCompleteUnstarted, target: 'completed', actions: recordOutcome },
      },
    },
    running: {
      on: {
        PROGRESS: { actions: recordProgress },
        COMPLETE: { target: 'completed', actions: recordOutcome },
      },
    },
    completed: { type: 'final' },
  },
});

const START = { type: 'START' };
const COMPLETE = { type: 'COMPLETE', outcome: 'succeeded' };

/** The bare lifecycle: create an actor, start it, two events. Returns the final snapshot. */
export function xstateLifecycle() {
  const actor = createActor(runMachine).start();
  actor.send(START);
  actor.send(COMPLETE);
  return actor.getSnapshot();
}

/** A long-lived actor in `running`, to time one event (a progress report) on it. */
export function longLivedActor() {
  const actor = createActor(runMachine).start();
  actor.send(START);
  return actor;
}
