//! Engine configuration: operation type labels, the summary key whitelist, and limits.
//! Decoded from the `createEngine` options (camelCase, as JavaScript writes them).

use super::error::{EngineError, Result};
use super::json::{quote, Json, Limits};
use super::sanitize::counts::DEFAULT_SUMMARY_KEYS;
use super::sanitize::failures::FailureLimits;
use std::rc::Rc;

const MAX_TYPE_CHARS: usize = 64;

#[derive(Debug, Clone)]
pub struct Config {
    /// Operation type → human label used in toasts and notifications ("inventory.sync" → "Inventory sync").
    pub labels: Vec<(String, String)>,
    /// Refuse operation types that have no label.
    pub strict_types: bool,
    pub summary_keys: Vec<Rc<str>>,
    pub failures: FailureLimits,
    pub max_context_bytes: usize,
    pub max_identity_bytes: usize,
    /// Bounds on every JSON text the engine reads.
    pub json: Limits,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            labels: Vec::new(),
            strict_types: false,
            summary_keys: DEFAULT_SUMMARY_KEYS.iter().map(|k| Rc::from(*k)).collect(),
            failures: FailureLimits::default(),
            max_context_bytes: 16 * 1024,
            max_identity_bytes: 512,
            json: Limits { max_depth: 32, max_bytes: 1024 * 1024 },
        }
    }
}

impl Config {
    /// Decodes options; `null` gives the defaults. Unknown keys are refused so a typo is not ignored.
    pub fn decode(options: &Json) -> Result<Config> {
        let mut config = Config::default();
        let Some(fields) = options.as_object() else {
            return match options {
                Json::Null => Ok(config),
                other => Err(EngineError::input(format!(
                    "createEngine options must be an object, got {}",
                    other.type_name()
                ))),
            };
        };
        for (key, value) in fields {
            match key.as_str() {
                "labels" => config.labels = decode_labels(value)?,
                "strictTypes" => {
                    config.strict_types = value.as_bool().ok_or_else(|| {
                        EngineError::input("options.strictTypes must be a boolean")
                    })?
                }
                "summaryKeys" => config.summary_keys = decode_summary_keys(value)?,
                "limits" => decode_limits(value, &mut config)?,
                other => {
                    return Err(EngineError::input(format!(
                        "unknown option {}; expected store, clock, dispatchEvents, eventTarget, labels, strictTypes, summaryKeys or limits", quote(other)
                    )))
                }
            }
        }
        Ok(config)
    }

    /// The label for a type: the configured one, else the type made readable ("inventory.sync" → "Inventory sync").
    pub fn label(&self, op_type: &str) -> String {
        if let Some((_, label)) = self.labels.iter().find(|(t, _)| t == op_type) {
            return label.clone();
        }
        let mut label = String::with_capacity(op_type.len());
        for (i, c) in op_type.chars().enumerate() {
            let c = if matches!(c, '.' | '_' | '-') { ' ' } else { c };
            if i == 0 {
                label.push(c.to_ascii_uppercase());
            } else {
                label.push(c);
            }
        }
        label
    }

    /// Validates an operation type: a short machine name such as `inventory.sync`.
    pub fn check_type(&self, op_type: &str) -> Result<()> {
        if !is_machine_name(op_type) {
            return Err(EngineError::input(format!(
                "type must be a machine name such as \"inventory.sync\" (lowercase letters, digits, '.', '_', '-', starting with a letter, at most {MAX_TYPE_CHARS} characters), got {}", quote(op_type)
            )));
        }
        if self.strict_types && !self.labels.iter().any(|(t, _)| t == op_type) {
            return Err(EngineError::input(format!(
                "unknown operation type {}: strictTypes is on and it has no label in options.labels",
                quote(op_type)
            )));
        }
        Ok(())
    }
}

/// A short machine name such as `inventory.sync`: what `type` must be.
pub fn is_machine_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('a'..='z'))
        && s.len() <= MAX_TYPE_CHARS
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '.' | '_' | '-'))
        && !matches!(s.as_bytes().last(), Some(b'.' | b'_' | b'-'))
        // Bytes, not a str pattern: a substring search would bring a searcher and its panic paths along.
        && !s.as_bytes().windows(2).any(|pair| pair == b"..")
}

fn decode_labels(value: &Json) -> Result<Vec<(String, String)>> {
    let fields = value.as_object().ok_or_else(|| {
        EngineError::input("options.labels must map operation types to labels, e.g. {\"inventory.sync\": \"Inventory sync\"}")
    })?;
    fields
        .iter()
        .map(|(t, label)| {
            if !is_machine_name(t) {
                return Err(EngineError::input(format!(
                    "options.labels: {} is not an operation type name",
                    quote(t)
                )));
            }
            match label.as_str() {
                Some(l) if !l.trim().is_empty() && l.chars().count() <= 80 => {
                    Ok((t.clone(), l.trim().to_string()))
                }
                _ => Err(EngineError::input(format!(
                    "options.labels[{}] must be a non-empty string of at most 80 characters",
                    quote(t)
                ))),
            }
        })
        .collect()
}

