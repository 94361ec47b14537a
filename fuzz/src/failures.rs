//! Properties of a sanitized failure list, judged against the raw list it came from.

use crate::message::{assert_clean_message, assert_code_token, is_token_char, uncut};
use ops_ux_engine::domain::json::{parse, Json, Limits};
use ops_ux_engine::domain::sanitize::failures::{
    decode_stored_failures, write_failures, FailureEntry, FailureLimits,
};
use ops_ux_engine::domain::sanitize::{clean_message, redact_secrets};

/// `raw` is what the caller passed, `sanitized` what `sanitize_failures(raw, limits)` returned.
pub fn assert_sanitized_failures(raw: &Json, limits: FailureLimits, sanitized: &[FailureEntry]) {
    let items = raw.as_array().expect("only an array sanitizes");
    // Strings and objects are kept, in order, up to the limit; anything else is dropped.
    let kept: Vec<&Json> = items
        .iter()
        .filter(|i| matches!(i, Json::String(_) | Json::Object(_)))
        .take(limits.max_entries)
        .collect();
    assert_eq!(sanitized.len(), kept.len(), "entries kept of {}", raw.to_text());
    for (entry, item) in sanitized.iter().zip(kept) {
        assert_entry(entry, item, limits.max_message_chars);
    }
    assert_stored_round_trip(sanitized);
}

fn assert_entry(entry: &FailureEntry, item: &Json, max_message_chars: usize) {
    assert_code_token(&entry.code);
    let (raw_code, raw_reason, raw_message) = match item {
        Json::String(message) => (None, None, message.as_str()),
        _ => (
            item.get("code").and_then(Json::as_str),
            item.get("reason_code").and_then(Json::as_str),
            item.get("message").and_then(Json::as_str).unwrap_or(""),
        ),
    };
    assert_eq!(entry.message, clean_message(raw_message, max_message_chars), "message of {}", item.to_text());
    assert_clean_message(raw_message, max_message_chars, &entry.message, &uncut(raw_message));
    match raw_code {
        Some(code) => assert_token_from(&entry.code, code),
        None => assert_eq!(entry.code, "unknown", "code of {}", item.to_text()),
    }
    assert_eq!(entry.reason_code.is_some(), raw_reason.is_some(), "reason_code of {}", item.to_text());
    if let (Some(reason), Some(raw)) = (&entry.reason_code, raw_reason) {
        assert_code_token(reason);
        assert_token_from(reason, raw);
    }
}

/// A code that already is a clean token (no secret, no odd character, short) is kept exactly.
fn assert_token_from(token: &str, raw: &str) {
    let clean = raw.chars().all(is_token_char)
        && (1..=64).contains(&raw.chars().count())
        && !raw.trim_matches('_').is_empty()
        && redact_secrets(raw) == raw;
    if clean {
        assert_eq!(token, raw, "a clean code changed");
    }
}

/// What is stored reads back the same: written as a store writes it, read as a store's answer is read.
pub fn assert_stored_round_trip(entries: &[FailureEntry]) {
    let mut text = String::new();
    write_failures(&mut text, entries);
    let value = parse(&text, Limits { max_depth: 2, max_bytes: usize::MAX })
        .unwrap_or_else(|e| panic!("written failures do not parse ({e}): {text}"));
    assert_eq!(decode_stored_failures(&value).as_deref(), Ok(entries), "failures round trip of {text}");
}
