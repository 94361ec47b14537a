#![no_main]
//! Start request decoding: bytes → `json::parse` → `StartRequest::decode`.
//!
//! * Refusals are input errors. An accepted request has a valid type, the scope and initiator the input
//!   named, a bounded context equal to the input's, and a dedup key that is the type plus the identity's
//!   canonical JSON (so the same identity written with its keys in another order dedups the same).
//! * The queued run it becomes stores and reads back unchanged.

use libfuzzer_sys::fuzz_target;
use ops_ux_engine::domain::config::Config;
use ops_ux_engine::domain::ids::{Id, Scope};
use ops_ux_engine::domain::json::{parse, Json};
use ops_ux_engine::domain::request::{dedup_key, StartRequest};
use ops_ux_engine_fuzz::input::config_and_payload;
use ops_ux_engine_fuzz::json::parse_and_check;
use ops_ux_engine_fuzz::records::assert_run_round_trip;

fuzz_target!(|data: &[u8]| {
    let Some((config, payload)) = config_and_payload(data) else { return };
    let Some(raw) = parse_and_check(&payload, config.json) else { return };
    let request = match StartRequest::decode(&raw, &config) {
        Ok(request) => request,
        Err(e) => return assert_eq!(e.code(), "E_INVALID_INPUT", "refused with {e}"),
    };
    assert_request_matches(&raw, &request, &config);
    let draft = request.into_draft(1_714_557_600_000);
    assert_run_round_trip(&draft.into_run(Id::Str("run-1".into())));
});

fn assert_request_matches(raw: &Json, request: &StartRequest, config: &Config) {
    let present = |key: &str| raw.get(key).filter(|v| !v.is_null());
    assert_eq!(Some(request.op_type.as_str()), raw.get("type").and_then(Json::as_str));
    assert!(config.check_type(&request.op_type).is_ok(), "accepted type {:?}", request.op_type);
    let id = |key: &str| raw.get(key).map(|v| Id::decode(v, key).expect("an accepted id decodes"));
    let scope = Scope {
        workspace_id: id("workspace_id").expect("required"),
        tenant_id: id("tenant_id").expect("required"),
    };
    assert_eq!(request.scope, scope);
    assert_eq!(
        request.user_id,
        present("user_id").map(|v| Id::decode(v, "user_id").expect("an accepted id decodes"))
    );

    match present("identity") {
        None => assert_eq!(request.dedup_key, request.op_type),
        Some(identity) => {
            let mut expected = format!("{}#", request.op_type);
            identity.write_canonical(&mut expected);
            assert_eq!(request.dedup_key, expected);
            assert!(expected.len() - request.op_type.len() - 1 <= config.max_identity_bytes);
            assert!(!expected.contains('\u{FFFD}'), "a lone surrogate in the dedup key {expected}");
            // The same identity, its keys reordered: the same key.
            let reordered = reverse_keys(identity);
            assert_eq!(
                dedup_key(&request.op_type, Some(&reordered), config).as_ref(),
                Ok(&request.dedup_key)
            );
        }
    }
    match present("context") {
        None => assert_eq!(request.context, "{}"),
        Some(context) => {
            assert!(request.context.len() <= config.max_context_bytes);
            assert_eq!(parse(&request.context, config.json).as_ref(), Ok(context), "context changed");
        }
    }
}

/// The same value with every object's keys in reverse order.
fn reverse_keys(value: &Json) -> Json {
    match value {
        Json::Array(items) => Json::Array(items.iter().map(reverse_keys).collect()),
        Json::Object(fields) => {
            Json::Object(fields.iter().rev().map(|(k, v)| (k.clone(), reverse_keys(v))).collect())
        }
        other => other.clone(),
    }
}
