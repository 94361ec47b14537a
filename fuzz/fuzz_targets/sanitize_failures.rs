#![no_main]
//! `sanitize_failures` on any JSON under any configured limits: a bounded list of clean entries, each
//! derived from its raw entry, that stores and reads back as it is and sanitizes to itself.

use libfuzzer_sys::fuzz_target;
use ops_ux_engine::domain::sanitize::failures::sanitize_failures;
use ops_ux_engine_fuzz::failures::assert_sanitized_failures;
use ops_ux_engine_fuzz::input::config_and_payload;
use ops_ux_engine_fuzz::json::parse_and_check;

fuzz_target!(|data: &[u8]| {
    let Some((config, payload)) = config_and_payload(data) else { return };
    let Some(raw) = parse_and_check(&payload, config.json) else { return };
    match sanitize_failures(&raw, config.failures) {
        Ok(entries) => assert_sanitized_failures(&raw, config.failures, &entries),
        Err(e) => {
            assert!(raw.as_array().is_none(), "an array was refused: {e}");
            assert_eq!(e.code(), "E_INVALID_INPUT");
        }
    }
});
