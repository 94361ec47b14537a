// Row 4, in a process of its own (started with --expose-gc) so its memory figures start clean:
//   node --expose-gc bench/rows/dedup-child.mjs dedup 1000,100000,1000000
//     fills the embedded store (and the plain-JS Map store) with distinct active runs up to each size, and
//     times startRun hitting an existing active run at each size;
//   node --expose-gc bench/rows/dedup-child.mjs engine|plain 50000
//     stores typical completed runs (without and with an initiator, whose run also stores a notification),
//     timing the fill in tenths.
// The engine's runs live in WebAssembly linear memory, which Node counts in process.memoryUsage().external
// (not in arrayBuffers); the plain-JS runs live in the JS heap (heapUsed). Prints one JSON line.
import { createEngine } from 'ops-ux-engine';
import { createPlainEngine } from '../baselines/plain.js';
import { SCOPE, START, TO_RUNNING, TYPICAL_COMPLETION } from '../lib/inputs.mjs';
import { compare } from '../lib/measure.mjs';

const [mode, arg] = process.argv.slice(2);

function memory() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage();
}

/** The i-th distinct run: spread over 1,000 tenants, each with its own identity. */
const fillRequest = (i) => ({ workspace_id: 1, tenant_id: i % 1000, user_id: 7, type: 'inventory.sync', identity: { n: i } });

async function dedup(sizes) {
  const engine = await createEngine();
  const base = createPlainEngine();
  const levels = [];
  const mem = { engineExternal: 0, engineRss: 0, plainHeap: 0 };
  let filled = 0;
  for (const size of sizes) {
    let m0 = memory();
    let t0 = performance.now();
    for (let i = filled; i < size; i++) await engine.startRun(fillRequest(i));
    const engineFillMs = performance.now() - t0;
    let m1 = memory();
    mem.engineExternal += m1.external - m0.external;
    mem.engineRss += m1.rss - m0.rss;
    m0 = memory();
    t0 = performance.now();
    for (let i = filled; i < size; i++) base.start(fillRequest(i));
    const plainFillMs = performance.now() - t0;
    m1 = memory();
    mem.plainHeap += m1.heapUsed - m0.heapUsed;
    filled = size;

    // 1,000 existing active runs, picked at random across the whole store, probed in turn.
    const probes = Array.from({ length: 1000 }, () => fillRequest(Math.floor(Math.random() * size)));
    for (const p of probes.slice(0, 10)) {
      if (!(await engine.startRun(p)).deduped || !base.start(p).deduped) throw new Error('a probe did not hit an active run');
    }
    let e = 0;
    let p = 0;
    const probe = await compare([
      {
        key: 'engine',
        async run(n) {
          for (let k = 0; k < n; k++) await engine.startRun(probes[e++ % probes.length]);
        },
      },
      {
        key: 'plain',
        run(n) {
          for (let k = 0; k < n; k++) base.start(probes[p++ % probes.length]);
        },
      },
    ]);
    levels.push({ size, engineFillMs, plainFillMs, probe });
  }
  const runs = filled;
  return { levels, perRun: { engineExternal: mem.engineExternal / runs, engineRss: mem.engineRss / runs, plainHeap: mem.plainHeap / runs }, runs };
}

/**
 * Memory per typical completed run, for the engine or the plain-JS baseline (one per process, so neither
 * pays for the other's heap): `count` runs without an initiator, then `count` with one (each also stores
 * its notification). The fill is timed in chunks of a tenth, to show a lifecycle's cost as the store grows.
 */
async function typical(who, count) {
  const engine = who === 'engine' ? await createEngine() : null;
  const base = who === 'plain' ? createPlainEngine() : null;
  const lifecycle = async (start) => {
    if (engine) {
      const { run } = await engine.startRun(start);
      await engine.updateRun(SCOPE, run.id, TO_RUNNING);
      await engine.updateRun(SCOPE, run.id, TYPICAL_COMPLETION);
    } else {
      const { run } = base.start(start);
      base.update(SCOPE, run.id, TO_RUNNING);
      base.update(SCOPE, run.id, TYPICAL_COMPLETION);
    }
  };
  const chunk = Math.max(1, Math.floor(count / 5));
  const out = { who, count, chunk, chunks_us: [] };
  for (const [label, userId] of [
    ['system', null],
    ['user', 7],
  ]) {
    const start = { ...START, user_id: userId };
    const m0 = memory();
    for (let done = 0; done < count; done += chunk) {
      const t0 = performance.now();
      for (let i = 0; i < chunk; i++) await lifecycle(start);
      out.chunks_us.push(((performance.now() - t0) * 1000) / chunk);
    }
    const m1 = memory();
    out[`${label}_bytes`] = (engine ? m1.external - m0.external : m1.heapUsed - m0.heapUsed) / count;
    out[`${label}_rss`] = (m1.rss - m0.rss) / count;
  }
  return out;
}

const result = mode === 'dedup' ? await dedup(arg.split(',').map(Number)) : await typical(mode, Number(arg));
process.stdout.write(`${JSON.stringify(result)}\n`);
