//! `failure_summary`: a bounded list of `{code, reason_code?, message}`, one line each, secrets redacted.

use super::redact::{clean_message, window_chars};
use crate::domain::error::{EngineError, Result};
use crate::domain::json::{write_str, Json};

/// Codes are short machine tokens; longer ones are cut.
const MAX_CODE_CHARS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureEntry {
    pub code: String,
    pub reason_code: Option<String>,
    pub message: String,
}

/// Bounds for a failure list; configurable per engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureLimits {
    pub max_entries: usize,
    pub max_message_chars: usize,
}

impl FailureLimits {
    /// The most characters of any string in a failure entry that sanitizing reads; the rest cannot change
    /// the result, so the JavaScript side cuts longer strings before copying them in.
    pub fn read_window(&self) -> usize {
        window_chars(self.max_message_chars).max(window_chars(MAX_CODE_CHARS))
    }
}

impl Default for FailureLimits {
    fn default() -> Self {
        Self { max_entries: 10, max_message_chars: 240 }
    }
}

impl FailureEntry {
    pub fn write(&self, out: &mut String) {
        out.push_str("{\"code\":");
        write_str(out, &self.code);
        if let Some(reason) = &self.reason_code {
            out.push_str(",\"reason_code\":");
            write_str(out, reason);
        }
        out.push_str(",\"message\":");
        write_str(out, &self.message);
        out.push('}');
    }

    /// Reads an entry a store returned, as it is (it was sanitized when written).
    fn decode_stored(value: &Json) -> std::result::Result<FailureEntry, String> {
        let text = |key: &str| value.get(key).and_then(Json::as_str).map(str::to_string);
        Ok(FailureEntry {
            code: text("code").ok_or("a failure_summary entry has no string code")?,
            reason_code: text("reason_code"),
            message: text("message").ok_or("a failure_summary entry has no string message")?,
        })
    }
}

pub fn write_failures(out: &mut String, failures: &[FailureEntry]) {
    out.push('[');
    for (i, f) in failures.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        f.write(out);
    }
    out.push(']');
}

pub fn decode_stored_failures(value: &Json) -> std::result::Result<Vec<FailureEntry>, String> {
    let items = value.as_array().ok_or("failure_summary is not an array")?;
    items.iter().map(FailureEntry::decode_stored).collect()
}

/// A code as a machine token: secrets redacted first, then anything but `[A-Za-z0-9_.:-]` becomes `_`.
fn clean_code(raw: &str) -> String {
    let cleaned: String = clean_message(raw, MAX_CODE_CHARS)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-') { c } else { '_' })
        .collect();
    if cleaned.trim_matches('_').is_empty() {
        "unknown".to_string()
    } else {
        cleaned
    }
}

/// Sanitizes a failure list: at most `max_entries` entries (the first ones), each message one line,
/// redacted and cut to `max_message_chars`. A bare string entry becomes `{code: "unknown", message}`;
/// entries that are neither objects nor strings are dropped. Only a non-array is an error.
pub fn sanitize_failures(value: &Json, limits: FailureLimits) -> Result<Vec<FailureEntry>> {
    let items = value.as_array().ok_or_else(|| {
        EngineError::input(format!(
            "failure_summary must be an array of {{code, reason_code?, message}}, got {}",
            value.type_name()
        ))
    })?;
    let mut out = Vec::with_capacity(items.len().min(limits.max_entries));
    for item in items {
        if out.len() == limits.max_entries {
            break;
        }
        let entry = match item {
            Json::String(message) => FailureEntry {
                code: "unknown".to_string(),
                reason_code: None,
                message: clean_message(message, limits.max_message_chars),
            },
            Json::Object(_) => FailureEntry {
                code: clean_code(text_of(item.get("code")).unwrap_or("unknown")),
                reason_code: text_of(item.get("reason_code")).map(clean_code),
                message: clean_message(text_of(item.get("message")).unwrap_or(""), limits.max_message_chars),
            },
            _ => continue,
        };
        out.push(entry);
    }
    Ok(out)
}

