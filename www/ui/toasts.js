// Ephemeral toasts: the engine's start copy ("… queued" / "… already queued") shown for a few seconds.
// They are never stored — the notification list only holds completions.
import { el } from './dom.js';

const LIFETIME_MS = 6000;
const MAX_SHOWN = 3;

export function createToasts(container) {
  /** Shows `{kind, title, body}`; `action` ({label, onClick}) adds a button, e.g. "Show run". */
  function show({ kind, title, body }, action) {
    const node = el('div', `toast ${kind}`);
    node.dataset.kind = kind;
    node.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    const text = el('div', 'toast-text');
    text.append(el('div', 'toast-title', title), el('div', 'toast-body', body));
    const close = el('button', 'toast-close', '×');
    close.type = 'button';
    close.setAttribute('aria-label', 'Dismiss');
    close.addEventListener('click', () => dismiss(node));
    node.append(el('span', 'toast-icon'), text);
    if (action) {
      const button = el('button', 'toast-action', action.label);
      button.type = 'button';
      button.addEventListener('click', () => {
        action.onClick();
        dismiss(node);
      });
      node.append(button);
    }
    node.append(close);
    container.append(node);
    // A burst of starts keeps the newest few; older ones make room.
    [...container.children].slice(0, -MAX_SHOWN).forEach(dismiss);
    const timer = setTimeout(() => dismiss(node), LIFETIME_MS);
    node.addEventListener('mouseenter', () => clearTimeout(timer), { once: true });
    return node;
  }

  function dismiss(node) {
    node.classList.add('leaving');
    setTimeout(() => node.remove(), 200);
  }

  return { show };
}
