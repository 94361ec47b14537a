#![no_main]
//! `sanitize_counts` on any JSON under any configured whitelist: only whitelisted keys with safe
//! non-negative integer values, each as given, sorted, storable and a fixed point of sanitizing.

use libfuzzer_sys::fuzz_target;
use ops_ux_engine::domain::sanitize::counts::sanitize_counts;
use ops_ux_engine_fuzz::counts::assert_sanitized_counts;
use ops_ux_engine_fuzz::input::config_and_payload;
use ops_ux_engine_fuzz::json::parse_and_check;

fuzz_target!(|data: &[u8]| {
    let Some((config, payload)) = config_and_payload(data) else { return };
    let Some(raw) = parse_and_check(&payload, config.json) else { return };
    match sanitize_counts(&raw, &config.summary_keys) {
        Ok(counts) => assert_sanitized_counts(&raw, &config.summary_keys, &counts),
        Err(e) => {
            assert!(raw.as_object().is_none(), "an object was refused: {e}");
            assert_eq!(e.code(), "E_INVALID_INPUT");
        }
    }
});
