// The failure-message pipeline of src/domain/sanitize/redact.rs, written the way a careful JavaScript
// developer would: the same window, one-line cleaning, the same seven redaction rules (regular expressions
// where they fit, hand scanning where the Rust rule has context a regex cannot say), repeated to a fixed
// point, then the same truncation. It exists so the benchmark compares equal work; bench/run.mjs prints how
// often it agrees with the engine on tests/corpus/ (it is a port, not a proof).

export const REDACTED = '[REDACTED]';
const MAX_PASSES = 4;
const MIN_WINDOW_CHARS = 2048;
const MAX_KEY_LEN = 128;
const MAX_TOKEN_BODY = 512;
const MIN_KEY_LIKE_LEN = 32;
const MIN_LONG_B64_LEN = 40;

export const windowChars = (maxChars) => Math.max(maxChars * 4, MIN_WINDOW_CHARS);

const BLANK = /[\p{White_Space}\p{Cc}]/u;
const BLANKS = /[\p{White_Space}\p{Cc}]+/gu;
/** Printable ASCII with single inner spaces: already one line (the common case skips the Unicode regex). */
const ONE_LINE_ASCII = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;

// Byte classes by char code (all the rules' delimiters are ASCII).
const isAlnumCode = (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isTokenCode = (c) => isAlnumCode(c) || c === 95 || c === 45; // _ -
const isKeyCode = (c) => isTokenCode(c) || c === 46; // . too

/** The whole pipeline for one message: window, one line, redact, truncate with "…". */
export function cleanMessage(input, maxChars) {
  if (maxChars === 0) return '';
  const limit = windowChars(maxChars);
  // The engine reads text as UTF-8, where a lone surrogate becomes U+FFFD.
  let text = input.isWellFormed() ? input : input.toWellFormed();
  input = text;
  let cut = false;
  if (input.length > limit) {
    // The first `limit` code points (UTF-16 length only over-counts, so short strings skip this).
    let end = 0;
    for (let n = 0; n < limit && end < input.length; n++) end += input.codePointAt(end) > 0xffff ? 2 : 1;
    if (end < input.length) {
      cut = true;
      text = input.slice(0, end);
      // Never hand the redactor half a token: back off to the last blank near the end.
      const next = String.fromCodePoint(input.codePointAt(end));
      const tailStart = Math.max(0, text.length - MAX_TOKEN_BODY);
      if (!BLANK.test(next)) {
        for (let i = text.length - 1; i >= tailStart && i > 0; i--) {
          if (BLANK.test(text[i])) {
            text = text.slice(0, i);
            break;
          }
        }
      }
    }
  }
  let line = text;
  if (!ONE_LINE_ASCII.test(text)) {
    line = text.replace(BLANKS, ' ');
    if (line.startsWith(' ')) line = line.slice(1);
    if (line.endsWith(' ')) line = line.slice(0, -1);
  }
  return truncate(redactSecrets(line), maxChars, cut);
}

function truncate(text, maxChars, alreadyCut) {
  if (!alreadyCut && (text.length <= maxChars || [...text].length <= maxChars)) return text;
  let end = 0;
  for (let n = 0; n < maxChars - 1 && end < text.length; n++) end += text.codePointAt(end) > 0xffff ? 2 : 1;
  let head = text.slice(0, end).trimEnd();
  const open = head.lastIndexOf('[');
  if (open >= 0) {
    const tail = head.slice(open);
    if (tail.length < REDACTED.length && REDACTED.startsWith(tail)) head = head.slice(0, open).trimEnd();
  }
  return `${head}…`;
}

/** Replaces every secret with [REDACTED], repeating until nothing changes (idempotence). */
export function redactSecrets(input) {
  let text = input;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const spans = findSecrets(text);
    if (spans.length === 0) break;
    let out = '';
    let pos = 0;
    for (const [s, e] of spans) {
      out += text.slice(pos, s) + REDACTED;
      pos = e;
    }
    text = out + text.slice(pos);
  }
  return text;
}

