//! The redaction corpora (`tests/corpus/`), shared by the corpus test and the model test.
//!
//! * `secrets.txt`: `<secret>\t<message containing it>` per line (made-up secrets).
//! * `ordinary.txt`: one message per line.
//!
//! Blank lines and lines starting with `#` are skipped.

pub const PLACEHOLDER: &str = "[REDACTED]";

/// The corpus lines of `name`, with their line numbers.
pub fn corpus(name: &str) -> Vec<(usize, String)> {
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
pub fn leak(secret: &str, message: &str, cleaned: &str) -> Option<String> {
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
