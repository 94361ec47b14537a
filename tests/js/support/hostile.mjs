// fast-check arbitraries for the JavaScript boundary: values no JSON schema would let through (hostile),
// valid inputs, and valid inputs with one part made hostile (almost valid), which reach the deep paths.
import fc from 'fast-check';

/** The seed and run counts of every property: fixed, so a failure replays; PROPERTY_RUNS scales the counts. */
export const SEED = Number(process.env.PROPERTY_SEED ?? 20261204);
export const SCALE = Number(process.env.PROPERTY_RUNS ?? 1);
if (!(SCALE > 0)) throw new Error(`PROPERTY_RUNS must be a positive number (a scale of the run counts), got ${process.env.PROPERTY_RUNS}`);

/** fc.assert parameters for `numRuns` cases (times PROPERTY_RUNS). */
export function params(numRuns) {
  return { seed: SEED, numRuns: Math.max(1, Math.round(numRuns * SCALE)), includeErrorInReport: true };
}

const HUGE = 'x'.repeat(5 * 1024 * 1024);
const BIG = 'y'.repeat(200 * 1024);
/** `{a: {a: … leaf}}`, `depth` levels. */
export const deep = (depth, leaf = 1) => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};
/** `[[[…]]]`, `depth` levels. */
export const deepArray = (depth) => {
  let value = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

/** A value that is already settled as rejected, with the rejection handled (an unhandled one would crash the runner). */
function handledRejection(reason) {
  const p = Promise.reject(reason);
  p.catch(() => {});
  return p;
}

const throwAll = (what) => () => {
  throw new Error(`${what} trap`);
};
const TRAPS = ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'set', 'defineProperty', 'apply'];

/** Values JavaScript can hold and JSON cannot (or holds as something else), made fresh for every case. */
const MAKERS = {
  'a Promise of a valid-looking object': () => Promise.resolve({ workspace_id: 1, tenant_id: 1, status: 'running' }),
  'a rejected Promise': () => handledRejection(new Error('rejected input')),
  'a thenable': () => ({ then: (resolve) => resolve(1) }),
  'a thenable whose then throws': () => ({ then: throwAll('then') }),
  'a function': () => () => 1,
  'an async function': () => async () => 1,
  'a class': () => class Input {},
  'a symbol': () => Symbol('input'),
  'a cyclic object': () => {
    const o = { workspace_id: 1, tenant_id: 1 };
    o.self = o;
    return o;
  },
  'a cyclic array': () => {
    const a = [1];
    a.push(a);
    return a;
  },
  'an object 40 deep': () => deep(40, 1),
  'an object 3000 deep': () => deep(3000, 1),
  'an array 3000 deep': () => deepArray(3000),
  'a 5 MB string': () => HUGE,
  'a 200 KB string': () => BIG,
  'a lone high surrogate': () => '\uD800',
  'a lone low surrogate in text': () => 'ok \uDFFF end',
  'control characters': () => 'a\u0000b\u001fc\nd',
  'an own __proto__ key': () => JSON.parse('{"__proto__": {"polluted": true}, "workspace_id": 1, "tenant_id": 1}'),
  'a constructor key': () => ({ constructor: { prototype: { polluted: true } } }),
  'a null-prototype object': () => Object.assign(Object.create(null), { workspace_id: 1, tenant_id: 1, type: 'a' }),
  'a frozen object': () => Object.freeze({ workspace_id: 1, tenant_id: 1, status: 'running' }),
  'a getter that throws': () => Object.defineProperty({}, 'workspace_id', { enumerable: true, get: throwAll('getter') }),
  'a getter that throws a non-Error': () =>
    Object.defineProperty({}, 'tenant_id', {
      enumerable: true,
      get() {
        throw 'a string'; // eslint-disable-line no-throw-literal
      },
    }),
  'a toJSON that throws': () => ({ toJSON: throwAll('toJSON') }),
  'a toJSON returning a Promise': () => ({ toJSON: () => Promise.resolve(1) }),
  'a toJSON returning undefined': () => ({ toJSON: () => undefined }),
  'a Proxy whose every trap throws': () => new Proxy({}, Object.fromEntries(TRAPS.map((t) => [t, throwAll(`proxy ${t}`)]))),
  'a Proxy of an array whose every trap throws': () => new Proxy([], Object.fromEntries(TRAPS.map((t) => [t, throwAll(`proxy ${t}`)]))),
  'a revoked Proxy': () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  'a revoked Proxy of an array': () => {
    const { proxy, revoke } = Proxy.revocable([], {});
    revoke();
    return proxy;
  },
  'a revoked Proxy of a function': () => {
    const { proxy, revoke } = Proxy.revocable(() => 1, {});
    revoke();
    return proxy;
  },
  'an Error': () => new Error('not data'),
  'an invalid Date': () => new Date(NaN),
  'a Date': () => new Date(0),
  'a Map': () => new Map([['workspace_id', 1]]),
  'a typed array': () => new Uint8Array([1, 2, 3]),
  'a sparse array': () => [, , 1], // eslint-disable-line no-sparse-arrays
  'an array with extra properties': () => Object.assign([1, 2], { workspace_id: 1 }),
  'an arguments object': function () {
    return arguments; // eslint-disable-line prefer-rest-params
  },
  'a boxed string': () => Object('queued'),
  'a WeakMap': () => new WeakMap(),
  'an EventTarget': () => new EventTarget(),
  'a clock': () => () => Date.now(),
  'a clock of Dates': () => () => new Date(),
  'a clock of text': () => () => new Date().toISOString(),
  'a clock that throws': () => throwAll('clock'),
  'a clock of NaN': () => () => NaN,
  globalThis: () => globalThis,
};

