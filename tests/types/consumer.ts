// An ESM consumer of the whole public surface of 'ops-ux-engine' (pkg/index.d.ts), written as a user
// would write it: a typed host store, a worker that starts and completes runs, a dashboard that uses the
// pure checks for optimistic UI. It is only type-checked, never run:
//
//   npx tsc -p tests/types/tsconfig.json
//
// The `@ts-expect-error` lines prove that misuse is refused; tsc fails if one of them stops being an error.

import {
  createEngine,
  Engine,
  OpsUxError,
  ERROR_CODES,
  STORE_METHODS,
  RUN_ENQUEUED,
  checkUpdate,
  planStart,
  sanitizeSummaryCounts,
  sanitizeFailureSummary,
  dispatchRunEvents,
} from 'ops-ux-engine';
import type {
  Id,
  RunStatus,
  RunOutcome,
  Scope,
  SummaryCounts,
  FailureEntry,
  JsonValue,
  JsonObject,
  Timestamp,
  OperationRun,
  RunDraft,
  OperationRunCompletedNotification,
  ToastKind,
  Toast,
  RunEnqueuedDetail,
  RunEnqueuedEvent,
  StartRunRequest,
  StartRunResult,
  RunUpdate,
  UpdateRunResult,
  ReconcileResult,
  ReconcileOptions,
  RunFilter,
  NotificationFilter,
  EngineLimits,
  RuleOptions,
  EngineOptions,
  MaybePromise,
  RunCommit,
  StoreRunFilter,
  StoreNotificationFilter,
  HostStore,
  ErrorCode,
  UpdateCheck,
  ActiveRunLike,
  StartPlan,
} from 'ops-ux-engine';

// ---------------------------------------------------------------------------------------------------
// Type-level assertions: exact equality, not mere assignability.

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

export type SurfaceChecks = [
  Assert<Equal<typeof RUN_ENQUEUED, 'run-enqueued'>>,
  Assert<Equal<RunEnqueuedEvent['name'], typeof RUN_ENQUEUED>>,
  Assert<Equal<typeof ERROR_CODES, readonly ErrorCode[]>>,
  Assert<Equal<(typeof STORE_METHODS)[number], keyof HostStore>>,
  Assert<Equal<RunStatus, 'queued' | 'running' | 'completed'>>,
  Assert<Equal<RunOutcome, 'succeeded' | 'partially_succeeded' | 'failed' | 'cancelled'>>,
  Assert<Equal<ToastKind, 'queued' | 'already_queued'>>,
  Assert<Equal<Id, number | string>>,
  Assert<Equal<Timestamp, string>>,
  Assert<Equal<RunDraft, Omit<OperationRun, 'id'>>>,
  Assert<Equal<OpsUxError['code'], ErrorCode>>,
  Assert<Equal<OpsUxError['name'], 'OpsUxError'>>,
  Assert<Equal<ReturnType<typeof createEngine>, Promise<Engine>>>,
  Assert<Equal<ReturnType<Engine['startRun']>, Promise<StartRunResult>>>,
  Assert<Equal<ReturnType<Engine['updateRun']>, Promise<UpdateRunResult>>>,
  Assert<Equal<ReturnType<Engine['getRun']>, Promise<OperationRun>>>,
  Assert<Equal<ReturnType<Engine['listRuns']>, Promise<OperationRun[]>>>,
  Assert<Equal<ReturnType<Engine['listNotifications']>, Promise<OperationRunCompletedNotification[]>>>,
  Assert<Equal<ReturnType<Engine['markNotificationRead']>, Promise<OperationRunCompletedNotification>>>,
  Assert<Equal<ReturnType<Engine['checkUpdate']>, UpdateCheck>>,
  Assert<Equal<ReturnType<typeof checkUpdate>, UpdateCheck>>,
  Assert<Equal<ReturnType<typeof sanitizeSummaryCounts>, SummaryCounts>>,
  Assert<Equal<ReturnType<typeof sanitizeFailureSummary>, FailureEntry[]>>,
  Assert<Equal<ReturnType<typeof dispatchRunEvents>, void>>,
  Assert<Equal<StartRunResult['events'], [RunEnqueuedEvent]>>,
  Assert<Equal<StartPlan<OperationRun>['events'], [RunEnqueuedEvent]>>,
  Assert<Equal<RunEnqueuedEvent['detail'], RunEnqueuedDetail>>,
  Assert<Equal<Engine['embedded'], boolean>>,
];

