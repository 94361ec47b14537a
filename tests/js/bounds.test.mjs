// Input the engine would ignore is cut before it is copied in: the result is the same as the engine's on
// the whole input, and huge input is neither refused for its size nor slow.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, sanitizeFailureSummary, sanitizeSummaryCounts } from 'ops-ux-engine';
import { SCOPE, request } from './support/helpers.mjs';

const entry = (i) => ({ code: `E${i}`, message: `failure ${i}: Authorization: Bearer abcdefghijklmnopqrstuvwxyz${i}` });
/** JSON over 1 MiB, the engine's input limit: refused unless it is cut first. */
const HUGE = 20_000;

describe('failure lists longer than the cap', () => {
  it('keep their first maxFailures entries, whatever the length', () => {
    const list = Array.from({ length: HUGE }, (_, i) => entry(i));
    assert.ok(JSON.stringify(list).length > 1024 * 1024);
    const out = sanitizeFailureSummary(list);
    assert.deepEqual(out, sanitizeFailureSummary(list.slice(0, 10)));
    assert.equal(out.length, 10);
    assert.equal(sanitizeFailureSummary(list, { limits: { maxFailures: 3 } }).length, 3);
  });

  it('entries the sanitizer drops (numbers, null, arrays) do not count towards the cap', () => {
    const junk = Array.from({ length: 100 }, (_, i) => [i, null, [i]][i % 3]);
    const list = [...junk, ...Array.from({ length: HUGE }, (_, i) => entry(i))];
    const out = sanitizeFailureSummary(list);
    assert.deepEqual(out.map((e) => e.code), Array.from({ length: 10 }, (_, i) => `E${i}`));
  });

  it('objects with toJSON or another prototype are sent as they are and judged by the engine', () => {
    const dated = { toJSON: () => 'written by toJSON' };
    const list = [...Array.from({ length: 100 }, () => dated), ...Array.from({ length: 100 }, (_, i) => entry(i))];
    const out = sanitizeFailureSummary(list);
    assert.equal(out.length, 10);
    assert.deepEqual(out[0], { code: 'unknown', message: 'written by toJSON' });
  });

  it('updateRun stores the first entries of a list over the input limit', async () => {
    const engine = await createEngine();
    const { run } = await engine.startRun(request());
    const list = Array.from({ length: HUGE }, (_, i) => entry(i));
    const { run: updated } = await engine.updateRun(SCOPE, run.id, { failure_summary: list });
    assert.deepEqual(updated.failure_summary, sanitizeFailureSummary(list.slice(0, 10)));
    assert.ok(!JSON.stringify(updated).includes('abcdefghijklmnopqrstuvwxyz'), 'still redacted');
  });

  it('a hostile entry that throws on read is an input error, and the engine goes on', async () => {
    const engine = await createEngine();
    const { run } = await engine.startRun(request());
    const hostile = new Proxy({}, { getPrototypeOf() { throw new Error('trap'); } });
    const list = [...Array.from({ length: 100 }, () => hostile), entry(1)];
    await assert.rejects(engine.updateRun(SCOPE, run.id, { failure_summary: list }), { code: 'E_INVALID_INPUT' });
    assert.equal((await engine.updateRun(SCOPE, run.id, { status: 'running' })).changed, true);
  });
});

describe('counters with many keys', () => {
  const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`noise${i}`, i]));

  it('keep the whitelisted ones, as the engine does on the whole object', () => {
    const counts = { ...many, processed: 4, total: 10, failed: -1 };
    assert.deepEqual(sanitizeSummaryCounts(counts), { processed: 4, total: 10 });
    assert.deepEqual(sanitizeSummaryCounts(counts, { summaryKeys: ['noise7', 'total'] }), { noise7: 7, total: 10 });
  });

  it('the other keys of a large object are never read, so none of them is copied in', () => {
    const counts = { ...many, processed: 4 };
    Object.defineProperty(counts, 'noiseRead', { enumerable: true, get() { throw new Error('read a key the engine drops'); } });
    assert.deepEqual(sanitizeSummaryCounts(counts), { processed: 4 });
  });

  it('updateRun merges only whitelisted counters from a huge object', async () => {
    const engine = await createEngine({ summaryKeys: ['processed', 'noise9999'] });
    const { run } = await engine.startRun(request());
    const { run: updated } = await engine.updateRun(SCOPE, run.id, { summary_counts: { ...many, processed: 3 } });
    assert.deepEqual(updated.summary_counts, { noise9999: 9999, processed: 3 });
  });

  it('non-enumerable keys stay out, as JSON.stringify leaves them out', () => {
    const counts = { ...many };
    Object.defineProperty(counts, 'total', { value: 5, enumerable: false });
    assert.deepEqual(sanitizeSummaryCounts(counts), {});
  });
});