function findSecrets(text) {
  const spans = [];
  privateKeyBlocks(text, spans);
  authorizationSchemes(text, spans);
  urlCredentials(text, spans);
  secretPairs(text, spans);
  prefixedTokensAndJwts(text, spans);
  keyLikeRuns(text, spans);
  if (spans.length === 0) return spans;
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged = [];
  for (const [s, e] of spans) {
    if (s >= e) continue;
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged.filter(([s, e]) => text.slice(s, e) !== REDACTED);
}

const placeholderLike = (v) => v.startsWith(REDACTED) && !/[A-Za-z0-9]/.test(v.slice(REDACTED.length));

// Rule 6.
function privateKeyBlocks(t, spans) {
  let from = 0;
  for (;;) {
    const start = t.indexOf('-----BEGIN ', from);
    if (start < 0) return;
    const labelStart = start + 11;
    const labelEnd = t.slice(0, labelStart + 72).indexOf('-----', labelStart);
    if (labelEnd < 0) {
      from = labelStart;
      continue;
    }
    from = labelEnd + 5;
    if (!t.slice(labelStart, labelEnd).includes('PRIVATE KEY')) continue;
    const endWord = t.indexOf('-----END ', from);
    const dashes = endWord < 0 ? -1 : t.indexOf('-----', endWord + 9);
    const end = dashes < 0 ? t.length : dashes + 5;
    spans.push([start, end]);
    from = end;
  }
}

// Rule 1.
const SCHEME = /(bearer|basic|token|digest|negotiate|ntlm)[ \t]+/giy;
const SCHEME_START = /(?:bearer|basic|token|digest|negotiate|ntlm)[ \t]/gi;
const CREDENTIAL = /[^\s"'`,;)\]}>]*/y;
const DIGEST = /[A-Za-z0-9_-]{1,128}=(?:"[^"]*"?|[^,\s]*)(?:,[ \t]*[A-Za-z0-9_-]{1,128}=(?:"[^"]*"?|[^,\s]*))*/y;

function authorizationSchemes(t, spans) {
  SCHEME_START.lastIndex = 0;
  let m;
  while ((m = SCHEME_START.exec(t))) {
    SCHEME_START.lastIndex = m.index + 1;
    if (m.index > 0 && isAlnumCode(t.charCodeAt(m.index - 1))) continue;
    SCHEME.lastIndex = m.index;
    const s = SCHEME.exec(t);
    const start = m.index + s[0].length;
    if (s[1].toLowerCase() === 'digest') {
      DIGEST.lastIndex = start;
      const d = DIGEST.exec(t);
      if (d) {
        spans.push([start, start + d[0].length]);
        continue;
      }
    }
    CREDENTIAL.lastIndex = start;
    const token = CREDENTIAL.exec(t)[0];
    const end = start + token.length;
    const word = token.endsWith('.') || token.endsWith(':') ? token.slice(0, -1) : token;
    const prose = word.length > 0 && word.length < 20 && /^[A-Za-z]+$/.test(word);
    const authParam = token.endsWith('=') && t[end] === '"';
    if (/^[A-Za-z0-9+/]/.test(token) && !prose && !authParam) spans.push([start, end]);
  }
}

// Rule 3.
const AUTHORITY = /[^ \t\r\n/"'<>`\0]*/y;

function urlCredentials(t, spans) {
  let from = 0;
  for (;;) {
    const p = t.indexOf('://', from);
    if (p < 0) return;
    const host = p + 3;
    AUTHORITY.lastIndex = host;
    const authority = AUTHORITY.exec(t)[0];
    from = Math.max(host + authority.length, host);
    if (p === 0 || !isAlnumCode(t.charCodeAt(p - 1))) continue;
    const at = authority.lastIndexOf('@');
    if (at < 0) continue;
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) {
      const password = userinfo.slice(colon + 1);
      if (password && !placeholderLike(password)) spans.push([host + colon + 1, host + at]);
    } else if (((userinfo.length >= 16 && /\d/.test(userinfo)) || userinfo.length >= 24) && !placeholderLike(userinfo)) {
      spans.push([host, host + at]);
    }
  }
}

// Rule 4.
const SECRET_NAMES = ['password', 'passwd', 'passphrase', 'pwd', 'secret', 'token', 'apikey', 'accesskey', 'privatekey', 'credential', 'signature', 'session', 'cookie'];
const STRONG_NAMES = ['password', 'passwd', 'pwd', 'secret', 'apikey', 'accesskey', 'privatekey'];
const KEEP_WORDS = ['null', 'undefined', 'true', 'false', 'yes', 'no'];
const SCHEME_WORDS = ['bearer', 'basic', 'token', 'digest', 'negotiate', 'ntlm', 'aws4-hmac-sha256'];
/** Lowercase, without `-`, `_` and `.`: `X-Api-Key` and `api_key` both become `...apikey`. */
function normalizeKey(key) {
  const lower = key.toLowerCase();
  return lower.includes('-') || lower.includes('_') || lower.includes('.') ? lower.replace(/[-_.]/g, '') : lower;
}

function isSecretName(key, norm) {
  if (norm.endsWith('name') || norm.endsWith('type')) return false;
  for (const name of SECRET_NAMES) if (norm.includes(name)) return true;
  // `author`, `authority` are not secrets; `authorization` is.
  if (norm.includes('auth') && /auth(?!or(?!iz))/.test(norm)) return true;
  if (norm === 'sig' || norm.endsWith('pass') || norm.startsWith('sas') || norm.endsWith('sas')) return true;
  // `key`, `*_key`, `*-key`, `*.key`, `camelKey` (so `monkey` stays).
  const n = key.length;
  if (n < 3 || key.slice(n - 3).toLowerCase() !== 'key') return false;
  if (n === 3) return true;
  const c = key.charCodeAt(n - 4);
  return c === 95 || c === 45 || c === 46 || (key.endsWith('Key') && ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)));
}

