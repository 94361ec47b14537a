// Run with --allow-natives-syntax by deopt.test.mjs. For one call path (argv[2]), optimizes a function that
// calls the engine, then deoptimizes it from inside the engine's WebAssembly call — from the clock or a
// host store method, which the engine calls mid-call — exactly what a garbage collection can do at any
// time. Prints one JSON line of what the calls answered. Before the fix, Node 20 aborted the process here.
import { createEngine, STORE_METHODS } from 'ops-ux-engine';
import { ReferenceStore } from './stores.mjs';

const SCOPE = { workspace_id: 1, tenant_id: 1 };
const path = process.argv[2];
let deoptimizeNow = false;
let deoptimized = 0;
let target;
const maybeDeoptimize = () => {
  if (deoptimizeNow) {
    deoptimizeNow = false;
    %DeoptimizeFunction(target);
    deoptimized++;
  }
};

let ms = Date.parse('2026-01-01T00:00:00Z');
const clock = () => {
  maybeDeoptimize();
  return ms++;
};
const reference = new ReferenceStore();
const store = Object.fromEntries(
  STORE_METHODS.map((name) => [name, (...args) => (maybeDeoptimize(), reference[name](...args))]),
);
const engine = await createEngine(path.startsWith('host') ? { store, clock } : { clock });

let n = 0;
let k = 0;
const ids = [];
const RUNNING = { status: 'running' };
const FAILED = { status: 'completed', outcome: 'failed', failure_summary: [{ code: 'x', message: 'token=abcdefghijklmnopqrstuvwxyz0123456789' }] };
// Each calls the engine with nothing else to inline, so the optimizer inlines the whole way down to the
// WebAssembly call (a helper in between uses up its budget, and then the crash cannot happen).
const targets = {
  'embedded-start': function hot() {
    return engine.startRun({ workspace_id: 1, tenant_id: 1, type: 'inventory.sync', identity: { n: n++ } });
  },
  'host-start': function hot() {
    return engine.startRun({ workspace_id: 1, tenant_id: 1, type: 'inventory.sync', identity: { n: n++ } });
  },
  // Status only: the numeric fast path (setStatus).
  'embedded-status': function hot() {
    return engine.updateRun(SCOPE, ids[k++], RUNNING);
  },
  // With a payload: the JSON path.
  'embedded-complete': function hot() {
    return engine.updateRun(SCOPE, ids[k++], FAILED);
  },
  'host-complete': function hot() {
    return engine.updateRun(SCOPE, ids[k++], FAILED);
  },
};
target = targets[path];
if (!target) throw new Error(`no call path ${path}`);
if (!path.endsWith('-start')) {
  for (let i = 0; i < 3002; i++) {
    const { run } = await engine.startRun({ ...SCOPE, type: 'inventory.sync', identity: { n: n++ } });
    if (path.endsWith('-complete')) await engine.updateRun(SCOPE, run.id, { status: 'running' });
    ids.push(run.id);
  }
}
%PrepareFunctionForOptimization(target);
for (let i = 0; i < 3000; i++) target();
%OptimizeFunctionOnNextCall(target);
target();
deoptimizeNow = true;
const result = await target();
console.log(JSON.stringify({ deoptimized, result }));
