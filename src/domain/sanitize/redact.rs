//! Secret redaction and one-line cleaning for the messages a run records.
//!
//! Failure messages come from exception texts and end up in dashboards and databases, so
//! [`redact_secrets`] replaces every secret it recognises with [`REDACTED`], keeping the harmless
//! part that says what it was. Hand-written byte scanning, no regex crate (the wasm binary's size
//! matters). The rules:
//!
//! 1. **Authorization schemes**: `Bearer`, `Basic`, `Token`, `Digest`, `Negotiate`, `NTLM` (any
//!    case) followed by whitespace: the credential after it goes (`Bearer [REDACTED]`; for `Digest`
//!    its whole `name="value", ...` list). A plain word after it (`Bearer token`) is prose, kept.
//! 2. **JWTs**: `eyJ…` `.` `…` `.` `…` (base64url segments; JWE's five too): all of it.
//! 3. **URL credentials**: `scheme://user:password@host` keeps the user
//!    (`postgres://app:[REDACTED]@db:5432/x`), any scheme; a key-like `scheme://token@host`
//!    (16+ characters with a digit, or 24+) loses the token.
//! 4. **Secret-named pairs**: `key=value`, `key = value`, `key: value`, `"key": "value"`,
//!    `key => value`, `?key=value&`, `;`-separated connection strings. The key name
//!    (case-insensitive, `-` `_` `.` ignored) contains password, passwd, passphrase, pwd, secret,
//!    token, apikey, accesskey, privatekey, credential, auth (not author/authority), signature,
//!    session or cookie; starts or ends with sas; ends with pass; is `sig`; or is `key` or ends in
//!    `_key` `-key` `.key` `Key` (so `monkey=` stays) — but not when it ends in name or type
//!    (`SharedAccessKeyName`). The value ends at whitespace, `&`, `;`, `,` or a quote; quoted values
//!    keep their quotes (`"password": "[REDACTED]"`); a `Cookie:` value runs over its `; ` pairs.
//!    Kept: empty values, null/undefined/true/false/yes/no, masks (`***`), SQL placeholders (`?`,
//!    `$1`), URLs (rule 3 looks inside), a scheme word (rule 1 follows), and after `key: ` a word or
//!    status that starts a sentence (`token: invalid signature`, `token: 401 Unauthorized`).
//!    A bare `key:value` (no space, no quotes) counts only for password/secret/api key names.
//! 5. **Known token prefixes** (whole token): `ghp_ gho_ ghu_ ghs_ ghr_ github_pat_ glpat- xoxb-
//!    xoxp- xoxa- xoxr- xoxs- xapp- sk_live_ sk_test_ rk_live_ pk_live_ whsec_ npm_ SG. sk- AIza`
//!    with a long enough body holding a digit or an uppercase letter; `AKIA`/`ASIA` + exactly 16
//!    uppercase letters or digits.
//! 6. **Private key blocks**: `-----BEGIN … PRIVATE KEY-----` through the next `-----END …-----`,
//!    or to the end of the text when there is no END.
//! 7. **Long key-like strings**: a run of `[A-Za-z0-9+/_.-]` (plus trailing `=` padding) of 32+
//!    characters with a digit, a lowercase and an uppercase letter, or with a 40+ character
//!    stretch of `[A-Za-z0-9+/=]` holding a digit and a letter and not pure hex. Kept: hex with
//!    dashes (UUIDs, git SHAs, hashes, trace ids), runs whose `._-/`-separated parts all read as
//!    words or numbers (`Google.Cloud.Storage.V1.StorageClient`, hostnames, snake_case), and
//!    paths: when some `/`-separated piece starts with a lowercase word, each piece is judged alone.
//!
//! Redaction is idempotent (it repeats until nothing changes: one pass for clean text, two for most
//! secrets, never more than [`MAX_PASSES`]), never panics and is linear in the input size. [`clean_message`] is the pipeline for one recorded message.

use std::borrow::Cow;

/// The placeholder every redacted secret becomes.
pub const REDACTED: &str = "[REDACTED]";

/// Passes until nothing changes. Real messages need 1 or 2; a crafted chain in which each redaction
/// exposes the next key-like run needs one per link (`make fuzz` found chains of 5). The bound keeps the
/// worst case linear: at most this many passes over a window `clean_message` has already bounded.
const MAX_PASSES: usize = 64;
/// Minimum window of input characters [`clean_message`] looks at.
const MIN_WINDOW_CHARS: usize = 2048;
/// Longest key name the pair rule considers; longer "keys" are text, not field names.
const MAX_KEY_LEN: usize = 128;
/// A known-prefix token body is scanned at most this far (keeps pathological input linear).
const MAX_TOKEN_BODY: usize = 512;
const MIN_KEY_LIKE_LEN: usize = 32;
const MIN_LONG_B64_LEN: usize = 40;

