// Type declarations for ops-ux-engine/indexeddb: the host store over IndexedDB, for the browser.
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

export interface IndexedDbStoreOptions {
  /** The database name; every page of the origin that uses the same name shares the runs. Default 'ops-ux-engine'. */
  name?: string;
  /** The IndexedDB to use. Default `globalThis.indexedDB`. */
  indexedDB?: IDBFactory;
  /** How long to wait for the database while another connection holds it in an upgrade or a deletion, in ms. Default 10000. */
  openTimeout?: number;
}

/**
 * The host store contract over one IndexedDB database. Every method is one IndexedDB transaction, so
 * pages of the same origin never create two active runs for one operation nor two notifications for one
 * completion. Failures (a closed database, QuotaExceededError, an aborted transaction) are rejections
 * whose message names the store and the method; the engine reports them as `E_STORE`.
 */
export interface IndexedDbStore extends HostStore {
  /** The database name. */
  readonly name: string;
  insertRun(draft: RunDraft): Promise<{ inserted: boolean; run: OperationRun }>;
  getRun(scope: Scope, id: Id): Promise<OperationRun | null>;
  commitRun(commit: RunCommit): Promise<boolean>;
  listRuns(scope: Scope, filter: StoreRunFilter): Promise<OperationRun[]>;
  listNotifications(scope: Scope, userId: Id, filter: StoreNotificationFilter): Promise<OperationRunCompletedNotification[]>;
  markNotificationRead(scope: Scope, userId: Id, id: string, readAt: Timestamp): Promise<OperationRunCompletedNotification | null>;
  /** Completed runs with a user and no completion notification, oldest first; `scope` null for every scope. */
  findUnnotifiedRuns(scope: Scope | null, limit: number): Promise<OperationRun[]>;
  /** Stores each notification whose id is new, in one transaction; resolves to how many. */
  insertNotifications(notifications: OperationRunCompletedNotification[]): Promise<number>;
  /** Closes the connection; later calls reject. (It also closes itself when another page deletes or upgrades the database.) */
  close(): void;
}

/** Opens (creating on first use) the database and resolves to the store; rejects if it cannot be opened in time. */
export declare function createIndexedDbStore(options?: IndexedDbStoreOptions): Promise<IndexedDbStore>;

/** Deletes the database and everything in it; rejects after `timeout` ms (default 10000) if another connection keeps it open. */
export declare function deleteIndexedDbStore(options?: { name?: string; indexedDB?: IDBFactory; timeout?: number }): Promise<void>;
