// Proves the package loads from ESM and CommonJS with exactly the documented exports, and run-enqueued reaches an EventTarget only when asked.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as pkg from 'ops-ux-engine';
import { createEngine, dispatchRunEvents, RUN_ENQUEUED, ERROR_CODES, STORE_METHODS, OpsUxError, Engine } from 'ops-ux-engine';
import { STORE_METHOD_NAMES } from './support/stores.mjs';
import { request, rejectsWith, throwsWith } from './support/helpers.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCUMENTED = [
  'ERROR_CODES', 'STORE_METHODS', 'RUN_ENQUEUED', 'OpsUxError', 'Engine', 'createEngine', 'checkUpdate', 'planStart',
  'sanitizeSummaryCounts', 'sanitizeFailureSummary', 'dispatchRunEvents',
];

/** Runs `source` in a fresh Node process from the repository root and parses the JSON it prints last. */
function runNode(args, source) {
  const out = execFileSync(process.execPath, [...args, source], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1));
}

describe('loading', () => {
  it('CommonJS: require("ops-ux-engine") works, createEngine + startRun succeed, checkUpdate is a function', () => {
    const result = runNode(['-e'], `
      const m = require('ops-ux-engine');
      (async () => {
        const engine = await m.createEngine();
        const started = await engine.startRun({ workspace_id: 1, tenant_id: 2, user_id: 3, type: 'inventory.sync' });
        let code = null;
        try { await engine.getRun({ workspace_id: 1, tenant_id: 9 }, started.run.id); } catch (e) { code = e instanceof m.OpsUxError && e.code; }
        console.log(JSON.stringify({
          keys: Object.keys(m).sort(),
          checkUpdate: typeof m.checkUpdate,
          verdict: m.checkUpdate({ status: 'queued', outcome: null }, { status: 'running' }).ok,
          toast: started.toast.kind,
          status: started.run.status,
          notFound: code,
          embedded: engine.embedded,
        }));
      })().catch((e) => { console.log(JSON.stringify({ error: String(e) })); });
    `);
    assert.deepEqual(result, {
      keys: [...DOCUMENTED].sort(), checkUpdate: 'function', verdict: true, toast: 'queued', status: 'queued',
      notFound: 'E_NOT_FOUND', embedded: true,
    });
  });

  it('ESM in a fresh process: import works and the pure functions are usable at once', () => {
    const result = runNode(['--input-type=module', '-e'], `
      import { sanitizeSummaryCounts, planStart } from 'ops-ux-engine';
      console.log(JSON.stringify({
        counts: sanitizeSummaryCounts({ total: 3, bogus: 1 }),
        plan: planStart([], { workspace_id: 1, tenant_id: 1, type: 'inventory.sync' }).toast.kind,
      }));
    `);
    assert.deepEqual(result, { counts: { total: 3 }, plan: 'queued' });
  });

  it('the ESM import exposes exactly the documented names', () => {
    assert.deepEqual(Object.keys(pkg).sort(), [...DOCUMENTED].sort());
    for (const name of ['createEngine', 'checkUpdate', 'planStart', 'sanitizeSummaryCounts', 'sanitizeFailureSummary', 'dispatchRunEvents']) {
      assert.equal(typeof pkg[name], 'function', name);
    }
    assert.equal(RUN_ENQUEUED, 'run-enqueued');
    assert.deepEqual([...ERROR_CODES], ['E_INVALID_TRANSITION', 'E_OUTCOME_REQUIRED', 'E_NOT_FOUND', 'E_CONFLICT', 'E_INVALID_INPUT', 'E_STORE']);
    assert.deepEqual([...STORE_METHODS], STORE_METHOD_NAMES);
    assert.ok(Object.isFrozen(ERROR_CODES) && Object.isFrozen(STORE_METHODS));
  });

  it('OpsUxError is an Error subclass with name and code; engines are Engine instances', async () => {
    const error = new OpsUxError('E_CONFLICT', 'retry');
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'OpsUxError');
    assert.equal(error.code, 'E_CONFLICT');
    assert.equal(error.message, 'retry');
    const engine = await createEngine();
    assert.ok(engine instanceof Engine);
    assert.equal(engine.embedded, true);
    assert.equal(typeof engine.checkUpdate, 'function');
    assert.equal(typeof engine.planStart, 'function');
  });

  it('free() releases an engine; a second engine is independent of the first', async () => {
    const a = await createEngine();
    const b = await createEngine();
    const started = await a.startRun(request());
    assert.deepEqual(await b.listRuns(started.run), [], 'engines do not share the embedded store');
    a.free();
    assert.equal((await b.startRun(request())).deduped, false);
  });
});

