//! The embedded default store: runs held inside the engine (inside WebAssembly), indexed for the
//! dedup probe. Every operation completes without awaiting, so each is atomic by construction.

use super::error::Result;
use super::ids::{Id, Scope};
use super::notification::{notification_id, Notification};
use super::run::{OperationRun, RunDraft, Status};
use super::store::{Commit, Inserted, NotificationFilter, RunFilter, Store};
use super::time::Millis;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: keys here are short (ids, dedup keys) and WebAssembly has no randomness to seed SipHash with
/// anyway, so the faster, smaller hash loses nothing.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for byte in bytes {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

type Map<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

#[derive(Debug, Default)]
struct Inner {
    /// Run `id` n lives at index n - 1.
    runs: Vec<OperationRun>,
    /// Active runs by scope and dedup key: the "no two active runs for one key" index.
    active: Map<Scope, Map<String, usize>>,
    runs_by_scope: Map<Scope, Vec<usize>>,
    notifications: Vec<Notification>,
    notification_ids: Map<String, usize>,
    notifications_by_user: Map<(Scope, Id), Vec<usize>>,
}

/// In-memory store. Borrows are never held across an `.await` (there are none inside).
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: RefCell<Inner>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many runs are stored, in every scope.
    pub fn run_count(&self) -> usize {
        self.inner.borrow().runs.len()
    }
}

impl Inner {
    /// Stores `n` unless its id is stored; returns whether it did.
    fn add_notification(&mut self, n: &Notification) -> bool {
        if self.notification_ids.contains_key(&n.id) {
            return false;
        }
        let at = self.notifications.len();
        self.notification_ids.insert(n.id.clone(), at);
        self.notifications_by_user.entry((n.scope.clone(), n.notifiable_id.clone())).or_default().push(at);
        self.notifications.push(n.clone());
        true
    }

    fn index_of(&self, scope: &Scope, id: &Id) -> Option<usize> {
        let Id::Int(n) = id else { return None };
        let index = usize::try_from(*n).ok()?.checked_sub(1)?;
        self.runs.get(index).filter(|r| r.scope == *scope).map(|_| index)
    }
}

impl Store for MemoryStore {
    async fn insert_run(&self, draft: &RunDraft) -> Result<Inserted> {
        let mut inner = self.inner.borrow_mut();
        let existing = inner.active.get(&draft.scope).and_then(|keys| keys.get(&draft.dedup_key)).copied();
        if let Some(run) = existing.and_then(|i| inner.runs.get(i)) {
            return Ok(Inserted::Existing(run.clone()));
        }
        let index = inner.runs.len();
        let run = draft.clone().into_run(Id::Int(index as i64 + 1));
        inner.active.entry(run.scope.clone()).or_default().insert(run.dedup_key.clone(), index);
        inner.runs_by_scope.entry(run.scope.clone()).or_default().push(index);
        inner.runs.push(run.clone());
        Ok(Inserted::New(run))
    }

    async fn get_run(&self, scope: &Scope, id: &Id) -> Result<Option<OperationRun>> {
        let inner = self.inner.borrow();
        Ok(inner.index_of(scope, id).and_then(|i| inner.runs.get(i)).cloned())
    }

    async fn commit(&self, commit: &Commit) -> Result<bool> {
        let mut inner = self.inner.borrow_mut();
        let next = &commit.run;
        let Some(index) = inner.index_of(&next.scope, &next.id) else { return Ok(false) };
        let Some(stored) = inner.runs.get_mut(index) else { return Ok(false) };
        if stored.version != commit.expected_version {
            return Ok(false);
        }
        let leaves_active = stored.status.is_active() && !next.status.is_active();
        *stored = next.clone();
        if leaves_active {
            if let Some(keys) = inner.active.get_mut(&next.scope) {
                keys.remove(&next.dedup_key);
            }
        }
        for n in &commit.notifications {
            inner.add_notification(n);
        }
        Ok(true)
    }

    async fn list_runs(&self, scope: &Scope, filter: &RunFilter) -> Result<Vec<OperationRun>> {
        let inner = self.inner.borrow();
        let Some(indices) = inner.runs_by_scope.get(scope) else { return Ok(Vec::new()) };
        Ok(indices
            .iter()
            .rev()
            .filter_map(|i| inner.runs.get(*i))
            .filter(|r| filter.statuses.is_empty() || filter.statuses.contains(&r.status))
            .filter(|r| filter.op_type.as_ref().is_none_or(|t| *t == r.op_type))
            .take(filter.limit)
            .cloned()
            .collect())
    }

    async fn list_notifications(
        &self,
        scope: &Scope,
        user_id: &Id,
        filter: &NotificationFilter,
    ) -> Result<Vec<Notification>> {
        let inner = self.inner.borrow();
        let Some(indices) = inner.notifications_by_user.get(&(scope.clone(), user_id.clone())) else {
            return Ok(Vec::new());
        };
        Ok(indices
            .iter()
            .rev()
            .filter_map(|i| inner.notifications.get(*i))
            .filter(|n| !filter.unread_only || n.read_at.is_none())
            .take(filter.limit)
            .cloned()
            .collect())
    }

    async fn mark_notification_read(
        &self,
        scope: &Scope,
        user_id: &Id,
        id: &str,
        read_at: Millis,
    ) -> Result<Option<Notification>> {
        let mut inner = self.inner.borrow_mut();
        let Some(index) = inner.notification_ids.get(id).copied() else { return Ok(None) };
        let Some(n) = inner.notifications.get_mut(index) else { return Ok(None) };
        if n.scope != *scope || n.notifiable_id != *user_id {
            return Ok(None);
        }
        if n.read_at.is_none() {
            n.read_at = Some(read_at);
            n.updated_at = read_at.max(n.updated_at);
        }
        Ok(Some(n.clone()))
    }

    async fn find_unnotified_runs(&self, scope: Option<&Scope>, limit: usize) -> Result<Vec<OperationRun>> {
        let inner = self.inner.borrow();
        // Only the engine writes here, so a completion notification always carries the derived id.
        let notified =
            |r: &OperationRun, user: &Id| inner.notification_ids.contains_key(&notification_id(&r.id, user));
        Ok(inner
            .runs
            .iter()
            .filter(|r| scope.is_none_or(|s| r.scope == *s) && r.status == Status::Completed)
            .filter(|r| r.user_id.as_ref().is_some_and(|user| !notified(r, user)))
            .take(limit)
            .cloned()
            .collect())
    }

    async fn insert_notifications(&self, notifications: &[Notification]) -> Result<usize> {
        let mut inner = self.inner.borrow_mut();
        Ok(notifications.iter().filter(|n| inner.add_notification(n)).count())
    }
}
