// The top bar: which store the page runs on (with a switch to the other), the worker's role in this tab,
// the signed-in user whose notifications are listed, and "Clear all".
import { USERS } from '../catalog.js';
import { el, option } from './dom.js';

const ROLES = {
  manual: ['Worker: manual', 'Runs move only when you use the row buttons (?worker=manual)'],
  working: ['Worker: this tab', 'This tab moves the runs forward'],
  standby: ['Worker: another tab', 'Another tab of this store moves the runs forward; this one takes over if it closes'],
};

/** `switchUrl(kind)` links to the page on another store; `onViewer(id)` and `onClear()` act. */
export function createHeader({ choice, switchUrl, viewer, onViewer, onClear }) {
  const nav = document.getElementById('store-switch');
  const links = [
    ['indexeddb', 'IndexedDB'],
    ['memory', 'In-memory'],
  ].map(([kind, label]) => {
    const a = el('a', 'segment', label);
    a.href = switchUrl(kind);
    a.dataset.store = kind;
    if (kind === choice.kind) a.setAttribute('aria-current', 'true');
    return a;
  });
  nav.replaceChildren(el('span', 'segment-label', 'Store'), ...links);
  const detail = document.querySelector('.tagline');
  detail.textContent = `${choice.label} — ${choice.detail}`;
  detail.dataset.store = choice.kind;

  const select = document.getElementById('viewer');
  select.append(...USERS.map((u) => option(u.id, u.name)));
  select.value = String(viewer);
  select.addEventListener('change', () => onViewer(Number(select.value)));

  // Two clicks instead of confirm(): a blocking dialog is worse for a demo and for tests.
  const clear = document.getElementById('clear-all');
  let armed = null;
  clear.addEventListener('click', async () => {
    if (!armed) {
      clear.textContent = 'Click again to clear';
      clear.classList.add('armed');
      armed = setTimeout(() => {
        armed = null;
        clear.textContent = 'Clear all';
        clear.classList.remove('armed');
      }, 3000);
      return;
    }
    clearTimeout(armed);
    clear.disabled = true;
    clear.textContent = 'Clearing…';
    await onClear();
  });

  const badge = document.getElementById('worker-badge');
  return {
    workerRole(role) {
      const [text, title] = ROLES[role];
      badge.textContent = text;
      badge.title = title;
      badge.dataset.role = role;
    },
  };
}
