//! Properties of the engine's JSON reader and writer on any text it accepts.

use ops_ux_engine::domain::json::{parse, Json, JsonError, Limits};

/// Parses `text` as the engine would; on success, what the engine writes reads back as the same value
/// under the same limits, and the canonical form is a fixed point.
pub fn parse_and_check(text: &str, limits: Limits) -> Option<Json> {
    let value = match parse(text, limits) {
        Ok(value) => value,
        Err(e) => {
            assert_refusal_is_plausible(&e, text, limits);
            return None;
        }
    };
    let written = value.to_text();
    assert!(written.len() <= text.len(), "compact form is longer than the input: {written}");
    let reread =
        parse(&written, limits).unwrap_or_else(|e| panic!("written JSON does not parse ({e}): {written}"));
    assert_eq!(reread, value, "JSON round trip of {written}");

    let mut canonical = String::new();
    value.write_canonical(&mut canonical);
    let again = parse(&canonical, limits)
        .unwrap_or_else(|e| panic!("canonical JSON does not parse ({e}): {canonical}"));
    let mut twice = String::new();
    again.write_canonical(&mut twice);
    assert_eq!(twice, canonical, "canonical form is not a fixed point");
    Some(value)
}

/// The size refusal is exact; a syntax refusal points inside the text.
fn assert_refusal_is_plausible(error: &JsonError, text: &str, limits: Limits) {
    match error {
        JsonError::TooLarge { bytes, max } => {
            assert!(*bytes == text.len() && *max == limits.max_bytes && *bytes > *max, "{error}")
        }
        JsonError::Syntax { offset, .. } | JsonError::NumberOutOfRange { offset } => {
            assert!(*offset <= text.len(), "{error} in a text of {} bytes", text.len())
        }
        JsonError::TooDeep { max } => assert_eq!(*max, limits.max_depth),
        JsonError::ForbiddenKey { .. } | JsonError::DuplicateKey { .. } => {}
    }
}
