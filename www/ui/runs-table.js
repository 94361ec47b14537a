// The runs table: one <tbody> per run (its row, and a second row with the failure summary when there is
// one), newest first, filterable by state. Failure messages arrive already redacted by the engine and
// are shown as text. Row actions: Cancel for any active run (allowed or not by the engine's pure
// checkUpdate), and in manual worker mode the steps a worker would take.
import { operationLabel, tenantName, userName, workspaceName } from '../catalog.js';
import { el, formatDuration, formatTime, percent, reconcile, runKey } from './dom.js';

const FILTERS = [
  { id: 'all', label: 'All', test: () => true },
  { id: 'active', label: 'Active', test: (r) => r.status !== 'completed' },
  { id: 'succeeded', label: 'Succeeded', test: (r) => r.outcome === 'succeeded' },
  { id: 'problems', label: 'Needs attention', test: (r) => r.outcome === 'failed' || r.outcome === 'partially_succeeded' },
];

export const OUTCOME_LABELS = {
  succeeded: 'Succeeded',
  partially_succeeded: 'With warnings',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
const STATUS_LABELS = { queued: 'Queued', running: 'Running', completed: 'Completed' };
const COUNT_ORDER = ['succeeded', 'failed', 'skipped', 'created', 'updated', 'deleted', 'warnings', 'retried'];

/**
 * `actions(run)` lists `{label, kind, update}` buttons for a row; `onAction(run, update)` applies one.
 */
export function createRunsTable({ table, filterBar, count, empty, actions, onAction }) {
  let filter = 'all';
  let runs = [];
  let highlighted = null;

  filterBar.replaceChildren(
    ...FILTERS.map((f) => {
      const chip = el('button', 'chip', f.label);
      chip.type = 'button';
      chip.dataset.filter = f.id;
      chip.addEventListener('click', () => {
        filter = f.id;
        render();
      });
      return chip;
    }),
  );

  function create() {
    const body = el('tbody', 'run');
    const row = el('tr', 'run-row');
    for (const name of ['run', 'status', 'progress', 'counts', 'time', 'actions']) {
      const td = el('td', `col-${name}`);
      td.dataset.col = name;
      row.append(td);
    }
    body.append(row);
    return body;
  }

  function fill(body, run) {
    body.dataset.runId = String(run.id);
    body.dataset.status = run.status;
    body.dataset.outcome = run.outcome ?? '';
    body.classList.toggle('highlight', highlighted === runKey(run));
    const [cRun, cStatus, cProgress, cCounts, cTime, cActions] = body.rows[0].cells;

    const title = el('div', 'run-title');
    title.append(el('span', 'run-id', `#${run.id}`), el('span', 'run-type', operationLabel(run.type)));
    const identity = identityOf(run);
    const meta = el('div', 'run-meta', `${workspaceName(run.workspace_id)} · ${tenantName(run.tenant_id)}`);
    if (identity) meta.append(' · ', el('span', 'identity', identity));
    const by = el('div', 'run-meta', 'by ');
    by.append(el('span', run.user_id === null ? 'initiator system' : 'initiator', userName(run.user_id)));
    cRun.replaceChildren(title, meta, by);

    const pills = [el('span', `pill status ${run.status}`, STATUS_LABELS[run.status] ?? run.status)];
    if (run.outcome) pills.push(el('span', `pill outcome ${run.outcome}`, OUTCOME_LABELS[run.outcome] ?? run.outcome));
    cStatus.replaceChildren(...pills);

    const p = percent(run);
    const { processed, total } = run.summary_counts ?? {};
    const bar = el('div', `bar small ${run.outcome ?? run.status}`);
    const fillBar = el('span');
    fillBar.style.width = `${p ?? 0}%`;
    bar.append(fillBar);
    cProgress.replaceChildren(bar, el('div', 'muted', total ? `${processed ?? 0} / ${total}` : run.status === 'queued' ? 'waiting' : '—'));

    // Zero counters say nothing in a table; the notification keeps the full summary.
    const chips = COUNT_ORDER.filter((k) => run.summary_counts?.[k] > 0).map((k) =>
      el('span', `count-chip ${k}`, `${run.summary_counts[k]} ${k}`),
    );
    cCounts.replaceChildren(...(chips.length ? chips : [el('span', 'muted', '—')]));

    // Times: when it started (or was queued) and ended, and how long it took.
    const from = formatTime(run.started_at ?? run.created_at);
    const took = run.completed_at ? formatDuration(run.started_at ?? run.created_at, run.completed_at) : '';
    cTime.replaceChildren(
      el('div', undefined, run.completed_at ? `${from} → ${formatTime(run.completed_at)}` : from),
      el('div', 'muted', run.status === 'queued' ? 'waiting to start' : run.status === 'running' ? 'running' : run.started_at ? `took ${took}` : 'never started'),
    );
    cTime.title = [['created', run.created_at], ['started', run.started_at], ['completed', run.completed_at]]
      .filter(([, t]) => t)
      .map(([k, t]) => `${k} ${t}`)
      .join('\n');

    const buttons = el('div');
    buttons.append(
      ...actions(run).map((a) => {
        const button = el('button', `row-action ${a.kind ?? ''}`, a.label);
        button.type = 'button';
        button.dataset.action = a.id;
        button.disabled = !a.enabled;
        if (a.reason) button.title = a.reason;
        button.addEventListener('click', () => onAction(run, a.update));
        return button;
      }),
    );
    cActions.replaceChildren(buttons);

    // The failure summary, when the run reported one: code, reason and the (redacted) message.
    let failureRow = body.rows[1];
    if (run.failure_summary?.length) {
      if (!failureRow) {
        failureRow = el('tr', 'failure-row');
        const td = el('td');
        td.colSpan = 6;
        failureRow.append(td);
        body.append(failureRow);
      }
      const list = el('ul', 'failures');
      for (const f of run.failure_summary) {
        const li = el('li', 'failure');
        li.append(el('code', 'failure-code', f.reason_code ? `${f.code} · ${f.reason_code}` : f.code), el('span', 'failure-message', f.message));
        list.append(li);
      }
      failureRow.cells[0].replaceChildren(list);
    } else {
      failureRow?.remove();
    }
  }

  function render() {
    const test = FILTERS.find((f) => f.id === filter).test;
    const shown = runs.filter(test);
    reconcile(table, shown, runKey, create, fill);
    for (const chip of filterBar.children) chip.classList.toggle('active', chip.dataset.filter === filter);
    count.textContent = String(runs.length);
    empty.hidden = shown.length > 0;
    empty.textContent = runs.length ? 'No runs match this filter.' : 'No runs yet — start an operation above.';
  }

  return {
    show(all) {
      runs = all;
      render();
    },
    /** Marks one run (e.g. the existing run a duplicate start points at) and scrolls it into view. */
    highlight(run) {
      highlighted = runKey(run);
      if (!FILTERS.find((f) => f.id === filter).test(run)) filter = 'all';
      render();
      const body = [...table.tBodies].find((b) => b.dataset.key === highlighted);
      body?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      setTimeout(() => {
        if (highlighted === runKey(run)) {
          highlighted = null;
          body?.classList.remove('highlight');
        }
      }, 2500);
    },
  };
}

/** The identity a run was started with, as text (it is the part of dedup_key after the type). */
function identityOf(run) {
  const prefix = `${run.type}#`;
  if (!run.dedup_key?.startsWith(prefix)) return '';
  const raw = run.dedup_key.slice(prefix.length);
  try {
    const value = JSON.parse(raw);
    return typeof value === 'string' ? value : raw;
  } catch {
    return raw;
  }
}
