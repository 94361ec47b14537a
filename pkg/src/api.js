// The public API: a typed JavaScript face over the WebAssembly engine. It converts and delegates —
// every rule lives in Rust. Arguments cross as one JSON text per call and results come back as JSON
// text parsed with the native JSON.parse, which is much cheaper than building objects field by field.

import {
  RawEngine,
  checkStatus as rawCheckStatus,
  checkUpdate as rawCheckUpdate,
  inputBounds as rawInputBounds,
  planStart as rawPlanStart,
  sanitizeFailureSummary as rawSanitizeFailureSummary,
  sanitizeSummaryCounts as rawSanitizeSummaryCounts,
  setAnswerSink,
} from '../dist/glue/ops_ux_engine.js';
import { boundCounts, boundFailures, boundUpdate, lazyBounds } from './bounds.js';
import { RunCache } from './run-cache.js';

/** Every code an OpsUxError can carry. */
export const ERROR_CODES = Object.freeze([
  'E_INVALID_TRANSITION',
  'E_OUTCOME_REQUIRED',
  'E_NOT_FOUND',
  'E_CONFLICT',
  'E_INVALID_INPUT',
  'E_STORE',
]);

/** The methods a host store implements (see the README and index.d.ts). */
export const STORE_METHODS = Object.freeze([
  'insertRun',
  'getRun',
  'commitRun',
  'listRuns',
  'listNotifications',
  'markNotificationRead',
  'findUnnotifiedRuns',
  'insertNotifications',
]);

export const RUN_ENQUEUED = 'run-enqueued';

/** Every refusal of the engine: an Error with a stable `code`. */
export class OpsUxError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'OpsUxError';
    this.code = code;
  }
}

/** The engine's errors arrive as plain Errors with a code; give them their class. */
function toOpsUxError(e) {
  if (e instanceof OpsUxError) return e;
  if (e instanceof Error && e.name === 'OpsUxError' && ERROR_CODES.includes(e.code)) {
    return new OpsUxError(e.code, e.message);
  }
  return e;
}

function invalid(message) {
  return new OpsUxError('E_INVALID_INPUT', message);
}

/** What a thrown value says, even when reading it throws (a hostile getter or Proxy). */
function describe(e) {
  try {
    return String(e?.message ?? e);
  } catch {
    return 'an unreadable error';
  }
}

/** Values JSON would silently drop or blank: refused, so a mistyped field is never a lost one. */
function notData(v) {
  const t = typeof v;
  return t === 'function' || t === 'symbol' || (t === 'object' && v !== null && typeof v.then === 'function');
}

/** Refuses non-data at the top of `value` and (for identity, where a dropped part would merge two
 *  operations) all the way down. Nested context values follow JSON's own rules. */
function checkData(value, what, deep = false) {
  if (notData(value)) throw invalid(`${what} must be JSON data, not a ${typeof value === 'object' ? 'Promise' : typeof value}`);
  if (value === null || typeof value !== 'object') return;
  for (const key of Object.keys(value)) {
    const v = value[key];
    const path = `${what}.${key}`;
    if (deep || key === 'identity') checkData(v, path, true);
    else if (notData(v)) throw invalid(`${path} must be JSON data, not a ${typeof v === 'object' ? 'Promise' : typeof v}`);
  }
}

/** JSON text of `value`; what JSON cannot carry (functions, symbols, Promises, BigInt, cycles,
 *  throwing getters) is an input error. `args` are checked one by one so messages name the argument. */
function stringify(value, what, names) {
  let text;
  try {
    if (names) names.forEach((name, i) => checkData(value[i], name));
    else checkData(value, what);
    text = JSON.stringify(value);
  } catch (e) {
    if (e instanceof OpsUxError) throw e;
    throw invalid(`${what} cannot be read as JSON data: ${describe(e)}`);
  }
  return text === undefined ? 'null' : text;
}

/** The bounds of the rule options `options`, read from the engine when first needed. */
function optionBounds(options) {
  return lazyBounds(() => answerOf(() => rawInputBounds(stringify(options ?? null, 'options'))), unwrap);
}

