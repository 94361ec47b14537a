// The dashboard: starts operations, shows toasts, a progress widget driven by run-enqueued, the runs,
// and the completion notifications. A timer plays the worker that moves runs forward.
// Everything from runs and users is rendered with textContent, never as HTML.
import { createEngine, RUN_ENQUEUED } from '/pkg/dist/browser.js';

const WORKSPACE = 1;
const USER = 7;
const engine = await createEngine({ labels: { 'inventory.sync': 'Inventory sync', 'policy.backup': 'Policy backup', 'report.export': 'Report export' } });
const tenants = new Set(['contoso']);
const $ = (id) => document.getElementById(id);

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function toast({ kind, title, body }) {
  const node = el('div', undefined, `toast ${kind}`);
  node.dataset.kind = kind;
  node.append(el('div', title, 'title'), el('div', body));
  $('toasts').append(node);
  setTimeout(() => node.remove(), 4000);
}

function readForm() {
  const form = new FormData($('start'));
  const identity = String(form.get('identity')).trim();
  const user = String(form.get('user'));
  return {
    workspace_id: WORKSPACE,
    tenant_id: String(form.get('tenant')).trim() || 'contoso',
    user_id: user ? Number(user) : null,
    type: String(form.get('type')),
    ...(identity ? { identity } : {}),
  };
}

async function allRuns() {
  const lists = await Promise.all([...tenants].map((t) => engine.listRuns({ workspace_id: WORKSPACE, tenant_id: t })));
  return lists.flat().sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
}

/** The optimistic check: the same pure rule the engine applies, before the store answers. */
async function showPlan() {
  const request = readForm();
  const active = (await allRuns()).filter((r) => r.status !== 'completed');
  try {
    const plan = engine.planStart(active, request);
    $('plan').textContent = plan.deduped ? `Already running as run #${plan.run.id} — starting again changes nothing.` : '';
  } catch (e) {
    $('plan').textContent = e.message;
  }
}

function progress(run) {
  const { total = 0, processed = 0 } = run.summary_counts;
  return total > 0 ? Math.min(100, Math.round((processed / total) * 100)) : 0;
}

async function render() {
  showPlan(); // a run that completed frees its key: the hint follows
  const runs = await allRuns();
  const active = runs.filter((r) => r.status !== 'completed');
  $('active-count').textContent = String(active.length);
  $('active').replaceChildren(
    ...active.map((r) => {
      const li = el('li');
      const bar = el('div', undefined, 'bar');
      const fill = el('span');
      fill.style.width = `${progress(r)}%`;
      bar.append(fill);
      li.append(el('div', `#${r.id} ${r.type} · ${r.tenant_id} · ${r.status} · ${progress(r)}%`), bar);
      return li;
    }),
  );
  $('runs').replaceChildren(
    ...runs.map((r) => {
      const tr = el('tr');
      const status = el('td');
      status.append(el('span', r.status, `pill ${r.status}`));
      const outcome = el('td');
      if (r.outcome) outcome.append(el('span', r.outcome, `pill ${r.outcome}`));
      const counts = Object.entries(r.summary_counts).map(([k, v]) => `${k} ${v}`).join(', ');
      const time = (t) => (t ? new Date(t).toLocaleTimeString() : '—');
      tr.append(el('td', String(r.id)), el('td', r.type), el('td', String(r.tenant_id)), status, outcome,
        el('td', counts || '—'), el('td', time(r.started_at)), el('td', time(r.completed_at)));
      return tr;
    }),
  );
  const notes = (await Promise.all([...tenants].map((t) => engine.listNotifications({ workspace_id: WORKSPACE, tenant_id: t }, USER)))).flat();
  $('unread-count').textContent = String(notes.filter((n) => !n.read_at).length);
  $('notifications').replaceChildren(
    ...notes.map((n) => {
      const li = el('li', undefined, n.read_at ? 'read' : '');
      li.append(el('div', n.data.title, 'title'), el('div', n.data.body));
      li.addEventListener('click', async () => {
        await engine.markNotificationRead({ workspace_id: WORKSPACE, tenant_id: n.data.tenant_id }, USER, n.id);
        render();
      });
      return li;
    }),
  );
}

$('start').addEventListener('submit', async (event) => {
  event.preventDefault();
  const request = readForm();
  tenants.add(request.tenant_id);
  try {
    const { toast: t } = await engine.startRun(request); // run-enqueued is dispatched on window
    toast(t);
  } catch (e) {
    toast({ kind: 'error', title: 'Could not start', body: e.message });
  }
});
$('start').addEventListener('input', showPlan);
window.addEventListener(RUN_ENQUEUED, render);

/** The worker: every tick, each active run moves one step — start, report progress, complete. */
const OUTCOMES = ['succeeded', 'succeeded', 'partially_succeeded', 'failed'];
async function tick() {
  for (const run of (await allRuns()).filter((r) => r.status !== 'completed')) {
    const scope = { workspace_id: run.workspace_id, tenant_id: run.tenant_id };
    if (run.status === 'queued') {
      await engine.updateRun(scope, run.id, { status: 'running', summary_counts: { total: 5, processed: 0 } });
    } else if ((run.summary_counts.processed ?? 0) < 5) {
      await engine.updateRun(scope, run.id, { summary_counts: { processed: (run.summary_counts.processed ?? 0) + 1 } });
    } else {
      const outcome = OUTCOMES[Number(run.id) % OUTCOMES.length];
      const failures = outcome === 'succeeded' ? [] : [{ code: 'graph.throttled', message: 'GET /devices failed: 429 (Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl)' }];
      await engine.updateRun(scope, run.id, {
        status: 'completed', outcome,
        summary_counts: { succeeded: outcome === 'succeeded' ? 5 : 4, failed: outcome === 'succeeded' ? 0 : 1 },
        failure_summary: failures,
      });
    }
  }
  await render();
}
setInterval(tick, 700);
render();
