// Types of 'ops-ux-engine/postgres': the host store over a `pg` (v8) Pool.
import type {
  HostStore,
  Id,
  OperationRun,
  OperationRunCompletedNotification,
  RunCommit,
  RunDraft,
  Scope,
  StoreNotificationFilter,
  StoreRunFilter,
  Timestamp,
} from '../index.js';
import type { SqlStoreOptions } from './sqlite.js';

export type { SqlStoreOptions };

/** A connection checked out of the pool. */
export interface PostgresClient {
  query(text: string, values?: unknown[]): Promise<{ rows: any[]; rowCount: number | null }>;
  release(error?: Error | boolean): void;
  on?(event: 'error', listener: (error: Error) => void): unknown;
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/** The subset of a pg `Pool` the store uses (declared here so the driver stays an optional peer). */
export interface PostgresPool {
  query(text: string, values?: unknown[]): Promise<{ rows: any[]; rowCount: number | null }>;
  connect(): Promise<PostgresClient>;
}

/** The eight contract methods, asynchronous, plus `createSchema()`. */
export interface PostgresStore extends HostStore {
  /** Creates the tables and indexes if missing; safe from several processes at once (an advisory lock serializes it). */
  createSchema(): Promise<void>;
  insertRun(draft: RunDraft): Promise<{ inserted: boolean; run: OperationRun }>;
  getRun(scope: Scope, id: Id): Promise<OperationRun | null>;
  commitRun(commit: RunCommit): Promise<boolean>;
  listRuns(scope: Scope, filter: StoreRunFilter): Promise<OperationRun[]>;
  listNotifications(scope: Scope, userId: Id, filter: StoreNotificationFilter): Promise<OperationRunCompletedNotification[]>;
  markNotificationRead(scope: Scope, userId: Id, id: string, readAt: Timestamp): Promise<OperationRunCompletedNotification | null>;
  findUnnotifiedRuns(scope: Scope | null, limit: number): Promise<OperationRun[]>;
  insertNotifications(notifications: OperationRunCompletedNotification[]): Promise<number>;
}

/** A store over `pool`, a pg Pool you created (the store never ends it). */
export declare function createPostgresStore(pool: PostgresPool, options?: SqlStoreOptions): PostgresStore;

/** The schema as SQL (CREATE TABLE/INDEX IF NOT EXISTS), for migrations. */
export declare function postgresSchemaSql(options?: SqlStoreOptions): string;