/** Runs `bound` (which reads `what`), turning what a hostile getter or Proxy throws into an input error. */
function readInput(what, bound) {
  try {
    return bound();
  } catch (e) {
    if (e instanceof OpsUxError) throw e;
    throw invalid(`${what} cannot be read: ${describe(e)}`);
  }
}

// The engine's exports pass what they answer to this sink rather than return it: Node 20's V8 aborts the
// process when it deoptimizes a caller of an export that returns a JS value (see src/wasm/answer.rs).
let answered;
let sinkSet = false;

/** What `invoke`, a call of an engine export, answered. */
function answerOf(invoke) {
  if (!sinkSet) {
    setAnswerSink((value) => {
      answered = value;
    });
    sinkSet = true;
  }
  answered = undefined;
  invoke();
  const out = answered;
  answered = undefined;
  return out;
}

/** The engine's exports return their refusals as Error values (a throw from WebAssembly costs a shim
 *  per export); this throws them, with their class. */
function unwrap(out) {
  if (out instanceof Error) throw toOpsUxError(out);
  return out;
}

/** Calls a synchronous engine export that answers JSON text. */
function callPure(fn, text) {
  let out;
  try {
    out = answerOf(() => fn(text));
  } catch (e) {
    throw toOpsUxError(e);
  }
  return JSON.parse(unwrap(out));
}

/** Dispatches `run-enqueued` (or any) events as DOM CustomEvents on `target` (default: globalThis). */
export function dispatchRunEvents(events, target = globalThis) {
  // Read by index, not by iterator: an array's iterator is the caller's code too.
  const list = readInput('dispatchRunEvents arguments', () => {
    if (!target || typeof target.dispatchEvent !== 'function') {
      throw invalid('dispatchRunEvents needs an EventTarget');
    }
    if (!Array.isArray(events)) throw invalid('dispatchRunEvents needs a list of events');
    return Array.from({ length: events.length }, (_, i) => events[i]);
  });
  for (const event of list) {
    const { name, detail } = readInput('an event', () => ({ name: event?.name, detail: event?.detail }));
    if (typeof name !== 'string') throw invalid('every event needs a string name, e.g. "run-enqueued"');
    // The target is host code: what its dispatchEvent throws comes back typed, as a store's errors do.
    readInput(`the dispatch of ${name}`, () => target.dispatchEvent(new CustomEvent(name, { detail })));
  }
}

/**
 * Creates an engine over `options.store` (a host store object) or, by default, the embedded
 * in-memory store inside the WebAssembly module.
 */
export async function createEngine(options = {}) {
  if (options === null || typeof options !== 'object') {
    throw invalid('createEngine options must be an object');
  }
  let store, clock, dispatchEvents, eventTarget, config;
  try {
    ({ store, clock, dispatchEvents, eventTarget, ...config } = options);
  } catch (e) {
    throw invalid(`createEngine options cannot be read: ${describe(e)}`);
  }
  if (dispatchEvents !== undefined && typeof dispatchEvents !== 'boolean') {
    throw invalid('options.dispatchEvents must be a boolean');
  }
  // In a page, run-enqueued becomes a DOM event by default; elsewhere it is only returned.
  const inPage = typeof window !== 'undefined' && typeof document !== 'undefined';
  const target = (dispatchEvents ?? (eventTarget !== undefined || inPage)) ? (eventTarget ?? globalThis) : null;
  if (target !== null && readInput('options.eventTarget', () => typeof target?.dispatchEvent) !== 'function') {
    throw invalid(
      eventTarget === undefined
        ? 'options.dispatchEvents needs an EventTarget here (globalThis is not one): pass options.eventTarget'
        : 'options.eventTarget must be an EventTarget',
    );
  }
  const configText = stringify(config, 'createEngine options');
  let raw;
  try {
    raw = new RawEngine(configText, store ?? null, clock ?? null);
  } catch (e) {
    throw toOpsUxError(e);
  }
  return new Engine(raw, target);
}

/** The calls of `RawEngine.call`, numbered as `dispatch` in src/wasm/engine.rs reads them. */
const CALL = {
  startRun: 0,
  updateRun: 1,
  updateRunChanges: 2,
  getRun: 3,
  listRuns: 4,
  listNotifications: 5,
  markNotificationRead: 6,
  reconcile: 7,
};

