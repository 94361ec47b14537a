// DOM helpers. Every string a user typed or a run carries reaches the page through textContent or an
// attribute set by property — never through innerHTML — so a failure message is text, not markup.

/** An element with optional class and text (set as textContent). */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** An <option> with a value and a visible label. */
export function option(value, label) {
  const node = document.createElement('option');
  node.value = String(value);
  node.textContent = label;
  return node;
}

/**
 * Updates `parent` to show `items` in order, reusing the element of each key so progress bars animate
 * and focus stays put: `create(item)` makes a new element, `update(node, item)` fills it. Children
 * without a key (a table's <thead>) stay first.
 */
export function reconcile(parent, items, keyOf, create, update) {
  const children = [...parent.children];
  const fixed = children.filter((n) => n.dataset.key === undefined);
  const existing = new Map(children.map((n) => [n.dataset.key, n]));
  const nodes = [...fixed, ...items.map((item) => {
    const key = keyOf(item);
    let node = existing.get(key);
    if (!node) {
      node = create(item);
      node.dataset.key = key;
    }
    update(node, item);
    return node;
  })];
  // Skip the DOM write when nothing moved, so hovering or text selection is not disturbed.
  const same = nodes.length === parent.children.length && nodes.every((n, i) => parent.children[i] === n);
  if (!same) parent.replaceChildren(...nodes);
}

/** "12:04:31" for today, "Dec 3, 12:04" before; the full timestamp goes in a title. */
export function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  return today
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    : date.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** "just now", "42s ago", "5m ago", "3h ago". */
export function formatAgo(iso, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86400)}d ago`;
}

/** "1.4s", "2m 05s": how long a run took. */
export function formatDuration(fromIso, toIso) {
  if (!fromIso || !toIso) return '';
  const ms = Math.max(0, new Date(toIso) - new Date(fromIso));
  if (ms < 60000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** Percent done from summary_counts (processed / total); null when there is no total yet. */
export function percent(run) {
  if (run.status === 'completed') return 100;
  const { total = 0, processed = 0 } = run.summary_counts ?? {};
  return total > 0 ? Math.min(100, Math.round((processed / total) * 100)) : null;
}

/** A stable key for a run across scopes (ids are unique per store, but may be numbers or strings). */
export const runKey = (run) => `${run.workspace_id}/${run.tenant_id}/${typeof run.id}:${run.id}`;
