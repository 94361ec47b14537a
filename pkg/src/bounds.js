// Cuts input the engine would ignore before it is copied into WebAssembly: the tail of a failure string
// past the sanitizer's read window, failure entries past the cap, counters that are not whitelisted.
// The engine's result is the same with or without the cut; the cut only makes hostile or careless input
// (a multi-megabyte stack trace, ten thousand entries or keys) cheap, and never refused for its size.
// The bounds come from the engine (its configuration), so no rule is restated here.

/** Strings this short are inside every sanitizer window (2 × its smallest, 2048 characters). */
const SHORT_STRING = 4096;
/** Lists and objects this small are copied as they are. */
const FEW = 64;

/**
 * Reads the engine's bounds once, when first needed: `fetch()` answers the JSON text
 * `{readWindow, maxFailures, summaryKeys}` (or an Error value, thrown by `unwrap`).
 */
export function lazyBounds(fetch, unwrap) {
  let bounds;
  return () => (bounds ??= JSON.parse(unwrap(fetch())));
}

/** An entry the failure sanitizer surely keeps: a string, or a plain object JSON writes as itself. */
function surelyKept(entry) {
  if (typeof entry === 'string') return true;
  return (
    entry !== null &&
    typeof entry === 'object' &&
    Object.getPrototypeOf(entry) === Object.prototype &&
    typeof entry.toJSON !== 'function'
  );
}

/**
 * `list` with entries past the `maxFailures`-th sure keeper dropped (they cannot reach the result) and each
 * string cut to twice the read window (a UTF-16 length that always holds the window, even of astral text).
 * Returns `list` itself when nothing is long. Throws what reading a hostile entry throws.
 */
export function boundFailures(list, bounds) {
  if (!Array.isArray(list)) return list;
  let end = list.length;
  if (end > FEW) {
    const { maxFailures } = bounds();
    let kept = 0;
    for (end = 0; end < list.length && kept < maxFailures; end++) if (surelyKept(list[end])) kept++;
  }
  let limit;
  const cut = (text) => {
    if (typeof text !== 'string' || text.length <= SHORT_STRING) return text;
    limit ??= 2 * bounds().readWindow + 2;
    return text.length > limit ? text.slice(0, limit) : text;
  };
  let copy = end < list.length ? list.slice(0, end) : null;
  for (let i = 0; i < end; i++) {
    const entry = list[i];
    let next = entry;
    if (typeof entry === 'string') {
      next = cut(entry);
    } else if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
      const { code, reason_code, message } = entry;
      const [c, r, m] = [cut(code), cut(reason_code), cut(message)];
      if (c !== code || r !== reason_code || m !== message) next = { ...entry, code: c, reason_code: r, message: m };
    }
    if (next !== entry) (copy ??= [...list])[i] = next;
  }
  return copy ?? list;
}

/** `counts` with only the whitelisted keys, when it has many (the sanitizer drops every other key). */
export function boundCounts(counts, bounds) {
  if (counts === null || typeof counts !== 'object' || Array.isArray(counts) || typeof counts.toJSON === 'function') {
    return counts;
  }
  const keys = Object.keys(counts);
  if (keys.length <= FEW) return counts;
  const picked = {};
  for (const key of bounds().summaryKeys) {
    if (Object.prototype.propertyIsEnumerable.call(counts, key)) picked[key] = counts[key];
  }
  return picked;
}

/** `update` with its failure list and counters bounded; `update` itself when nothing changed. */
export function boundUpdate(update, bounds) {
  if (update === null || typeof update !== 'object') return update;
  const { failure_summary: failures, summary_counts: counts } = update;
  const [f, c] = [boundFailures(failures, bounds), boundCounts(counts, bounds)];
  if (f === failures && c === counts) return update;
  return { ...update, ...(f !== failures && { failure_summary: f }), ...(c !== counts && { summary_counts: c }) };
}