/** An engine: the one gateway for starting and updating runs. Methods return Promises. */
export class Engine {
  #raw;
  #target;
  #bounds;
  /** The embedded store's runs as last returned (see run-cache.js); null over a host store. */
  #runs;

  /** @internal use createEngine() */
  constructor(raw, target) {
    this.#raw = raw;
    this.#target = target;
    this.#bounds = lazyBounds(() => raw.inputBounds(), unwrap);
    this.#runs = raw.isEmbedded() ? new RunCache() : null;
  }

  /** The WebAssembly engine; after free() every call is refused. */
  get #engine() {
    if (this.#raw === null) throw invalid('this engine was freed (engine.free()); create another with createEngine()');
    return this.#raw;
  }

  /** True when runs live in the embedded in-memory store. */
  get embedded() {
    return this.#engine.isEmbedded();
  }

  startRun(request) {
    return this.#call(() => this.#engine.call(CALL.startRun, stringify(request, 'startRun request')), (text) => {
      const result = this.#remembered(JSON.parse(text));
      // The run is stored: a listener that throws must not turn the start into a failure.
      if (this.#target) {
        try {
          dispatchRunEvents(result.events, this.#target);
        } catch (e) {
          globalThis.reportError?.(e);
        }
      }
      return result;
    });
  }

  updateRun(scope, runId, update) {
    const args = () => {
      const bounded = readInput('update', () => boundUpdate(update, this.#bounds));
      return stringify([scope, runId, bounded], 'updateRun arguments', ['scope', 'runId', 'update']);
    };
    // With the run as it was (`before`), the engine answers only what the update may have changed.
    const before = this.#runs?.get(scope, runId);
    const whole = (text) => this.#remembered(JSON.parse(text));
    const codes = this.#runs && statusCodes(update);
    const ids = codes && integerIds(scope, runId);
    if (ids) {
      // A status-only update crosses without JSON (see `setStatus` in src/wasm/engine.rs).
      const invoke = () => this.#engine.setStatus(...ids, ...codes, before !== undefined);
      return this.#call(invoke, before ? (text) => this.#patched(before, statusChanges(text)) : whole);
    }
    if (!before) return this.#call(() => this.#engine.call(CALL.updateRun, args()), whole);
    return this.#call(() => this.#engine.call(CALL.updateRunChanges, args()), (text) => this.#patched(before, JSON.parse(text)));
  }

  getRun(scope, runId) {
    return this.#call(() => this.#engine.call(CALL.getRun, stringify([scope, runId], 'getRun arguments', ['scope', 'runId'])));
  }

  listRuns(scope, filter) {
    return this.#call(() =>
      this.#engine.call(CALL.listRuns, stringify([scope, filter ?? null], 'listRuns arguments', ['scope', 'filter'])),
    );
  }

  listNotifications(scope, userId, filter) {
    const names = ['scope', 'userId', 'filter'];
    return this.#call(() =>
      this.#engine.call(CALL.listNotifications, stringify([scope, userId, filter ?? null], 'listNotifications arguments', names)),
    );
  }

  markNotificationRead(scope, userId, notificationId) {
    const names = ['scope', 'userId', 'notificationId'];
    return this.#call(() =>
      this.#engine.call(CALL.markNotificationRead, stringify([scope, userId, notificationId], 'markNotificationRead arguments', names)),
    );
  }

  /** Stores the completion notification of every completed run that lacks it; `{checked, repaired}`. */
  reconcile(options) {
    return this.#call(() => this.#engine.call(CALL.reconcile, stringify([options ?? null], 'reconcile arguments', ['options'])));
  }

  /** `checkUpdate` with this engine's summary keys and limits. */
  checkUpdate(run, update) {
    const engine = this.#engine;
    return quickVerdict(run, update) ?? verdictOf(callPure((text) => engine.checkUpdate(text), checkUpdateArgs(run, update)));
  }

  /** `planStart` with this engine's labels and limits. */
  planStart(activeRuns, request) {
    const engine = this.#engine;
    return planOf(activeRuns, callPure((text) => engine.planStart(text), planStartArgs(activeRuns, request)));
  }

  /** Releases the WebAssembly memory of this engine (and, for the embedded store, its runs). */
  free() {
    this.#runs?.clear();
    this.#raw?.free();
    this.#raw = null;
  }

  [Symbol.dispose]() {
    this.free();
  }

  /** `result` with its run remembered (over the embedded store) and the caller's copy of it in its place. */
  #remembered(result) {
    return this.#runs ? { ...result, run: this.#runs.remember(result.run) } : result;
  }

  /** `result`, whose run holds only what changed, with that patched onto `before` and remembered. */
  #patched(before, result) {
    return { ...result, run: this.#runs.remember(result.changed ? { ...before, ...result.run } : before) };
  }

  /**
   * Runs `invoke` (a call of the engine) and reads its answer with `read`. The engine answers text at once
   * (the embedded store, synchronous host stores) or a Promise of it (async host stores), and returns its
   * refusals as Error values; every way it can fail becomes a rejection with an OpsUxError.
   */
  #call(invoke, read = JSON.parse) {
    let out;
    try {
      out = answerOf(invoke);
    } catch (e) {
      return Promise.reject(toOpsUxError(e));
    }
    if (out instanceof Error) return Promise.reject(toOpsUxError(out));
    if (typeof out === 'string') {
      try {
        return Promise.resolve(read(out));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return out.then(read, (e) => {
      throw toOpsUxError(e);
    });
  }
}

