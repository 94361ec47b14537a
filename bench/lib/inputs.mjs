// The inputs every row uses, so the engine and its baselines always get the same ones.

export const SCOPE = { workspace_id: 1, tenant_id: 42 };

/** A typical start: scope, initiator, type, a small identity and context. */
export const START = { ...SCOPE, user_id: 7, type: 'inventory.sync', identity: { connection_id: 'c-314' }, context: { trigger: 'manual' } };

/** The typical payload of the issue: 8 summary counts; 2 failure entries of about 140 characters, one with a secret. */
export const TYPICAL_COUNTS = { total: 1200, processed: 1180, succeeded: 1150, failed: 20, skipped: 10, created: 310, updated: 820, deleted: 20 };
export const TYPICAL_FAILURES = [
  {
    code: 'graph.throttled',
    reason_code: 'HTTP_429',
    message: 'GET https://graph.example.com/v1.0/deviceManagement/managedDevices?$top=999&$skip=4000 returned 429 Too Many Requests; retried 3 times',
  },
  {
    code: 'auth.expired',
    message: 'POST https://login.example.com/oauth2/v2.0/token failed: 401 invalid_client (client_secret=Zq8vR2kLmN4pQ7sT1uW3xY5zA6bC9dE0) for app sync',
  },
];
export const TYPICAL_COMPLETION = {
  status: 'completed',
  outcome: 'partially_succeeded',
  summary_counts: TYPICAL_COUNTS,
  failure_summary: TYPICAL_FAILURES,
};
export const TO_RUNNING = { status: 'running' };

/** A run as a dashboard holds it, for the pure checks. */
export const RUNNING_RUN = {
  id: 9, ...SCOPE, user_id: 7, type: 'inventory.sync', status: 'running', outcome: null,
  dedup_key: 'inventory.sync#{"connection_id":"c-314"}',
};
/** The active runs a dashboard knows about (5; the duplicate last). */
export const ACTIVE_RUNS = [
  { ...RUNNING_RUN, id: 1, type: 'policy.backup', dedup_key: 'policy.backup' },
  { ...RUNNING_RUN, id: 2, tenant_id: 43 },
  { ...RUNNING_RUN, id: 3, dedup_key: 'inventory.sync#{"connection_id":"c-271"}' },
  { ...RUNNING_RUN, id: 4, status: 'queued', type: 'report.export', dedup_key: 'report.export' },
  RUNNING_RUN,
];

/** Hostile inputs: many keys, huge strings, many entries. */
export function hostile() {
  const manyKeys = {};
  for (let i = 0; i < 10_000; i++) manyKeys[`counter_${i}`] = i % 3 === 0 ? -i : i % 3 === 1 ? `${i}` : i + 0.5;
  Object.assign(manyKeys, TYPICAL_COUNTS);
  const huge = `${'Error: connection reset by peer while reading response body; '.repeat(16_000)}token=${'A1b2'.repeat(8)}`;
  const line = TYPICAL_FAILURES[1].message;
  return {
    /** 10,008 keys, 8 of them whitelisted counts. */
    manyKeys,
    /** One entry whose message is ~1 MB (a stack trace pasted whole). */
    hugeMessage: [{ code: 'crash', message: huge }],
    /** 1,000 entries of ~140 characters (only 10 are kept). */
    manyEntries: Array.from({ length: 1000 }, (_, i) => ({ code: `item.${i}`, message: line })),
    /** 10,000 entries: over the engine's 1 MiB JSON input limit. */
    tooManyEntries: Array.from({ length: 10_000 }, (_, i) => ({ code: `item.${i}`, message: line })),
  };
}
