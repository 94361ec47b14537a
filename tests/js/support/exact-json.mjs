// Valid JSON input of every shape JSON.stringify can write — any Unicode (lone surrogates in context), numbers at
// the edges of double precision, nesting, many keys — and what the engine must give back for it.
import fc from 'fast-check';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const edgeNumber = fc.constantFrom(0, -0, 1e21, 1e-7, 5e-324, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1.7976931348623157e308, 0.1 + 0.2, 123456789.125);

/** JSON values; strings from any code unit when `unit` is 'binary' (lone surrogates included). */
function jsonOf(unit) {
  const key = fc.string({ unit, maxLength: 6 }).filter((k) => !FORBIDDEN_KEYS.has(k));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: 3 },
      fc.constant(null),
      fc.boolean(),
      fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), edgeNumber),
      fc.string({ unit, maxLength: 12 }),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }),
    ),
  }));
  return value;
}

/** Keys that stay distinct once lone surrogates become U+FFFD, as the engine reads them, all the way down. */
function distinctWhenWellFormed(value) {
  if (Array.isArray(value)) return value.every(distinctWhenWellFormed);
  if (value === null || typeof value !== 'object') return true;
  const keys = Object.keys(value).map((k) => k.toWellFormed());
  return new Set(keys).size === keys.length && Object.values(value).every(distinctWhenWellFormed);
}

/** A context object: any JSON inside, lone surrogates included. */
export const exactContext = fc
  .dictionary(fc.string({ unit: 'binary', maxLength: 6 }).filter((k) => !FORBIDDEN_KEYS.has(k)), jsonOf('binary'), { maxKeys: 5, noNullPrototype: true })
  .filter(distinctWhenWellFormed);

/** An identity: any well-formed JSON value (a lone surrogate in an identity is refused, on purpose). */
export const exactIdentity = jsonOf('grapheme').filter((v) => Buffer.byteLength(JSON.stringify(v)) <= 400);

/** What the engine stores for JSON `value`: its JSON reading, with lone surrogates as U+FFFD. */
export function asStored(value) {
  const walk = (v) => {
    if (typeof v === 'string') return v.toWellFormed();
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toWellFormed(), walk(x)]));
  };
  return walk(JSON.parse(JSON.stringify(value)));
}

/** `value` with the keys of every object in reverse order: the same identity, written differently. */
export function reordered(value) {
  if (Array.isArray(value)) return value.map(reordered);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)]));
}
