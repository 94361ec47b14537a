#![no_main]
//! The list and reconcile options: bytes → `json::parse` → `decode_run_filter`,
//! `decode_notification_filter` and `decode_reconcile_options` on the same value.
//!
//! Refusals are input errors; accepted limits are within 1..=1000 (100 when absent); the statuses, type,
//! unread flag and scope are the ones the input named.

use libfuzzer_sys::fuzz_target;
use ops_ux_engine::domain::ids::Scope;
use ops_ux_engine::domain::json::{Json, Limits};
use ops_ux_engine::domain::request::{
    decode_notification_filter, decode_reconcile_options, decode_run_filter,
};
use ops_ux_engine::domain::run::Status;
use ops_ux_engine_fuzz::json::parse_and_check;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Some(raw) = parse_and_check(&text, Limits::default()) else { return };
    let present = |key: &str| raw.get(key).filter(|v| !v.is_null());
    let limit = present("limit").and_then(Json::as_i64);
    let expected_limit = |decoded: usize| match limit {
        None => assert_eq!(decoded, 100, "default limit"),
        Some(n) => assert_eq!(Ok(decoded), usize::try_from(n), "limit"),
    };

    match decode_run_filter(&raw) {
        Ok(filter) => {
            assert!((1..=1000).contains(&filter.limit));
            expected_limit(filter.limit);
            let named: Vec<&str> = match present("status") {
                None => Vec::new(),
                Some(Json::Array(items)) => items.iter().filter_map(Json::as_str).collect(),
                Some(v) => v.as_str().into_iter().collect(),
            };
            assert_eq!(filter.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>(), named);
            assert!(filter.statuses.iter().all(|s| Status::parse(s.as_str()).is_some()));
            assert_eq!(filter.op_type.as_deref(), present("type").and_then(Json::as_str));
        }
        Err(e) => assert_eq!(e.code(), "E_INVALID_INPUT", "{e}"),
    }
    match decode_notification_filter(&raw) {
        Ok(filter) => {
            assert!((1..=1000).contains(&filter.limit));
            expected_limit(filter.limit);
            assert_eq!(filter.unread_only, present("unread").and_then(Json::as_bool).unwrap_or(false));
        }
        Err(e) => assert_eq!(e.code(), "E_INVALID_INPUT", "{e}"),
    }
    match decode_reconcile_options(&raw) {
        Ok(options) => {
            assert!((1..=1000).contains(&options.batch));
            expected_limit(options.batch);
            let scope =
                present("scope").map(|s| Scope::decode(s, "scope").expect("an accepted scope decodes"));
            assert_eq!(options.scope, scope);
        }
        Err(e) => assert_eq!(e.code(), "E_INVALID_INPUT", "{e}"),
    }
});
