// The operations dashboard: wires the engine (over IndexedDB, or the embedded store with ?store=memory)
// to the start panel, toasts, the progress widget, the runs table, the notification list and the demo
// worker. Tabs of one store tell each other about changes over a BroadcastChannel, and re-read on focus
// and every few seconds. `window.__dashboard` lets tests drive the page without sleeping.
import { createEngine } from 'ops-ux-engine';
import { LABELS, userName } from './catalog.js';
import { createData } from './data.js';
import { completion, nextStep } from './simulation.js';
import { openStore, storeChoice, switchUrl } from './store.js';
import { createHeader } from './ui/header.js';
import { createNotifications } from './ui/notifications.js';
import { createProgressWidget } from './ui/progress-widget.js';
import { createRunsTable } from './ui/runs-table.js';
import { createStartPanel } from './ui/start-panel.js';
import { createToasts } from './ui/toasts.js';
import { startWorker } from './worker.js';

const POLL_MS = 2000;
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const choice = storeChoice(params);
const workerMode = params.get('worker') === 'manual' ? 'manual' : 'auto';
let viewer = Number(localStorage.getItem('ops-ux-dashboard.viewer')) || 7;

const toasts = createToasts($('toasts'));
const banner = (text) => {
  $('banner').hidden = !text;
  $('banner').textContent = text ?? '';
};

const opened = await openStore(choice).catch((e) => {
  banner(`The ${choice.label} store could not be opened: ${e.message}. Try the in-memory store (?store=memory).`);
  throw e;
});
const engine = await createEngine({ store: opened.store, labels: LABELS });
const data = createData(engine, () => viewer);
const channel = choice.shared ? new BroadcastChannel(`ops-ux-dashboard:${choice.dbName}`) : null;
const announce = () => channel?.postMessage({ kind: 'changed' });
const scopeOf = (r) => ({ workspace_id: r.workspace_id, tenant_id: r.tenant_id });

const header = createHeader({
  choice,
  switchUrl,
  viewer,
  onViewer(id) {
    viewer = id;
    localStorage.setItem('ops-ux-dashboard.viewer', String(id));
    refresh();
  },
  onClear: clearAll,
});

/** Re-reads the store and redraws every part of the page. */
async function refresh() {
  try {
    const snap = await data.refresh();
    table.show(snap.runs);
    widget.show(data.activeRuns());
    notifications.show(snap.notifications);
    panel.update();
    banner(null);
    return snap;
  } catch (e) {
    banner(`Could not read the ${choice.label} store: ${e.message}`);
    throw e;
  }
}

async function start(request) {
  try {
    const result = await engine.startRun(request); // dispatches run-enqueued: the widget redraws at once
    toasts.show(result.toast, result.deduped ? { label: 'Show run', onClick: () => table.highlight(result.run) } : undefined);
    if (result.deduped) table.highlight(result.run);
    announce();
    await refresh();
    return result;
  } catch (e) {
    toasts.show({ kind: 'error', title: 'Could not start the operation', body: e.message });
    throw e;
  }
}

/** Sends one update to a run (worker step, row action or test hook). */
async function apply(run, update) {
  const result = await engine.updateRun(scopeOf(run), run.id, update);
  if (result.changed) announce();
  await refresh();
  return result;
}

async function markRead(n) {
  await engine.markNotificationRead({ workspace_id: n.data.workspace_id, tenant_id: n.data.tenant_id }, viewer, n.id);
  announce();
  await refresh();
}

async function clearAll() {
  await opened.clear();
  channel?.postMessage({ kind: 'cleared' });
  location.reload();
}

/** Row buttons: Cancel (if the engine's pure check allows it) and, in manual mode, the worker's steps. */
function actions(run) {
  if (run.status === 'completed') return [];
  const steps =
    workerMode !== 'manual'
      ? []
      : run.status === 'queued'
        ? [{ id: 'run', label: 'Run', update: nextStep(run) }]
        : [
            { id: 'step', label: 'Step', update: nextStep(run) },
            { id: 'succeed', label: 'Succeed', update: completion(run, 'succeeded') },
            { id: 'fail', label: 'Fail', kind: 'danger', update: completion(run, 'failed') },
          ];
  const cancel = { status: 'completed', outcome: 'cancelled', failure_summary: [{ code: 'cancelled', message: `Cancelled by ${userName(viewer)}` }] };
  const verdict = engine.checkUpdate(run, cancel);
  return [
    ...steps.map((s) => ({ ...s, enabled: true })),
    { id: 'cancel', label: 'Cancel', kind: 'ghost', update: cancel, enabled: verdict.ok, reason: verdict.ok ? '' : verdict.error.message },
  ];
}

async function onAction(run, update) {
  try {
    await apply(run, update);
  } catch (e) {
    // e.g. the worker completed it a moment earlier: the engine refuses, the page says why.
    toasts.show({ kind: 'error', title: `Run #${run.id} was not updated`, body: e.message });
    refresh();
  }
}

const panel = createStartPanel({
  form: $('start-form'),
  list: $('operations'),
  viewer: () => viewer,
  plan: (request) => engine.planStart(data.activeRuns(), request), // the engine's own dedup rule, no store
  start,
});
const widget = createProgressWidget({ root: $('progress-widget'), refresh });
const table = createRunsTable({ table: $('runs'), filterBar: $('runs-filter'), count: $('runs-count'), empty: $('runs-empty'), actions, onAction });
const notifications = createNotifications({
  list: $('notifications'),
  unreadCount: $('unread-count'),
  empty: $('notes-empty'),
  markAll: $('mark-all-read'),
  markRead: (n) => markRead(n).catch((e) => toasts.show({ kind: 'error', title: 'Could not mark as read', body: e.message })),
  onOpen: (n) => {
    const run = data.snapshot.runs.find((r) => r.id === n.data.run_id && r.tenant_id === n.data.tenant_id && r.workspace_id === n.data.workspace_id);
    if (run) table.highlight(run);
  },
});

channel?.addEventListener('message', ({ data: message }) => (message.kind === 'cleared' ? location.reload() : refresh()));
addEventListener('focus', () => refresh());
document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && refresh());
setInterval(() => document.visibilityState === 'visible' && refresh().catch(() => {}), POLL_MS);

startWorker({
  mode: workerMode,
  lockName: choice.shared ? `ops-ux-dashboard-worker:${choice.dbName}` : null,
  activeRuns: async () => (await data.refresh(), data.activeRuns()),
  apply,
  onRole: header.workerRole,
});

/** Finds a run of the last read by id (ids are unique within a store). */
async function findRun(id) {
  await refresh();
  const run = data.snapshot.runs.find((r) => r.id === id);
  if (!run) throw new Error(`no run #${id} on the page`);
  return run;
}

// For tests and the console: drive the page deterministically.
window.__dashboard = {
  engine,
  store: choice,
  workerMode,
  refresh,
  start,
  snapshot: () => data.snapshot,
  async update(id, update) {
    return apply(await findRun(id), update);
  },
  /** Completes run `id` with `outcome` (moving a queued run to running first when the outcome needs it). */
  async complete(id, { outcome = 'succeeded', summary_counts, failure_summary } = {}) {
    let run = await findRun(id);
    if (run.status === 'queued' && outcome !== 'failed' && outcome !== 'cancelled') {
      run = (await apply(run, { status: 'running' })).run;
    }
    return apply(run, { status: 'completed', outcome, summary_counts, failure_summary });
  },
  clearAll,
};

await refresh();
document.documentElement.dataset.ready = 'true';
