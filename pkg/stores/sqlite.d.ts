// Types of 'ops-ux-engine/sqlite': the host store over a better-sqlite3 (v12) Database.
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

/** The subset of a better-sqlite3 `Database` the store uses (declared here so the driver stays an optional peer). */
export interface SqliteDatabase {
  prepare(sql: string): unknown;
  transaction(fn: (...args: any[]) => unknown): unknown;
  exec(sql: string): unknown;
}

export interface SqlStoreOptions {
  /**
   * The type of `workspace_id`, `tenant_id`, `user_id` and `notifiable_id`. `'integer'` (the default):
   * INTEGER / bigint columns, and a string id is refused (it would be coerced, and `"5"` is not `5`).
   * `'text'`: text columns for apps with string ids; a number is refused. Run ids are always integers.
   */
  ids?: 'integer' | 'text';
}

/** The eight contract methods, synchronous, plus `createSchema()`. */
export interface SqliteStore extends HostStore {
  /** Creates the tables and indexes if missing (CREATE … IF NOT EXISTS in one BEGIN IMMEDIATE transaction). */
  createSchema(): void;
  insertRun(draft: RunDraft): { inserted: boolean; run: OperationRun };
  getRun(scope: Scope, id: Id): OperationRun | null;
  commitRun(commit: RunCommit): boolean;
  listRuns(scope: Scope, filter: StoreRunFilter): OperationRun[];
  listNotifications(scope: Scope, userId: Id, filter: StoreNotificationFilter): OperationRunCompletedNotification[];
  markNotificationRead(scope: Scope, userId: Id, id: string, readAt: Timestamp): OperationRunCompletedNotification | null;
  findUnnotifiedRuns(scope: Scope | null, limit: number): OperationRun[];
  insertNotifications(notifications: OperationRunCompletedNotification[]): number;
}

/** A store over `db`, a better-sqlite3 Database you opened (the store never opens or closes it). */
export declare function createSqliteStore(db: SqliteDatabase, options?: SqlStoreOptions): SqliteStore;

/** The schema as SQL (CREATE TABLE/INDEX IF NOT EXISTS), for migrations. */
export declare function sqliteSchemaSql(options?: SqlStoreOptions): string;
