//! The orchestration of start and update over a [`Store`]: decisions come from the pure modules,
//! effects go to the store in one atomic step each.

use super::config::Config;
use super::error::{EngineError, Result};
use super::ids::{Id, Scope};
use super::json::quote;
use super::notification::{completion_notification, Notification};
use super::request::{RunUpdate, StartRequest};
use super::run::{OperationRun, Status};
use super::start::write_start_result;
use super::store::{Commit, Inserted, NotificationFilter, RunFilter, Store};
use super::time::Clock;
use super::transition::apply;

/// How often `update_run` re-reads after losing a compare-and-set before it reports `E_CONFLICT`.
/// Each round one writer wins, so this bounds how many writers may race on one run before one is told to
/// retry; losers whose change is already in effect (the usual case) stop at once.
pub const MAX_ATTEMPTS: u32 = 32;

pub struct Engine<S, C> {
    pub store: S,
    pub clock: C,
    pub config: Config,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Started {
    pub run: OperationRun,
    pub deduped: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Updated {
    pub run: OperationRun,
    /// The notifications this call stored (the completion, at most once per run and initiator).
    pub notifications: Vec<Notification>,
    /// False when the update was already in effect: nothing was written.
    pub changed: bool,
}

/// What `reconcile` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reconciled {
    /// Completed runs found without their completion notification.
    pub checked: usize,
    /// Notifications this call stored (fewer than `checked` when another reconciler got there first).
    pub repaired: usize,
}

impl<S: Store, C: Clock> Engine<S, C> {
    pub fn new(store: S, clock: C, config: Config) -> Self {
        Engine { store, clock, config }
    }

    /// Stores a queued run, or returns the active run with the same scope, type and identity.
    pub async fn start_run(&self, request: StartRequest) -> Result<Started> {
        let draft = request.into_draft(self.clock.now()?);
        let (run, deduped) = match self.store.insert_run(&draft).await? {
            Inserted::New(run) => (run, false),
            Inserted::Existing(run) => (run, true),
        };
        if run.scope != draft.scope
            || run.dedup_key != draft.dedup_key
            || (deduped && !run.status.is_active())
        {
            return Err(EngineError::store(format!(
                "the store's insertRun returned run {} which is not {} run for this scope and dedup key",
                run.id,
                if deduped { "an active" } else { "the inserted" }
            )));
        }
        if !deduped && (run.status != Status::Queued || run.version != 1) {
            return Err(EngineError::store(
                "the store's insertRun returned a new run that is not queued at version 1",
            ));
        }
        Ok(Started { run, deduped })
    }

    /// The one gateway for status, outcome and progress: compare-and-set, retried on conflict.
    ///
    /// The first attempt may start from the run the store remembers, saving a read: if it is stale the
    /// compare-and-set fails and the next attempt reads. Only a commit is built on a remembered run; a
    /// refusal or "already in effect" is decided again on a fresh read.
    pub async fn update_run(&self, scope: &Scope, id: &Id, update: &RunUpdate) -> Result<Updated> {
        let mut remembered = self.store.remembered(scope, id).filter(|r| r.scope == *scope && r.id == *id);
        for _ in 0..MAX_ATTEMPTS {
            let fresh = remembered.is_none();
            let current = match remembered.take() {
                Some(run) => run,
                None => self.get_run(scope, id).await?,
            };
            let applied = match apply(&current, update, self.clock.now()?, &self.config) {
                Ok(applied) if applied.changed => applied,
                _ if !fresh => continue,
                Err(e) => return Err(e),
                Ok(_) => return Ok(Updated { run: current, notifications: Vec::new(), changed: false }),
            };
            let commit = Commit {
                run: applied.run,
                expected_version: current.version,
                notifications: applied.notifications,
            };
            if self.store.commit(&commit).await? {
                return Ok(Updated { run: commit.run, notifications: commit.notifications, changed: true });
            }
            // Lost the race: another writer committed first. Re-read and decide again.
        }
        Err(EngineError::Conflict(format!(
            "run {id} kept changing while this update was applied ({MAX_ATTEMPTS} attempts); retry the update"
        )))
    }

    pub async fn get_run(&self, scope: &Scope, id: &Id) -> Result<OperationRun> {
        let run = self.store.get_run(scope, id).await?.ok_or_else(|| {
            EngineError::NotFound(format!(
                "no run {id} in workspace {} / tenant {}",
                scope.workspace_id, scope.tenant_id
            ))
        })?;
        if run.scope != *scope || run.id != *id {
            return Err(EngineError::store(format!(
                "the store's getRun returned run {} of another scope or id when asked for {id}",
                run.id
            )));
        }
        Ok(run)
    }

