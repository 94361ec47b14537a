//! How a fuzz input becomes engine input.
//!
//! Bytes are read as UTF-8, invalid sequences replaced: what crosses from JavaScript is always
//! `JSON.stringify` output, which is well-formed. An input may start with a line `options <json>`: the
//! `createEngine` options (limits, summary keys, labels) the rest is judged under; without it, the defaults.

use ops_ux_engine::domain::config::Config;
use ops_ux_engine::domain::json::{parse, Limits};

const OPTIONS_PREFIX: &str = "options ";

/// The engine configuration and the payload text, or `None` when the options line is not valid options
/// (it must then be refused as input, which is checked here).
pub fn config_and_payload(data: &[u8]) -> Option<(Config, String)> {
    let text = String::from_utf8_lossy(data);
    let Some(rest) = text.strip_prefix(OPTIONS_PREFIX) else {
        return Some((Config::default(), text.into_owned()));
    };
    let (options_line, payload) = rest.split_once('\n').unwrap_or((rest, ""));
    let options = parse(options_line, Limits::default()).ok()?;
    match Config::decode(&options) {
        Ok(config) => Some((config, payload.to_string())),
        Err(e) => {
            assert_eq!(e.code(), "E_INVALID_INPUT", "options refused with an unexpected code: {e}");
            None
        }
    }
}