function isUrl(value) {
  if (!value.includes('://')) return false;
  const m = /^[A-Za-z0-9+.-]{1,32}/.exec(value);
  return m !== null && value.startsWith('://', m[0].length);
}

function keepsValue(t, value, end, colonUnquoted) {
  if (value === '' || placeholderLike(value)) return true;
  const first = value.charCodeAt(0);
  // Masks (`***`) and SQL placeholders (`?`, `$1`).
  if (first === 42 && /^\*+$/.test(value)) return true;
  if (value === '?' || (first === 36 && /^\$\d+$/.test(value))) return true;
  // `"token": null}`, `(using password: YES)`: closing brackets are not part of the word.
  if (KEEP_WORDS.includes(value.replace(/[}\])]+$/, '').toLowerCase())) return true;
  if (isUrl(value)) return true;
  const next = t.charCodeAt(end);
  const spaceNext = next === 32 || next === 9 || next === 10 || next === 13 || next === 12;
  if (spaceNext && value.length <= 16 && SCHEME_WORDS.includes(value.toLowerCase())) return true;
  // `token: invalid signature`, `token: 401 Unauthorized`: the value is the start of a sentence.
  return colonUnquoted && next === 32 && /[A-Za-z]/.test(t[end + 1] ?? '') && (/^[A-Za-z]*$/.test(value) || /^\d{1,3}$/.test(value));
}

function unquotedValueEnd(t, v, cookie) {
  let e = v;
  for (; e < t.length; e++) {
    const c = t[e];
    if (c === '"' || c === "'" || c === '`' || /[\x00-\x08\x0b\x0e-\x1f\x7f]/.test(c)) break;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      if (cookie && t[e - 1] === ';' && e + 1 < t.length && !/\s/.test(t[e + 1])) continue;
      break;
    }
    if (!cookie && (c === '&' || c === ';' || c === ',')) break;
  }
  if (cookie) while (e > v && t[e - 1] === ';') e--;
  return e;
}

function innerSecretPair(value) {
  const eq = value.slice(0, MAX_KEY_LEN).indexOf('=');
  if (eq < 0) return -1;
  const key = value.slice(0, eq);
  return key && /^[A-Za-z0-9_.-]+$/.test(key) && isSecretName(key, normalizeKey(key)) ? eq : -1;
}

