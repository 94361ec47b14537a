// The embedded store's runs as the JS face last returned them. With a run here, `updateRun` asks the engine
// only for the fields an update may change and patches this copy, instead of reading the whole record back
// as JSON on every call (most of a status-only update's cost). Only the embedded store is cached: every
// write to it goes through this engine, and synchronously, so the copy is never stale.
//
// Callers get a shallow copy of each run; the nested values (counts, failures, context) are shared with
// the cache, so they are frozen: a caller mutating a result must never change what a later result says.

/** Runs kept; the oldest remembered is forgotten first (an update of a forgotten run reads it whole). */
const LIMIT = 4096;

function deepFreeze(value) {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze(value[key]);
  }
  return value;
}

export class RunCache {
  #runs = new Map();

  /** The run `id` of `scope`, if remembered; never throws (a hostile scope is a miss, refused later). */
  get(scope, id) {
    try {
      const run = this.#runs.get(id);
      return run && run.workspace_id === scope.workspace_id && run.tenant_id === scope.tenant_id ? run : undefined;
    } catch {
      return undefined;
    }
  }

  /** Remembers `run` (as the engine answered it) and returns the caller's copy. */
  remember(run) {
    deepFreeze(run.summary_counts);
    deepFreeze(run.failure_summary);
    deepFreeze(run.context);
    this.#runs.delete(run.id);
    this.#runs.set(run.id, run);
    if (this.#runs.size > LIMIT) this.#runs.delete(this.#runs.keys().next().value);
    return { ...run };
  }

  clear() {
    this.#runs.clear();
  }
}
