// Host stores for the tests: a plain in-memory reference store and wrappers that make any store async, faulty or counted.

const ACTIVE = new Set(['queued', 'running']);

/** `1` and `"1"` are different ids: JSON text keeps the type, so it makes a typed map key. */
const keyOf = (...parts) => JSON.stringify(parts);
const sameId = (a, b) => keyOf(a) === keyOf(b);
const inScope = (record, scope) =>
  sameId(record.workspace_id, scope.workspace_id) && sameId(record.tenant_id, scope.tenant_id);

/**
 * The reference implementation of the HostStore contract (index.d.ts), synchronous and in memory.
 * Every record is deep-copied in and out with structuredClone, so no caller can mutate stored state.
 */
export class ReferenceStore {
  /** id key → run */
  #runs = new Map();
  /** scope + dedup_key → id of the active (queued or running) run holding that key */
  #active = new Map();
  #nextId = 1;
  /** in insertion order (oldest first) */
  #notifications = [];
  #notificationIds = new Set();

  #dedupKey(run) {
    return keyOf(run.workspace_id, run.tenant_id, run.dedup_key);
  }

  /** Atomically: the active duplicate (`inserted: false`), or the draft stored with a new id. */
  insertRun(draft) {
    const key = this.#dedupKey(draft);
    const existingId = this.#active.get(key);
    if (existingId !== undefined) {
      return { inserted: false, run: structuredClone(this.#runs.get(keyOf(existingId))) };
    }
    const run = { id: this.#nextId++, ...structuredClone(draft) };
    this.#runs.set(keyOf(run.id), run);
    if (ACTIVE.has(run.status)) this.#active.set(key, run.id);
    return { inserted: true, run: structuredClone(run) };
  }

  /** The run with this id in this scope, or null. */
  getRun(scope, id) {
    const run = this.#runs.get(keyOf(id));
    return run && inScope(run, scope) ? structuredClone(run) : null;
  }

  /** Compare-and-set on `version`; the notifications go in with the run or not at all. */
  commitRun({ run, expected_version, notifications }) {
    const stored = this.#runs.get(keyOf(run.id));
    if (!stored || !inScope(stored, run) || stored.version !== expected_version) return false;
    const key = this.#dedupKey(stored);
    if (this.#active.has(key) && sameId(this.#active.get(key), stored.id)) this.#active.delete(key);
    const next = structuredClone(run);
    this.#runs.set(keyOf(next.id), next);
    if (ACTIVE.has(next.status)) this.#active.set(this.#dedupKey(next), next.id);
    for (const n of notifications ?? []) {
      if (this.#notificationIds.has(n.id)) continue;
      this.#notificationIds.add(n.id);
      this.#notifications.push(structuredClone(n));
    }
    return true;
  }

  /** Runs of this scope, newest first, at most `limit`. */
  listRuns(scope, { status = [], type = null, limit = 100 } = {}) {
    return [...this.#runs.values()]
      .filter((r) => inScope(r, scope))
      .filter((r) => status.length === 0 || status.includes(r.status))
      .filter((r) => type === null || r.type === type)
      .reverse()
      .slice(0, limit)
      .map((r) => structuredClone(r));
  }

  /** The user's notifications whose data names this scope, newest first, at most `limit`. */
  listNotifications(scope, userId, { unread = false, limit = 100 } = {}) {
    return this.#notifications
      .filter((n) => sameId(n.notifiable_id, userId) && inScope(n.data, scope))
      .filter((n) => !unread || n.read_at === null)
      .reverse()
      .slice(0, limit)
      .map((n) => structuredClone(n));
  }

  /** Sets read_at (and updated_at) once; null when this user has no such notification in scope. */
  markNotificationRead(scope, userId, id, readAt) {
    const n = this.#notifications.find((x) => x.id === id);
    if (!n || !sameId(n.notifiable_id, userId) || !inScope(n.data, scope)) return null;
    if (n.read_at === null) {
      n.read_at = readAt;
      n.updated_at = readAt;
    }
    return structuredClone(n);
  }

  /** Completed runs with an initiator and no completion notification naming them, oldest first. */
  findUnnotifiedRuns(scope, limit) {
    const notified = (r) =>
      this.#notifications.some(
        (n) => n.type === 'OperationRunCompleted' && sameId(n.notifiable_id, r.user_id) && sameId(n.data.run_id, r.id),
      );
    return [...this.#runs.values()]
      .filter((r) => (scope === null || inScope(r, scope)) && r.status === 'completed' && r.user_id !== null)
      .filter((r) => !notified(r))
      .slice(0, limit)
      .map((r) => structuredClone(r));
  }

  /** Stores each notification whose id is new; returns how many. */
  insertNotifications(notifications) {
    let inserted = 0;
    for (const n of notifications) {
      if (this.#notificationIds.has(n.id)) continue;
      this.#notificationIds.add(n.id);
      this.#notifications.push(structuredClone(n));
      inserted += 1;
    }
    return inserted;
  }

  /** Test helper, not part of the contract: every stored record, copied. */
  dump() {
    return {
      runs: [...this.#runs.values()].map((r) => structuredClone(r)),
      notifications: this.#notifications.map((n) => structuredClone(n)),
    };
  }
}

export const STORE_METHOD_NAMES = Object.freeze([
  'insertRun',
  'getRun',
  'commitRun',
  'listRuns',
  'listNotifications',
  'markNotificationRead',
  'findUnnotifiedRuns',
  'insertNotifications',
]);

/** Resolves after `delayMs` milliseconds, or after a microtask when there is no delay. */
function later(delayMs) {
  return delayMs > 0
    ? new Promise((resolve) => setTimeout(resolve, delayMs))
    : new Promise((resolve) => queueMicrotask(resolve));
}

/**
 * Wraps `inner` so every method returns a Promise: it waits (a setTimeout of `delayMs`, or a microtask),
 * then performs the inner call. `delayMs` may be a function `(method, args) => ms` for jitter.
 * Concurrent engine calls therefore interleave between their reads and their writes.
 */
export function asyncStore(inner, { delayMs = 0 } = {}) {
  const store = { inner };
  for (const name of STORE_METHOD_NAMES) {
    store[name] = async (...args) => {
      await later(typeof delayMs === 'function' ? delayMs(name, args) : delayMs);
      return inner[name](...args);
    };
  }
  return store;
}

/** What each method returns in 'garbage' mode unless the test names its own value. */
export const DEFAULT_GARBAGE = Object.freeze({
  insertRun: { nope: 1 },
  getRun: { nope: 1 },
  commitRun: { nope: 1 },
  listRuns: { nope: 1 },
  listNotifications: { nope: 1 },
  markNotificationRead: { nope: 1 },
  findUnnotifiedRuns: { nope: 1 },
  insertNotifications: { nope: 1 },
});

/**
 * Wraps `inner` so that `method` misbehaves while `store.fault.enabled` is true:
 *  - 'throw':   throws synchronously (an Error, or `thrown` when given — any value, even undefined);
 *  - 'reject':  returns a rejected Promise;
 *  - 'garbage': returns a wrong shape: `garbage`, or `garbage(args, inner)` when it is a function;
 *  - 'once':    throws once, then is healthy (same as `{mode: 'throw', once: true}`).
 * With `once: true` any mode disables itself after firing. A faulting call never reaches `inner`
 * (unless a garbage function calls it), so a fault never changes stored state. `store.fault.fired`
 * counts faults.
 */
export function faultyStore(inner, options = {}) {
  const { method, mode = 'throw', once = false, garbage, thrown, enabled = true } = options;
  if (!STORE_METHOD_NAMES.includes(method)) throw new Error(`faultyStore: unknown method ${method}`);
  const fault = {
    method,
    mode: mode === 'once' ? 'throw' : mode,
    once: once || mode === 'once',
    garbage: garbage === undefined ? DEFAULT_GARBAGE[method] : garbage,
    /** What a 'throw' or 'reject' fault throws; `thrown: undefined` given explicitly throws undefined. */
    thrown: Object.hasOwn(options, 'thrown') ? thrown : new Error(`injected ${mode} in ${method}`),
    enabled,
    fired: 0,
  };
  const store = {
    inner,
    fault,
    enable() {
      fault.enabled = true;
      return store;
    },
    disable() {
      fault.enabled = false;
      return store;
    },
  };
  for (const name of STORE_METHOD_NAMES) {
    store[name] = (...args) => {
      if (name !== fault.method || !fault.enabled) return inner[name](...args);
      fault.fired += 1;
      if (fault.once) fault.enabled = false;
      const error = fault.thrown;
      switch (fault.mode) {
        case 'throw':
          throw error;
        case 'reject':
          return Promise.reject(error);
        case 'garbage':
          return typeof fault.garbage === 'function' ? fault.garbage(args, inner) : fault.garbage;
        default:
          throw new Error(`faultyStore: unknown mode ${fault.mode}`);
      }
    };
  }
  return store;
}

/** Wraps `inner` and counts calls per method in `store.calls` (and keeps their arguments in `store.log`). */
export function countingStore(inner) {
  const calls = Object.fromEntries(STORE_METHOD_NAMES.map((m) => [m, 0]));
  const log = [];
  const store = {
    inner,
    calls,
    log,
    reset() {
      for (const m of STORE_METHOD_NAMES) calls[m] = 0;
      log.length = 0;
    },
  };
  for (const name of STORE_METHOD_NAMES) {
    store[name] = (...args) => {
      calls[name] += 1;
      log.push({ method: name, args: structuredClone(args) });
      return inner[name](...args);
    };
  }
  return store;
}

/** Wraps `inner` so every method returns a hand-made thenable (not a Promise) that settles on a timer. */
export function thenableStore(inner) {
  const store = { inner };
  for (const name of STORE_METHOD_NAMES) {
    store[name] = (...args) => ({
      then(onFulfilled, onRejected) {
        setTimeout(() => {
          let value;
          try {
            value = inner[name](...args);
          } catch (e) {
            onRejected?.(e);
            return;
          }
          onFulfilled?.(value);
        }, 0);
      },
    });
  }
  return store;
}
