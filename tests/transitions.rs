//! Every allowed and every refused transition, by name.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use ops_ux_engine::domain::config::Config;
use ops_ux_engine::domain::error::Result;
use ops_ux_engine::domain::ids::Id;
use ops_ux_engine::domain::ids::Scope;
use ops_ux_engine::domain::json::{parse, Limits};
use ops_ux_engine::domain::request::RunUpdate;
use ops_ux_engine::domain::run::RunDraft;
use ops_ux_engine::domain::run::{OperationRun, Outcome, Status};
use ops_ux_engine::domain::time::Millis;
use ops_ux_engine::domain::transition::{apply, Applied};

const T0: Millis = 1_767_225_600_000; // 2026-01-01T00:00:00Z

fn run(status: Status, outcome: Option<Outcome>, user: Option<i64>) -> OperationRun {
    let mut r = RunDraft {
        scope: Scope { workspace_id: Id::Int(1), tenant_id: Id::Int(2) },
        user_id: user.map(Id::Int),
        op_type: "inventory.sync".into(),
        dedup_key: "inventory.sync".into(),
        context: "{}".into(),
        created_at: T0,
    }
    .into_run(Id::Int(42));
    r.status = status;
    r.outcome = outcome;
    if status != Status::Queued {
        r.started_at = Some(T0 + 1);
    }
    if status == Status::Completed {
        r.completed_at = Some(T0 + 2);
    }
    r
}

fn update(text: &str) -> RunUpdate {
    RunUpdate::decode(&parse(text, Limits::default()).unwrap(), &Config::default()).unwrap()
}

fn try_apply(from: &OperationRun, text: &str) -> Result<Applied> {
    apply(from, &update(text), T0 + 10, &Config::default())
}

fn code(from: &OperationRun, text: &str) -> &'static str {
    try_apply(from, text).unwrap_err().code()
}

use Outcome::*;
use Status::*;

