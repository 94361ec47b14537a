#![no_main]
//! Update decoding: bytes → `json::parse` → `RunUpdate::decode`, then the update applied to a queued, a
//! running and a completed run.
//!
//! * Refusals are input errors; an accepted update says what the input said (status, outcome, context
//!   as the same object within its size limit) and carries sanitized counts and failures.
//! * Applying it keeps the state machine's shape, and the resulting run and its notification store and
//!   read back unchanged.

use libfuzzer_sys::fuzz_target;
use ops_ux_engine::domain::config::Config;
use ops_ux_engine::domain::ids::{Id, Scope};
use ops_ux_engine::domain::json::{parse, Json};
use ops_ux_engine::domain::request::RunUpdate;
use ops_ux_engine::domain::run::{OperationRun, Outcome, RunDraft, Status};
use ops_ux_engine::domain::transition::apply;
use ops_ux_engine_fuzz::counts::assert_sanitized_counts;
use ops_ux_engine_fuzz::failures::assert_sanitized_failures;
use ops_ux_engine_fuzz::input::config_and_payload;
use ops_ux_engine_fuzz::json::parse_and_check;
use ops_ux_engine_fuzz::records::{assert_notification_round_trip, assert_run_round_trip};

/// 2024-05-01T10:00:00Z, and a minute later.
const CREATED_AT: i64 = 1_714_557_600_000;
const NOW: i64 = CREATED_AT + 60_000;

fuzz_target!(|data: &[u8]| {
    let Some((config, payload)) = config_and_payload(data) else { return };
    let Some(raw) = parse_and_check(&payload, config.json) else { return };
    let update = match RunUpdate::decode(&raw, &config) {
        Ok(update) => update,
        Err(e) => return assert_eq!(e.code(), "E_INVALID_INPUT", "refused with {e}"),
    };
    assert_update_matches(&raw, &update, &config);
    for run in base_runs() {
        let Ok(applied) = apply(&run, &update, NOW, &config) else { continue };
        let next = &applied.run;
        assert_eq!(next.status == Status::Completed, next.outcome.is_some(), "outcome without completion");
        assert!(run.status != Status::Completed || next.status == Status::Completed, "left completed");
        assert_eq!(next.version, run.version + u64::from(applied.changed));
        let completes = run.status != Status::Completed && next.status == Status::Completed;
        assert_eq!(applied.notifications.len(), usize::from(completes), "one notification per completion");
        assert_run_round_trip(next);
        applied.notifications.iter().for_each(assert_notification_round_trip);
    }
});

fn assert_update_matches(raw: &Json, update: &RunUpdate, config: &Config) {
    let present = |key: &str| raw.get(key).filter(|v| !v.is_null());
    let text = |key: &str| present(key).and_then(Json::as_str);
    assert_eq!(update.status.map(Status::as_str), text("status"));
    assert_eq!(update.outcome.map(Outcome::as_str), text("outcome"));
    assert_eq!(update.summary_counts.is_some(), present("summary_counts").is_some());
    if let (Some(counts), Some(raw_counts)) = (&update.summary_counts, present("summary_counts")) {
        assert_sanitized_counts(raw_counts, &config.summary_keys, counts);
    }
    assert_eq!(update.failure_summary.is_some(), present("failure_summary").is_some());
    if let (Some(failures), Some(raw_failures)) = (&update.failure_summary, present("failure_summary")) {
        assert_sanitized_failures(raw_failures, config.failures, failures);
    }
    assert_eq!(update.context.is_some(), present("context").is_some());
    if let (Some(context), Some(raw_context)) = (&update.context, present("context")) {
        assert!(context.len() <= config.max_context_bytes, "context of {} bytes", context.len());
        assert_eq!(parse(context, config.json).as_ref(), Ok(raw_context), "context {context} changed");
    }
}

/// A run with an initiator in each status, as the store would hold it.
fn base_runs() -> [OperationRun; 3] {
    let draft = RunDraft {
        scope: Scope { workspace_id: Id::Int(1), tenant_id: Id::Str("t-1".into()) },
        user_id: Some(Id::Int(42)),
        op_type: "inventory.sync".into(),
        dedup_key: "inventory.sync".into(),
        context: "{}".into(),
        created_at: CREATED_AT,
    };
    let queued = draft.into_run(Id::Int(7));
    let running = OperationRun {
        status: Status::Running,
        started_at: Some(CREATED_AT + 1_000),
        updated_at: CREATED_AT + 1_000,
        version: 2,
        ..queued.clone()
    };
    let completed = OperationRun {
        status: Status::Completed,
        outcome: Some(Outcome::PartiallySucceeded),
        completed_at: Some(CREATED_AT + 2_000),
        updated_at: CREATED_AT + 2_000,
        version: 3,
        ..running.clone()
    };
    [queued, running, completed]
}
