//! Runs and notifications as stores hold them: written by the engine, read back equal.

use ops_ux_engine::domain::json::{parse, Limits};
use ops_ux_engine::domain::notification::Notification;
use ops_ux_engine::domain::run::OperationRun;

/// No depth or size bound here: these are the engine's own records, bounded where their parts came in.
const RECORD_LIMITS: Limits = Limits { max_depth: usize::MAX, max_bytes: usize::MAX };

pub fn assert_run_round_trip(run: &OperationRun) {
    let text = run.to_json_text();
    let value =
        parse(&text, RECORD_LIMITS).unwrap_or_else(|e| panic!("a written run does not parse ({e}): {text}"));
    assert_eq!(OperationRun::decode(&value).as_ref(), Ok(run), "run round trip of {text}");
}

pub fn assert_notification_round_trip(notification: &Notification) {
    let text = notification.to_json_text();
    let value = parse(&text, RECORD_LIMITS)
        .unwrap_or_else(|e| panic!("a written notification does not parse ({e}): {text}"));
    assert_eq!(Notification::decode(&value).as_ref(), Ok(notification), "notification round trip of {text}");
}
