/// <reference lib="esnext.disposable" />
// Type declarations for ops-ux-engine. Field names of records are snake_case: they mirror the
// `operation_runs` and `notifications` tables. Options and methods are camelCase.

/** An opaque identifier: a safe integer or a short string. `1` and `"1"` are different ids. */
export type Id = number | string;

export type RunStatus = 'queued' | 'running' | 'completed';
export type RunOutcome = 'succeeded' | 'partially_succeeded' | 'failed' | 'cancelled';

/** Where a run lives. Any object with these two fields works as a scope — a run included. */
export interface Scope {
  workspace_id: Id;
  tenant_id: Id;
}

/** Counters from the whitelist (`total`, `processed`, `succeeded`, `failed`, …), each a non-negative safe integer. */
export type SummaryCounts = Record<string, number>;

export interface FailureEntry {
  code: string;
  reason_code?: string;
  message: string;
}

/** A JSON value, as `context` and `identity` may hold. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** RFC 3339 UTC timestamp with milliseconds, e.g. `2026-12-04T16:43:21.123Z`. */
export type Timestamp = string;

/** The record: an OperationRun. */
export interface OperationRun extends Scope {
  id: Id;
  user_id: Id | null;
  type: string;
  status: RunStatus;
  /** null until completed; set exactly when completed. */
  outcome: RunOutcome | null;
  /** `type`, plus the canonical identity when the start named one. */
  dedup_key: string;
  summary_counts: SummaryCounts;
  failure_summary: FailureEntry[];
  context: JsonObject;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Compare-and-set counter: 1 when stored, +1 on every committed change. */
  version: number;
}

/** A run the engine asks a host store to insert: everything but `id`, which the store assigns. */
export type RunDraft = Omit<OperationRun, 'id'>;

