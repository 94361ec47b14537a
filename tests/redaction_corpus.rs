#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The redaction corpus: real-world secret forms that must disappear, and ordinary error messages
//! that must survive untouched.
//!
//! * `tests/corpus/secrets.txt`: `<secret>\t<message containing it>` per line (made-up secrets).
//! * `tests/corpus/ordinary.txt`: one message per line.
//!
//! Blank lines and lines starting with `#` are skipped.

use ops_ux_engine::domain::sanitize::{clean_message, redact_secrets};

const MIN_LINES: usize = 45;
const MAX_CHARS: usize = 2000;
const PLACEHOLDER: &str = "[REDACTED]";

fn corpus(name: &str) -> Vec<(usize, String)> {
    let path = format!("{}/tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(i, line)| (i + 1, line.to_string()))
        .collect()
}

/// Why `cleaned` still leaks `secret`, if it does: the whole secret, or an 8+ char piece of it
/// that is not explained by the message's own text around the secret.
fn leak(secret: &str, message: &str, cleaned: &str) -> Option<String> {
    if cleaned.contains(secret) {
        return Some(format!("the whole secret {secret:?} survived"));
    }
    // Text outside the secret may legitimately repeat a piece of it (say, a key name).
    let around = message.replace(secret, PLACEHOLDER);
    let chars: Vec<char> = secret.chars().collect();
    for window in chars.windows(8) {
        let piece: String = window.iter().collect();
        if cleaned.contains(&piece) && !around.contains(&piece) && !PLACEHOLDER.contains(&piece) {
            return Some(format!("the piece {piece:?} of the secret survived"));
        }
    }
    None
}

#[test]
fn every_secret_is_redacted() {
    let lines = corpus("secrets.txt");
    let mut failures = Vec::new();
    for (number, line) in &lines {
        let Some((secret, message)) = line.split_once('\t') else {
            failures.push(format!("secrets.txt:{number}: no tab between secret and message"));
            continue;
        };
        assert!(message.contains(secret), "secrets.txt:{number}: the message does not contain its secret");
        let cleaned = clean_message(message, MAX_CHARS);
        if let Some(why) = leak(secret, message, &cleaned) {
            failures.push(format!("secrets.txt:{number}: {why}\n    in:  {message}\n    out: {cleaned}"));
        } else if !cleaned.contains(PLACEHOLDER) {
            failures
                .push(format!("secrets.txt:{number}: no {PLACEHOLDER} in the output\n    out: {cleaned}"));
        }
        // Redacting again changes nothing.
        let again = redact_secrets(&cleaned);
        if again != cleaned {
            failures.push(format!(
                "secrets.txt:{number}: not idempotent\n    once:  {cleaned}\n    twice: {again}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} secret lines failed:\n{}",
        failures.len(),
        lines.len(),
        failures.join("\n")
    );
    assert!(lines.len() >= MIN_LINES, "secrets.txt has {} lines, want at least {MIN_LINES}", lines.len());
}

#[test]
fn ordinary_messages_survive_unchanged() {
    let lines = corpus("ordinary.txt");
    let mut failures = Vec::new();
    for (number, line) in &lines {
        let redacted = redact_secrets(line);
        if &redacted != line {
            failures.push(format!("ordinary.txt:{number}: changed\n    in:  {line}\n    out: {redacted}"));
        }
        let cleaned = clean_message(line, MAX_CHARS);
        if &cleaned != line {
            failures.push(format!("ordinary.txt:{number}: clean_message changed it\n    out: {cleaned}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} ordinary lines failed:\n{}",
        failures.len(),
        lines.len(),
        failures.join("\n")
    );
    assert!(lines.len() >= MIN_LINES, "ordinary.txt has {} lines, want at least {MIN_LINES}", lines.len());
}

#[test]
fn the_whole_corpus_joined_in_one_message_is_redacted_too() {
    // Secrets next to each other and to ordinary text: no rule may swallow or expose a neighbour.
    let secrets = corpus("secrets.txt");
    let ordinary = corpus("ordinary.txt");
    let mut joined = String::new();
    for (i, (_, line)) in secrets.iter().enumerate() {
        joined.push_str(line.split_once('\t').unwrap().1);
        joined.push('\n');
        if let Some((_, plain)) = ordinary.get(i) {
            joined.push_str(plain);
            joined.push_str("\r\n");
        }
    }
    let cleaned = clean_message(&joined, joined.chars().count());
    for (number, line) in &secrets {
        let (secret, message) = line.split_once('\t').unwrap();
        assert!(
            leak(secret, message, &cleaned).is_none(),
            "secrets.txt:{number} leaks in the joined message"
        );
    }
    assert_eq!(redact_secrets(&cleaned), cleaned, "not idempotent on the joined message");
}
