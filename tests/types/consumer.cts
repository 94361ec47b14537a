// A CommonJS consumer of 'ops-ux-engine': under `module: node16` this file is CommonJS, so the specifier
// resolves through the package's `require` condition (pkg/package.json → ./dist/index.d.cts, a copy of
// index.d.ts made by scripts/build-pkg.sh). Only type-checked, never run.

import ops = require('ops-ux-engine');
import type { Engine, OperationRun, Scope, StartPlan } from 'ops-ux-engine';

/** A Node worker, CommonJS style: no top-level await, so everything lives in an async function. */
async function main(): Promise<void> {
  const engine: Engine = await ops.createEngine({
    labels: { 'inventory.sync': 'Inventory sync' },
    summaryKeys: ['total', 'processed'],
    dispatchEvents: false,
  });
  const scope: Scope = { workspace_id: 1, tenant_id: 'acme' };
  try {
    const { run, toast, events } = await engine.startRun({ ...scope, user_id: 7, type: 'inventory.sync' });
    const kind: ops.ToastKind = toast.kind;
    const name: typeof ops.RUN_ENQUEUED = events[0].name;
    console.log(kind, name, engine.embedded);

    const verdict: ops.UpdateCheck = ops.checkUpdate(run, { status: 'completed', outcome: 'failed' });
    if (!verdict.ok) console.log(verdict.error.code);

    const done: ops.UpdateRunResult = await engine.updateRun(scope, run.id, { status: 'completed', outcome: 'failed' });
    const stored: OperationRun = await engine.getRun(scope, done.run.id);
    const plan: StartPlan<OperationRun> = ops.planStart([stored], { ...scope, type: 'inventory.sync' });
    console.log(plan.deduped, ops.sanitizeSummaryCounts({ total: 1 }), ops.sanitizeFailureSummary(['x']));

    await engine.getRun(scope, 'missing');
  } catch (e) {
    if (e instanceof ops.OpsUxError) {
      const code: ops.ErrorCode = e.code;
      console.log(code, ops.ERROR_CODES.includes(code));
    }
  } finally {
    engine.free();
  }
  const methods: readonly (keyof ops.HostStore)[] = ops.STORE_METHODS;
  console.log(methods);
  ops.dispatchRunEvents([], new EventTarget());

  // @ts-expect-error -- 'done' is not a RunStatus, in CommonJS too.
  ops.checkUpdate({ status: 'done', outcome: null }, {});
}

void main();
