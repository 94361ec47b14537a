// "The same SQL": before the SQL rows are timed, one lifecycle runs through the engine's store and one
// through the raw baseline while every statement is logged; the logs, with literals and whitespace
// normalised, must match statement for statement. The row's note says whether they did.

/** A statement with its literal values and layout removed, so only its shape is compared. */
export function shape(sql) {
  return sql
    .replace(/'(?:[^']|'')*'(?:\/\*[^*]*\*\/)?/g, '?')
    .replace(/\$\d+/g, '$?')
    .replace(/\b\d+(?:\.\d+)?\b/g, '?')
    .replace(/\bNULL\b/g, '?')
    .replace(/\s+/g, ' ')
    .replace(/\( /g, '(')
    .replace(/ \)/g, ')')
    .trim();
}

/** Compares two statement logs; returns a short verdict for the table. */
export function sameStatements(engineLog, rawLog) {
  const a = engineLog.map(shape);
  const b = rawLog.map(shape);
  const first = a.findIndex((s, i) => s !== b[i]);
  if (a.length === b.length && first === -1) return { same: true, text: `same ${a.length} statements per lifecycle` };
  const at = first === -1 ? Math.min(a.length, b.length) : first;
  return {
    same: false,
    text:
      `statements differ (engine ${a.length}, raw ${b.length}; first at #${at + 1}: ` +
      `${(a[at] ?? '—').slice(0, 60)} | ${(b[at] ?? '—').slice(0, 60)})`,
  };
}

/** Wraps a pg Pool so every statement text sent through it (or its clients) is pushed to `log`. */
export function loggingPool(pool, log) {
  const record = (q) => (typeof q === 'string' ? q : q.text);
  return {
    query: (q, values) => {
      log.push(record(q));
      return pool.query(q, values);
    },
    connect: async () => {
      const client = await pool.connect();
      return new Proxy(client, {
        get(target, key) {
          if (key === 'query') {
            return (q, values) => {
              log.push(record(q));
              return target.query(q, values);
            };
          }
          const v = Reflect.get(target, key);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
    },
  };
}
