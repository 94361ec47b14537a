// Proves failure messages are redacted (every secret form of the spec), kept when harmless, one line, and bounded — in the pure sanitizer and in storage.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, sanitizeFailureSummary } from 'ops-ux-engine';
import { ReferenceStore } from './support/stores.mjs';
import { SCOPE, request } from './support/helpers.mjs';

const REDACTED = '[REDACTED]';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const KEY40 = 'Zk3mQ9pLx7RtV2bN8cWdF4gHj6KsA1eYu5oTi0Pq';

/** [what, message, secrets that must vanish, exact expected output (optional)] */
const SECRETS = [
  ['bearer token', 'GET /api failed: Authorization: Bearer abcdef0123456789ABCDEFghijkl', ['abcdef0123456789ABCDEFghijkl'],
    'GET /api failed: Authorization: Bearer [REDACTED]'],
  ['bearer token mid-sentence', 'Authorization: Bearer abcdefghijklmnop1234567890, retrying', ['abcdefghijklmnop1234567890'],
    'Authorization: Bearer [REDACTED], retrying'],
  ['basic credentials', 'Authorization: Basic dXNlcjpwYXNzd29yZA==', ['dXNlcjpwYXNzd29yZA'], 'Authorization: Basic [REDACTED]'],
  ['JWT', `token ${JWT} rejected`, JWT.split('.')],
  ['JWT alone', JWT, JWT.split('.'), REDACTED],
  ['password in URL', 'fetch https://admin:pa55word@host.example.com/path failed', ['pa55word'],
    'fetch https://admin:[REDACTED]@host.example.com/path failed'],
  ['keys in a query string', 'GET https://api.example.com/v1/items?api_key=AbC123xyz&token=tok98765&page=2 -> 401',
    ['AbC123xyz', 'tok98765'], 'GET https://api.example.com/v1/items?api_key=[REDACTED]&token=[REDACTED]&page=2 -> 401'],
  ['password=…', 'login failed password=hunter2 for user bob', ['hunter2'], 'login failed password=[REDACTED] for user bob'],
  ['client_secret=…', 'oauth client_secret=s3cr3tValue expired', ['s3cr3tValue'], 'oauth client_secret=[REDACTED] expired'],
  ['quoted JSON pair', '{"password": "hunter2", "user": "bob"}', ['hunter2'], '{"password": "[REDACTED]", "user": "bob"}'],
  ['x-api-key header', 'x-api-key: Zk3mQ9pLx7Rt', ['Zk3mQ9pLx7Rt']],
  ['postgres URL', 'connect postgres://app:s3cret@db/x refused', ['s3cret'], 'connect postgres://app:[REDACTED]@db/x refused'],
  ['ADO.NET connection string', 'Server=db.internal;Database=app;User Id=sa;Password=P@ssw0rd!;Encrypt=true', ['P@ssw0rd!'],
    'Server=db.internal;Database=app;User Id=sa;Password=[REDACTED];Encrypt=true'],
  ['mongodb+srv URL', 'mongodb+srv://user:p%40ss@cluster0.mongodb.net/db', ['p%40ss']],
  ['40-char key-like string', `upload failed with key ${KEY40} for bucket`, [KEY40], 'upload failed with key [REDACTED] for bucket'],
  ['GitHub token', 'push denied for ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8', ['ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8', 'A1b2C3d4E5f6']],
  ['AWS access key', 'aws AKIAIOSFODNN7EXAMPLE denied', ['AKIAIOSFODNN7EXAMPLE']],
  ['PEM private key', 'bad key -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY----- end', ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASC']],
];

const ORDINARY = [
  'Failed to read /var/lib/app/data/file.json',
  'Tenant 3f2504e0-4f89-11d3-9a0c-0305e82c3301 not found',
  'Processed 42 of 100 items (3 failed, 55 skipped)',
  'Started at 2026-01-02T03:04:05.678Z, timed out after 30s',
  'C:\\Users\\svc\\AppData\\Local\\Temp\\export_2026_01.csv locked',
  'Google.Cloud.Storage.V1.StorageClient threw',
  'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 mismatch',
  'Microsoft.Graph.ServiceException: Code: Request_ResourceNotFound',
  'at src/domain/sanitize/redact.rs:42:7',
  'HTTP 429 Too Many Requests; Retry-After: 120',
  'host db-primary.eu-west-1.rds.amazonaws.com:5432 unreachable',
  'monkey=banana author=alice',
  'The token has expired; sign in again',
  'Bearer token missing',
  'Café crème — naïve résumé 日本語 ✓',
];

const clean = (message, options) => sanitizeFailureSummary([{ code: 'e', message }], options)[0].message;

/** Deterministic 40-char strings of [A-Za-z0-9] holding a digit, a lowercase and an uppercase letter. */
function keyLikeStrings(count, seed = 0x5eed) {
  let s = seed;
  const next = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const out = [];
  while (out.length < count) {
    const k = Array.from({ length: 40 }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    if (/\d/.test(k) && /[a-z]/.test(k) && /[A-Z]/.test(k)) out.push(k);
  }
  return out;
}

function assertRedacted(output, secrets, label) {
  for (const secret of secrets) assert.ok(!output.includes(secret), `${label}: "${secret}" leaked in ${JSON.stringify(output)}`);
  assert.ok(output.includes(REDACTED), `${label}: no ${REDACTED} in ${JSON.stringify(output)}`);
}

describe('redaction in sanitizeFailureSummary', () => {
  for (const [what, message, secrets, exact] of SECRETS) {
    it(`redacts a ${what}`, () => {
      const out = clean(message);
      assertRedacted(out, secrets, what);
      if (exact !== undefined) assert.equal(out, exact);
      assert.equal(clean(out), out, 'redacting again changes nothing');
    });
  }

  it('redacts random 40-char mixed-case key-like strings wherever they stand', () => {
    for (const key of keyLikeStrings(25)) {
      for (const message of [key, `key ${key} rejected`, `(${key})`, `value=${key}`, `"${key}"`]) {
        assertRedacted(clean(message), [key, key.slice(0, 12), key.slice(-12)], message);
      }
    }
  });

  it('redacts secrets in code and reason_code too', () => {
    const [entry] = sanitizeFailureSummary([{ code: `auth ${JWT}`, reason_code: `password=hunter2`, message: 'x' }]);
    for (const part of [...JWT.split('.'), 'hunter2']) assert.ok(!JSON.stringify(entry).includes(part), JSON.stringify(entry));
  });

  it('redacts every secret when many share one message', () => {
    const all = SECRETS.map(([, m]) => m).join(' | ');
    const out = clean(all, { limits: { maxMessageLength: 4000 } });
    for (const [what, , secrets] of SECRETS) {
      for (const s of secrets) assert.ok(!out.includes(s), `${what}: "${s}" leaked`);
    }
  });

  for (const message of ORDINARY) {
    it(`keeps an ordinary message: ${message}`, () => {
      assert.equal(clean(message), message);
    });
  }
});

describe('one line, bounded', () => {
  it('collapses \\n, \\r, \\t and other line breaks into single spaces and trims', () => {
    assert.equal(clean('  first\nsecond\r\nthird\tfourth\u2028fifth\u2029sixth\u000bseventh\f  '), 'first second third fourth fifth sixth seventh');
    assert.equal(clean('a\n\n\n\t  b'), 'a b');
  });

  it('cuts long messages to 240 characters ending with "…"', () => {
    const out = clean('word '.repeat(400));
    assert.ok([...out].length <= 240, `${[...out].length}`);
    assert.ok(out.endsWith('…'));
    assert.ok(out.startsWith('word word'));
    const exact = 'x'.repeat(240);
    assert.equal(clean(exact), exact, 'a message of exactly the limit is not cut');
    assert.equal(clean('x'.repeat(241)), `${'x'.repeat(239)}…`);
    const astral = '😀'.repeat(300);
    assert.equal([...clean(astral)].length, 240, 'the limit counts characters, not UTF-16 units');
    assert.ok(clean(astral).isWellFormed());
  });

  it('never leaks part of a secret that straddles the cut', () => {
    for (let pad = 200; pad <= 240; pad += 4) {
      for (const tail of [` password=supersecretvalue123`, ` ${KEY40}`, ` Bearer abcdef0123456789ABCDEFghijkl`]) {
        const out = clean('y'.repeat(pad) + tail);
        assert.ok([...out].length <= 240);
        for (const fragment of ['supersec', KEY40.slice(0, 6), 'abcdef0123']) assert.ok(!out.includes(fragment), `${pad}: ${out.slice(-40)}`);
        assert.doesNotMatch(out, /\[[A-Z]*…$/, 'no half placeholder such as "[REDAC…"');
      }
    }
  });

  it('a secret beyond a huge message is not leaked either', () => {
    const out = clean(`${'z '.repeat(3000)} password=hunter2 ${KEY40}`);
    assert.ok(!out.includes('hunter2') && !out.includes(KEY40));
  });
});

describe('redaction in storage', () => {
  for (const kind of ['embedded', 'ReferenceStore']) {
    it(`a completion's stored failure_summary holds no secret (${kind})`, async () => {
      const store = kind === 'embedded' ? undefined : new ReferenceStore();
      const engine = await createEngine({ store, limits: { maxFailures: 100 } });
      const { run } = await engine.startRun(request());
      await engine.updateRun(SCOPE, run.id, { status: 'running' });
      const failures = SECRETS.map(([what, message]) => ({ code: 'sync.failed', reason_code: what.replace(/\W+/g, '_'), message }));
      const done = await engine.updateRun(SCOPE, run.id, { status: 'completed', outcome: 'failed', failure_summary: failures });
      const stored = await engine.getRun(SCOPE, run.id);
      assert.deepEqual(stored, done.run);
      assert.equal(stored.failure_summary.length, SECRETS.length);
      const texts = [JSON.stringify(stored), JSON.stringify(done), store ? JSON.stringify(store.dump()) : ''];
      for (const [what, , secrets] of SECRETS) {
        for (const s of secrets) for (const t of texts) assert.ok(!t.includes(s), `${what}: "${s}" reached storage`);
      }
      for (const [i, f] of stored.failure_summary.entries()) {
        assert.equal(f.message, clean(SECRETS[i][1]), 'storage holds exactly what the pure sanitizer gives');
        assert.ok(f.message.includes(REDACTED));
      }
    });
  }
});

// A worker that fails with a multi-megabyte message must still be able to complete its run.
describe('huge failure messages', () => {
  const hugeMessage = `${'Bearer ghp_0123456789abcdefghijABCDEFGHIJ0123 at frame '.repeat(100_000)}END`;

  it('a completion carrying a 5 MB message completes, cut and redacted', async () => {
    const engine = await createEngine();
    const scope = { workspace_id: 1, tenant_id: 2 };
    const { run } = await engine.startRun({ ...scope, user_id: 7, type: 'inventory.sync' });
    await engine.updateRun(scope, run.id, { status: 'running' });
    const done = await engine.updateRun(scope, run.id, {
      status: 'completed',
      outcome: 'failed',
      failure_summary: [{ code: 'crash', message: hugeMessage }],
    });
    assert.equal(done.run.status, 'completed');
    const [entry] = done.run.failure_summary;
    assert.equal([...entry.message].length, 240);
    assert.ok(entry.message.endsWith('…'));
    assert.ok(!entry.message.includes('ghp_0123'), entry.message);
    assert.equal(done.notifications.length, 1);
  });

  it('cutting before the boundary changes nothing in the result', () => {
    const whole = sanitizeFailureSummary([hugeMessage, { code: 'x', message: '😀'.repeat(50_000) }]);
    const short = sanitizeFailureSummary([hugeMessage.slice(0, 20_000), { code: 'x', message: '😀'.repeat(20_000) }]);
    assert.deepEqual(whole, short);
  });
});
