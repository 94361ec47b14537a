//! Properties of one cleaned message (`clean_message`) and of a code token.

use ops_ux_engine::domain::sanitize::clean_message;
use ops_ux_engine::domain::sanitize::redact::{window_chars, REDACTED};

/// The cleaning of `raw` with no length limit, which [`assert_clean_message`] compares cut messages with.
pub fn uncut(raw: &str) -> String {
    clean_message(raw, usize::MAX)
}

/// `message` is `clean_message(raw, max_chars)` and `full` is `uncut(raw)`. The message is at most
/// `max_chars` characters, one line (no control characters, no whitespace but single inner spaces), and,
/// when it was cut, a prefix of the uncut cleaning that never ends inside a placeholder (no `[REDAC…`).
pub fn assert_clean_message(raw: &str, max_chars: usize, message: &str, full: &str) {
    let chars = message.chars().count();
    assert!(chars <= max_chars, "{chars} chars, more than the limit {max_chars}: {message:?}");
    if max_chars == 0 {
        assert_eq!(message, "", "max_chars 0 must give an empty message");
    }
    for c in message.chars() {
        assert!(!c.is_control(), "control character {c:?} in {message:?}");
        assert!(c == ' ' || !c.is_whitespace(), "whitespace {c:?} other than a space in {message:?}");
    }
    assert!(!message.contains("  "), "a run of spaces in {message:?}");
    assert!(!message.starts_with(' ') && !message.ends_with(' '), "not trimmed: {message:?}");

    // Only when the whole raw text fits the window: a text cut to the window is redacted as cut.
    if max_chars == 0 || raw.chars().count() > window_chars(max_chars) {
        return;
    }
    let Some(head) = message.strip_suffix('…').filter(|_| message != full) else {
        return assert_eq!(message, full, "an uncut message differs from the uncut cleaning of {raw:?}");
    };
    assert!(full.starts_with(head), "cut {message:?} is not a prefix of {full:?}");
    let inside_placeholder = full
        .match_indices(REDACTED)
        .any(|(start, _)| start < head.len() && head.len() < start + REDACTED.len());
    assert!(!inside_placeholder, "cut inside a placeholder: {message:?} of {full:?}");
}

/// The characters a code or reason code may hold after cleaning.
pub fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-')
}

/// A cleaned code: 1 to 64 token characters, not only underscores.
pub fn assert_code_token(code: &str) {
    assert!(code.chars().all(is_token_char), "code {code:?} has a character outside [A-Za-z0-9_.:-]");
    let chars = code.chars().count();
    assert!((1..=64).contains(&chars), "code {code:?} is {chars} chars, not 1 to 64");
    assert!(!code.trim_matches('_').is_empty(), "code {code:?} is only underscores");
}