/// Strings as they are; numbers (an HTTP status as a code) as their decimal form is not needed:
/// only strings count, so a code of `429` becomes "unknown" rather than a guess.
fn text_of(value: Option<&Json>) -> Option<&str> {
    value.and_then(Json::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::json::{parse, Limits};

    fn sanitize(text: &str, limits: FailureLimits) -> Result<Vec<FailureEntry>> {
        sanitize_failures(&parse(text, Limits::default()).unwrap(), limits)
    }

    #[test]
    fn keeps_code_reason_and_one_line_message() {
        let f = sanitize(
            r#"[{"code":"graph.throttled","reason_code":"HTTP_429","message":"too many\nrequests"}]"#,
            FailureLimits::default(),
        )
        .unwrap();
        assert_eq!(
            f,
            vec![FailureEntry {
                code: "graph.throttled".into(),
                reason_code: Some("HTTP_429".into()),
                message: "too many requests".into(),
            }]
        );
    }

    #[test]
    fn caps_entries_and_message_length() {
        let long = "x".repeat(1000);
        let list: Vec<String> = (0..30).map(|i| format!(r#"{{"code":"c{i}","message":"{long}"}}"#)).collect();
        let f = sanitize(
            &format!("[{}]", list.join(",")),
            FailureLimits { max_entries: 3, max_message_chars: 50 },
        )
        .unwrap();
        assert_eq!(f.len(), 3);
        assert_eq!(f[2].code, "c2");
        assert_eq!(f[0].message.chars().count(), 50);
        assert!(f[0].message.ends_with('…'));
    }

    #[test]
    fn redacts_secrets_in_messages() {
        let f = sanitize(
            r#"[{"code":"auth","message":"GET /x failed: Authorization: Bearer abcdefghijklmnop1234567890ABCDEF"}]"#,
            FailureLimits::default(),
        )
        .unwrap();
        assert!(!f[0].message.contains("abcdefghijklmnop"), "{}", f[0].message);
        assert!(f[0].message.contains("[REDACTED]"));
    }

    #[test]
    fn odd_entries_are_normalised_or_dropped() {
        let f = sanitize(r#"["plain text", 42, null, {"code":"  ","message":7}]"#, FailureLimits::default())
            .unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(
            f[0],
            FailureEntry { code: "unknown".into(), reason_code: None, message: "plain text".into() }
        );
        assert_eq!(f[1].code, "unknown");
        assert_eq!(f[1].message, "");
    }

    #[test]
    fn codes_become_tokens() {
        assert_eq!(clean_code("Graph API / throttled!"), "Graph_API___throttled_");
        assert_eq!(clean_code(&"a".repeat(100)).chars().count(), MAX_CODE_CHARS);
    }

    #[test]
    fn nothing_past_the_read_window_changes_the_result() {
        // The JS side cuts failure strings at twice the window (in UTF-16 units); this pins that the cut
        // is invisible: the result of a huge message equals the result of its first `read_window` chars.
        for limits in [FailureLimits::default(), FailureLimits { max_entries: 1, max_message_chars: 4000 }] {
            let window = limits.read_window();
            for filler in ["word ", "ü ", "😀 ", "Bearer ghp_0123456789abcdefghijABCDEFGHIJ0123 "] {
                let huge: String = filler.repeat(3 * window);
                let cut: String = huge.chars().take(window).collect();
                let entry = |m: &str| Json::Array(vec![Json::String(m.to_string())]);
                assert_eq!(
                    sanitize_failures(&entry(&huge), limits).unwrap(),
                    sanitize_failures(&entry(&(cut + "x")), limits).unwrap(),
                    "{filler:?}"
                );
            }
        }
    }

    #[test]
    fn refuses_a_non_array() {
        let e = sanitize(r#"{"code":"x"}"#, FailureLimits::default()).unwrap_err();
        assert_eq!(e.code(), "E_INVALID_INPUT");
    }
}
