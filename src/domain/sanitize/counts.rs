//! `summary_counts`: numeric-only counters from a whitelist of keys. Anything else never reaches storage.

use crate::domain::error::{EngineError, Result};
use crate::domain::ids::MAX_SAFE_INTEGER;
use crate::domain::json::{write_int, write_str, Json};
use std::rc::Rc;

/// The keys accepted when the host configures none.
pub const DEFAULT_SUMMARY_KEYS: [&str; 10] = [
    "total",
    "processed",
    "succeeded",
    "failed",
    "skipped",
    "created",
    "updated",
    "deleted",
    "warnings",
    "retried",
];

/// Counters sorted by key, each a non-negative safe integer. Keys are shared with the engine's
/// whitelist (`Rc`): every stored run has counters, and a key per run per counter would be most of
/// their memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SummaryCounts(Vec<(Rc<str>, u64)>);

impl SummaryCounts {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<u64> {
        self.find(key).ok().and_then(|i| self.0.get(i)).map(|(_, v)| *v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.0.iter().map(|(k, v)| (&**k, *v))
    }

    fn find(&self, key: &str) -> std::result::Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| (**k).cmp(key))
    }

    fn set(&mut self, key: &Rc<str>, value: u64) {
        match self.find(key) {
            Ok(i) => {
                if let Some(slot) = self.0.get_mut(i) {
                    slot.1 = value;
                }
            }
            Err(i) => self.0.insert(i, (Rc::clone(key), value)),
        }
    }

    /// Overwrites the counters `other` names, keeps the rest: progress reports may name only what moved.
    pub fn merged(&self, other: &SummaryCounts) -> SummaryCounts {
        let mut next = self.clone();
        for (k, v) in &other.0 {
            next.set(k, *v);
        }
        next
    }

    pub fn write(&self, out: &mut String) {
        out.push('{');
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_str(out, k);
            out.push(':');
            write_int(out, *v as i64);
        }
        out.push('}');
    }

    /// Reads counters a store returned: every key kept (the whitelist may have changed since they were
    /// written), but each value must still be a count.
    pub fn decode_stored(value: &Json) -> std::result::Result<SummaryCounts, String> {
        let fields = value.as_object().ok_or("summary_counts is not an object")?;
        let mut counts = SummaryCounts::default();
        for (k, v) in fields {
            let n = v
                .as_i64()
                .and_then(as_count)
                .ok_or_else(|| format!("summary_counts.{k} is not a non-negative safe integer"))?;
            counts.set(&Rc::from(k.as_str()), n);
        }
        Ok(counts)
    }
}

fn as_count(n: i64) -> Option<u64> {
    u64::try_from(n).ok().filter(|n| *n <= MAX_SAFE_INTEGER as u64)
}

/// Keeps the whitelisted keys whose value is a non-negative safe integer and drops everything else
/// (other keys, strings, `NaN`, negative or fractional numbers). Only a non-object is an error.
pub fn sanitize_counts(value: &Json, allowed: &[Rc<str>]) -> Result<SummaryCounts> {
    let fields = value.as_object().ok_or_else(|| {
        EngineError::input(format!(
            "summary_counts must be an object of counters such as {{\"processed\": 3}}, got {}",
            value.type_name()
        ))
    })?;
    let mut counts = SummaryCounts::default();
    for (k, v) in fields {
        let Some(key) = allowed.iter().find(|a| ***a == **k) else { continue };
        if let Some(n) = v.as_i64().and_then(as_count) {
            counts.set(key, n);
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::json::{parse, Limits};

    fn keys() -> Vec<Rc<str>> {
        DEFAULT_SUMMARY_KEYS.iter().map(|s| Rc::from(*s)).collect()
    }

    fn sanitize(text: &str) -> Result<SummaryCounts> {
        sanitize_counts(&parse(text, Limits::default()).unwrap(), &keys())
    }

    #[test]
    fn keeps_whitelisted_counts_sorted() {
        let c = sanitize(r#"{"total":10,"processed":4,"failed":0}"#).unwrap();
        let mut out = String::new();
        c.write(&mut out);
        assert_eq!(out, r#"{"failed":0,"processed":4,"total":10}"#);
    }

    #[test]
    fn drops_unknown_keys_and_non_counts() {
        let c = sanitize(
            r#"{"total":-1,"processed":1.5,"failed":"3","skipped":null,"secret":5,"created":9007199254740992,"updated":-0}"#,
        )
        .unwrap();
        assert_eq!(c.iter().collect::<Vec<_>>(), vec![("updated", 0)]);
    }

    #[test]
    fn refuses_a_non_object() {
        for text in ["[1,2]", "\"3\"", "3", "null"] {
            assert_eq!(sanitize(text).unwrap_err().code(), "E_INVALID_INPUT", "{text}");
        }
    }

    #[test]
    fn merge_overwrites_named_keys_only() {
        let a = sanitize(r#"{"total":10,"processed":4}"#).unwrap();
        let b = sanitize(r#"{"processed":7}"#).unwrap();
        let m = a.merged(&b);
        assert_eq!(m.get("total"), Some(10));
        assert_eq!(m.get("processed"), Some(7));
    }

    #[test]
    fn stored_counts_keep_unknown_keys_but_must_be_counts() {
        let v = parse(r#"{"legacy":3}"#, Limits::default()).unwrap();
        assert_eq!(SummaryCounts::decode_stored(&v).unwrap().get("legacy"), Some(3));
        let bad = parse(r#"{"legacy":-3}"#, Limits::default()).unwrap();
        assert!(SummaryCounts::decode_stored(&bad).is_err());
    }
}
