// The global progress widget: every active run with a bar from summary_counts (processed / total) and an
// overall bar. It listens for run-enqueued itself, so a start anywhere on the page shows here at once —
// the event's detail is drawn immediately, then the store is re-read for the full run.
import { RUN_ENQUEUED } from 'ops-ux-engine';
import { operationLabel, tenantName } from '../catalog.js';
import { el, percent, reconcile, runKey } from './dom.js';

export function createProgressWidget({ root, refresh }) {
  const list = root.querySelector('#active-runs');
  const count = root.querySelector('#active-count');
  const overallBar = root.querySelector('#overall-bar');
  const overallText = root.querySelector('#overall-percent');
  const empty = root.querySelector('#active-empty');
  let runs = [];

  function create() {
    const li = el('li', 'active-run');
    const head = el('div', 'active-head');
    head.append(el('span', 'active-title'), el('span', 'active-percent'));
    const bar = el('div', 'bar');
    bar.append(el('span'));
    li.append(head, bar, el('div', 'active-meta'));
    return li;
  }

  function fill(li, run) {
    const p = percent(run);
    li.dataset.status = run.status;
    li.dataset.runId = String(run.id);
    li.querySelector('.active-title').textContent = `#${run.id} ${operationLabel(run.type)}`;
    li.querySelector('.active-percent').textContent = p === null ? run.status : `${p}%`;
    // Running without a total yet: a moving bar; queued: an empty one.
    li.querySelector('.bar').classList.toggle('indeterminate', p === null && run.status === 'running');
    li.querySelector('.bar > span').style.width = `${p ?? 0}%`;
    const { processed, total } = run.summary_counts ?? {};
    const counts = total ? ` · ${processed ?? 0} of ${total}` : '';
    li.querySelector('.active-meta').textContent = `${tenantName(run.tenant_id)} · ${run.status}${counts}`;
  }

  function render() {
    reconcile(list, runs, runKey, create, fill);
    count.textContent = String(runs.length);
    empty.hidden = runs.length > 0;
    // Overall: items processed over items planned, across runs that know their total.
    const known = runs.filter((r) => r.summary_counts?.total);
    const total = known.reduce((s, r) => s + r.summary_counts.total, 0);
    const done = known.reduce((s, r) => s + Math.min(r.summary_counts.processed ?? 0, r.summary_counts.total), 0);
    const overall = total ? Math.round((done / total) * 100) : 0;
    overallBar.style.width = `${runs.length ? overall : 0}%`;
    overallText.textContent = runs.length ? `${overall}% overall` : '';
    root.classList.toggle('busy', runs.length > 0);
  }

  /** Shows the active runs of a fresh snapshot. */
  function show(activeRuns) {
    runs = activeRuns;
    render();
  }

  // The moment a run is enqueued: draw it from the event, then read the store for the rest.
  globalThis.addEventListener(RUN_ENQUEUED, (event) => {
    const d = event.detail;
    const known = runs.some((r) => r.id === d.run_id && r.workspace_id === d.workspace_id && r.tenant_id === d.tenant_id);
    if (!known) {
      runs = [{ id: d.run_id, workspace_id: d.workspace_id, tenant_id: d.tenant_id, type: d.type, status: d.status, summary_counts: {} }, ...runs];
      render();
    }
    const li = [...list.children].find((n) => n.dataset.runId === String(d.run_id));
    li?.classList.remove('flash');
    void li?.offsetWidth; // restart the highlight animation
    li?.classList.add('flash');
    refresh();
  });

  return { show };
}
