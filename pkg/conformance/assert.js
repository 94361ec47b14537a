// The few assertions the conformance suite needs, without node:assert, so the suite also runs in a browser.

/** JSON text with object keys sorted: equal for records that differ only in key order. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

export function equal(actual, expected, message = 'values differ') {
  if (!Object.is(actual, expected)) {
    throw new Error(`${message}: expected ${canonical(expected)}, got ${canonical(actual)}`);
  }
}

/** Deep equality of JSON data, key order ignored. */
export function deepEqual(actual, expected, message = 'records differ') {
  const [a, e] = [canonical(actual), canonical(expected)];
  if (a !== e) throw new Error(`${message}:\n  expected ${e}\n  got      ${a}`);
}

/** The same items in any order. */
export function sameMembers(actual, expected, message = 'sets differ') {
  deepEqual([...actual].map(canonical).sort(), [...expected].map(canonical).sort(), message);
}

/** Resolves when `promise` rejects with an Error carrying `code`; throws otherwise. */
export async function rejects(promise, code) {
  let outcome;
  try {
    outcome = await promise;
  } catch (e) {
    if (e instanceof Error && e.code === code) return;
    throw new Error(`expected a rejection with code ${code}, got ${e?.code ?? e}: ${e?.message ?? ''}`);
  }
  throw new Error(`expected a rejection with code ${code}, but it resolved to ${canonical(outcome)}`);
}