function pairValue(t, p, scan) {
  const colon = t[p] === ':';
  const next = t[p + 1];
  if ((colon && next === ':') || (!colon && next === '=')) return null;
  const afterSep = !colon && next === '>' ? p + 2 : p + 1;
  if (colon && t[p - 1] === ':') return null;
  let k = p;
  while (k > p - MAX_KEY_LEN - 1 && (t[k - 1] === ' ' || t[k - 1] === '\t')) k--;
  const spacedBefore = k < p;
  const keyQuoted = t[k - 1] === '"' || t[k - 1] === "'";
  if (keyQuoted) {
    k--;
    if (t[k - 1] === '\\') k--;
  }
  const keyEnd = k;
  let keyStart = keyEnd;
  while (keyStart > keyEnd - MAX_KEY_LEN - 1 && keyStart > 0 && isKeyCode(t.charCodeAt(keyStart - 1))) keyStart--;
  const key = t.slice(keyStart, keyEnd);
  if (key.length === 0 || key.length > MAX_KEY_LEN) return null;
  let v = afterSep;
  const spacedAfter = t[v] === ' ' || t[v] === '\t';
  if (colon || spacedBefore || afterSep === p + 2) while (t[v] === ' ' || t[v] === '\t') v++;
  const escapedQuote = t[v] === '\\' && t[v + 1] === '"';
  const valueQuoted = t[v] === '"' || t[v] === "'" || escapedQuote;
  const norm = normalizeKey(key);
  if (colon && !spacedAfter && !keyQuoted && !valueQuoted) {
    const pathish = key.includes('.') || t[keyStart - 1] === '/' || t[keyStart - 1] === '\\';
    if (pathish || t[afterSep] === '/' || !STRONG_NAMES.some((n) => norm.includes(n))) return null;
  }
  if (!isSecretName(key, norm)) return null;
  const cookie = norm.includes('cookie');
  let vs, ve;
  if (valueQuoted) {
    const open = escapedQuote ? v + 2 : v + 1;
    const quote = escapedQuote ? '"' : t[v];
    let close = open;
    while (close < t.length && t[close] !== quote && t[close] !== '\n') close++;
    if (escapedQuote && t[close - 1] === '\\') close--;
    [vs, ve] = [open, Math.max(close, open)];
  } else {
    const [start, end] = scan.value;
    ve = !cookie && start <= v && v < end ? end : unquotedValueEnd(t, v, cookie);
    if (!cookie) scan.value = [v, ve];
    vs = v;
  }
  const value = t.slice(vs, ve);
  if (keepsValue(t, value, ve, colon && !valueQuoted)) return null;
  if (!cookie) {
    const eq = innerSecretPair(value);
    if (eq >= 0) {
      const inner = value.slice(eq + 1);
      return inner && !placeholderLike(inner) ? [vs + eq + 1, ve] : null;
    }
  }
  return [vs, ve];
}

function secretPairs(t, spans) {
  const scan = { value: [0, 0] };
  for (let p = 0; p < t.length; p++) {
    const c = t.charCodeAt(p);
    if (c !== 61 && c !== 58) continue; // = :
    const span = pairValue(t, p, scan);
    if (span) {
      spans.push(span);
      p = Math.max(span[1], p + 1) - 1; // whatever is inside a redacted value needs no second look
    }
  }
}

