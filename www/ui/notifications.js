// The notification list: the stored OperationRunCompleted notifications of the signed-in user, newest
// first. Unread ones are marked; a click marks one read through engine.markNotificationRead.
import { tenantName, workspaceName } from '../catalog.js';
import { el, formatAgo, reconcile } from './dom.js';

/** `markRead(notification)` persists the read; `onOpen(notification)` shows its run. */
export function createNotifications({ list, unreadCount, empty, markAll, markRead, onOpen }) {
  let notes = [];

  function create() {
    const li = el('li', 'note');
    li.tabIndex = 0;
    li.setAttribute('role', 'button');
    const body = el('div', 'note-text');
    body.append(el('div', 'note-title'), el('div', 'note-body'), el('div', 'note-meta'));
    li.append(el('span', 'note-dot'), body);
    const open = () => {
      const n = li.notification;
      if (n.read_at === null) markRead(n);
      onOpen(n);
    };
    li.addEventListener('click', open);
    li.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        open();
      }
    });
    return li;
  }

  function fill(li, n) {
    li.notification = n;
    li.dataset.id = n.id;
    li.dataset.runId = String(n.data.run_id);
    li.dataset.outcome = n.data.outcome;
    li.classList.toggle('unread', n.read_at === null);
    li.setAttribute('aria-label', `${n.data.title}${n.read_at === null ? ' (unread)' : ''}`);
    li.querySelector('.note-title').textContent = n.data.title;
    li.querySelector('.note-body').textContent = n.data.body;
    const { processed, total } = n.data.summary_counts ?? {};
    const counts = total !== undefined ? ` · ${processed ?? total} of ${total} items` : '';
    li.querySelector('.note-meta').textContent =
      `Run #${n.data.run_id} · ${workspaceName(n.data.workspace_id)} · ${tenantName(n.data.tenant_id)}${counts} · ${formatAgo(n.created_at)}`;
  }

  function show(all) {
    notes = all;
    reconcile(list, notes, (n) => n.id, create, fill);
    const unread = notes.filter((n) => n.read_at === null);
    unreadCount.textContent = String(unread.length);
    unreadCount.hidden = unread.length === 0;
    markAll.disabled = unread.length === 0;
    empty.hidden = notes.length > 0;
  }

  markAll.addEventListener('click', () => {
    for (const n of notes) if (n.read_at === null) markRead(n);
  });

  return { show };
}