/**
 * A hostile value by name, made fresh when the case runs (`materialize`), so counterexamples print as words
 * and no Proxy or getter ever runs inside fast-check's own reporting.
 */
export class Hostile {
  constructor(name) {
    this.name = name;
  }

  make() {
    return MAKERS[this.name]();
  }

  [fc.toStringMethod]() {
    return `<${this.name}>`;
  }
}

export const hostileSpecial = fc.constantFrom(...Object.keys(MAKERS)).map((name) => new Hostile(name));

const NUMBERS = [NaN, Infinity, -Infinity, -0, 0, 1.5, -1, 2 ** 53, -(2 ** 53), 2 ** 53 - 1, 1e21, 1e300, 5e-324, Number.MAX_VALUE];

export const hostileNumber = fc.oneof(fc.constantFrom(...NUMBERS), fc.double(), fc.integer({ min: -(2 ** 31), max: 2 ** 31 }));

/** fc.anything with every kind of object fast-check makes, including BigInt, boxed values and null prototypes. */
export const anything = fc.anything({
  maxDepth: 3,
  maxKeys: 5,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});

/** Any value a caller could pass by mistake or on purpose. */
export const hostile = fc.oneof(
  { weight: 4, arbitrary: anything },
  { weight: 4, arbitrary: hostileSpecial },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.bigInt() },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, '', true, false, [], {}) },
);

/** Extra keys that mean something to JavaScript or are near-misses of real fields. */
export const EXTRA_KEYS = ['__proto__', 'constructor', 'toJSON', 'then', 'prototype', 'valueOf', 'identiy', 'statuss', 'limit '];

/** Defines `key` on `obj` as an own enumerable data property (plain assignment would set the prototype for __proto__). */
function defineOwn(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Copies `base` (an object or array), keeping own keys such as __proto__. */
function copyOf(base) {
  if (Array.isArray(base)) return [...base];
  const copy = {};
  for (const key of Object.keys(base)) defineOwn(copy, key, base[key]);
  return copy;
}

/** Ways to spoil one part of a valid value. */
const HOW = ['set', 'set', 'set', 'delete', 'nest', 'getter', 'frozen', 'null-prototype', 'toJSON', 'wrap-in-array'];

/**
 * `base` with one field spoiled: set to `value`, deleted, nested inside a valid-looking wrapper, a throwing
 * getter, or the whole object frozen, without prototype, or given a toJSON. Never mutates `base`.
 */
function spoil(base, key, value, how) {
  if (base === null || typeof base !== 'object') return value;
  const copy = copyOf(base);
  switch (how) {
    case 'delete':
      delete copy[key];
      return copy;
    case 'nest':
      defineOwn(copy, key, Array.isArray(base[key]) ? [value] : { [key]: value });
      return copy;
    case 'getter':
      Object.defineProperty(copy, key, { enumerable: true, configurable: true, get: throwAll(`getter ${key}`) });
      return copy;
    case 'frozen':
      defineOwn(copy, key, value);
      return Object.freeze(copy);
    case 'null-prototype':
      defineOwn(copy, key, value);
      return Object.setPrototypeOf(copy, null);
    case 'toJSON':
      defineOwn(copy, 'toJSON', () => value);
      return copy;
    case 'wrap-in-array':
      return [copy];
    default:
      defineOwn(copy, key, value);
      return copy;
  }
}

/** A valid value with one field spoiled, made when the case runs (see `spoil`). */
export class Spoiled {
  constructor(base, key, value, how) {
    Object.assign(this, { base, key, value, how });
  }

  [fc.toStringMethod]() {
    return `${this.how}(${fc.stringify(this.base)}, ${JSON.stringify(this.key)}, ${fc.stringify(this.value)})`;
  }
}

/** The value a generated plan stands for: Hostile and Spoiled parts are made now, fresh for this case. */
export function materialize(plan) {
  if (plan instanceof Hostile) return plan.make();
  if (plan instanceof Spoiled) return spoil(plan.base, plan.key, materialize(plan.value), plan.how);
  return plan;
}

/** `valid` values with one field of `keys` (or an extra key) spoiled by a hostile value. */
export function almost(valid, keys) {
  return fc
    .tuple(valid, fc.constantFrom(...keys, ...EXTRA_KEYS), hostile, fc.constantFrom(...HOW))
    .map(([base, key, value, how]) => new Spoiled(base, key, value, how));
}

/**
 * Argument lists (arrays of plans, see `materialize`): valid, one argument spoiled in one of its fields
 * (`keysOfArg[i]` names the fields of argument i) or replaced, or all arbitrary.
 */
export function argumentLists(validArgs, keysOfArg) {
  const spoiledOne = fc
    .tuple(validArgs, fc.nat(), hostile, fc.constantFrom('replace', ...HOW), fc.constantFrom(...EXTRA_KEYS))
    .map(([args, i, value, how, extra]) => {
      const at = i % args.length;
      const keys = [...(keysOfArg[at] ?? []), extra];
      const copy = [...args];
      copy[at] = how === 'replace' ? value : new Spoiled(args[at], keys[(i >> 4) % keys.length], value, how);
      return copy;
    });
  return fc.oneof(
    { weight: 2, arbitrary: validArgs },
    { weight: 6, arbitrary: spoiledOne },
    { weight: 2, arbitrary: fc.array(hostile, { maxLength: 4 }) },
  );
}
