#![no_main]
//! `redact_secrets` and `clean_message` on any text.
//!
//! * Redaction is idempotent (its documented contract) and only removes: outside the placeholders, the
//!   output is the input's text in order.
//! * Known-format tokens set apart by spaces are redacted wherever they are put.
//! * `clean_message` gives one bounded line for every limit; a cut message is a prefix of the uncut one
//!   and never ends inside a placeholder.

use libfuzzer_sys::fuzz_target;
use ops_ux_engine::domain::sanitize::redact::REDACTED;
use ops_ux_engine::domain::sanitize::{clean_message, redact_secrets};
use ops_ux_engine_fuzz::message::{assert_clean_message, uncut};

/// Made-up tokens of formats the redactor knows (rule 5: prefixed tokens; rule 2: JWTs).
const PLANTED: [&str; 3] = [
    "ghp_qPFZ4x9nSpCxlCEbqNxvw8dA2uMgF5Aox5VA",
    "AKIAX9WFIX2HHTQJSCGD",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk",
];

/// The message limits worth covering: none, tiny, the code limit, the default, the largest configurable.
const MAX_CHARS: [usize; 6] = [0, 1, 16, 64, 240, 4000];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let redacted = redact_secrets(&text);
    assert_eq!(redact_secrets(&redacted), redacted, "redaction is not idempotent on {text:?}");
    assert_only_removes(&text, &redacted);

    // At the start, in the middle and at the end of the text.
    let middle = (0..=text.len() / 2).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let [first, second, third] = PLANTED;
    let planted = format!("{first} {} {second} {} {third}", &text[..middle], &text[middle..]);
    let out = redact_secrets(&planted);
    for token in PLANTED {
        // The text may hold the token itself, glued to its neighbours (the fuzzer learns it from the
        // comparisons): only more copies than the text brought would be a planted one surviving.
        let survived = out.matches(token).count();
        assert!(survived <= text.matches(token).count(), "planted {token} survived in {out:?}");
    }

    let full = uncut(&text);
    for max_chars in MAX_CHARS {
        assert_clean_message(&text, max_chars, &clean_message(&text, max_chars), &full);
    }
});

/// Every character of `redacted` outside a placeholder is matched, in order, by one of `text`.
fn assert_only_removes(text: &str, redacted: &str) {
    let mut source = text.chars();
    for piece in redacted.split(REDACTED) {
        for c in piece.chars() {
            assert!(source.any(|s| s == c), "{c:?} of {redacted:?} is not from {text:?}");
        }
    }
}
