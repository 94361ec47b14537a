// The page's view of the store: every run and the viewer's notifications across the known scopes,
// re-read on demand. Refreshes never overlap; a refresh asked for while one runs is done once after it.
import { SCOPES } from './catalog.js';

const LIMIT = 50;

const newestFirst = (a, b) => (a.created_at === b.created_at ? String(b.id).localeCompare(String(a.id), undefined, { numeric: true }) : a.created_at < b.created_at ? 1 : -1);

export function createData(engine, getViewer) {
  let snapshot = { runs: [], notifications: [], viewer: getViewer() };
  let running = null;
  let again = null;

  async function load() {
    const viewer = getViewer();
    const [runLists, noteLists] = await Promise.all([
      Promise.all(SCOPES.map((scope) => engine.listRuns(scope, { limit: LIMIT }))),
      Promise.all(SCOPES.map((scope) => engine.listNotifications(scope, viewer, { limit: LIMIT }))),
    ]);
    snapshot = { runs: runLists.flat().sort(newestFirst), notifications: noteLists.flat().sort(newestFirst), viewer };
    return snapshot;
  }

  /** Re-reads the store; resolves with a snapshot read after this call. */
  function refresh() {
    if (!running) {
      running = load().finally(() => {
        running = null;
      });
      return running;
    }
    again ??= running.catch(() => {}).then(() => {
      again = null;
      return refresh();
    });
    return again;
  }

  return {
    refresh,
    get snapshot() {
      return snapshot;
    },
    activeRuns: () => snapshot.runs.filter((r) => r.status !== 'completed'),
  };
}
