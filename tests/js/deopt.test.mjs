// The engine survives its JavaScript callers being deoptimized in the middle of a call into WebAssembly.
//
// Node 20's V8 inlines JS → Wasm calls into optimized code. When that code is deoptimized while the call
// runs (a garbage collection, or the host store or clock the engine calls, can cause it), the deoptimizer
// rebuilds the call's result, and for an `externref` result it aborts the process with "unreachable
// code". `make bench` hit it at random in its dedup row; the child below hits it every time. The exports
// therefore never return JS values (src/wasm/answer.rs), which the second test checks in the .wasm itself.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./support/deopt-child.mjs', import.meta.url));
const WASM = new URL('../../pkg/dist/ops_ux_engine_bg.wasm', import.meta.url);
// The natives that optimize and deoptimize on demand, and an inlining budget large enough that each call
// path is inlined down to the WebAssembly call whatever the engine's JavaScript face grows to.
const FLAGS = [
  '--allow-natives-syntax',
  '--max-inlined-bytecode-size=2000',
  '--max-inlined-bytecode-size-cumulative=20000',
  '--max-inlined-bytecode-size-absolute=20000',
];

function runChild(path) {
  const child = spawnSync(process.execPath, [...FLAGS, CHILD, path], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(child.signal, null, `${path}: the process was killed by ${child.signal}\n${child.stderr.slice(0, 400)}`);
  assert.equal(child.status, 0, `${path}: exit ${child.status}\n${child.stderr.slice(0, 400)}`);
  const answer = JSON.parse(child.stdout.trim().split('\n').pop());
  assert.equal(answer.deoptimized, 1, `${path}: the caller was deoptimized during the call`);
  return answer.result;
}

describe('a caller deoptimized during an engine call', () => {
  for (const path of ['embedded-start', 'host-start']) {
    it(`${path}: the process survives and the run is started`, () => {
      const { run, deduped } = runChild(path);
      assert.equal(deduped, false);
      assert.equal(run.status, 'queued');
      assert.equal(run.id, 3002);
    });
  }

  it('embedded-status: a status-only update answers the running run', () => {
    const { run, changed } = runChild('embedded-status');
    assert.equal(changed, true);
    assert.equal(run.status, 'running');
    assert.equal(run.id, 3002);
  });

  for (const path of ['embedded-complete', 'host-complete']) {
    it(`${path}: a completion with a payload answers the sanitized run`, () => {
      const { run, changed } = runChild(path);
      assert.equal(changed, true);
      assert.equal(run.status, 'completed');
      assert.equal(run.outcome, 'failed');
      assert.deepEqual(run.failure_summary, [{ code: 'x', message: 'token=[REDACTED]' }]);
    });
  }
});

/** The functions a module exports, each with its result types (the binary's type, import, function and export sections). */
function exportedResults(bytes) {
  let at = 8;
  const u32 = () => {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      result |= (byte & 0x7f) << shift;
      if (byte < 0x80) return result >>> 0;
    }
  };
  const name = () => {
    const length = u32();
    at += length;
    return new TextDecoder().decode(bytes.subarray(at - length, at));
  };
  const valueType = () => {
    const type = bytes[at++];
    if (type === 0x63 || type === 0x64) at++; // (ref null? heaptype): one more byte for the heap types used here
    return type;
  };
  const types = [];
  const functionTypes = [];
  const exports = [];
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = u32();
    const end = at + size;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        assert.equal(bytes[at++], 0x60, 'a function type');
        for (let p = u32(); p > 0; p--) valueType();
        const results = [];
        for (let r = u32(); r > 0; r--) results.push(valueType());
        types.push(results);
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        name();
        name();
        const kind = bytes[at++];
        if (kind === 0) functionTypes.push(u32());
        else if (kind === 1) (valueType(), bytes[at++] & 1 ? (u32(), u32()) : u32());
        else if (kind === 2) (bytes[at++] & 1 ? (u32(), u32()) : u32());
        else if (kind === 3) (valueType(), at++);
      }
    } else if (id === 3) {
      for (let n = u32(); n > 0; n--) functionTypes.push(u32());
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const exported = name();
        const kind = bytes[at++];
        const index = u32();
        if (kind === 0) exports.push({ name: exported, results: types[functionTypes[index]] });
      }
    }
    at = end;
  }
  return exports;
}

describe('the shipped .wasm', () => {
  it('exports no function whose one result is a JS value (externref)', () => {
    const exports = exportedResults(new Uint8Array(readFileSync(WASM)));
    assert.ok(exports.length > 10, `found ${exports.length} exported functions`);
    assert.ok(exports.some((e) => e.name === 'rawengine_call'), 'the engine calls are among them');
    const EXTERNREF = 0x6f;
    const returningJs = exports.filter((e) => e.results.length === 1 && e.results[0] === EXTERNREF).map((e) => e.name);
    assert.deepEqual(returningJs, []);
  });
});
