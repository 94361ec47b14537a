// The host store over IndexedDB, for the browser. Every contract method is one IndexedDB transaction, and
// IndexedDB serialises read-write transactions over the same object stores for every connection of the
// origin — so two tabs can neither both insert an active run for one operation nor both store one
// completion notification.
//
// Records are kept in wrappers: `{ run, active?, pending? }` and `{ seq, note, unread? }`. The run or
// notification inside is stored exactly as the engine gave it; the wrapper carries the index keys that
// only some records have (IndexedDB leaves a record out of an index whose key path it lacks):
//   runs.active         [workspace_id, tenant_id, dedup_key], unique, only while queued or running
//   runs.pending        0, only for a completed run with a user and no completion notification (recovery)
//   notifications.seq   insertion order, so "newest first" needs no clock
//   notifications.unread [notifiable_id, workspace_id, tenant_id], only while read_at is null
// Run ids come from the object store's key generator (integers from 1). IndexedDB keys keep their type,
// so 5 and "5" are different ids, tenants and users.

const VERSION = 1;
const RUNS = 'runs';
const NOTES = 'notifications';
const COMPLETED = 'OperationRunCompleted';
const OPTIONS = new Set(['name', 'indexedDB', 'openTimeout']);

/** Creates the schema of version 1 (a new database). */
function createSchema(db) {
  const runs = db.createObjectStore(RUNS, { keyPath: 'run.id', autoIncrement: true });
  runs.createIndex('active', 'active', { unique: true });
  runs.createIndex('scope', ['run.workspace_id', 'run.tenant_id']);
  runs.createIndex('scope_type', ['run.workspace_id', 'run.tenant_id', 'run.type']);
  runs.createIndex('pending', 'pending');
  const notes = db.createObjectStore(NOTES, { keyPath: 'seq', autoIncrement: true });
  notes.createIndex('id', 'note.id', { unique: true });
  notes.createIndex('user', ['note.notifiable_id', 'note.data.workspace_id', 'note.data.tenant_id']);
  notes.createIndex('unread', 'unread');
  notes.createIndex('run', ['note.data.run_id', 'note.notifiable_id']);
}

const inScope = (record, scope) =>
  record != null && record.workspace_id === scope.workspace_id && record.tenant_id === scope.tenant_id;
const isKey = (id) => (typeof id === 'number' && Number.isFinite(id)) || typeof id === 'string';
/** "Name: message" of a DOMException (Chromium's QuotaExceededError may carry an empty message). */
const describe = (e) => {
  if (e?.name === 'QuotaExceededError') return `QuotaExceededError: the origin's storage quota is full${e.message ? ` (${e.message})` : ''}`;
  if (e && typeof e.name === 'string' && e.name !== '' && 'message' in e) return e.message ? `${e.name}: ${e.message}` : e.name;
  return String(e?.message ?? e);
};

/** A request as a Promise. Awaiting it keeps the transaction alive: the continuation runs in the
 *  microtask checkpoint of the success event, while the transaction is still active. */
function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Walks a cursor request; `visit(cursor)` returns true to go on. */
function walk(req, visit) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => {
      const cursor = req.result;
      if (!cursor) return resolve();
      try {
        if (visit(cursor)) cursor.continue();
        else resolve();
      } catch (e) {
        reject(e);
      }
    };
    req.onerror = () => reject(req.error);
  });
}

/** Is a completion notification for this run and its initiator stored (as of this point of the transaction)? */
async function notified(notes, run) {
  if (!isKey(run.id) || !isKey(run.user_id)) return false;
  const found = await request(notes.index('run').getAll(IDBKeyRange.only([run.id, run.user_id])));
  return found.some((w) => w.note.type === COMPLETED);
}

/** The wrapper of a run, with the index keys its state calls for. */
async function wrapRun(notes, run) {
  const w = { run };
  if (run.status !== 'completed') w.active = [run.workspace_id, run.tenant_id, run.dedup_key];
  else if (run.user_id !== null && run.user_id !== undefined && !(await notified(notes, run))) w.pending = 0;
  return w;
}

function wrapNote(note) {
  const w = { note };
  if (note.read_at === null) w.unread = [note.notifiable_id, note.data?.workspace_id, note.data?.tenant_id];
  return w;
}

/** Adds one notification unless its id is stored; a completion clears its run's recovery mark. */
async function addNote(runs, notes, note) {
  if ((await request(notes.index('id').getKey(note.id))) !== undefined) return false;
  await request(notes.add(wrapNote(note)));
  if (note.type === COMPLETED && isKey(note.data?.run_id)) {
    const w = await request(runs.get(note.data.run_id));
    if (w && w.pending !== undefined && w.run.user_id === note.notifiable_id) {
      delete w.pending;
      await request(runs.put(w));
    }
  }
  return true;
}