/** Positions in the engine's `Status::ALL` and `Outcome::ALL` (1-based; outcome 0 is none). */
const STATUS_CODES = new Map([['queued', 1], ['running', 2], ['completed', 3]]);
const OUTCOME_CODES = new Map([[undefined, 0], [null, 0], ['succeeded', 1], ['partially_succeeded', 2], ['failed', 3], ['cancelled', 4]]);

/** The answer of `setStatus` to a caller holding the run: `""` when nothing changed, else the changed fields
 *  and the notifications, separated by U+001F (see src/wasm/engine.rs), as `updateRun` would have them. */
function statusChanges(text) {
  if (text === '') return { run: {}, notifications: [], changed: false };
  const [status, outcome, version, updatedAt, startedAt, completedAt, notifications] = text.split('\x1f');
  return {
    run: {
      status,
      outcome: outcome || null,
      version: Number(version),
      updated_at: updatedAt,
      started_at: startedAt || null,
      completed_at: completedAt || null,
    },
    notifications: JSON.parse(notifications),
    changed: true,
  };
}

/** `[workspace_id, tenant_id, runId]` when all three are safe integers, else null. Never throws. */
function integerIds(scope, runId) {
  try {
    // A scope with toJSON would cross as something else: leave it to the general path.
    if (scope === null || typeof scope !== 'object' || typeof scope.toJSON === 'function') return null;
    const ids = [scope.workspace_id, scope.tenant_id, runId];
    return ids.every(Number.isSafeInteger) ? ids : null;
  } catch {
    return null;
  }
}

/** `[status, outcome]` codes when `update` is a plain `{status, outcome?}` with known values; else null
 *  (the general path then decides, and words any refusal). Never throws. */
function statusCodes(update) {
  try {
    if (update === null || typeof update !== 'object' || Object.getPrototypeOf(update) !== Object.prototype) return null;
    for (const key in update) if (key !== 'status' && key !== 'outcome') return null;
    const status = STATUS_CODES.get(update.status);
    const outcome = OUTCOME_CODES.get(update.outcome);
    return status === undefined || outcome === undefined ? null : [status, outcome];
  } catch {
    return null;
  }
}

const STATUS_NAMES = [...STATUS_CODES.keys()];
const OUTCOME_NAMES = [...OUTCOME_CODES.keys()].filter((name) => typeof name === 'string');

/**
 * The verdict on a status-only update of a run whose status and outcome are known values, decided by the
 * engine from numbers (no JSON); null when that path does not apply or the update is refused (the general
 * path then words the refusal). Never throws.
 */
