// The targets of issue 5, judged from the figures of this run only (ratios from interleaved samples).
import { fmtBytes, fmtRatio, fmtTime } from './report.mjs';

const faster = (r) => `${fmtRatio(r.value)} faster (spread ${fmtRatio(r.min)} – ${fmtRatio(r.max)})`;
const slower = (r) => `${fmtRatio(r.value)} its time (spread ${fmtRatio(r.min)} – ${fmtRatio(r.max)})`;
const added = (r) => `+${((r.value - 1) * 100).toFixed(0)}% (${fmtRatio(r.value)})`;
const bytes = (n) => `${Math.round(n)} B`;

/** Adds one pass / MISS / not measured line per target for the rows that ran (`results` by row name). */
export function addTargets(report, { lifecycle, pure, dedup, sqlite, postgres, cold, size }) {
  const t = (name, measured, pass) => report.target(name, measured, pass);
  if (lifecycle) {
    const { vsXstate, vsPlain, statusVsEvent } = lifecycle;
    t('lifecycle (typical payload, embedded store) ≥ 5× faster than the XState bare lifecycle', faster(vsXstate), vsXstate.value >= 5);
    t('lifecycle within 5× of the plain-JS baseline doing the same work', slower(vsPlain), vsPlain.value <= 5);
    t('status-only updateRun ≥ 10× faster than one XState event', faster(statusVsEvent), statusVsEvent.value >= 10);
  }
  if (pure) {
    t('checkUpdate ≥ 10× faster than one XState event', faster(pure.checkVsEvent), pure.checkVsEvent.value >= 10);
    t('planStart ≥ 10× faster than one XState event', faster(pure.planVsEvent), pure.planVsEvent.value >= 10);
  }
  if (dedup) {
    const full = dedup.lastSize >= 1_000_000;
    const measured = `${fmtRatio(dedup.scale.value)} the time${full ? '' : ` at ${dedup.lastSize} runs (quick run: 1 million not filled)`}`;
    t('dedup with 1 million runs stored within 1.25× of 1 thousand', measured, full ? dedup.scale.value <= 1.25 : null);
    const perRun = `${bytes(dedup.typicalRunBytes)} per run (${bytes(dedup.typicalWithNotificationBytes)} with its notification)`;
    t('memory per stored typical run ≤ 1 KB (1024 B)', perRun, dedup.typicalRunBytes <= 1024);
  }
  if (sqlite) t('SQLite store: the engine adds ≤ 15% to better-sqlite3 doing the same SQL', added(sqlite.overhead), sqlite.overhead.value <= 1.15);
  if (postgres) {
    t('PostgreSQL store, 1 process: the engine adds ≤ 15% to pg doing the same SQL', added(postgres.one), postgres.one.value <= 1.15);
    t('PostgreSQL store, 8 processes: the engine adds ≤ 15% to pg doing the same SQL', added(postgres.eight), postgres.eight.value <= 1.15);
  } else if (postgres === null) {
    t('PostgreSQL store: the engine adds ≤ 15% to pg doing the same SQL', 'no server', null);
  }
  if (cold) t('cold start (import + createEngine) in Node ≤ 15 ms', fmtTime(cold.node.median), cold.node.median <= 15e6);
  if (size) t('.wasm + JS glue ≤ 50 KB gzipped', `${fmtBytes(size.total.gzip)} (${size.total.gzip} bytes)`, size.pass);
}