/**
 * Opens (creating on first use) the database `name` and resolves to a host store for `createEngine`.
 * `openTimeout` (ms, default 10 s) bounds the wait when another connection holds the database in a
 * version change or a pending deletion that it does not let finish.
 */
export async function createIndexedDbStore(options = {}) {
  if (options === null || typeof options !== 'object') throw new TypeError('createIndexedDbStore: options must be an object');
  for (const key of Object.keys(options)) {
    if (!OPTIONS.has(key)) throw new TypeError(`createIndexedDbStore: unknown option "${key}" (expected name, indexedDB, openTimeout)`);
  }
  const { name = 'ops-ux-engine', indexedDB: factory = globalThis.indexedDB, openTimeout = 10_000 } = options;
  if (typeof name !== 'string' || name === '') throw new TypeError('createIndexedDbStore: name must be a non-empty string');
  if (!factory || typeof factory.open !== 'function') {
    throw new TypeError('createIndexedDbStore: no IndexedDB here; pass options.indexedDB (an IDBFactory)');
  }
  if (!(openTimeout > 0)) throw new TypeError('createIndexedDbStore: openTimeout must be a positive number of milliseconds');

  const label = `IndexedDB store "${name}"`;
  const db = await open(factory, name, openTimeout, label);
  let closedBecause = null;
  // Never stand in the way of another tab upgrading or deleting the database: close, and say why after.
  db.onversionchange = () => {
    closedBecause = 'another connection upgraded or deleted the database';
    db.close();
  };
  db.onclose = () => {
    closedBecause ??= 'the browser closed the connection (storage cleared or lost)';
  };

  /** Runs `body` in one transaction and resolves with its result once the transaction has committed. */
  function transact(what, mode, body) {
    return new Promise((resolve, reject) => {
      const fail = (e) => reject(new Error(`${label}: ${what} failed: ${describe(e)}`));
      let tx;
      try {
        tx = db.transaction([RUNS, NOTES], mode);
      } catch (e) {
        if (closedBecause) return reject(new Error(`${label}: ${what} failed: the database is closed (${closedBecause})`));
        return fail(e);
      }
      let result;
      let error = null;
      tx.oncomplete = () => (error ? fail(error) : resolve(result));
      tx.onabort = () => fail(error ?? tx.error ?? new Error('the transaction was aborted'));
      body(tx.objectStore(RUNS), tx.objectStore(NOTES)).then(
        (r) => {
          result = r;
        },
        (e) => {
          error = e;
          try {
            tx.abort();
          } catch {
            // Already committing or aborted: oncomplete/onabort reports `error`.
          }
        },
      );
    });
  }

  // Methods are async so that even a malformed argument is a rejection, never a throw.
  const store = {
    name,

    async insertRun(draft) {
      return transact('insertRun', 'readwrite', async (runs, notes) => {
        const active = [draft.workspace_id, draft.tenant_id, draft.dedup_key];
        const existing = await request(runs.index('active').get(active));
        if (existing) return { inserted: false, run: existing.run };
        const run = { ...draft };
        delete run.id;
        run.id = await request(runs.add(await wrapRun(notes, run)));
        return { inserted: true, run };
      });
    },

    async getRun(scope, id) {
      if (!isKey(id)) return null;
      return transact('getRun', 'readonly', async (runs) => {
        const w = await request(runs.get(id));
        return w && inScope(w.run, scope) ? w.run : null;
      });
    },

    async commitRun({ run, expected_version, notifications = [] }) {
      return transact('commitRun', 'readwrite', async (runs, notes) => {
        if (!isKey(run?.id)) return false;
        const stored = await request(runs.get(run.id));
        if (!stored || !inScope(stored.run, run) || stored.run.version !== expected_version) return false;
        for (const note of notifications) await addNote(runs, notes, note);
        // After the notifications, so the recovery mark sees the completion stored with it.
        await request(runs.put(await wrapRun(notes, run)));
        return true;
      });
    },

    async listRuns(scope, { status = [], type = null, limit = 100 } = {}) {
      return transact('listRuns', 'readonly', async (runs) => {
        if (limit <= 0) return [];
        const wanted = (r) => (status.length === 0 || status.includes(r.status)) && (type === null || r.type === type);
        const onlyActive = status.length > 0 && status.every((s) => s === 'queued' || s === 'running');
        if (onlyActive && type === null) {
          // Few runs of a scope are active at once: read them from the active index, not the whole history.
          const range = IDBKeyRange.bound([scope.workspace_id, scope.tenant_id], [scope.workspace_id, scope.tenant_id, []]);
          const found = (await request(runs.index('active').getAll(range))).map((w) => w.run).filter(wanted);
          return found.sort((a, b) => factory.cmp(b.id, a.id)).slice(0, limit);
        }
        const [index, key] =
          type === null
            ? ['scope', [scope.workspace_id, scope.tenant_id]]
            : ['scope_type', [scope.workspace_id, scope.tenant_id, type]];
        const out = [];
        // Within one index key IndexedDB orders by primary key, and ids grow: 'prev' is newest first.
        await walk(runs.index(index).openCursor(IDBKeyRange.only(key), 'prev'), (c) => {
          if (wanted(c.value.run)) out.push(c.value.run);
          return out.length < limit;
        });
        return out;
      });
    },

    async listNotifications(scope, userId, { unread = false, limit = 100 } = {}) {
      return transact('listNotifications', 'readonly', async (_runs, notes) => {
        if (limit <= 0) return [];
        const out = [];
        const key = IDBKeyRange.only([userId, scope.workspace_id, scope.tenant_id]);
        await walk(notes.index(unread ? 'unread' : 'user').openCursor(key, 'prev'), (c) => {
          out.push(c.value.note);
          return out.length < limit;
        });
        return out;
      });
    },

    async markNotificationRead(scope, userId, id, readAt) {
      if (!isKey(id)) return null;
      return transact('markNotificationRead', 'readwrite', async (_runs, notes) => {
        const seq = await request(notes.index('id').getKey(id));
        if (seq === undefined) return null;
        const w = await request(notes.get(seq));
        const { note } = w;
        if (note.notifiable_id !== userId || !inScope(note.data, scope)) return null;
        if (note.read_at === null) {
          note.read_at = readAt;
          note.updated_at = readAt;
          await request(notes.put({ ...wrapNote(note), seq }));
        }
        return note;
      });
    },

    async findUnnotifiedRuns(scope, limit = 100) {
      return transact('findUnnotifiedRuns', 'readonly', async (runs) => {
        if (limit <= 0) return [];
        const out = [];
        // One key for every marked run, so the index is in primary key (creation) order: oldest first.
        await walk(runs.index('pending').openCursor(IDBKeyRange.only(0)), (c) => {
          if (scope === null || inScope(c.value.run, scope)) out.push(c.value.run);
          return out.length < limit;
        });
        return out;
      });
    },

    async insertNotifications(notifications) {
      return transact('insertNotifications', 'readwrite', async (runs, notes) => {
        let inserted = 0;
        for (const note of notifications) if (await addNote(runs, notes, note)) inserted += 1;
        return inserted;
      });
    },

    /** Closes the connection; later calls reject. */
    close() {
      closedBecause ??= 'close() was called';
      db.close();
    },
  };

  return store;
}