/// A byte range of the text to replace.
type Span = (usize, usize);

/// Replaces every secret in `input` with REDACTED, keeping the harmless part that says what it was
/// (e.g. "Authorization: Bearer [REDACTED]", "password=[REDACTED]", "postgres://app:[REDACTED]@db:5432/x").
pub fn redact_secrets(input: &str) -> String {
    // Redacting can change a neighbour's context (a run now ends at `]`), so repeat to a fixed
    // point: that is what makes redact(redact(x)) == redact(x). Clean text costs one pass.
    let mut text = Cow::Borrowed(input);
    for _ in 0..MAX_PASSES {
        let spans = find_secrets(&text);
        if spans.is_empty() {
            break;
        }
        text = Cow::Owned(replace_spans(&text, &spans));
    }
    text.into_owned()
}

/// How many characters of a message `clean_message` reads for a result of `max_chars`: the rest is
/// never looked at, so a caller may drop it before handing the message over.
pub fn window_chars(max_chars: usize) -> usize {
    max_chars.saturating_mul(4).max(MIN_WINDOW_CHARS)
}

/// The whole pipeline for one message: take at most a window of the input (max(4*max_chars, 2048) chars — so
/// huge inputs cost little, but a secret straddling the visible end is still seen whole), make it one line
/// (every control char incl. \r \n \t and U+2028/U+2029 becomes a space; runs of whitespace collapse to one
/// space; trimmed), redact secrets, then truncate to at most `max_chars` chars (Unicode scalar values),
/// ending with "…" (U+2026, counted within max_chars) when cut. max_chars == 0 gives "".
pub fn clean_message(input: &str, max_chars: usize) -> String {
    if max_chars == 0 {
        return String::new();
    }
    let window_chars = window_chars(max_chars);
    // A text of no more bytes than the window has no more characters either: no need to count them.
    let beyond = if input.len() <= window_chars { None } else { input.char_indices().nth(window_chars) };
    let (window, cut) = match beyond {
        None => (input, false),
        Some((end, next)) => {
            let window = input.get(..end).unwrap_or(input);
            // Never hand the redactor half a token: a cut `ghp_12` is no longer recognisable. A
            // last word longer than any token stays (rule 7 judges what is left of it).
            let tail_start = floor_boundary(window, window.len().saturating_sub(MAX_TOKEN_BODY));
            let whole = match window.get(tail_start..).and_then(|tail| tail.rfind(is_blank)) {
                Some(pos) if !is_blank(next) && tail_start + pos > 0 => window.get(..tail_start + pos),
                _ => None,
            };
            (whole.unwrap_or(window), true)
        }
    };
    let redacted = redact_secrets(&one_line(window));
    truncate(&redacted, max_chars, cut)
}

