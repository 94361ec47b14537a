//! The state machine: the one gateway for `status` and `outcome`. Pure — it returns the next run and the
//! notifications to store, and performs nothing.
//!
//! ```text
//!   queued ──► running ──► completed(outcome)
//!      └──────────────────►┘  (queued → completed only as failed or cancelled)
//! ```

use super::config::Config;
use super::error::{EngineError, Result};
use super::ids::Id;
use super::notification::{completion_notification, Notification};
use super::request::RunUpdate;
use super::run::{OperationRun, Outcome, Status};
use super::time::Millis;

/// What an update does to a run's status, decided from the status and outcome alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub status: Status,
    pub outcome: Option<Outcome>,
    /// The update moves the run into `completed`: the moment the completion notification is emitted.
    pub completes: bool,
    /// The run is already completed with this outcome: the completion is repeated and changes nothing.
    pub repeats_completion: bool,
}

/// Decides whether `update` may apply to a run in `status`/`outcome`. `run_id` only names it in messages.
pub fn decide(run_id: &Id, status: Status, outcome: Option<Outcome>, update: &RunUpdate) -> Result<Verdict> {
    let keep = Verdict { status, outcome, completes: false, repeats_completion: false };
    if let Some(o) = update.outcome.filter(|_| update.status != Some(Status::Completed)) {
        return Err(EngineError::input(format!(
            "outcome \"{}\" needs status \"completed\" in the same update",
            o.as_str()
        )));
    }
    let Some(target) = update.status else {
        if status == Status::Completed && update.touches_progress() {
            return Err(EngineError::InvalidTransition(format!(
                "run {run_id} is completed: summary_counts and failure_summary can no longer change, only context"
            )));
        }
        return Ok(keep);
    };
    // Here an outcome comes exactly with `completed` (checked above), so only its absence is left to refuse.
    let target_outcome = update.outcome;
    if target == Status::Completed && target_outcome.is_none() {
        return Err(EngineError::OutcomeRequired(format!(
            "completing run {run_id} needs an outcome: succeeded, partially_succeeded, failed or cancelled"
        )));
    }
    match (status, target) {
        (Status::Completed, Status::Completed) if outcome == target_outcome => {
            Ok(Verdict { repeats_completion: true, ..keep })
        }
        (Status::Completed, Status::Completed) => Err(EngineError::InvalidTransition(format!(
            "run {run_id} already completed as {}; it cannot complete again as {}",
            outcome.map_or("?", Outcome::as_str),
            target_outcome.map_or("?", Outcome::as_str)
        ))),
        (Status::Completed, _) => Err(EngineError::InvalidTransition(format!(
            "run {run_id} is completed, which is final; it cannot become {}",
            target.as_str()
        ))),
        (Status::Running, Status::Queued) => Err(EngineError::InvalidTransition(format!(
            "run {run_id} is running; it cannot go back to queued"
        ))),
        (Status::Queued, Status::Completed)
            if !matches!(target_outcome, Some(Outcome::Failed | Outcome::Cancelled)) =>
        {
            Err(EngineError::InvalidTransition(format!(
                "run {run_id} never started, so it can only complete as failed or cancelled; move it to running first"
            )))
        }
        (from, to) => Ok(Verdict {
            status: to,
            outcome: target_outcome,
            completes: to == Status::Completed && from != Status::Completed,
            repeats_completion: false,
        }),
    }
}

/// The result of applying an update: the next run, and what it emits.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub run: OperationRun,
    pub notifications: Vec<Notification>,
    /// False when the update changes nothing: nothing to commit, nothing emitted.
    pub changed: bool,
}

/// Applies `update` to `run` at time `now`: the single place where status, outcome and progress change.
pub fn apply(run: &OperationRun, update: &RunUpdate, now: Millis, config: &Config) -> Result<Applied> {
    let verdict = decide(&run.id, run.status, run.outcome, update)?;
    let mut next = run.clone();
    // Timestamps never run backwards, even when the clock does.
    let now = now.max(run.updated_at);
    if !verdict.repeats_completion {
        if verdict.status == Status::Running && run.status == Status::Queued {
            next.started_at = Some(now);
        }
        if verdict.completes {
            next.completed_at = Some(now);
        }
        next.status = verdict.status;
        next.outcome = verdict.outcome;
        if let Some(counts) = &update.summary_counts {
            next.summary_counts = run.summary_counts.merged(counts);
        }
        if let Some(failures) = &update.failure_summary {
            next.failure_summary = failures.clone();
        }
    }
    if let Some(context) = &update.context {
        next.context = context.clone();
    }
    let changed = next != *run;
    if !changed {
        return Ok(Applied { run: next, notifications: Vec::new(), changed });
    }
    next.version += 1;
    next.updated_at = now;
    let notifications = if verdict.completes {
        completion_notification(&next, config, now).into_iter().collect()
    } else {
        Vec::new()
    };
    Ok(Applied { run: next, notifications, changed })
}
