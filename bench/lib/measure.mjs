// Timing: every case runs in batches long enough for the clock, after warm-up rounds, and the cases of one
// comparison are interleaved round by round (A B C, B C A, …) so drift and GC hit them alike. Each case
// reports the median of its samples and their spread; a ratio comes from the same rounds.

export const QUICK = process.env.BENCH_QUICK === '1';
export const SAMPLES = QUICK ? 5 : 11;
export const WARMUP = QUICK ? 1 : 2;
export const SAMPLE_MS = QUICK ? 10 : 40;

/** Median, quartiles and extremes of `xs` (linear interpolation between order statistics). */
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => {
    const i = (s.length - 1) * p;
    const lo = Math.floor(i);
    const hi = Math.ceil(i);
    return s[lo] + (s[hi] - s[lo]) * (i - lo);
  };
  return { median: q(0.5), q1: q(0.25), q3: q(0.75), min: s[0], max: s[s.length - 1], samples: xs };
}

/** Milliseconds per operation of one batch of `n`; `setup(n)` (untimed) prepares what `run` consumes. */
async function timeBatch(c, n) {
  const state = c.setup ? await c.setup(n) : undefined;
  const t0 = performance.now();
  const out = c.run(n, state);
  if (out !== undefined && typeof out.then === 'function') await out;
  return (performance.now() - t0) / n;
}

/** The batch size that makes one sample last about `sampleMs`. */
async function calibrate(c, sampleMs) {
  if (c.batch) return c.batch;
  const max = c.maxBatch ?? 1e7;
  let n = 1;
  for (;;) {
    const ms = (await timeBatch(c, n)) * n;
    if (ms >= sampleMs || n >= max) return n;
    n = Math.min(max, Math.max(n * 2, Math.ceil((n * sampleMs * 1.2) / Math.max(ms, 0.005))));
  }
}

/**
 * Times `cases` ({key, run(n, state), setup?, batch?, maxBatch?}) in interleaved rounds; `sampleMs` is how
 * long one sample should last (longer for I/O-bound cases, whose single operations vary more).
 * Returns {key: stats} with times in nanoseconds per operation.
 */
export async function compare(cases, { sampleMs = SAMPLE_MS } = {}) {
  const batches = [];
  for (const c of cases) batches.push(await calibrate(c, sampleMs));
  const samples = cases.map(() => []);
  for (let round = 0; round < WARMUP + SAMPLES; round++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (k + round) % cases.length;
      const ms = await timeBatch(cases[i], batches[i]);
      if (round >= WARMUP) samples[i].push(ms * 1e6);
    }
  }
  return Object.fromEntries(cases.map((c, i) => [c.key, { ...stats(samples[i]), batch: batches[i] }]));
}

/** a ÷ b: the ratio of medians, and the spread of the per-round ratios (both sampled in the same rounds). */
export function ratio(a, b) {
  const perRound = a.samples.map((x, i) => x / b.samples[i]);
  const s = stats(perRound);
  return { value: a.median / b.median, min: s.min, max: s.max };
}
