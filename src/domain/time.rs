//! Timestamps: milliseconds since the Unix epoch inside, RFC 3339 UTC (`2026-01-02T03:04:05.678Z`) outside.

use super::error::Result;
use chrono::{DateTime, SecondsFormat};

/// Milliseconds since 1970-01-01T00:00:00Z.
pub type Millis = i64;

/// The source of "now". Hosts pass their own for tests; the binding defaults to `Date.now()`.
/// A host clock can fail (it is a callback), so reading it is fallible.
pub trait Clock {
    fn now(&self) -> Result<Millis>;
}

/// Formats as RFC 3339 UTC with milliseconds. Out-of-range values (beyond year ±262143) clamp to the epoch,
/// which a validated clock never produces.
pub fn format_rfc3339(ms: Millis) -> String {
    DateTime::from_timestamp_millis(ms).unwrap_or_default().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses an RFC 3339 timestamp with any offset into UTC milliseconds.
pub fn parse_rfc3339(text: &str) -> Option<Millis> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_with_millis() {
        assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_rfc3339(1_767_323_045_678), "2026-01-02T03:04:05.678Z");
    }

    #[test]
    fn parses_offsets_into_utc() {
        assert_eq!(parse_rfc3339("2026-01-02T04:04:05.678+01:00"), Some(1_767_323_045_678));
        assert_eq!(parse_rfc3339("yesterday"), None);
    }

    #[test]
    fn round_trips() {
        let ms = 1_780_000_000_123;
        assert_eq!(parse_rfc3339(&format_rfc3339(ms)), Some(ms));
    }
}
