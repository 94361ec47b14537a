// The table: one markdown table of measurements and ratios, then the targets with pass or miss.

export function fmtTime(ns) {
  if (!Number.isFinite(ns)) return String(ns);
  if (ns < 1e3) return `${ns.toPrecision(3)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toPrecision(3)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toPrecision(3)} ms`;
  return `${(ns / 1e9).toPrecision(3)} s`;
}

export function fmtRate(perSecond) {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toPrecision(3)} M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toPrecision(3)} k/s`;
  return `${perSecond.toPrecision(3)}/s`;
}

export function fmtBytes(bytes) {
  if (bytes < 10 * 1024) return `${Math.round(bytes)} B`; // per-run figures near the 1 KB target, exactly
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const fmtRatio = (x) => `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;

export class Report {
  lines = [];
  targets = [];
  notes = [];

  /** A timed measurement (stats in ns per operation). */
  time(row, what, s, { rate = true, note = '' } = {}) {
    this.lines.push([row, what, fmtTime(s.median), `${fmtTime(s.min)} – ${fmtTime(s.max)}`, rate ? fmtRate(1e9 / s.median) : '', note]);
  }

  /** A ratio of two measurements from the same rounds: "a ÷ b". */
  ratio(row, what, r, note = '') {
    this.lines.push([row, what, fmtRatio(r.value), `${fmtRatio(r.min)} – ${fmtRatio(r.max)}`, '', note]);
  }

  /** Anything else: a size, a memory figure, a throughput, "not measured". */
  value(row, what, median, spread = '', rate = '', note = '') {
    this.lines.push([row, what, median, spread, rate, note]);
  }

  target(name, measured, pass) {
    this.targets.push([name, measured, pass === null ? 'not measured' : pass ? '**pass**' : '**MISS**']);
  }

  note(text) {
    this.notes.push(text);
  }

  toMarkdown() {
    const table = (head, rows) => {
      const esc = (c) => String(c).replace(/\|/g, '\\|');
      return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
    };
    const out = [table(['#', 'measurement', 'median', 'spread (min – max)', 'rate', 'note'], this.lines)];
    out.push('', table(['target', 'measured (same run)', 'verdict'], this.targets));
    if (this.notes.length) out.push('', ...this.notes.map((n) => `* ${n}`));
    return out.join('\n');
  }
}
