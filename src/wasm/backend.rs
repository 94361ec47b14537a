//! The store an engine runs over: the embedded one or the host's. One enum rather than two engine
//! types, so every async path is compiled once (it halves the binding's share of the `.wasm`).

use super::host_store::HostStore;
use crate::domain::error::Result;
use crate::domain::ids::{Id, Scope};
use crate::domain::memory::MemoryStore;
use crate::domain::notification::Notification;
use crate::domain::run::{OperationRun, RunDraft};
use crate::domain::store::{Commit, Inserted, NotificationFilter, RunFilter, Store};
use crate::domain::time::Millis;

pub enum Backend {
    Embedded(MemoryStore),
    Host(HostStore),
}

impl Store for Backend {
    async fn insert_run(&self, draft: &RunDraft) -> Result<Inserted> {
        match self {
            Backend::Embedded(s) => s.insert_run(draft).await,
            Backend::Host(s) => s.insert_run(draft).await,
        }
    }

    async fn get_run(&self, scope: &Scope, id: &Id) -> Result<Option<OperationRun>> {
        match self {
            Backend::Embedded(s) => s.get_run(scope, id).await,
            Backend::Host(s) => s.get_run(scope, id).await,
        }
    }

    async fn commit(&self, commit: &Commit) -> Result<bool> {
        match self {
            Backend::Embedded(s) => s.commit(commit).await,
            Backend::Host(s) => s.commit(commit).await,
        }
    }

    async fn list_runs(&self, scope: &Scope, filter: &RunFilter) -> Result<Vec<OperationRun>> {
        match self {
            Backend::Embedded(s) => s.list_runs(scope, filter).await,
            Backend::Host(s) => s.list_runs(scope, filter).await,
        }
    }

    async fn list_notifications(
        &self,
        scope: &Scope,
        user_id: &Id,
        filter: &NotificationFilter,
    ) -> Result<Vec<Notification>> {
        match self {
            Backend::Embedded(s) => s.list_notifications(scope, user_id, filter).await,
            Backend::Host(s) => s.list_notifications(scope, user_id, filter).await,
        }
    }

    async fn mark_notification_read(
        &self,
        scope: &Scope,
        user_id: &Id,
        id: &str,
        read_at: Millis,
    ) -> Result<Option<Notification>> {
        match self {
            Backend::Embedded(s) => s.mark_notification_read(scope, user_id, id, read_at).await,
            Backend::Host(s) => s.mark_notification_read(scope, user_id, id, read_at).await,
        }
    }

    async fn find_unnotified_runs(&self, scope: Option<&Scope>, limit: usize) -> Result<Vec<OperationRun>> {
        match self {
            Backend::Embedded(s) => s.find_unnotified_runs(scope, limit).await,
            Backend::Host(s) => s.find_unnotified_runs(scope, limit).await,
        }
    }

    async fn insert_notifications(&self, notifications: &[Notification]) -> Result<usize> {
        match self {
            Backend::Embedded(s) => s.insert_notifications(notifications).await,
            Backend::Host(s) => s.insert_notifications(notifications).await,
        }
    }

    fn remembered(&self, scope: &Scope, id: &Id) -> Option<OperationRun> {
        match self {
            Backend::Embedded(s) => s.remembered(scope, id),
            Backend::Host(s) => s.remembered(scope, id),
        }
    }
}