// ---------------------------------------------------------------------------------------------------
// A complete host store: in memory, some methods synchronous and some returning Promises.

/** Runs and notifications are copied in and out, as a database would: callers never share our objects. */
function copy<T>(value: T): T {
  return structuredClone(value);
}

function inScope(scope: Scope, row: Scope): boolean {
  // Strict equality: the ids `1` and `"1"` are different, as the engine says.
  return row.workspace_id === scope.workspace_id && row.tenant_id === scope.tenant_id;
}

/** Newest first: by created_at, then by insertion order (later wins). */
function newestFirst<T extends { created_at: Timestamp }>(rows: readonly T[]): T[] {
  return rows
    .map((row, order) => ({ row, order }))
    .sort((a, b) => b.row.created_at.localeCompare(a.row.created_at) || b.order - a.order)
    .map(({ row }) => row);
}

export class MemoryStore implements HostStore {
  readonly #runs: OperationRun[] = [];
  readonly #notifications: OperationRunCompletedNotification[] = [];
  #nextId = 1;

  /** Synchronous: the check-and-insert is atomic because nothing else runs in between. */
  insertRun(draft: RunDraft): { inserted: boolean; run: OperationRun } {
    const active = this.#runs.find(
      (run) => inScope(draft, run) && run.dedup_key === draft.dedup_key && run.status !== 'completed',
    );
    if (active) return { inserted: false, run: copy(active) };
    const run: OperationRun = { ...copy(draft), id: this.#nextId++ };
    this.#runs.push(run);
    return { inserted: true, run: copy(run) };
  }

  /** Asynchronous, returning null when the run is missing or out of scope. */
  async getRun(scope: Scope, id: Id): Promise<OperationRun | null> {
    const run = this.#runs.find((r) => r.id === id && inScope(scope, r));
    return run ? copy(run) : null;
  }

  /** A Promise without `async`: compare-and-set on `version`, the run and its notifications together. */
  commitRun({ run, expected_version, notifications }: RunCommit): Promise<boolean> {
    const index = this.#runs.findIndex((r) => r.id === run.id && inScope(run, r));
    const stored = this.#runs[index];
    if (stored === undefined || stored.version !== expected_version) return Promise.resolve(false);
    this.#runs[index] = copy(run);
    for (const notification of notifications) {
      if (!this.#notifications.some((n) => n.id === notification.id)) {
        this.#notifications.push(copy(notification));
      }
    }
    return Promise.resolve(true);
  }

  /** Synchronous; an empty status list means any status. */
  listRuns(scope: Scope, { status, type, limit }: StoreRunFilter): OperationRun[] {
    const rows = this.#runs.filter(
      (r) =>
        inScope(scope, r) && (status.length === 0 || status.includes(r.status)) && (type === null || r.type === type),
    );
    return newestFirst(rows).slice(0, limit).map(copy);
  }

  async listNotifications(
    scope: Scope,
    userId: Id,
    { unread, limit }: StoreNotificationFilter,
  ): Promise<OperationRunCompletedNotification[]> {
    const rows = this.#notifications.filter(
      (n) => n.notifiable_id === userId && inScope(scope, n.data) && (!unread || n.read_at === null),
    );
    return newestFirst(rows).slice(0, limit).map(copy);
  }

  /** Synchronous, `undefined` when this user has no such notification in scope. */
  markNotificationRead(
    scope: Scope,
    userId: Id,
    id: string,
    readAt: Timestamp,
  ): OperationRunCompletedNotification | undefined {
    const notification = this.#notifications.find(
      (n) => n.id === id && n.notifiable_id === userId && inScope(scope, n.data),
    );
    if (!notification) return undefined;
    if (notification.read_at === null) {
      notification.read_at = readAt;
      notification.updated_at = readAt;
    }
    return copy(notification);
  }

  /** Recovery: completed runs with an initiator that no stored completion names. */
  findUnnotifiedRuns(scope: Scope | null, limit: number): OperationRun[] {
    const notified = (run: OperationRun) =>
      this.#notifications.some((n) => n.notifiable_id === run.user_id && n.data.run_id === run.id);
    return this.#runs
      .filter((r) => (scope === null || inScope(scope, r)) && r.status === 'completed' && r.user_id !== null)
      .filter((r) => !notified(r))
      .slice(0, limit)
      .map(copy);
  }

  async insertNotifications(notifications: OperationRunCompletedNotification[]): Promise<number> {
    const fresh = notifications.filter((n) => !this.#notifications.some((m) => m.id === n.id));
    this.#notifications.push(...fresh.map(copy));
    return fresh.length;
  }
}

