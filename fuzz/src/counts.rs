//! Properties of sanitized summary counts, judged against the raw object they came from.

use ops_ux_engine::domain::ids::MAX_SAFE_INTEGER;
use ops_ux_engine::domain::json::{parse, Json, Limits};
use ops_ux_engine::domain::sanitize::counts::{sanitize_counts, SummaryCounts};
use std::rc::Rc;

/// `raw` is what the caller passed, `counts` what `sanitize_counts(raw, allowed)` returned.
pub fn assert_sanitized_counts(raw: &Json, allowed: &[Rc<str>], counts: &SummaryCounts) {
    let fields = raw.as_object().expect("only an object sanitizes");
    let pairs: Vec<(&str, u64)> = counts.iter().collect();
    for pair in pairs.windows(2) {
        assert!(pair[0].0 < pair[1].0, "keys not sorted and unique: {pairs:?}");
    }
    for (key, value) in &pairs {
        assert!(allowed.iter().any(|a| &**a == *key), "key {key:?} is not in the whitelist {allowed:?}");
        assert!(*value <= MAX_SAFE_INTEGER as u64, "{key}: {value} is not a safe integer");
    }
    // Every whitelisted count in the input is kept as it is; nothing else is.
    let mut expected = 0;
    for (key, value) in fields {
        if !allowed.iter().any(|a| **a == **key) {
            continue;
        }
        let count = value.as_i64().filter(|n| (0..=MAX_SAFE_INTEGER).contains(n));
        assert_eq!(counts.get(key), count.map(|n| n as u64), "{key} of {}", raw.to_text());
        expected += usize::from(count.is_some());
    }
    assert_eq!(pairs.len(), expected, "counters kept of {}", raw.to_text());
    assert_stored_round_trip(counts, allowed);
}

/// What is stored reads back the same, and sanitizing it again changes nothing.
fn assert_stored_round_trip(counts: &SummaryCounts, allowed: &[Rc<str>]) {
    let mut text = String::new();
    counts.write(&mut text);
    let value = parse(&text, Limits { max_depth: 1, max_bytes: usize::MAX })
        .unwrap_or_else(|e| panic!("written counts do not parse ({e}): {text}"));
    assert_eq!(SummaryCounts::decode_stored(&value).as_ref(), Ok(counts), "stored round trip of {text}");
    assert_eq!(sanitize_counts(&value, allowed).as_ref(), Ok(counts), "sanitizing twice changed {text}");
}
