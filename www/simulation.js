// What the demo worker does to a run next: start it, report progress, complete it. Pure — it returns the
// update to send to engine.updateRun and sends nothing. The outcome a run ends with is chosen at start
// (the form's "Simulated outcome") and travels in run.context, so whichever tab works the run agrees.

export const SIMULATED_OUTCOMES = [
  { value: 'auto', label: 'Varies by run' },
  { value: 'succeeded', label: 'Succeeds' },
  { value: 'partially_succeeded', label: 'Completes with warnings' },
  { value: 'failed', label: 'Fails' },
  { value: 'cancelled', label: 'Is cancelled' },
];

const AUTO_CYCLE = ['succeeded', 'partially_succeeded', 'succeeded', 'failed'];

/** The API each operation type talks to, for failure messages that read like the real thing. */
const ENDPOINTS = {
  'inventory.sync': 'deviceManagement/managedDevices',
  'policy.backup': 'deviceManagement/configurationPolicies',
  'directory.import': 'users/delta',
  'report.export': 'reports/exportJobs',
};

/** Real-looking failures. Each carries a secret the engine redacts before the run is stored. */
const FAILURES = {
  partially_succeeded: (path, n) => [
    { code: 'graph.throttled', message: `GET /v1.0/${path}?api_key=sk_live_51Hq8sXKa9f2LmN0pQ failed: 429 Too Many Requests (${n} items left for the next run)` },
  ],
  failed: (path) => [
    {
      code: 'graph.unauthorized',
      reason_code: 'token_expired',
      message: `POST /v1.0/${path} failed: 401 Unauthorized — sent with Authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtb3BzIiwiZXhwIjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg`,
    },
  ],
  cancelled: () => [{ code: 'cancelled', message: 'Cancelled by an administrator before it finished' }],
};

/** The outcome this run is meant to end with. */
export function plannedOutcome(run) {
  const wanted = run.context?.simulate;
  if (SIMULATED_OUTCOMES.some((o) => o.value === wanted && wanted !== 'auto')) return wanted;
  const n = Number.parseInt(String(run.id).replace(/\D/g, '') || '0', 10);
  return AUTO_CYCLE[n % AUTO_CYCLE.length];
}

/** How many items the run processes: 40–240, fixed per run id. */
function plannedTotal(run) {
  const digits = String(run.id).replace(/\D/g, '') || '1';
  return 40 + ((Number.parseInt(digits.slice(-4), 10) * 37) % 201);
}

/** The completing update for `outcome`, with counts that add up and the failure summary it reports. */
export function completion(run, outcome) {
  const total = run.summary_counts?.total ?? plannedTotal(run);
  const processed = outcome === 'cancelled' ? (run.summary_counts?.processed ?? 0) : total;
  const failed = { succeeded: 0, partially_succeeded: Math.max(1, Math.round(total * 0.04)), failed: processed, cancelled: 0 }[outcome];
  const summary_counts = { total, processed, succeeded: processed - failed, failed };
  const failure_summary = FAILURES[outcome]?.(ENDPOINTS[run.type] ?? run.type, failed) ?? [];
  return { status: 'completed', outcome, summary_counts, failure_summary };
}

/** The next update for an active run, or null when there is nothing to do. About eight steps a run. */
export function nextStep(run) {
  if (run.status === 'queued') {
    return { status: 'running', summary_counts: { total: plannedTotal(run), processed: 0 } };
  }
  if (run.status !== 'running') return null;
  const { total = plannedTotal(run), processed = 0 } = run.summary_counts ?? {};
  const outcome = plannedOutcome(run);
  // A cancelled run stops half way; the others finish their items first.
  const stopAt = outcome === 'cancelled' ? Math.floor(total / 2) : total;
  if (processed >= stopAt) return completion(run, outcome);
  const step = Math.max(1, Math.ceil(total / 7));
  return { summary_counts: { processed: Math.min(stopAt, processed + step) } };
}
