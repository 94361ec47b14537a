//! Timestamps: milliseconds since the Unix epoch inside, RFC 3339 UTC (`2026-01-02T03:04:05.678Z`) outside.

use super::error::Result;

/// Milliseconds since 1970-01-01T00:00:00Z.
pub type Millis = i64;

/// The source of "now". Hosts pass their own for tests; the binding defaults to `Date.now()`.
/// A host clock can fail (it is a callback), so reading it is fallible.
pub trait Clock {
    fn now(&self) -> Result<Millis>;
}

/// Formats as RFC 3339 UTC with milliseconds: `2026-01-02T03:04:05.678Z`.
pub fn format_rfc3339(ms: Millis) -> String {
    let mut out = String::with_capacity(24);
    write_rfc3339(&mut out, ms);
    out
}

/// Writes `ms` as RFC 3339 UTC with milliseconds, by hand: it runs for every timestamp of every run
/// written, and digit arithmetic is several times faster (and smaller in the `.wasm`) than going through
/// a formatter. Years are clamped to 0000–9999, the range RFC 3339 can write (clocks are validated to it).
pub fn write_rfc3339(out: &mut String, ms: Millis) {
    const MIN: Millis = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
    const MAX: Millis = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
    let ms = ms.clamp(MIN, MAX);
    let (year, month, day) = civil_from_days(ms.div_euclid(86_400_000));
    let in_day = ms.rem_euclid(86_400_000);
    for (n, width, after) in [
        (year, 4, '-'),
        (month, 2, '-'),
        (day, 2, 'T'),
        (in_day / 3_600_000, 2, ':'),
        (in_day / 60_000 % 60, 2, ':'),
        (in_day / 1000 % 60, 2, '.'),
        (in_day % 1000, 3, 'Z'),
    ] {
        write_digits(out, n, width);
        out.push(after);
    }
}

/// The last `width` decimal digits of a non-negative `n`, zero-padded.
fn write_digits(out: &mut String, n: i64, width: usize) {
    let mut digits = [b'0'; 4];
    let mut n = n;
    for slot in digits.iter_mut().take(width).rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
    for d in digits.iter().take(width) {
        out.push(char::from(*d));
    }
}

/// Writes a JSON string of the timestamp, or `null`.
pub fn write_json_time(out: &mut String, t: Option<Millis>) {
    match t {
        Some(ms) => {
            out.push('"');
            write_rfc3339(out, ms);
            out.push('"');
        }
        None => out.push_str("null"),
    }
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (year, month, day) in the proleptic Gregorian calendar → days since 1970-01-01 (Hinnant's
/// `days_from_civil`, the inverse of [`civil_from_days`]).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses an RFC 3339 timestamp (`2026-01-02T03:04:05.678Z`, any offset, any number of fraction digits —
/// milliseconds are kept, finer digits dropped) into UTC milliseconds. By hand, like the writer: a date
/// library would be most of its weight in the `.wasm` for this one function.
pub fn parse_rfc3339(text: &str) -> Option<Millis> {
    let b = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        digits
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| digits.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let at = |i: usize, expected: &[u8]| b.get(i).is_some_and(|c| expected.contains(c));
    if !(at(4, b"-") && at(7, b"-") && at(10, b"Tt ") && at(13, b":") && at(16, b":")) {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&month) || !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    // 60 is a leap second, which RFC 3339 allows; like JavaScript's Date, it counts as the next second.
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut i = 19;
    let mut millis = 0;
    if at(i, b".") {
        let digits = b.get(i + 1..)?.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        for k in 0..3 {
            millis = millis * 10 + if k < digits { num(i + 1 + k, 1)? } else { 0 };
        }
        i += 1 + digits;
    }
    let offset_minutes = match b.get(i..)? {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (h, m) = (num(i + 1, 2)?, num(i + 4, 2)?);
            if h > 23 || m > 59 {
                return None;
            }
            if *sign == b'-' {
                -(h * 60 + m)
            } else {
                h * 60 + m
            }
        }
        _ => return None,
    };
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    Some((seconds - offset_minutes * 60) * 1000 + millis)
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
    fn agrees_with_chrono_across_the_calendar() {
        use chrono::{DateTime, SecondsFormat};
        // Leap days, century rules, negative (pre-1970) and far-future instants.
        let mut ms: Millis = -62_167_219_200_000;
        while ms < 253_402_300_799_999 {
            let expected =
                DateTime::from_timestamp_millis(ms).unwrap().to_rfc3339_opts(SecondsFormat::Millis, true);
            assert_eq!(format_rfc3339(ms), expected, "{ms}");
            assert_eq!(parse_rfc3339(&expected), Some(ms), "{expected}");
            ms += 86_400_000 * 37 + 3_723_456; // a prime-ish stride through days and times of day
        }
    }

    #[test]
    fn clamps_to_the_writable_years() {
        assert_eq!(format_rfc3339(Millis::MIN), "0000-01-01T00:00:00.000Z");
        assert_eq!(format_rfc3339(Millis::MAX), "9999-12-31T23:59:59.999Z");
    }

    #[test]
    fn parses_what_chrono_parses_and_refuses_what_it_refuses() {
        use chrono::DateTime;
        let cases = [
            "2026-01-02T03:04:05Z",
            "2026-01-02t03:04:05.1z",
            "2026-01-02 03:04:05.123456789-07:30",
            "2024-02-29T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-01-02T24:00:00Z",
            "2026-01-02T03:60:00Z",
            "2026-01-02T03:04:05.Z",
            "2026-01-02T03:04:05",
            "2026-01-02T03:04:05+0100",
            "2026-01-02T03:04:05+24:00",
            "+2026-01-02T03:04:05Z",
            "2026-1-02T03:04:05Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999+00:00",
            "2026-01-02T03:04:05Z ",
            "",
            "2016-12-31T23:59:60.5Z",
        ];
        for text in cases {
            let expected = DateTime::parse_from_rfc3339(text).ok().map(|t| t.timestamp_millis());
            assert_eq!(parse_rfc3339(text), expected, "{text:?}");
        }
    }

    #[test]
    fn round_trips() {
        let ms = 1_780_000_000_123;
        assert_eq!(parse_rfc3339(&format_rfc3339(ms)), Some(ms));
    }
}
