//! The store contract: the few operations the invariants need, each atomic in the store.
//!
//! * `insert_run` — insert a queued run unless an active run (queued or running) with the same scope and
//!   dedup key exists; return that one instead. Atomic: two concurrent inserts never both succeed.
//! * `get_run` — one run, only within its scope.
//! * `commit` — compare-and-set: replace the run only if the stored version is `expected_version`, and
//!   store the notifications in the same atomic step, skipping any whose id is already stored.
//! * `list_runs`, `list_notifications`, `mark_notification_read` — scoped reads and the one notification
//!   write a user makes.
//! * `find_unnotified_runs`, `insert_notifications` — recovery: what a crash or a non-atomic store left
//!   behind (a completed run without its completion notification), and the idempotent repair.
//! * `remembered` (optional) — the run as this store last saw it, possibly stale: a base for the next
//!   commit that saves a read when nobody changed the run since (the compare-and-set tells).

use super::error::Result;
use super::ids::{Id, Scope};
use super::notification::Notification;
use super::run::{OperationRun, RunDraft, Status};
use super::time::Millis;
use std::cell::RefCell;

/// What `insert_run` did.
#[derive(Debug, Clone, PartialEq)]
pub enum Inserted {
    New(OperationRun),
    /// An active run with the same scope and dedup key was there; nothing was inserted.
    Existing(OperationRun),
}

/// A run change and what it emits, committed together or not at all.
#[derive(Debug, Clone, PartialEq)]
pub struct Commit {
    pub run: OperationRun,
    pub expected_version: u64,
    pub notifications: Vec<Notification>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunFilter {
    /// Empty: any status.
    pub statuses: Vec<Status>,
    pub op_type: Option<String>,
    pub limit: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotificationFilter {
    pub unread_only: bool,
    pub limit: usize,
}

/// The persistence the engine runs over. Futures need not be `Send`: in WebAssembly everything is one thread.
#[allow(async_fn_in_trait)]
pub trait Store {
    async fn insert_run(&self, draft: &RunDraft) -> Result<Inserted>;
    async fn get_run(&self, scope: &Scope, id: &Id) -> Result<Option<OperationRun>>;
    /// `Ok(false)` when the stored version is not `expected_version` (another writer won).
    async fn commit(&self, commit: &Commit) -> Result<bool>;
    /// Newest first.
    async fn list_runs(&self, scope: &Scope, filter: &RunFilter) -> Result<Vec<OperationRun>>;
    /// Newest first.
    async fn list_notifications(
        &self,
        scope: &Scope,
        user_id: &Id,
        filter: &NotificationFilter,
    ) -> Result<Vec<Notification>>;
    /// Sets `read_at` if unset; returns the notification, or `None` if the user has none with this id in scope.
    async fn mark_notification_read(
        &self,
        scope: &Scope,
        user_id: &Id,
        id: &str,
        read_at: Millis,
    ) -> Result<Option<Notification>>;
    /// Completed runs with an initiator and no stored completion notification for it; `None`: every scope.
    /// Oldest first.
    async fn find_unnotified_runs(&self, scope: Option<&Scope>, limit: usize) -> Result<Vec<OperationRun>>;
    /// Stores each notification whose id is not stored yet, all in one atomic step; returns how many.
    async fn insert_notifications(&self, notifications: &[Notification]) -> Result<usize>;
    /// The run as this store last inserted, read or committed it, if it still remembers it. It may be
    /// stale: the engine only builds a commit on it, and decides anything else on a fresh read. A store
    /// whose reads cost a round trip remembers ([`RecentRuns`]); the embedded one need not.
    fn remembered(&self, _scope: &Scope, _id: &Id) -> Option<OperationRun> {
        None
    }
}

/// The last few runs a store saw, for [`Store::remembered`]. Bounded: the oldest is forgotten first.
#[derive(Debug, Default)]
pub struct RecentRuns(RefCell<Vec<OperationRun>>);

impl RecentRuns {
    /// Enough for the runs one worker drives at a time; each is about a kilobyte.
    pub const CAPACITY: usize = 32;

    pub fn get(&self, scope: &Scope, id: &Id) -> Option<OperationRun> {
        self.0.borrow().iter().find(|r| r.id == *id && r.scope == *scope).cloned()
    }

    pub fn remember(&self, run: &OperationRun) {
        let mut runs = self.0.borrow_mut();
        runs.retain(|r| r.id != run.id || r.scope != run.scope);
        if runs.len() == Self::CAPACITY {
            runs.remove(0);
        }
        runs.push(run.clone());
    }

    pub fn forget(&self, scope: &Scope, id: &Id) {
        self.0.borrow_mut().retain(|r| r.id != *id || r.scope != *scope);
    }
}