fn decode_summary_keys(value: &Json) -> Result<Vec<Rc<str>>> {
    let items = value
        .as_array()
        .ok_or_else(|| EngineError::input("options.summaryKeys must be an array of counter names"))?;
    items
        .iter()
        .map(|k| match k.as_str() {
            Some(k) if is_machine_name(k) && !k.bytes().any(|b| b == b'.') => Ok(Rc::from(k)),
            _ => Err(EngineError::input(format!(
                "options.summaryKeys: {} is not a counter name (lowercase letters, digits, '_' or '-')",
                k.to_text()
            ))),
        })
        .collect()
}

fn decode_limits(value: &Json, config: &mut Config) -> Result<()> {
    let fields = value.as_object().ok_or_else(|| EngineError::input("options.limits must be an object"))?;
    for (key, v) in fields {
        let (slot, range): (&mut usize, (usize, usize)) = match key.as_str() {
            "maxFailures" => (&mut config.failures.max_entries, (0, 100)),
            "maxMessageLength" => (&mut config.failures.max_message_chars, (16, 4000)),
            "maxContextBytes" => (&mut config.max_context_bytes, (2, 1024 * 1024)),
            "maxIdentityBytes" => (&mut config.max_identity_bytes, (1, 4096)),
            other => {
                return Err(EngineError::input(format!(
                    "unknown limit {}; expected maxFailures, maxMessageLength, maxContextBytes or maxIdentityBytes", quote(other)
                )))
            }
        };
        *slot = match v.as_i64().and_then(|n| usize::try_from(n).ok()) {
            Some(n) if (range.0..=range.1).contains(&n) => n,
            _ => {
                return Err(EngineError::input(format!(
                    "options.limits.{key} must be an integer from {} to {}",
                    range.0, range.1
                )))
            }
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::json::parse;

    fn decode(text: &str) -> Result<Config> {
        Config::decode(&parse(text, Limits::default()).unwrap())
    }

    #[test]
    fn null_gives_defaults() {
        let c = decode("null").unwrap();
        assert_eq!(c.summary_keys, Config::default().summary_keys);
        assert_eq!(c.failures, FailureLimits::default());
    }

    #[test]
    fn labels_and_derived_labels() {
        let c = decode(r#"{"labels":{"inventory.sync":"Inventory sync"}}"#).unwrap();
        assert_eq!(c.label("inventory.sync"), "Inventory sync");
        assert_eq!(c.label("policy.bulk_delete"), "Policy bulk delete");
    }

    #[test]
    fn type_names() {
        let c = Config::default();
        for ok in ["inventory.sync", "a", "backup-set.restore_v2"] {
            assert!(c.check_type(ok).is_ok(), "{ok}");
        }
        for bad in ["", "Inventory.sync", "1sync", "a..b", "a.", "sp ace", "ünï", &"a".repeat(65)] {
            assert_eq!(c.check_type(bad).unwrap_err().code(), "E_INVALID_INPUT", "{bad}");
        }
    }

    #[test]
    fn strict_types_refuse_unlabelled_types() {
        let c = decode(r#"{"strictTypes":true,"labels":{"inventory.sync":"Inventory sync"}}"#).unwrap();
        assert!(c.check_type("inventory.sync").is_ok());
        assert!(c.check_type("other.op").is_err());
    }

    #[test]
    fn limits_and_keys() {
        let c =
            decode(r#"{"limits":{"maxFailures":3,"maxMessageLength":100},"summaryKeys":["total","moved"]}"#)
                .unwrap();
        assert_eq!(c.failures, FailureLimits { max_entries: 3, max_message_chars: 100 });
        assert_eq!(c.summary_keys.iter().map(|k| &**k).collect::<Vec<_>>(), ["total", "moved"]);
    }

    #[test]
    fn refuses_bad_options() {
        for bad in [
            "3",
            r#"{"lables":{}}"#,
            r#"{"limits":{"maxFailures":-1}}"#,
            r#"{"limits":{"maxFailures":1.5}}"#,
            r#"{"limits":{"maxBytes":1}}"#,
            r#"{"summaryKeys":["Total"]}"#,
            r#"{"labels":{"x":""}}"#,
            r#"{"strictTypes":"yes"}"#,
        ] {
            assert_eq!(decode(bad).unwrap_err().code(), "E_INVALID_INPUT", "{bad}");
        }
    }
}