/** A store may also be a plain object; `satisfies` keeps its own (narrower) method types. */
function loggingStore(inner: HostStore, log: (line: string) => void) {
  const traced =
    <A extends unknown[], R>(name: keyof HostStore, f: (...args: A) => MaybePromise<R>) =>
    async (...args: A): Promise<R> => {
      log(`store.${name}`);
      return await f(...args);
    };
  return {
    insertRun: traced('insertRun', (draft: RunDraft) => inner.insertRun(draft)),
    getRun: traced('getRun', (scope: Scope, id: Id) => inner.getRun(scope, id)),
    commitRun: traced('commitRun', (commit: RunCommit) => inner.commitRun(commit)),
    listRuns: traced('listRuns', (scope: Scope, filter: StoreRunFilter) => inner.listRuns(scope, filter)),
    listNotifications: traced('listNotifications', (scope: Scope, userId: Id, filter: StoreNotificationFilter) =>
      inner.listNotifications(scope, userId, filter),
    ),
    markNotificationRead: traced('markNotificationRead', (scope: Scope, userId: Id, id: string, readAt: Timestamp) =>
      inner.markNotificationRead(scope, userId, id, readAt),
    ),
    findUnnotifiedRuns: traced('findUnnotifiedRuns', (scope: Scope | null, limit: number) =>
      inner.findUnnotifiedRuns(scope, limit),
    ),
    insertNotifications: traced('insertNotifications', (list: OperationRunCompletedNotification[]) =>
      inner.insertNotifications(list),
    ),
  } satisfies HostStore;
}