describe('run-enqueued events', () => {
  it('dispatchRunEvents dispatches CustomEvents with the detail on an EventTarget', () => {
    const target = new EventTarget();
    const seen = [];
    target.addEventListener(RUN_ENQUEUED, (event) => seen.push(event));
    const detail = { run_id: 1, workspace_id: 1, tenant_id: 2, type: 'inventory.sync', status: 'queued', deduped: false };
    dispatchRunEvents([{ name: RUN_ENQUEUED, detail }, { name: RUN_ENQUEUED, detail: { ...detail, run_id: 2 } }], target);
    assert.equal(seen.length, 2);
    assert.ok(seen[0] instanceof CustomEvent);
    assert.equal(seen[0].type, 'run-enqueued');
    assert.deepEqual(seen[0].detail, detail);
    assert.equal(seen[1].detail.run_id, 2);
    for (const bad of [null, {}, 'window']) throwsWith(() => dispatchRunEvents([], bad), 'E_INVALID_INPUT');
  });

  it('createEngine({dispatchEvents: true, eventTarget}) dispatches on start, deduped or not', async () => {
    const target = new EventTarget();
    const seen = [];
    target.addEventListener(RUN_ENQUEUED, (event) => seen.push(event.detail));
    const engine = await createEngine({ dispatchEvents: true, eventTarget: target });
    const first = await engine.startRun(request());
    const again = await engine.startRun(request());
    assert.deepEqual(seen, [first.events[0].detail, again.events[0].detail]);
    assert.equal(seen[1].deduped, true);
    await rejectsWith(engine.startRun({ type: 'inventory.sync' }), 'E_INVALID_INPUT');
    assert.equal(seen.length, 2, 'a refused start dispatches nothing');
  });

  it('by default in Node nothing is dispatched on globalThis; dispatchEvents: false dispatches nowhere', async () => {
    const seen = [];
    const target = new EventTarget();
    target.addEventListener(RUN_ENQUEUED, (event) => seen.push(event));
    // Give globalThis an EventTarget face for the duration, so a dispatch there would be seen.
    assert.equal(globalThis.dispatchEvent, undefined, 'Node 20: globalThis is not an EventTarget');
    globalThis.dispatchEvent = (event) => seen.push(event);
    try {
      const plain = await createEngine();
      const result = await plain.startRun(request());
      assert.equal(result.events.length, 1, 'the event is returned instead');
      const silent = await createEngine({ dispatchEvents: false, eventTarget: target });
      await silent.startRun(request());
      assert.deepEqual(seen, []);
    } finally {
      delete globalThis.dispatchEvent;
    }
  });

  it('dispatchEvents: true with no EventTarget to reach never reports a stored start as failed', async () => {
    let engine;
    try {
      engine = await createEngine({ dispatchEvents: true });
    } catch (error) {
      assert.equal(error.code, 'E_INVALID_INPUT', 'refusing the option up front is fine');
      return;
    }
    try {
      const result = await engine.startRun(request());
      assert.equal(result.deduped, false);
    } catch (error) {
      assert.deepEqual(await engine.listRuns(request()), [], `startRun rejected (${error.message}) but stored a run`);
    }
  });
});

describe('entry points', () => {
  const ENTRIES = {
    'ops-ux-engine/sqlite': ['createSqliteStore'],
    'ops-ux-engine/postgres': ['createPostgresStore'],
    'ops-ux-engine/indexeddb': ['createIndexedDbStore'],
    'ops-ux-engine/conformance': ['conformanceCases', 'runConformance'],
  };

  for (const [specifier, names] of Object.entries(ENTRIES)) {
    it(`${specifier} exports ${names.join(', ')}`, async () => {
      const module = await import(specifier);
      for (const name of names) assert.equal(typeof module[name], 'function', name);
    });
  }

  it('npm pack ships the built package, the stores, the suite and their types — and no tests or sources', () => {
    const [report] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: `${ROOT}/pkg`, encoding: 'utf8' }),
    );
    const files = report.files.map((f) => f.path).sort();
    for (const expected of ['dist/node.mjs', 'dist/node.cjs', 'dist/browser.js', 'dist/ops_ux_engine_bg.wasm', 'dist/index.d.cts',
      'index.d.ts', 'stores/sqlite.js', 'stores/sqlite.d.ts', 'stores/postgres.js', 'stores/postgres.d.ts',
      'stores/indexeddb.js', 'stores/indexeddb.d.ts', 'conformance/index.js', 'conformance/index.d.ts', 'package.json']) {
      assert.ok(files.includes(expected), `${expected} is in the package (${files.join(', ')})`);
    }
    assert.deepEqual(files.filter((f) => /(^|\/)(src|tests?)\/|\.rs$/.test(f)), [], 'no sources or tests');
  });

  it('the drivers stay optional: no shipped file imports better-sqlite3 or pg, so a browser bundle never pulls them', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    for (const dir of ['stores', 'conformance']) {
      for (const file of readdirSync(`${ROOT}/pkg/${dir}`).filter((f) => f.endsWith('.js'))) {
        const text = readFileSync(`${ROOT}/pkg/${dir}/${file}`, 'utf8');
        assert.doesNotMatch(text, /(from|import\(|require\()\s*['"](better-sqlite3|pg)['"]/, `${dir}/${file}`);
      }
    }
    const meta = JSON.parse(readFileSync(`${ROOT}/pkg/package.json`, 'utf8'));
    assert.deepEqual(meta.peerDependenciesMeta, { 'better-sqlite3': { optional: true }, pg: { optional: true } });
    assert.equal(meta.dependencies, undefined, 'the package has no runtime dependencies');
  });
});