/** Opens the database, creating the schema on first use; rejects instead of waiting forever. */
function open(factory, name, timeout, label) {
  return new Promise((resolve, reject) => {
    let settled = false;
    let blocked = false;
    const settle = (fn, value) => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      fn(value);
      return true;
    };
    let req;
    try {
      req = factory.open(name, VERSION);
    } catch (e) {
      return reject(new Error(`${label}: cannot open: ${describe(e)}`));
    }
    const timer = setTimeout(() => {
      const why = blocked
        ? 'another connection to the database (another tab?) does not close for the upgrade'
        : 'the database is held by another connection (a pending upgrade or deletion in another tab?)';
      settle(reject, new Error(`${label}: opening timed out after ${timeout} ms: ${why}`));
    }, timeout);
    req.onblocked = () => {
      blocked = true;
    };
    req.onupgradeneeded = (e) => {
      if (e.oldVersion === 0) createSchema(req.result);
    };
    req.onerror = () => settle(reject, new Error(`${label}: cannot open: ${describe(req.error)}`));
    req.onsuccess = () => {
      const db = req.result;
      const names = db.objectStoreNames;
      if (!names.contains(RUNS) || !names.contains(NOTES)) {
        db.close();
        settle(reject, new Error(`${label}: the database exists but was not created by ops-ux-engine (no "${RUNS}"/"${NOTES}" stores)`));
        return;
      }
      // Opened after the timeout gave up: nobody will use this connection.
      if (!settle(resolve, db)) db.close();
    };
  });
}

/**
 * Deletes the database `name` (every run and notification). Connections of this module close themselves
 * when asked; if another connection does not, the deletion waits for it, and this rejects after `timeout` ms.
 */
export function deleteIndexedDbStore({ name = 'ops-ux-engine', indexedDB: factory = globalThis.indexedDB, timeout = 10_000 } = {}) {
  const label = `IndexedDB store "${name}"`;
  return new Promise((resolve, reject) => {
    let req;
    try {
      req = factory.deleteDatabase(name);
    } catch (e) {
      return reject(new Error(`${label}: cannot delete: ${describe(e)}`));
    }
    const timer = setTimeout(
      () => reject(new Error(`${label}: deleting timed out after ${timeout} ms: another connection does not close`)),
      timeout,
    );
    req.onsuccess = () => {
      clearTimeout(timer);
      resolve();
    };
    req.onerror = () => {
      clearTimeout(timer);
      reject(new Error(`${label}: cannot delete: ${describe(req.error)}`));
    };
  });
}