function quickVerdict(run, update) {
  const codes = statusCodes(update);
  if (!codes) return null;
  let status, outcome, user;
  try {
    if (run === null || typeof run !== 'object') return null;
    status = STATUS_CODES.get(run.status);
    outcome = OUTCOME_CODES.get(run.outcome ?? null);
    user = field(run, 'user_id');
  } catch {
    return null;
  }
  if (status === undefined || outcome === undefined) return null;
  const bits = rawCheckStatus(status, outcome, codes[0], codes[1]);
  if (bits === 0) return null;
  const completes = (bits & 64) !== 0;
  return {
    ok: true,
    status: STATUS_NAMES[((bits >> 1) & 3) - 1],
    outcome: OUTCOME_NAMES[((bits >> 3) & 7) - 1] ?? null,
    completes,
    repeats: (bits & 128) !== 0,
    notifies: completes && user !== null,
  };
}

function field(run, key) {
  const value = run[key];
  return value === undefined ? null : value;
}

/** The arguments of checkUpdate as JSON text: the run's fields the rules read, the update, and `extra`. */
function checkUpdateArgs(run, update, extra = []) {
  if (run === null || typeof run !== 'object') {
    throw invalid('checkUpdate: run must be an object with status and outcome');
  }
  const fields = readInput('checkUpdate: run', () => [
    field(run, 'id'), field(run, 'status'), field(run, 'outcome'), field(run, 'user_id'),
  ]);
  const names = ['run.id', 'run.status', 'run.outcome', 'run.user_id', 'update', 'options'];
  return stringify([...fields, update ?? null, ...extra], 'checkUpdate arguments', names.slice(0, 5 + extra.length));
}

function verdictOf(verdict) {
  return verdict.ok ? verdict : { ok: false, error: new OpsUxError(verdict.code, verdict.message) };
}

/** The arguments of planStart as JSON text: only the fields dedup reads cross, one row per run. */
function planStartArgs(activeRuns, request, extra = []) {
  const rows = readInput('planStart: a run', () => {
    if (!Array.isArray(activeRuns)) throw invalid('planStart: activeRuns must be an array of runs');
    return activeRuns.map((r) =>
      r !== null && typeof r === 'object'
        ? [field(r, 'id'), field(r, 'workspace_id'), field(r, 'tenant_id'), field(r, 'status'), field(r, 'dedup_key')]
        : null,
    );
  });
  const names = ['request', 'activeRuns', 'options'];
  return stringify([request, rows, ...extra], 'planStart arguments', names.slice(0, 2 + extra.length));
}

function planOf(activeRuns, plan) {
  const run = plan.index === null ? null : activeRuns[plan.index];
  return { deduped: run !== null, run, dedup_key: plan.dedup_key, toast: plan.toast, events: [plan.event] };
}

/**
 * Can `update` apply to `run`? The engine's own decision, with no store: for optimistic UI.
 * Returns `{ok: true, status, outcome, completes, repeats, notifies}` or `{ok: false, error}`.
 */
export function checkUpdate(run, update, options) {
  // Rule options only matter to updates with counters or failures, which the quick path never takes.
  const quick = options === undefined || options === null ? quickVerdict(run, update) : null;
  return quick ?? verdictOf(callPure(rawCheckUpdate, checkUpdateArgs(run, update, [options ?? null])));
}

/**
 * What would starting this operation do, given these active runs? Returns
 * `{deduped, run, dedup_key, toast, events}` where `run` is the duplicate from `activeRuns`, or null.
 */
export function planStart(activeRuns, request, options) {
  return planOf(activeRuns, callPure(rawPlanStart, planStartArgs(activeRuns, request, [options ?? null])));
}

/** Keeps whitelisted keys with non-negative safe-integer values; drops everything else. */
export function sanitizeSummaryCounts(value, options) {
  const bounded = readInput('summary_counts', () => boundCounts(value, optionBounds(options)));
  return callPure(rawSanitizeSummaryCounts, stringify([bounded, options ?? null], 'summary_counts', ['summary_counts', 'options']));
}

/** Bounds the list, makes each message one line, redacts secrets, cuts long messages. */
export function sanitizeFailureSummary(value, options) {
  const bounded = readInput('failure_summary', () => boundFailures(value, optionBounds(options)));
  return callPure(rawSanitizeFailureSummary, stringify([bounded, options ?? null], 'failure_summary', ['failure_summary', 'options']));
}