fn is_blank(c: char) -> bool {
    // U+2028/U+2029 are whitespace for Rust, listed anyway because the contract names them.
    c.is_whitespace() || c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

/// Control characters and whitespace runs become one space; the ends are trimmed.
fn one_line(text: &str) -> String {
    // Most messages are one line already: ASCII with single inner spaces and no control characters.
    let b = text.as_bytes();
    let plain = b.iter().all(|&c| (0x21..0x7f).contains(&c) || c == b' ')
        && b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && find_from(b, 0, b"  ").is_none();
    if plain {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if is_blank(c) {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// At most `max_chars` chars; "…" ends the text when it was cut here or before (`already_cut`).
fn truncate(text: &str, max_chars: usize, already_cut: bool) -> String {
    if !already_cut && (text.len() <= max_chars || text.chars().nth(max_chars).is_none()) {
        return text.to_string();
    }
    let keep_end = text.char_indices().nth(max_chars.saturating_sub(1)).map_or(text.len(), |(end, _)| end);
    let mut head = text.get(..keep_end).unwrap_or("").trim_end();
    // "[REDAC…" reads like a leak; drop a cut placeholder whole.
    if let Some(open) = head.rfind('[') {
        if head.get(open..).is_some_and(|tail| tail.len() < REDACTED.len() && REDACTED.starts_with(tail)) {
            head = head.get(..open).unwrap_or(head).trim_end();
        }
    }
    let mut out = String::with_capacity(head.len() + '…'.len_utf8());
    out.push_str(head);
    out.push('…');
    out
}

// ---------------------------------------------------------------------------------------------
// Finding secrets. Every rule scans the bytes once and reports spans; they are merged, so where
// rules overlap the union is redacted. All delimiters are ASCII, so spans fall on char boundaries.

fn find_secrets(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    private_key_blocks(b, &mut spans);
    authorization_schemes(b, &mut spans);
    url_credentials(b, &mut spans);
    secret_pairs(b, &mut spans);
    prefixed_tokens_and_jwts(b, &mut spans);
    key_like_runs(b, &mut spans);
    merge(text, spans)
}

fn merge(text: &str, spans: Vec<Span>) -> Vec<Span> {
    let mut spans: Vec<Span> = spans
        .into_iter()
        .map(|(s, e)| (floor_boundary(text, s), ceil_boundary(text, e)))
        .filter(|(s, e)| s < e)
        .collect();
    crate::domain::sort::sort_by(&mut spans, |a, b| a < b);
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged.retain(|&(s, e)| text.get(s..e) != Some(REDACTED));
    merged
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

fn replace_spans(text: &str, spans: &[Span]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for &(s, e) in spans {
        out.push_str(text.get(pos..s).unwrap_or(""));
        out.push_str(REDACTED);
        pos = e;
    }
    out.push_str(text.get(pos..).unwrap_or(""));
    out
}

// Byte helpers: out of range reads as 0, which no rule accepts.
fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

fn before(b: &[u8], i: usize) -> u8 {
    i.checked_sub(1).map_or(0, |j| at(b, j))
}

fn starts_at(b: &[u8], i: usize, pat: &[u8]) -> bool {
    b.get(i..i.saturating_add(pat.len())) == Some(pat)
}

fn starts_at_ci(b: &[u8], i: usize, pat: &[u8]) -> bool {
    b.get(i..i.saturating_add(pat.len())).is_some_and(|s| s.eq_ignore_ascii_case(pat))
}

/// Where `pat` next starts at or after `from`. Finds candidates by their first byte, which is rare in
/// message text for every pattern used here, so almost every position costs one comparison.
fn find_from(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    let (&first, rest) = pat.split_first()?;
    let mut i = from;
    loop {
        i += b.get(i..)?.iter().position(|&c| c == first)?;
        if b.get(i + 1..).is_some_and(|tail| tail.starts_with(rest)) {
            return Some(i);
        }
        i += 1;
    }
}

fn contains(hay: &[u8], pat: &[u8]) -> bool {
    find_from(hay, 0, pat).is_some()
}

fn is_token_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

fn scan_while(b: &[u8], mut i: usize, limit: usize, keep: impl Fn(u8) -> bool) -> usize {
    let stop = i.saturating_add(limit);
    while i < stop && keep(at(b, i)) {
        i += 1;
    }
    i
}

/// `[REDACTED]` maybe followed by punctuation: already done, leave it alone.
fn is_placeholder_like(value: &[u8]) -> bool {
    value.strip_prefix(REDACTED.as_bytes()).is_some_and(|rest| !rest.iter().any(u8::is_ascii_alphanumeric))
}

/// Rule 6.
fn private_key_blocks(b: &[u8], spans: &mut Vec<Span>) {
    let mut from = 0;
    while let Some(start) = find_from(b, from, b"-----BEGIN ") {
        let label_start = start + 11;
        // The label (`RSA PRIVATE KEY`) is short: look for its closing dashes nearby only, so a
        // stray BEGIN cannot hide a real block further on.
        let near = b.get(..label_start.saturating_add(72).min(b.len())).unwrap_or(b);
        let Some(label_end) = find_from(near, label_start, b"-----") else {
            from = label_start;
            continue;
        };
        let label = b.get(label_start..label_end).unwrap_or(&[]);
        from = label_end + 5;
        if !contains(label, b"PRIVATE KEY") {
            continue;
        }
        let end = find_from(b, from, b"-----END ")
            .and_then(|e| find_from(b, e + 9, b"-----"))
            .map_or(b.len(), |dashes| dashes + 5);
        spans.push((start, end));
        from = end;
    }
}

const SCHEMES: &[&[u8]] = &[b"bearer", b"basic", b"token", b"digest", b"negotiate", b"ntlm"];

/// Rule 1.
fn authorization_schemes(b: &[u8], spans: &mut Vec<Span>) {
    for i in 0..b.len() {
        if !matches!(at(b, i) | 0x20, b'b' | b't' | b'd' | b'n') || before(b, i).is_ascii_alphanumeric() {
            continue;
        }
        let Some(scheme) = SCHEMES.iter().find(|s| starts_at_ci(b, i, s)) else { continue };
        let word_end = i + scheme.len();
        let start = scan_while(b, word_end, usize::MAX, |c| c == b' ' || c == b'\t');
        if start == word_end {
            continue;
        }
        if *scheme == b"digest" {
            if let Some(end) = digest_params_end(b, start) {
                spans.push((start, end));
                continue;
            }
        }
        let end = scan_while(b, start, usize::MAX, |c| {
            c != 0
                && !c.is_ascii_whitespace()
                && !matches!(c, b'"' | b'\'' | b'`' | b',' | b';' | b')' | b']' | b'}' | b'>')
        });
        if is_credential(b, start, end) {
            spans.push((start, end));
        }
    }
}

fn is_credential(b: &[u8], start: usize, end: usize) -> bool {
    let Some(token) = b.get(start..end) else { return false };
    let word = token.strip_suffix(b".").or_else(|| token.strip_suffix(b":")).unwrap_or(token);
    let prose = !word.is_empty() && word.len() < 20 && word.iter().all(u8::is_ascii_alphabetic);
    // `Bearer realm="api"` is a challenge parameter, not a token.
    let auth_param = token.ends_with(b"=") && at(b, end) == b'"';
    // `:token => x` is a pair, not the Token scheme.
    let starts_like_token = token.first().is_some_and(|c| c.is_ascii_alphanumeric() || b"+/".contains(c));
    starts_like_token && !prose && !auth_param
}

/// The end of a Digest `name=value, name="value"` list starting at `i`, if there is one.
fn digest_params_end(b: &[u8], mut i: usize) -> Option<usize> {
    let mut end = None;
    loop {
        let name_end = scan_while(b, i, MAX_KEY_LEN, is_token_byte);
        if name_end == i || at(b, name_end) != b'=' {
            return end;
        }
        let mut v = name_end + 1;
        if at(b, v) == b'"' {
            v = scan_while(b, v + 1, usize::MAX, |c| c != 0 && c != b'"');
            v = (v + 1).min(b.len());
        } else {
            v = scan_while(b, v, usize::MAX, |c| c != 0 && c != b',' && !c.is_ascii_whitespace());
        }
        end = Some(v);
        if at(b, v) != b',' {
            return end;
        }
        i = scan_while(b, v + 1, usize::MAX, |c| c == b' ' || c == b'\t');
    }
}

/// Rule 3.
fn url_credentials(b: &[u8], spans: &mut Vec<Span>) {
    let mut from = 0;
    while let Some(p) = find_from(b, from, b"://") {
        let host = p + 3;
        // `#` and `?` do not end the search for `@`: unencoded, they are common in passwords.
        let end = scan_while(b, host, usize::MAX, |c| {
            c != 0 && !matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'"' | b'\'' | b'<' | b'>' | b'`')
        });
        from = end.max(host);
        if !before(b, p).is_ascii_alphanumeric() {
            continue;
        }
        let authority = b.get(host..end).unwrap_or(&[]);
        let Some(at_sign) = authority.iter().rposition(|&c| c == b'@') else { continue };
        let userinfo = authority.get(..at_sign).unwrap_or(&[]);
        match userinfo.iter().position(|&c| c == b':') {
            Some(colon) => {
                let password = userinfo.get(colon + 1..).unwrap_or(&[]);
                if !password.is_empty() && !is_placeholder_like(password) {
                    spans.push((host + colon + 1, host + at_sign));
                }
            }
            None => {
                let digits = userinfo.iter().any(u8::is_ascii_digit);
                if (userinfo.len() >= 16 && digits || userinfo.len() >= 24) && !is_placeholder_like(userinfo)
                {
                    spans.push((host, host + at_sign));
                }
            }
        }
    }
}

/// Rule 4: looks at every `=` and `:` as a possible separator.
fn secret_pairs(b: &[u8], spans: &mut Vec<Span>) {
    let mut scan = PairScan { norm: Vec::new(), value: (0, 0) };
    let mut p = 0;
    while p < b.len() {
        if matches!(at(b, p), b'=' | b':') {
            if let Some((s, e)) = pair_value(b, p, &mut scan) {
                spans.push((s, e));
                // Whatever is inside a redacted value needs no second look.
                p = e.max(p + 1);
                continue;
            }
        }
        p += 1;
    }
}

/// Scratch space shared by the pairs of one text.
struct PairScan {
    /// The normalized key name.
    norm: Vec<u8>,
    /// The last unquoted value scanned: every start inside it ends at the same place, and
    /// remembering that keeps `a=a=a=...` linear.
    value: Span,
}

/// The secret value of a pair whose separator is at `p`, if the key is secret-named.
fn pair_value(b: &[u8], p: usize, scan: &mut PairScan) -> Option<Span> {
    let norm = &mut scan.norm;
    let colon = at(b, p) == b':';
    let after_sep = match (colon, at(b, p + 1)) {
        (true, b':') | (false, b'=') => return None, // `::` paths, `==` comparisons
        (false, b'>') => p + 2,                      // `key => value`
        _ => p + 1,
    };
    if colon && before(b, p) == b':' {
        return None;
    }
    // The key: back over spaces (`key = value`, and `Password : value` as PowerShell and .NET list
    // output write it), an optional (escaped) quote, then name bytes.
    let k = scan_back(b, p, |c| c == b' ' || c == b'\t');
    let spaced_before = k < p;
    let mut k = k;
    let key_quoted = matches!(before(b, k), b'"' | b'\'');
    if key_quoted {
        k -= 1;
        if before(b, k) == b'\\' {
            k -= 1;
        }
    }
    let key_end = k;
    let key_start = scan_back(b, key_end, |c| is_token_byte(c) || c == b'.');
    let key = b.get(key_start..key_end)?;
    if key.is_empty() || key.len() > MAX_KEY_LEN {
        return None;
    }
    // The value: `key= next` is an empty value, `key = value` and `key: value` are not.
    let mut v = after_sep;
    let spaced_after = matches!(at(b, v), b' ' | b'\t');
    if colon || spaced_before || after_sep == p + 2 {
        v = scan_while(b, v, usize::MAX, |c| c == b' ' || c == b'\t');
    }
    let escaped_quote = at(b, v) == b'\\' && at(b, v + 1) == b'"';
    let value_quoted = matches!(at(b, v), b'"' | b'\'') || escaped_quote;
    normalize_key(key, norm);
    if colon && !spaced_after && !key_quoted && !value_quoted {
        // Bare `key:value` is mostly `file.rs:42`, `host:port` or `scheme://`: only unmistakable names.
        let pathish = key.contains(&b'.') || matches!(before(b, key_start), b'/' | b'\\');
        if pathish || at(b, after_sep) == b'/' || !STRONG_NAMES.iter().any(|n| contains(norm, n)) {
            return None;
        }
    }
    if !is_secret_name(key, norm) {
        return None;
    }
    let cookie = contains(norm, b"cookie");
    let (vs, ve) = if value_quoted {
        let (open, quote) = if escaped_quote { (v + 2, b'"') } else { (v + 1, at(b, v)) };
        let close = scan_while(b, open, usize::MAX, |c| c != 0 && c != quote && c != b'\n');
        let close = if escaped_quote && before(b, close) == b'\\' { close - 1 } else { close };
        (open, close.max(open))
    } else {
        let (start, end) = scan.value;
        let ve = if !cookie && start <= v && v < end { end } else { unquoted_value_end(b, v, cookie) };
        if !cookie {
            scan.value = (v, ve);
        }
        (v, ve)
    };
    let value = b.get(vs..ve)?;
    if keeps_value(b, value, ve, colon && !value_quoted) {
        return None;
    }
    // `Authenticate: TWILIO_AUTH_TOKEN=abc`: the inner pair keeps its name, its value goes.
    if let Some(eq) = inner_secret_pair(value).filter(|_| !cookie) {
        let inner = value.get(eq + 1..).unwrap_or(&[]);
        return (!inner.is_empty() && !is_placeholder_like(inner)).then_some((vs + eq + 1, ve));
    }
    Some((vs, ve))
}

/// Back over at most MAX_KEY_LEN + 1 bytes: nothing longer is a key name.
fn scan_back(b: &[u8], mut i: usize, keep: impl Fn(u8) -> bool) -> usize {
    let stop = i.saturating_sub(MAX_KEY_LEN + 1);
    while i > stop && keep(before(b, i)) {
        i -= 1;
    }
    i
}

fn unquoted_value_end(b: &[u8], v: usize, cookie: bool) -> usize {
    let mut e = v;
    loop {
        let c = at(b, e);
        // A control character ends a value as a quote does: every rule must agree on where values end,
        // or each pass of `redact_secrets` would take one more piece (and never reach a fixed point).
        if e >= b.len()
            || matches!(c, b'"' | b'\'' | b'`')
            || (c.is_ascii_control() && !c.is_ascii_whitespace())
        {
            break;
        }
        if c.is_ascii_whitespace() {
            // `Cookie: a=1; b=2` goes on after "; ".
            if cookie && before(b, e) == b';' && e + 1 < b.len() && !at(b, e + 1).is_ascii_whitespace() {
                e += 1;
                continue;
            }
            break;
        }
        if !cookie && matches!(c, b'&' | b';' | b',') {
            break;
        }
        e += 1;
    }
    if cookie {
        e = scan_back(b, e, |c| c == b';').max(v);
    }
    e
}

/// Where the `=` is, when the value is itself a secret-named `key=value`.
fn inner_secret_pair(value: &[u8]) -> Option<usize> {
    let eq = value.iter().take(MAX_KEY_LEN).position(|&c| c == b'=')?;
    let key = value.get(..eq)?;
    let mut norm = Vec::new();
    normalize_key(key, &mut norm);
    let named =
        !key.is_empty() && key.iter().all(|&c| is_token_byte(c) || c == b'.') && is_secret_name(key, &norm);
    named.then_some(eq)
}

/// `scheme://...`: the URL rule looks inside, and the scan goes on into its query string.
fn is_url(value: &[u8]) -> bool {
    let scheme =
        value.iter().take(32).take_while(|c| c.is_ascii_alphanumeric() || b"+.-".contains(c)).count();
    scheme > 0 && value.get(scheme..).is_some_and(|rest| rest.starts_with(b"://"))
}

/// Values that are not secrets even under a secret name.
fn keeps_value(b: &[u8], value: &[u8], end: usize, colon_unquoted: bool) -> bool {
    let scheme_word =
        SCHEMES.iter().chain([&b"aws4-hmac-sha256"[..]].iter()).any(|s| value.eq_ignore_ascii_case(s))
            && at(b, end).is_ascii_whitespace();
    // `token: invalid signature`, `token: 401 Unauthorized`: the value is the start of a sentence.
    let prose = colon_unquoted
        && (value.iter().all(u8::is_ascii_alphabetic)
            || value.len() <= 3 && value.iter().all(u8::is_ascii_digit))
        && at(b, end) == b' '
        && at(b, end + 1).is_ascii_alphabetic();
    let sql_parameter = value == b"?"
        || value.len() > 1 && value.iter().skip(1).all(u8::is_ascii_digit) && value.first() == Some(&b'$');
    value.is_empty()
        || is_placeholder_like(value)
        || value.iter().all(|&c| c == b'*')
        || [&b"null"[..], b"undefined", b"true", b"false", b"yes", b"no"].iter().any(|word| {
            // `"token": null}`, `(using password: YES)`: closing brackets are not part of the word.
            let end = value.iter().rposition(|c| !b"}])".contains(c)).map_or(0, |i| i + 1);
            value.get(..end).is_some_and(|bare| bare.eq_ignore_ascii_case(word))
        })
        || is_url(value)
        || scheme_word
        || prose
        || sql_parameter
}

#[rustfmt::skip]
const SECRET_NAMES: &[&[u8]] = &[
    b"password", b"passwd", b"passphrase", b"pwd", b"secret", b"token", b"apikey", b"accesskey",
    b"privatekey", b"credential", b"signature", b"session", b"cookie",
];
/// Names trusted even in a bare `key:value`.
const STRONG_NAMES: &[&[u8]] =
    &[b"password", b"passwd", b"pwd", b"secret", b"apikey", b"accesskey", b"privatekey"];

/// Lowercase, without `-`, `_` and `.`: `X-Api-Key` and `api_key` both become `...apikey`.
fn normalize_key(key: &[u8], norm: &mut Vec<u8>) {
    norm.clear();
    norm.extend(key.iter().filter(|c| !matches!(c, b'-' | b'_' | b'.')).map(u8::to_ascii_lowercase));
}

fn is_secret_name(key: &[u8], norm: &[u8]) -> bool {
    // `SharedAccessKeyName`, `token_type`, `secretName` describe a secret without being one.
    if norm.ends_with(b"name") || norm.ends_with(b"type") {
        return false;
    }
    let auth = norm.windows(4).enumerate().any(|(i, w)| {
        let rest = norm.get(i + 4..).unwrap_or(&[]);
        // `author`, `authority` are not secrets; `authorization` is.
        w == b"auth" && (!rest.starts_with(b"or") || rest.starts_with(b"oriz"))
    });
    let key_suffix = key.eq_ignore_ascii_case(b"key")
        || [&b"_key"[..], b"-key", b".key"]
            .iter()
            .any(|s| key.len() >= 4 && key.get(key.len() - 4..).is_some_and(|t| t.eq_ignore_ascii_case(s)))
        || key.ends_with(b"Key") && key.len() > 3 && {
            let c = at(key, key.len() - 4);
            c.is_ascii_lowercase() || c.is_ascii_digit()
        };
    SECRET_NAMES.iter().any(|n| contains(norm, n))
        || auth
        || norm == b"sig"
        || norm.ends_with(b"pass")
        || norm.starts_with(b"sas")
        || norm.ends_with(b"sas")
        || key_suffix
}

/// (prefix, minimum body length) for rule 5; AWS key ids are checked separately.
#[rustfmt::skip]
const PREFIXES: &[(&[u8], usize)] = &[
    (b"github_pat_", 20), (b"ghp_", 20), (b"gho_", 20), (b"ghu_", 20), (b"ghs_", 20), (b"ghr_", 20),
    (b"glpat-", 16), (b"xoxb-", 10), (b"xoxp-", 10), (b"xoxa-", 10), (b"xoxr-", 10), (b"xoxs-", 10),
    (b"xapp-", 10), (b"sk_live_", 16), (b"sk_test_", 16), (b"rk_live_", 16), (b"pk_live_", 16),
    (b"whsec_", 16), (b"npm_", 36), (b"SG.", 32), (b"sk-", 20), (b"AIza", 35),
];

/// Rules 2 and 5. A token starts after a byte that cannot be part of it, so every byte is looked
/// at a bounded number of times.
fn prefixed_tokens_and_jwts(b: &[u8], spans: &mut Vec<Span>) {
    let mut i = 0;
    while i < b.len() {
        let first = matches!(at(b, i), b'e' | b'g' | b'x' | b's' | b'r' | b'p' | b'w' | b'A' | b'n' | b'S');
        if first && !is_token_byte(before(b, i)) {
            if let Some(end) = jwt_end(b, i).or_else(|| prefixed_token_end(b, i)) {
                spans.push((i, end));
                i = end.max(i + 1);
                continue;
            }
        }
        i += 1;
    }
}

fn jwt_end(b: &[u8], i: usize) -> Option<usize> {
    if !starts_at(b, i, b"eyJ") {
        return None;
    }
    let segment = |s: usize| scan_while(b, s, usize::MAX, is_token_byte);
    let header_end = segment(i);
    if header_end - i < 10 || at(b, header_end) != b'.' {
        return None;
    }
    let payload_end = segment(header_end + 1);
    if payload_end == header_end + 1 || at(b, payload_end) != b'.' {
        return None;
    }
    let mut end = segment(payload_end + 1);
    while at(b, end) == b'.' && is_token_byte(at(b, end + 1)) {
        end = segment(end + 1);
    }
    Some(end)
}

fn prefixed_token_end(b: &[u8], i: usize) -> Option<usize> {
    if starts_at(b, i, b"AKIA") || starts_at(b, i, b"ASIA") {
        let body = b.get(i + 4..i + 20)?;
        let ok = body.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        return (ok && !at(b, i + 20).is_ascii_alphanumeric()).then_some(i + 20);
    }
    let &(prefix, min_body) = PREFIXES.iter().find(|(prefix, _)| starts_at(b, i, prefix))?;
    let body_start = i + prefix.len();
    let dots = prefix == b"SG.";
    let end = scan_while(b, body_start, MAX_TOKEN_BODY, |c| is_token_byte(c) || dots && c == b'.');
    let body = b.get(body_start..end)?;
    let has = |f: fn(&u8) -> bool| body.iter().any(f);
    let random = if prefix == b"sk-" {
        // `sk-learn-...` is a package; OpenAI-style keys mix cases and digits.
        has(u8::is_ascii_digit) && has(u8::is_ascii_uppercase) && has(u8::is_ascii_lowercase)
    } else {
        has(u8::is_ascii_digit) || has(u8::is_ascii_uppercase)
    };
    (body.len() >= min_body && random).then_some(end)
}

fn is_run_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'_' | b'.' | b'-')
}

/// Rule 7.
fn key_like_runs(b: &[u8], spans: &mut Vec<Span>) {
    let mut i = 0;
    while i < b.len() {
        if !is_run_byte(at(b, i)) {
            i += 1;
            continue;
        }
        let mut end = scan_while(b, i, usize::MAX, is_run_byte);
        // `=` is base64 padding only at the end of a run; elsewhere (`key=value`) it separates.
        let padded = scan_while(b, end, usize::MAX, |c| c == b'=');
        if padded > end && !is_run_byte(at(b, padded)) {
            end = padded;
        }
        check_run(b, i, end, spans);
        i = end.max(i + 1);
    }
}

fn trim(b: &[u8], mut s: usize, mut e: usize, strip: &[u8]) -> (usize, usize) {
    while s < e && strip.contains(&at(b, s)) {
        s += 1;
    }
    while e > s && strip.contains(&before(b, e)) {
        e -= 1;
    }
    (s, e)
}

fn check_run(b: &[u8], start: usize, end: usize, spans: &mut Vec<Span>) {
    let (s, e) = trim(b, start, end, b"./");
    if e - s < MIN_KEY_LIKE_LEN {
        return;
    }
    let Some(run) = b.get(s..e) else { return };
    if !looks_like_path(run) {
        return check_piece(b, s, e, spans);
    }
    let mut piece_start = s;
    for (k, _) in run.iter().enumerate().filter(|(_, &c)| c == b'/') {
        check_piece(b, piece_start, s + k, spans);
        piece_start = s + k + 1;
    }
    check_piece(b, piece_start, e, spans);
}

/// Some `/`-separated piece starts with a lowercase word (`src/`, `//api.example.com`, `lib`):
/// random base64 almost never has one, so such a run is a path and each piece is judged alone.
fn looks_like_path(run: &[u8]) -> bool {
    run.contains(&b'/')
        && run.split(|&c| c == b'/').any(|piece| {
            let word = piece.iter().take_while(|c| c.is_ascii_lowercase()).count();
            word >= 2 && piece.get(word).is_none_or(|c| b"._-".contains(c))
        })
}

fn check_piece(b: &[u8], start: usize, end: usize, spans: &mut Vec<Span>) {
    let (s, e) = trim(b, start, end, b".");
    if e.saturating_sub(s) >= MIN_KEY_LIKE_LEN && b.get(s..e).is_some_and(is_key_like) {
        spans.push((s, e));
    }
}

fn is_key_like(piece: &[u8]) -> bool {
    // UUIDs, hashes, trace ids.
    if piece.iter().all(|c| c.is_ascii_hexdigit() || *c == b'-') {
        return false;
    }
    // Dotted type names, hostnames, snake_case, paths: every part reads as a word or number.
    if piece.split(|c| b"._-/".contains(c)).all(is_word_shaped) {
        return false;
    }
    let has = |f: fn(&u8) -> bool| piece.iter().any(f);
    if has(u8::is_ascii_digit) && has(u8::is_ascii_lowercase) && has(u8::is_ascii_uppercase) {
        return true;
    }
    piece.split(|c| b"._-".contains(c)).any(|sub| {
        sub.len() >= MIN_LONG_B64_LEN
            && sub.iter().any(u8::is_ascii_digit)
            && sub.iter().any(u8::is_ascii_alphabetic)
            && !sub.iter().all(|c| c.is_ascii_hexdigit() || *c == b'=')
    })
}

/// Short alphanumeric parts always; longer ones when they have at most one group of digits and
/// change between lowercase, uppercase and digits rarely (`StorageClient`, `X509SecurityKey`),
/// unlike random text (`wJalrXUtnFEMI`).
fn is_word_shaped(part: &[u8]) -> bool {
    if !part.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    if part.len() <= 8 {
        return true;
    }
    // 0 digit, 1 lowercase, 2 uppercase.
    let class = |c: &u8| usize::from(!c.is_ascii_digit()) + usize::from(c.is_ascii_uppercase());
    let (mut transitions, mut digit_runs, mut prev) = (0, 0, None);
    for now in part.iter().map(class) {
        if prev != Some(now) {
            transitions += usize::from(prev.is_some());
            digit_runs += usize::from(now == 0);
        }
        prev = Some(now);
    }
    digit_runs <= 1 && transitions * 3 <= part.len()
}
