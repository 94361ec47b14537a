// Row 3: the pure checks and the sanitizers, typical and hostile inputs, engine beside the plain-JS
// baseline; the checks also beside one XState event on a long-lived actor (the "10× faster" targets).
import * as engine from 'ops-ux-engine';
import * as plain from '../baselines/plain.js';
import { ACTIVE_RUNS, RUNNING_RUN, START, TYPICAL_COUNTS, TYPICAL_FAILURES, hostile } from '../lib/inputs.mjs';
import { compare, ratio } from '../lib/measure.mjs';
import { xstateEventCase } from './lifecycle.mjs';

const COMPLETE = { status: 'completed', outcome: 'succeeded' };

const loop = (key, fn) => ({
  key,
  run(n) {
    for (let i = 0; i < n; i++) fn();
  },
});

export async function pureRows(report) {
  const checks = await compare([
    loop('engineCheck', () => engine.checkUpdate(RUNNING_RUN, COMPLETE)),
    loop('plainCheck', () => plain.checkUpdate(RUNNING_RUN, COMPLETE)),
    loop('enginePlan', () => engine.planStart(ACTIVE_RUNS, START)),
    loop('plainPlan', () => plain.planStart(ACTIVE_RUNS, START)),
    xstateEventCase(),
  ]);
  report.time(3, 'checkUpdate (running → completed), engine', checks.engineCheck);
  report.time(3, 'checkUpdate, plain JS', checks.plainCheck);
  report.ratio(3, 'engine ÷ plain JS (time)', ratio(checks.engineCheck, checks.plainCheck));
  report.time(3, 'planStart (5 active runs, a duplicate), engine', checks.enginePlan);
  report.time(3, 'planStart, plain JS', checks.plainPlan);
  report.ratio(3, 'engine ÷ plain JS (time)', ratio(checks.enginePlan, checks.plainPlan));
  report.time(3, 'XState: one event on a long-lived actor', checks.xstateEvent);
  const checkVsEvent = ratio(checks.xstateEvent, checks.engineCheck);
  const planVsEvent = ratio(checks.xstateEvent, checks.enginePlan);
  report.ratio(3, 'XState event ÷ checkUpdate (speed-up)', checkVsEvent, 'target ≥ 10×');
  report.ratio(3, 'XState event ÷ planStart (speed-up)', planVsEvent, 'target ≥ 10×');

  const h = hostile();
  const sanitizers = [
    ['sanitizeSummaryCounts, typical (8 counts)', 'sanitizeSummaryCounts', TYPICAL_COUNTS],
    ['sanitizeSummaryCounts, hostile (10,008 keys)', 'sanitizeSummaryCounts', h.manyKeys],
    ['sanitizeFailureSummary, typical (2 × ~140 chars, 1 secret)', 'sanitizeFailureSummary', TYPICAL_FAILURES],
    ['sanitizeFailureSummary, hostile (one ~1 MB message)', 'sanitizeFailureSummary', h.hugeMessage],
    ['sanitizeFailureSummary, hostile (1,000 entries)', 'sanitizeFailureSummary', h.manyEntries],
  ];
  for (const [what, fn, input] of sanitizers) {
    const r = await compare([loop('engine', () => engine[fn](input)), loop('plain', () => plain[fn](input))]);
    report.time(3, `${what}, engine`, r.engine);
    report.time(3, `${what}, plain JS`, r.plain);
    report.ratio(3, 'engine ÷ plain JS (time)', ratio(r.engine, r.plain));
  }
  // Past the engine's 1 MiB JSON input limit the sanitizer refuses instead of capping: say so, not a time.
  let refused = 'sanitized';
  try {
    engine.sanitizeFailureSummary(h.tooManyEntries);
  } catch (e) {
    refused = `refused: ${e.code}`;
  }
  const kept = `plain JS keeps the first ${plain.sanitizeFailureSummary(h.tooManyEntries).length}`;
  report.value(3, 'sanitizeFailureSummary, hostile (10,000 entries), engine', refused, '', '', kept);
  return { checkVsEvent, planVsEvent };
}