#[test]
fn queued_to_running_sets_started_at_and_emits_nothing() {
    let a = try_apply(&run(Queued, None, Some(7)), r#"{"status":"running"}"#).unwrap();
    assert_eq!(a.run.status, Running);
    assert_eq!(a.run.started_at, Some(T0 + 10));
    assert_eq!(a.run.version, 2);
    assert!(a.notifications.is_empty());
}

#[test]
fn running_to_completed_with_each_outcome_emits_one_notification() {
    for outcome in Outcome::ALL {
        let text = format!(r#"{{"status":"completed","outcome":"{}"}}"#, outcome.as_str());
        let a = try_apply(&run(Running, None, Some(7)), &text).unwrap();
        assert_eq!((a.run.status, a.run.outcome), (Completed, Some(outcome)));
        assert_eq!(a.run.completed_at, Some(T0 + 10));
        assert_eq!(a.notifications.len(), 1, "{outcome:?}");
        assert_eq!(a.notifications[0].notifiable_id, Id::Int(7));
    }
}

#[test]
fn queued_to_completed_as_failed_or_cancelled_is_allowed() {
    for outcome in [Failed, Cancelled] {
        let text = format!(r#"{{"status":"completed","outcome":"{}"}}"#, outcome.as_str());
        let a = try_apply(&run(Queued, None, Some(7)), &text).unwrap();
        assert_eq!(a.run.outcome, Some(outcome));
        assert_eq!(a.run.started_at, None);
        assert_eq!(a.notifications.len(), 1);
    }
}

#[test]
fn queued_to_completed_as_succeeded_or_partial_is_refused() {
    let q = run(Queued, None, Some(7));
    assert_eq!(code(&q, r#"{"status":"completed","outcome":"succeeded"}"#), "E_INVALID_TRANSITION");
    assert_eq!(code(&q, r#"{"status":"completed","outcome":"partially_succeeded"}"#), "E_INVALID_TRANSITION");
}

#[test]
fn running_to_queued_is_refused() {
    assert_eq!(code(&run(Running, None, None), r#"{"status":"queued"}"#), "E_INVALID_TRANSITION");
}

#[test]
fn completed_to_running_or_queued_is_refused() {
    let c = run(Completed, Some(Succeeded), Some(7));
    assert_eq!(code(&c, r#"{"status":"running"}"#), "E_INVALID_TRANSITION");
    assert_eq!(code(&c, r#"{"status":"queued"}"#), "E_INVALID_TRANSITION");
}

#[test]
fn completed_to_completed_with_another_outcome_is_refused() {
    let c = run(Completed, Some(Succeeded), Some(7));
    assert_eq!(code(&c, r#"{"status":"completed","outcome":"failed"}"#), "E_INVALID_TRANSITION");
}

#[test]
fn repeating_the_same_completion_is_a_no_op_that_emits_nothing() {
    let c = run(Completed, Some(Succeeded), Some(7));
    let a = try_apply(&c, r#"{"status":"completed","outcome":"succeeded","summary_counts":{"total":9}}"#)
        .unwrap();
    assert!(!a.changed);
    assert_eq!(a.run, c);
    assert!(a.notifications.is_empty());
}

#[test]
fn completing_without_an_outcome_is_refused() {
    assert_eq!(code(&run(Running, None, None), r#"{"status":"completed"}"#), "E_OUTCOME_REQUIRED");
    assert_eq!(code(&run(Queued, None, None), r#"{"status":"completed"}"#), "E_OUTCOME_REQUIRED");
}

#[test]
fn an_outcome_without_completed_is_refused() {
    assert_eq!(code(&run(Running, None, None), r#"{"outcome":"failed"}"#), "E_INVALID_INPUT");
    assert_eq!(
        code(&run(Queued, None, None), r#"{"status":"running","outcome":"failed"}"#),
        "E_INVALID_INPUT"
    );
}

#[test]
fn same_status_updates_change_only_progress() {
    let a = try_apply(&run(Running, None, None), r#"{"status":"running","summary_counts":{"processed":3}}"#)
        .unwrap();
    assert!(a.changed);
    assert_eq!(a.run.started_at, Some(T0 + 1), "started_at is not reset");
    assert_eq!(a.run.summary_counts.get("processed"), Some(3));
    let q = try_apply(&run(Queued, None, None), r#"{"status":"queued"}"#).unwrap();
    assert!(!q.changed);
}

#[test]
fn progress_may_be_written_while_queued_running_and_when_completing() {
    for from in [run(Queued, None, None), run(Running, None, None)] {
        assert!(try_apply(&from, r#"{"summary_counts":{"total":5},"failure_summary":[]}"#).is_ok());
    }
    let a = try_apply(
        &run(Running, None, Some(7)),
        r#"{"status":"completed","outcome":"partially_succeeded","summary_counts":{"failed":1},"failure_summary":[{"code":"x","message":"boom"}]}"#,
    )
    .unwrap();
    assert_eq!(a.run.failure_summary.len(), 1);
    assert_eq!(a.notifications[0].summary_counts.get("failed"), Some(1));
}

#[test]
fn after_completion_only_context_changes() {
    let c = run(Completed, Some(Failed), Some(7));
    assert_eq!(code(&c, r#"{"summary_counts":{"total":1}}"#), "E_INVALID_TRANSITION");
    assert_eq!(code(&c, r#"{"failure_summary":[]}"#), "E_INVALID_TRANSITION");
    let a = try_apply(&c, r#"{"context":{"note":"retried by hand"}}"#).unwrap();
    assert!(a.changed);
    assert_eq!(a.run.context, r#"{"note":"retried by hand"}"#);
    assert!(a.notifications.is_empty(), "a context change never notifies");
}

#[test]
fn no_notification_without_an_initiator() {
    let a = try_apply(&run(Running, None, None), r#"{"status":"completed","outcome":"succeeded"}"#).unwrap();
    assert!(a.changed);
    assert!(a.notifications.is_empty());
}

#[test]
fn counts_merge_and_failures_replace() {
    let mut r = run(Running, None, None);
    r = try_apply(&r, r#"{"summary_counts":{"total":10,"processed":2},"failure_summary":["a","b"]}"#)
        .unwrap()
        .run;
    r = try_apply(&r, r#"{"summary_counts":{"processed":5},"failure_summary":["c"]}"#).unwrap().run;
    assert_eq!(r.summary_counts.get("total"), Some(10));
    assert_eq!(r.summary_counts.get("processed"), Some(5));
    assert_eq!(r.failure_summary.len(), 1);
}

#[test]
fn timestamps_never_run_backwards() {
    let mut r = run(Queued, None, None);
    r.updated_at = T0 + 100;
    let a = apply(&r, &update(r#"{"status":"running"}"#), T0 - 5_000, &Config::default()).unwrap();
    assert_eq!(a.run.started_at, Some(T0 + 100));
    assert_eq!(a.run.updated_at, T0 + 100);
}

#[test]
fn the_notification_carries_canonical_copy() {
    let a = try_apply(
        &run(Running, None, Some(7)),
        r#"{"status":"completed","outcome":"failed","summary_counts":{"failed":3}}"#,
    )
    .unwrap();
    let n = &a.notifications[0];
    assert_eq!(n.title, "Inventory sync failed");
    assert_eq!(n.body, "Inventory sync could not be completed. 3 failed.");
    assert_eq!(n.run_id, Id::Int(42));
}