/** STORE_METHODS lists exactly the methods to check on an untyped store handed over at run time. */
export function assertHostStore(candidate: unknown): asserts candidate is HostStore {
  if (typeof candidate !== 'object' || candidate === null) throw new TypeError('a store must be an object');
  const missing = STORE_METHODS.filter((method: keyof HostStore) => typeof Reflect.get(candidate, method) !== 'function');
  if (missing.length > 0) throw new TypeError(`the store lacks ${missing.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------------
// Options: the rules (shared by the engine and the pure functions) and the engine-only ones.

const limits: EngineLimits = {
  maxFailures: 20,
  maxMessageLength: 500,
  maxContextBytes: 32 * 1024,
  maxIdentityBytes: 256,
};

export const rules: RuleOptions = {
  labels: { 'inventory.sync': 'Inventory sync', 'policy.restore': 'Policy restore' },
  strictTypes: true,
  summaryKeys: ['total', 'processed', 'succeeded', 'failed', 'skipped'],
  limits,
};

const progressEvents = new EventTarget();
progressEvents.addEventListener(RUN_ENQUEUED, (event) => {
  const detail: RunEnqueuedDetail = (event as CustomEvent<RunEnqueuedDetail>).detail;
  const { workspace_id, tenant_id, run_id, type, status, deduped } = detail;
  console.log(`[${workspace_id}/${tenant_id}] ${type} ${String(run_id)} is ${status}${deduped ? ' (already queued)' : ''}`);
});

/** Every option of createEngine at once. */
export async function createWorkerEngine(store: HostStore = new MemoryStore()): Promise<Engine> {
  const options: EngineOptions = {
    ...rules,
    store,
    clock: () => Date.now(),
    dispatchEvents: true,
    eventTarget: progressEvents,
  };
  return createEngine(options);
}

/** The clock may answer a number, a Date or an RFC 3339 string. */
export async function frozenClockEngines(): Promise<Engine[]> {
  const at = new Date('2026-12-04T16:43:21.123Z');
  return Promise.all([
    createEngine({ clock: () => at.getTime() }),
    createEngine({ clock: () => at }),
    createEngine({ clock: () => at.toISOString(), dispatchEvents: false }),
    createEngine({ store: loggingStore(new MemoryStore(), console.log), labels: { 'report.build': 'Report build' } }),
  ]);
}

// ---------------------------------------------------------------------------------------------------
// The worker side: start, progress, complete, read, notifications.

const scope: Scope = { workspace_id: 12, tenant_id: 'acme' };
const userId: Id = 7;

function describeError(e: unknown): string {
  if (e instanceof OpsUxError) {
    const c: ErrorCode = e.code;
    switch (c) {
      case 'E_INVALID_TRANSITION':
      case 'E_OUTCOME_REQUIRED':
        return `refused: ${e.message}`;
      case 'E_NOT_FOUND':
        return 'no such run in this scope';
      case 'E_CONFLICT':
        return 'another writer won; retry';
      case 'E_INVALID_INPUT':
        return `bad input: ${e.message}`;
      case 'E_STORE':
        return `store failure: ${e.message}`;
      default: {
        const exhaustive: never = c;
        return exhaustive;
      }
    }
  }
  return e instanceof Error ? e.message : String(e);
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

export async function runInventorySync(engine: Engine): Promise<void> {
  const identity: JsonValue = { connector: 'intune', full: true, pages: [1, 2, 3], since: null };
  const context: JsonObject = { requested_from: 'dashboard', attempt: 1 };
  const request: StartRunRequest = { ...scope, user_id: userId, type: 'inventory.sync', identity, context };

  const started: StartRunResult = await engine.startRun(request);
  const { run, deduped, toast, events } = started;
  const [enqueued] = events;
  const toastShown: Toast = toast;
  if (toastShown.kind === 'already_queued') console.log(toastShown.title, toastShown.body, toastShown.run_id);
  console.log(deduped, enqueued.name, enqueued.detail.run_id);

  // A system run: no initiator, so no notification on completion.
  await engine.startRun({ ...scope, user_id: null, type: 'policy.restore' });
  await engine.startRun({ ...scope, type: 'policy.restore' });

  const running: UpdateRunResult = await engine.updateRun(scope, run.id, {
    status: 'running',
    summary_counts: { total: 120, processed: 0 },
  });
  const startedAt: Timestamp | null = running.run.started_at;
  console.log(startedAt, running.changed);

  const progress: RunUpdate = { summary_counts: { processed: 60, succeeded: 58, failed: 2 } };
  await engine.updateRun(scope, run.id, progress);

  const done = await engine.updateRun(scope, run.id, {
    status: 'completed',
    outcome: 'partially_succeeded',
    summary_counts: { processed: 120, succeeded: 117, failed: 3 },
    failure_summary: [
      'device 42: timeout',
      { code: 'graph.throttled', reason_code: '429', message: 'Too many requests' },
      { message: 'only a message' },
    ],
    context: null,
  });
  const outcome: RunOutcome | null = done.run.outcome;
  const notifications: OperationRunCompletedNotification[] = done.notifications;
  for (const n of notifications) {
    const { run_id, operation_type, outcome: finished, title, body, summary_counts } = n.data;
    const kind: 'OperationRunCompleted' = n.type;
    const notifiable: 'User' = n.notifiable_type;
    console.log(n.id, kind, notifiable, n.notifiable_id, run_id, operation_type, finished, title, body, summary_counts);
  }
  console.log(outcome);

  // After completion only the context changes; a repeated completion is a no-op.
  await engine.updateRun(scope, run.id, { context: { archived: true } });
  const repeat = await engine.updateRun(scope, run.id, { status: 'completed', outcome: 'partially_succeeded' });
  if (!repeat.changed) console.log('already completed');

  const fresh: OperationRun = await engine.getRun(scope, run.id);
  const {
    id,
    workspace_id,
    tenant_id,
    user_id,
    type,
    status,
    dedup_key,
    summary_counts,
    failure_summary,
    completed_at,
    created_at,
    updated_at,
    version,
  } = fresh;
  const firstFailure: FailureEntry | undefined = failure_summary[0];
  console.log(id, workspace_id, tenant_id, user_id, type, status, dedup_key, summary_counts, firstFailure?.reason_code);
  console.log(fresh.context, completed_at, created_at, updated_at, version + 1);

  try {
    await engine.updateRun(scope, run.id, { status: 'running' });
  } catch (e) {
    if (e instanceof OpsUxError) {
      const c: ErrorCode = e.code;
      if (c === 'E_INVALID_TRANSITION') console.log(e.name, e.message);
    }
    console.log(describeError(e));
  }
}

/** listRuns with each filter form, listNotifications, markNotificationRead. */
export async function readDashboard(engine: Engine): Promise<void> {
  const filters: RunFilter[] = [
    {},
    { status: 'running' },
    { status: ['queued', 'running'] },
    { type: 'inventory.sync' },
    { limit: 10 },
    { status: ['completed'], type: 'policy.restore', limit: 1000 },
  ];
  const all: OperationRun[] = await engine.listRuns(scope);
  const lists: OperationRun[][] = await Promise.all(filters.map((filter) => engine.listRuns(scope, filter)));
  console.log(all.length, lists.map((l) => l.length));

  const unreadFilter: NotificationFilter = { unread: true, limit: 50 };
  const everything = await engine.listNotifications(scope, userId);
  const unread = await engine.listNotifications(scope, userId, unreadFilter);
  await engine.listNotifications(scope, userId, { unread: false });
  await engine.listNotifications(scope, userId, { limit: 5 });
  console.log(everything.length);

  for (const n of unread) {
    const read: OperationRunCompletedNotification = await engine.markNotificationRead(scope, userId, n.id);
    const readAt: Timestamp | null = read.read_at;
    console.log(readAt, read.updated_at, read.created_at);
  }
  const repaired: ReconcileResult = await engine.reconcile({ scope, limit: 500 });
  const everywhere: number = (await engine.reconcile()).checked;
  console.log(repaired.repaired, everywhere);
}

// ---------------------------------------------------------------------------------------------------
// The browser side: the pure checks, for optimistic UI, with and without an engine.

/** A dashboard's own row type: planStart hands back the caller's objects, type and all. */
interface DashboardRow extends ActiveRunLike {
  id: number;
  label: string;
  progress: number;
}

export function optimisticStart(rows: readonly DashboardRow[], request: StartRunRequest): DashboardRow | null {
  const plan: StartPlan<DashboardRow> = planStart(rows, request, rules);
  const { deduped, run, dedup_key, toast, events } = plan;
  dispatchRunEvents(events);
  dispatchRunEvents(events, progressEvents);
  console.log(deduped, dedup_key, toast.kind, toast.run_id);
  if (run !== null) console.log(`already queued: ${run.label} at ${run.progress}%`);

  // An unsaved row (no id) is a valid active run too; R is inferred from the literal.
  const draftPlan = planStart(
    [{ workspace_id: 12, tenant_id: 'acme', status: 'queued', dedup_key: 'inventory.sync' }],
    { ...scope, type: 'inventory.sync' },
  );
  const draftStatus: RunStatus | undefined = draftPlan.run?.status;
  console.log(draftStatus);

  // @ts-expect-error -- StartPlan<DashboardRow> keeps the row type: it is not an OperationRun.
  const asRun: OperationRun | null = plan.run;
  console.log(asRun);
  return run;
}

export function optimisticComplete(run: OperationRun, outcome: RunOutcome): boolean {
  const update: RunUpdate = { status: 'completed', outcome };
  const verdict: UpdateCheck = checkUpdate(run, update, rules);
  if (verdict.ok) {
    const status: RunStatus = verdict.status;
    const after: RunOutcome | null = verdict.outcome;
    console.log(status, after, verdict.completes, verdict.repeats, verdict.notifies);
    // @ts-expect-error -- there is no `error` on the ok branch.
    console.log(verdict.error);
    return true;
  }
  const code: ErrorCode = verdict.error.code;
  const refusal: OpsUxError = verdict.error;
  console.log(code, refusal.message);
  // @ts-expect-error -- there is no `status` on the refused branch.
  console.log(verdict.status);
  return false;
}

export async function withEmbeddedEngine(): Promise<void> {
  const engine = await createEngine();
  try {
    if (engine.embedded) console.log('runs live inside the WebAssembly module');

    // The engine's own checks use its options; only status and outcome are required of the run.
    const verdict = engine.checkUpdate({ status: 'queued', outcome: null }, { status: 'running' });
    if (!verdict.ok) throw verdict.error;
    const active = await engine.listRuns(scope, { status: ['queued', 'running'] });
    const plan: StartPlan<OperationRun> = engine.planStart(active, { ...scope, type: 'inventory.sync' });
    const existing: OperationRun | null = plan.run;
    console.log(existing?.version);

    const counts: SummaryCounts = sanitizeSummaryCounts({ total: 10, processed: '3', __proto__: 1 });
    const counts2: SummaryCounts = sanitizeSummaryCounts({ total: 10 }, rules);
    const failures: FailureEntry[] = sanitizeFailureSummary(['Bearer abc.def.ghi failed', { code: 'x' }]);
    const failures2: FailureEntry[] = sanitizeFailureSummary(null, { limits: { maxFailures: 1 } });
    console.log(counts, counts2, failures, failures2);
  } finally {
    engine.free();
  }
}

/** Explicit disposal, as `using` would do it. */
export async function disposeExplicitly(): Promise<void> {
  const engine = await createEngine();
  engine[Symbol.dispose]();
}

// ---------------------------------------------------------------------------------------------------
// Misuse that the declarations must refuse.

export async function misuse(engine: Engine, run: OperationRun): Promise<void> {
  // @ts-expect-error -- 'done' is not a RunStatus.
  await engine.updateRun(scope, run.id, { status: 'done' });

  // @ts-expect-error -- outcome typo: 'succeded'.
  await engine.updateRun(scope, run.id, { status: 'completed', outcome: 'succeded' });

  // @ts-expect-error -- a type is a string, not a number.
  await engine.startRun({ ...scope, type: 42 });

  // @ts-expect-error -- toast kind typo: 'alredy_queued'.
  const kind: ToastKind = 'alredy_queued';

  const { toast } = await engine.startRun({ ...scope, type: 'inventory.sync' });
  // @ts-expect-error -- 'already-queued' (dash) never equals a ToastKind.
  if (toast.kind === 'already-queued') console.log(kind);

  // @ts-expect-error -- a RunFilter status is a RunStatus.
  await engine.listRuns(scope, { status: ['queued', 'paused'] });

  // @ts-expect-error -- the scope needs a tenant_id.
  await engine.getRun({ workspace_id: 1 }, run.id);

  // @ts-expect-error -- outcome is null until completed: narrow it first.
  const certain: RunOutcome = run.outcome;

  // @ts-expect-error -- not an ErrorCode.
  throw new OpsUxError('E_BOGUS', 'no such code');
}

export async function misconfigured(): Promise<void> {
  const partial = {
    insertRun: (draft: RunDraft) => ({ inserted: true, run: { ...draft, id: 1 } }),
    getRun: async (_scope: Scope, _id: Id) => null,
  };
  // @ts-expect-error -- a store missing commitRun, listRuns, listNotifications, markNotificationRead.
  await createEngine({ store: partial });

  // @ts-expect-error -- a store must be a class that implements every method.
  const Incomplete = class implements HostStore {
    insertRun(draft: RunDraft) {
      return { inserted: true, run: { ...draft, id: 1 } };
    }
  };
  console.log(Incomplete);

  // @ts-expect-error -- the clock answers a number, a Date or a string.
  await createEngine({ clock: () => true });

  // @ts-expect-error -- dispatchEvents is a boolean.
  await createEngine({ dispatchEvents: 'yes' });

  // @ts-expect-error -- limits typo: maxFailure.
  await createEngine({ limits: { maxFailure: 3 } });

  // @ts-expect-error -- the engine is made by createEngine, never constructed.
  new Engine();

  // @ts-expect-error -- ERROR_CODES is read-only.
  ERROR_CODES.push('E_STORE');
}
