#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The redaction corpus: real-world secret forms that must disappear, and ordinary error messages
//! that must survive untouched (the files are described in `support/corpus.rs`).

mod support;

use ops_ux_engine::domain::sanitize::{clean_message, redact_secrets};
use support::corpus::{corpus, leak, PLACEHOLDER};

const MIN_LINES: usize = 45;
const MAX_CHARS: usize = 2000;

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