/** The one stored notification, in the shape of the standard `notifications` table. */
export interface OperationRunCompletedNotification {
  /** A UUID derived from run and initiator: a second insert of the same completion is impossible. */
  id: string;
  type: 'OperationRunCompleted';
  notifiable_type: 'User';
  notifiable_id: Id;
  data: {
    run_id: Id;
    workspace_id: Id;
    tenant_id: Id;
    operation_type: string;
    outcome: RunOutcome;
    title: string;
    body: string;
    summary_counts: SummaryCounts;
  };
  read_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type ToastKind = 'queued' | 'already_queued';

/** The ephemeral toast of a start surface. Returned, never stored. */
export interface Toast {
  kind: ToastKind;
  title: string;
  body: string;
  /** The run started or found; null in a `planStart` that would create one. */
  run_id: Id | null;
}

export interface RunEnqueuedDetail extends Scope {
  run_id: Id | null;
  type: string;
  status: RunStatus;
  deduped: boolean;
}

/** Dispatch it (as a DOM CustomEvent) so a global progress widget refreshes at once. */
export interface RunEnqueuedEvent {
  name: 'run-enqueued';
  detail: RunEnqueuedDetail;
}

export interface StartRunRequest extends Scope {
  /** The initiator; null or absent for system and scheduled runs (they get no notification). */
  user_id?: Id | null;
  /** A machine name such as `inventory.sync`. */
  type: string;
  /** What makes two requests "the same operation"; compared in canonical JSON (keys sorted). */
  identity?: JsonValue;
  context?: JsonObject;
}

export interface StartRunResult {
  run: OperationRun;
  deduped: boolean;
  toast: Toast;
  /** Exactly one `run-enqueued` event, deduped or not. */
  events: [RunEnqueuedEvent];
}

/** A change asked of a run. Absent or null fields stay as they are. */
export interface RunUpdate {
  status?: RunStatus | null;
  /** Required with `status: 'completed'`, refused otherwise. */
  outcome?: RunOutcome | null;
  /** Merged into the stored counters (named keys overwrite). Sanitized. */
  summary_counts?: Record<string, unknown> | null;
  /** Replaces the stored list. Sanitized: bounded, one line each, secrets redacted. */
  failure_summary?: ReadonlyArray<Partial<FailureEntry> | string> | null;
  /** Replaces the stored context. Changes at any time, even after completion. */
  context?: JsonObject | null;
}

export interface UpdateRunResult {
  run: OperationRun;
  /** The notifications this call stored: the completion, at most once per run and initiator. */
  notifications: OperationRunCompletedNotification[];
  /** False when the update was already in effect (for example a repeated completion): nothing written. */
  changed: boolean;
}

export interface RunFilter {
  /** One status or several; absent, null or `[]`: any status. */
  status?: RunStatus | readonly RunStatus[];
  type?: string;
  /** 1–1000, default 100. */
  limit?: number;
}

export interface NotificationFilter {
  unread?: boolean;
  /** 1–1000, default 100. */
  limit?: number;
}

export interface EngineLimits {
  /** Entries kept in a failure_summary (0–100, default 10). */
  maxFailures?: number;
  /** Characters kept of each failure message (16–4000, default 240). */
  maxMessageLength?: number;
  /** Bytes of `context` as JSON (default 16384). */
  maxContextBytes?: number;
  /** Bytes of `identity` as canonical JSON (default 512). */
  maxIdentityBytes?: number;
}

/** The options that shape the rules; the pure functions accept them too. */
export interface RuleOptions {
  /** Operation type → label used in toasts and notifications. Unlabelled types get one derived from the name. */
  labels?: Record<string, string>;
  /** Refuse types that have no label. */
  strictTypes?: boolean;
  /** The summary_counts whitelist; replaces the default one. */
  summaryKeys?: readonly string[];
  limits?: EngineLimits;
}

export interface EngineOptions extends RuleOptions {
  /** A host store. Default: the embedded in-memory store inside the WebAssembly module. */
  store?: HostStore;
  /** "Now", for tests: milliseconds since the epoch, a Date, or an RFC 3339 string. Default: Date.now. */
  clock?: () => number | Date | string;
  /** Dispatch run-enqueued as a DOM event. Default: true in a page (window and document exist), else false. */
  dispatchEvents?: boolean;
  /** Where to dispatch. Default: globalThis. */
  eventTarget?: EventTarget;
}

/** A value or a Promise of it: every host store method may be synchronous or asynchronous. */
export type MaybePromise<T> = T | PromiseLike<T>;

/** What `commitRun` receives: a run change and its notifications, to commit together or not at all. */
export interface RunCommit {
  run: OperationRun;
  /** Replace the stored run only if its version is this one. */
  expected_version: number;
  /** Insert in the same atomic step; skip any whose id is already stored. */
  notifications: OperationRunCompletedNotification[];
}

export interface StoreRunFilter {
  /** Empty: any status. */
  status: RunStatus[];
  type: string | null;
  limit: number;
}

export interface StoreNotificationFilter {
  unread: boolean;
  limit: number;
}

/**
 * The host persistence interface. Each method may return a value or a Promise; a throw or a rejection
 * becomes `E_STORE` and the engine treats the change as not applied. Every read must stay in its scope.
 */
export interface HostStore {
  /** Atomically: if an active (queued or running) run with the draft's scope and dedup_key exists, return it
   *  with `inserted: false`; otherwise store the draft with a new id and return it with `inserted: true`. */
  insertRun: (draft: RunDraft) => MaybePromise<{ inserted: boolean; run: OperationRun }>;
  /** The run with this id in this scope, or null. */
  getRun: (scope: Scope, id: Id) => MaybePromise<OperationRun | null | undefined>;
  /** Atomically: if the stored version equals `expected_version`, replace the run and insert the
   *  notifications (skipping ids already stored) and return true; otherwise change nothing and return false. */
  commitRun: (commit: RunCommit) => MaybePromise<boolean>;
  /** Runs of this scope, newest first, at most `filter.limit`. */
  listRuns: (scope: Scope, filter: StoreRunFilter) => MaybePromise<OperationRun[]>;
  /** Notifications of this user whose data names this scope, newest first, at most `filter.limit`. */
  listNotifications: (scope: Scope, userId: Id, filter: StoreNotificationFilter) => MaybePromise<OperationRunCompletedNotification[]>;
  /** Set `read_at` (and `updated_at`) if unset; return the notification, or null if this user has none with this id in scope. */
  markNotificationRead: (scope: Scope, userId: Id, id: string, readAt: Timestamp) => MaybePromise<OperationRunCompletedNotification | null | undefined>;
  /** Recovery: completed runs with a `user_id` for which no `OperationRunCompleted` notification with that
   *  `notifiable_id` and `data.run_id` is stored; `scope` null means every scope. Oldest first, at most `limit`. */
  findUnnotifiedRuns: (scope: Scope | null, limit: number) => MaybePromise<OperationRun[]>;
  /** Recovery: atomically store each notification whose id is not stored yet; return how many were stored. */
  insertNotifications: (notifications: OperationRunCompletedNotification[]) => MaybePromise<number>;
}

export interface ReconcileOptions {
  /** Only this scope; by default every scope. */
  scope?: Scope | null;
  /** Runs per batch (1–1000, default 100); batches repeat until nothing is left. */
  limit?: number;
}

export interface ReconcileResult {
  /** Completed runs found without their completion notification. */
  checked: number;
  /** Notifications this call stored (fewer than `checked` when a concurrent reconcile stored some). */
  repaired: number;
}

export type ErrorCode =
  | 'E_INVALID_TRANSITION'
  | 'E_OUTCOME_REQUIRED'
  | 'E_NOT_FOUND'
  | 'E_CONFLICT'
  | 'E_INVALID_INPUT'
  | 'E_STORE';

export declare const ERROR_CODES: readonly ErrorCode[];
export declare const STORE_METHODS: readonly (keyof HostStore)[];
export declare const RUN_ENQUEUED: 'run-enqueued';

/** Every refusal of the engine. */
export declare class OpsUxError extends Error {
  constructor(code: ErrorCode, message: string);
  readonly name: 'OpsUxError';
  readonly code: ErrorCode;
}

/**
 * An engine: the one gateway for starting and updating runs. Results are snapshots: each call returns fresh
 * objects, but over the embedded store their nested values (`summary_counts`, `failure_summary`,
 * `context`) are shared with the engine's copy of the run and frozen — treat them as read-only.
 */
export declare class Engine {
  private constructor();
  /** True when runs live in the embedded in-memory store. */
  readonly embedded: boolean;
  /** Stores a queued run, or returns the active duplicate with the "already queued" toast. */
  startRun(request: StartRunRequest): Promise<StartRunResult>;
  /** The one gateway for status, outcome and progress. */
  updateRun(scope: Scope, runId: Id, update: RunUpdate): Promise<UpdateRunResult>;
  getRun(scope: Scope, runId: Id): Promise<OperationRun>;
  /** Newest first. */
  listRuns(scope: Scope, filter?: RunFilter): Promise<OperationRun[]>;
  /** A user's stored notifications in a scope, newest first. */
  listNotifications(scope: Scope, userId: Id, filter?: NotificationFilter): Promise<OperationRunCompletedNotification[]>;
  markNotificationRead(scope: Scope, userId: Id, notificationId: string): Promise<OperationRunCompletedNotification>;
  /** Stores the completion notification of every completed run that lacks it (after a crash, or over a
   *  store that is not atomic). Idempotent; safe to run from several processes at once. */
  reconcile(options?: ReconcileOptions): Promise<ReconcileResult>;
  /** `checkUpdate` with this engine's options. */
  checkUpdate(run: Pick<OperationRun, 'status' | 'outcome'> & Partial<OperationRun>, update: RunUpdate): UpdateCheck;
  /** `planStart` with this engine's options. */
  planStart<R extends ActiveRunLike>(activeRuns: readonly R[], request: StartRunRequest): StartPlan<R>;
  /** Releases this engine's WebAssembly memory (and the embedded store's runs). */
  free(): void;
  [Symbol.dispose](): void;
}

export declare function createEngine(options?: EngineOptions): Promise<Engine>;

export type UpdateCheck =
  | {
      ok: true;
      /** Status and outcome after the update. */
      status: RunStatus;
      outcome: RunOutcome | null;
      /** The update moves the run into completed. */
      completes: boolean;
      /** The run is already completed with this outcome: a no-op. */
      repeats: boolean;
      /** Completing stores a notification (the run has an initiator). */
      notifies: boolean;
    }
  | { ok: false; error: OpsUxError };

/**
 * Can `update` apply to `run`? The engine's own decision, synchronous, with no store. A refusal by the
 * rules is `{ok: false, error}`; it throws `E_INVALID_INPUT` only for what it cannot read: a run that is
 * not an object or whose outcome contradicts its status, or an update that is not JSON data.
 */
export declare function checkUpdate(
  run: Pick<OperationRun, 'status' | 'outcome'> & Partial<OperationRun>,
  update: RunUpdate,
  options?: RuleOptions,
): UpdateCheck;

/** The fields of a run that deduplication reads. */
export type ActiveRunLike = Pick<OperationRun, 'workspace_id' | 'tenant_id' | 'status' | 'dedup_key'> & { id?: Id | null };

export interface StartPlan<R> {
  deduped: boolean;
  /** The active duplicate from `activeRuns`, or null when a start would create a run. */
  run: R | null;
  dedup_key: string;
  toast: Toast;
  events: [RunEnqueuedEvent];
}

/** What would starting this operation do given these active runs? Synchronous, with no store. */
export declare function planStart<R extends ActiveRunLike>(
  activeRuns: readonly R[],
  request: StartRunRequest,
  options?: RuleOptions,
): StartPlan<R>;

/** Keeps whitelisted keys with non-negative safe-integer values; drops everything else. */
export declare function sanitizeSummaryCounts(value: unknown, options?: RuleOptions): SummaryCounts;

/** Bounds the list, makes each message one line, redacts secrets, cuts long messages. */
export declare function sanitizeFailureSummary(value: unknown, options?: RuleOptions): FailureEntry[];

/** Dispatches events as DOM CustomEvents on `target` (default: globalThis). */
export declare function dispatchRunEvents(events: readonly RunEnqueuedEvent[], target?: EventTarget): void;
