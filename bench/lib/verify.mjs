// Before anything is timed: the baselines must do the same work. The plain-JS baseline has to give the
// engine's own answers on the benchmark's inputs (a deep-equal check, fixed clock), and its failure
// sanitizer is compared with the engine's on the redaction corpus and on generated mixes of it. A
// baseline that gives other answers on the benchmark's inputs stops the run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as engineApi from 'ops-ux-engine';
import * as plain from '../baselines/plain.js';
import { xstateLifecycle } from '../baselines/xstate.js';
import { ACTIVE_RUNS, RUNNING_RUN, SCOPE, START, TO_RUNNING, TYPICAL_COMPLETION, TYPICAL_COUNTS, TYPICAL_FAILURES, hostile } from './inputs.mjs';

const clock = () => Date.UTC(2026, 11, 4, 17, 33, 11, 410);
// Refusals are compared by code: the messages are worded differently.
const verdict = (v) => (v.ok ? v : { ok: false, code: v.error.code });

/** Throws when the plain baseline's answers differ from the engine's; returns corpus agreement figures. */
export async function verifyBaselines() {
  const trace = async (target) => {
    const started = await target.startRun(START);
    const again = await target.startRun(START);
    const running = await target.updateRun(SCOPE, started.run.id, TO_RUNNING);
    const done = await target.updateRun(SCOPE, started.run.id, TYPICAL_COMPLETION);
    const retry = await target.updateRun(SCOPE, started.run.id, { status: 'completed', outcome: 'partially_succeeded' });
    return { started, again, running, done, retried: retry.changed };
  };
  const e = await trace(await engineApi.createEngine({ clock }));
  const p = await trace(plain.createPlainEngine({ clock }));
  assert.deepEqual(p, e, 'the plain-JS lifecycle must give the engine’s answers');
  assert.equal(e.done.notifications.length, 1);
  assert.equal(xstateLifecycle().value, 'completed');

  const updates = [TO_RUNNING, TYPICAL_COMPLETION, { status: 'queued' }, { status: 'completed' }, { outcome: 'failed' }, { summary_counts: TYPICAL_COUNTS }];
  for (const u of updates) {
    for (const run of [RUNNING_RUN, { ...RUNNING_RUN, status: 'queued' }, { ...RUNNING_RUN, status: 'completed', outcome: 'failed' }]) {
      assert.deepEqual(verdict(plain.checkUpdate(run, u)), verdict(engineApi.checkUpdate(run, u)), `checkUpdate ${JSON.stringify([run.status, u])}`);
    }
  }
  assert.deepEqual(plain.planStart(ACTIVE_RUNS, START), engineApi.planStart(ACTIVE_RUNS, START));
  assert.deepEqual(plain.planStart(ACTIVE_RUNS.slice(0, 4), START), engineApi.planStart(ACTIVE_RUNS.slice(0, 4), START));

  const h = hostile();
  for (const input of [TYPICAL_COUNTS, h.manyKeys]) {
    assert.deepEqual(plain.sanitizeSummaryCounts(input), engineApi.sanitizeSummaryCounts(input));
  }
  for (const input of [TYPICAL_FAILURES, h.hugeMessage, h.manyEntries]) {
    assert.deepEqual(plain.sanitizeFailureSummary(input), engineApi.sanitizeFailureSummary(input));
  }
  return corpusAgreement();
}

/**
 * How often the plain redactor gives exactly the engine's entry: on every message of tests/corpus/ (secrets
 * and ordinary), and on deterministic mixes of corpus fragments and delimiters (long ones past the window
 * too). Returns {total, same, differing}.
 */
function corpusAgreement(mixes = 2000) {
  const read = (name) => readFileSync(new URL(`../../tests/corpus/${name}`, import.meta.url), 'utf8').split('\n').filter(Boolean);
  const corpus = [...read('secrets.txt').map((l) => l.slice(l.indexOf('\t') + 1)), ...read('ordinary.txt')];
  let seed = 5;
  const rnd = (n) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const bits = ' =:;&,"\'/\\@._-+[]{}()\n\tBearer token password=api_key: eyJ ghp_ sk- :// null} *** $1 ? monkey= author=ü';
  const generated = Array.from({ length: mixes }, () => {
    const parts = [];
    for (let k = 0; k <= rnd(3); k++) {
      const line = corpus[rnd(corpus.length)];
      const a = rnd(line.length);
      parts.push(line.slice(a, a + rnd(line.length - a + 1)));
    }
    for (let k = rnd(5); k > 0; k--) parts.push(bits.slice(rnd(bits.length), rnd(bits.length) + rnd(10)));
    const text = parts.join(rnd(2) ? ' ' : '');
    return rnd(10) === 0 ? text.repeat(100) : text;
  });
  const differing = [];
  for (const message of [...corpus, ...generated]) {
    const entry = [{ code: message.slice(0, 80), message }];
    const mine = plain.sanitizeFailureSummary(entry)[0];
    const theirs = engineApi.sanitizeFailureSummary(entry)[0];
    if (JSON.stringify(mine) !== JSON.stringify(theirs)) differing.push({ message, plain: mine, engine: theirs });
  }
  return { corpus: corpus.length, total: corpus.length + generated.length, same: corpus.length + generated.length - differing.length, differing };
}