    pub async fn list_runs(&self, scope: &Scope, filter: &RunFilter) -> Result<Vec<OperationRun>> {
        let runs = self.store.list_runs(scope, filter).await?;
        if runs.len() > filter.limit || runs.iter().any(|r| r.scope != *scope) {
            return Err(EngineError::store(
                "the store's listRuns returned runs outside the scope or beyond the limit",
            ));
        }
        Ok(runs)
    }

    pub async fn list_notifications(
        &self,
        scope: &Scope,
        user_id: &Id,
        filter: &NotificationFilter,
    ) -> Result<Vec<Notification>> {
        let list = self.store.list_notifications(scope, user_id, filter).await?;
        if list.len() > filter.limit || list.iter().any(|n| n.scope != *scope || n.notifiable_id != *user_id)
        {
            return Err(EngineError::store(
                "the store's listNotifications returned notifications of another scope or user, or beyond the limit",
            ));
        }
        Ok(list)
    }

    pub async fn mark_notification_read(
        &self,
        scope: &Scope,
        user_id: &Id,
        id: &str,
    ) -> Result<Notification> {
        let now = self.clock.now()?;
        let n = self.store.mark_notification_read(scope, user_id, id, now).await?.ok_or_else(|| {
            EngineError::NotFound(format!("user {user_id} has no notification {} in this scope", quote(id)))
        })?;
        if n.scope != *scope || n.notifiable_id != *user_id || n.id != id {
            return Err(EngineError::store("the store's markNotificationRead returned another notification"));
        }
        Ok(n)
    }
}

impl<S: Store, C: Clock> Engine<S, C> {
    /// Repairs what a crash or a non-atomic store left behind: completed runs with an initiator whose
    /// completion notification is missing get it, in batches of `batch` until none is left. Idempotent and
    /// safe to race: the notification id is derived from run and initiator, so a second insert is skipped.
    pub async fn reconcile(&self, scope: Option<&Scope>, batch: usize) -> Result<Reconciled> {
        let mut total = Reconciled::default();
        loop {
            let runs = self.store.find_unnotified_runs(scope, batch).await?;
            if runs.len() > batch {
                return Err(EngineError::store(
                    "the store's findUnnotifiedRuns returned more runs than the limit",
                ));
            }
            let now = self.clock.now()?;
            let mut notifications = Vec::with_capacity(runs.len());
            for run in &runs {
                if scope.is_some_and(|s| run.scope != *s) || run.status != Status::Completed {
                    return Err(EngineError::store(format!(
                        "the store's findUnnotifiedRuns returned run {} which is not a completed run of this scope",
                        run.id
                    )));
                }
                notifications.extend(completion_notification(run, &self.config, now));
            }
            if notifications.len() != runs.len() {
                return Err(EngineError::store(
                    "the store's findUnnotifiedRuns returned a run without an initiator",
                ));
            }
            let repaired = if notifications.is_empty() {
                0
            } else {
                self.store.insert_notifications(&notifications).await?
            };
            if repaired > notifications.len() {
                return Err(EngineError::store(
                    "the store's insertNotifications reported more than it was given",
                ));
            }
            total.checked += runs.len();
            total.repaired += repaired;
            // A full batch may have more behind it; a batch that repaired nothing would come back the same.
            if runs.len() < batch || repaired == 0 {
                return Ok(total);
            }
        }
    }
}

impl Reconciled {
    pub fn write(&self, out: &mut String) {
        out.push_str(&format!("{{\"checked\":{},\"repaired\":{}}}", self.checked, self.repaired));
    }
}

impl Started {
    pub fn write(&self, out: &mut String, config: &Config) {
        write_start_result(out, &self.run, self.deduped, config);
    }
}

impl Updated {
    /// `{"run":…,"notifications":[…],"changed":…}`. With `changes_of` (the update that was applied), the
    /// run holds only what it may have changed (see [`OperationRun::write_changes`]; `{}` when nothing did),
    /// for a reader that holds the run as it was.
    pub fn write(&self, out: &mut String, changes_of: Option<&RunUpdate>) {
        out.push_str("{\"run\":");
        match changes_of {
            None => self.run.write(out),
            Some(update) if self.changed => self.run.write_changes(out, update),
            Some(_) => out.push_str("{}"),
        }
        out.push_str(",\"notifications\":");
        write_list(out, &self.notifications, Notification::write);
        out.push_str(",\"changed\":");
        out.push_str(if self.changed { "true" } else { "false" });
        out.push('}');
    }
}

/// Writes `[a,b,…]` with `write_one` for each item.
pub fn write_list<T>(out: &mut String, items: &[T], write_one: impl Fn(&T, &mut String)) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_one(item, out);
    }
    out.push(']');
}