// Rules 2 and 5.
const TOKEN_START = /(?:eyJ|github_pat_|gh[pousr]_|glpat-|xox[bpars]-|xapp-|sk_live_|sk_test_|rk_live_|pk_live_|whsec_|npm_|SG\.|sk-|AIza|A[KS]IA)/g;
const MIN_BODY = { github_pat_: 20, 'glpat-': 16, 'xapp-': 10, sk_live_: 16, sk_test_: 16, rk_live_: 16, pk_live_: 16, whsec_: 16, npm_: 36, 'SG.': 32, 'sk-': 20, AIza: 35 };
const JWT = /eyJ[A-Za-z0-9_-]{7,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*/y;
const AWS = /A[KS]IA[A-Z0-9]{16}(?![A-Za-z0-9])/y;
const BODY = /[A-Za-z0-9_-]{0,512}/y;
const SG_BODY = /[A-Za-z0-9_.-]{0,512}/y;

function prefixedTokensAndJwts(t, spans) {
  TOKEN_START.lastIndex = 0;
  let m;
  while ((m = TOKEN_START.exec(t))) {
    const i = m.index;
    const prefix = m[0];
    if (i > 0 && isTokenCode(t.charCodeAt(i - 1))) continue;
    let end = -1;
    if (prefix === 'eyJ') {
      JWT.lastIndex = i;
      if (JWT.exec(t)) end = JWT.lastIndex;
    } else if (prefix === 'AKIA' || prefix === 'ASIA') {
      AWS.lastIndex = i;
      if (AWS.exec(t)) end = AWS.lastIndex;
    } else {
      const body = prefix === 'SG.' ? SG_BODY : BODY;
      body.lastIndex = i + prefix.length;
      const text = body.exec(t)[0];
      const min = MIN_BODY[prefix] ?? (prefix.startsWith('gh') ? 20 : 10);
      const random =
        prefix === 'sk-' ? /\d/.test(text) && /[A-Z]/.test(text) && /[a-z]/.test(text) : /[\dA-Z]/.test(text);
      if (text.length >= min && random) end = i + prefix.length + text.length;
    }
    if (end > i) {
      spans.push([i, end]);
      TOKEN_START.lastIndex = end;
    }
  }
}

// Rule 7.
const isRunCode = (c) => isAlnumCode(c) || c === 43 || c === 47 || c === 95 || c === 46 || c === 45; // + / _ . -

function keyLikeRuns(t, spans) {
  const n = t.length;
  let i = 0;
  while (i < n) {
    if (!isRunCode(t.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < n && isRunCode(t.charCodeAt(end))) end++;
    // `=` is base64 padding only at the end of a run; elsewhere (`key=value`) it separates.
    let padded = end;
    while (padded < n && t.charCodeAt(padded) === 61) padded++;
    if (padded > end && !(padded < n && isRunCode(t.charCodeAt(padded)))) end = padded;
    if (end - i >= MIN_KEY_LIKE_LEN) checkRun(t, i, end, spans);
    i = end;
  }
}

function trim(t, s, e, strip) {
  while (s < e && strip.includes(t[s])) s++;
  while (e > s && strip.includes(t[e - 1])) e--;
  return [s, e];
}

function checkRun(t, start, end, spans) {
  const [s, e] = trim(t, start, end, './');
  if (e - s < MIN_KEY_LIKE_LEN) return;
  const run = t.slice(s, e);
  if (!looksLikePath(run)) return checkPiece(t, s, e, spans);
  let pieceStart = s;
  for (let k = 0; k < run.length; k++) {
    if (run[k] !== '/') continue;
    checkPiece(t, pieceStart, s + k, spans);
    pieceStart = s + k + 1;
  }
  checkPiece(t, pieceStart, e, spans);
}

const isLowerCode = (c) => c >= 97 && c <= 122;
const isDigitCode = (c) => c >= 48 && c <= 57;
const isUpperCode = (c) => c >= 65 && c <= 90;
const isHexCode = (c) => isDigitCode(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** Some `/`-separated piece starts with a lowercase word of 2+ letters followed by nothing or `._-`. */
function looksLikePath(run) {
  if (!run.includes('/')) return false;
  let start = 0;
  for (let k = 0; k <= run.length; k++) {
    if (k < run.length && run.charCodeAt(k) !== 47) continue;
    let w = start;
    while (w < k && isLowerCode(run.charCodeAt(w))) w++;
    const after = run.charCodeAt(w);
    if (w - start >= 2 && (w === k || after === 46 || after === 95 || after === 45)) return true;
    start = k + 1;
  }
  return false;
}

function checkPiece(t, start, end, spans) {
  const [s, e] = trim(t, start, end, '.');
  if (e - s >= MIN_KEY_LIKE_LEN && isKeyLike(t.slice(s, e))) spans.push([s, e]);
}

/** Calls `fn(start, end)` for each part of `text` between separator codes; true when `fn` ever is. */
function someParts(text, isSeparator, fn) {
  let start = 0;
  for (let k = 0; k <= text.length; k++) {
    if (k < text.length && !isSeparator(text.charCodeAt(k))) continue;
    if (fn(start, k)) return true;
    start = k + 1;
  }
  return false;
}
const isDotUnderDash = (c) => c === 46 || c === 95 || c === 45;
const isDotUnderDashSlash = (c) => isDotUnderDash(c) || c === 47;

function isKeyLike(piece) {
  let digit = false;
  let lower = false;
  let upper = false;
  let hexOrDash = true;
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i);
    digit ||= isDigitCode(c);
    lower ||= isLowerCode(c);
    upper ||= isUpperCode(c);
    hexOrDash &&= isHexCode(c) || c === 45;
  }
  // UUIDs, hashes, trace ids.
  if (hexOrDash) return false;
  // Dotted type names, hostnames, snake_case, paths: every part reads as a word or number.
  if (!someParts(piece, isDotUnderDashSlash, (s, e) => !isWordShaped(piece, s, e))) return false;
  if (digit && lower && upper) return true;
  return someParts(piece, isDotUnderDash, (s, e) => {
    if (e - s < MIN_LONG_B64_LEN) return false;
    let d = false;
    let a = false;
    let hexOrPad = true;
    for (let i = s; i < e; i++) {
      const c = piece.charCodeAt(i);
      d ||= isDigitCode(c);
      a ||= isLowerCode(c) || isUpperCode(c);
      hexOrPad &&= isHexCode(c) || c === 61;
    }
    return d && a && !hexOrPad;
  });
}

/** Short alphanumeric parts always; longer ones when they change between digits, lower and upper case rarely. */
function isWordShaped(text, s, e) {
  for (let i = s; i < e; i++) if (!isAlnumCode(text.charCodeAt(i))) return false;
  if (e - s <= 8) return true;
  let transitions = 0;
  let digitRuns = 0;
  let prev = -1;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    const now = c <= 57 ? 0 : c <= 90 ? 2 : 1; // digit, uppercase, lowercase
    if (now !== prev) {
      if (prev !== -1) transitions++;
      if (now === 0) digitRuns++;
    }
    prev = now;
  }
  return digitRuns <= 1 && transitions * 3 <= e - s;
}
