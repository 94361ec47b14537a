//! The orchestration over the embedded store and over stores that race, fail and lie.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use ops_ux_engine::domain::config::Config;
use ops_ux_engine::domain::engine::Engine;
use ops_ux_engine::domain::error::{EngineError, Result};
use ops_ux_engine::domain::ids::{Id, Scope};
use ops_ux_engine::domain::json::{parse, Limits};
use ops_ux_engine::domain::memory::MemoryStore;
use ops_ux_engine::domain::notification::Notification;
use ops_ux_engine::domain::request::{RunUpdate, StartRequest};
use ops_ux_engine::domain::run::{OperationRun, RunDraft, Status};
use ops_ux_engine::domain::store::{Commit, Inserted, NotificationFilter, RunFilter, Store};
use ops_ux_engine::domain::time::Clock;
use ops_ux_engine::domain::time::Millis;
use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

const T0: Millis = 1_767_225_600_000;

struct FixedClock(Cell<Millis>);
impl Clock for FixedClock {
    fn now(&self) -> Result<Millis> {
        self.0.set(self.0.get() + 1);
        Ok(self.0.get())
    }
}

/// Polls until ready. Test stores yield at most a few times, so this always ends.
fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// Polls two futures in turn until both are ready: two writers interleaving at every await.
fn join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut ra, mut rb) = (None, None);
    let mut cx = Context::from_waker(Waker::noop());
    while ra.is_none() || rb.is_none() {
        if ra.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(&mut cx) {
                ra = Some(v);
            }
        }
        if rb.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(&mut cx) {
                rb = Some(v);
            }
        }
    }
    (ra.unwrap(), rb.unwrap())
}

/// Pending once, then ready: an await point where another writer can run.
struct Yield(bool);
impl Future for Yield {
    type Output = ();
    fn poll(mut self: std::pin::Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            Poll::Pending
        }
    }
}

/// How a [`TestStore`] misbehaves.
#[derive(Clone, Copy, Default, PartialEq)]
enum Fault {
    #[default]
    None,
    /// Every commit throws.
    CommitThrows,
    /// Every commit loses the compare-and-set.
    CommitStale,
    /// Reads answer from another tenant: `getRun` relabels the run, `listRuns` lists tenant 2's runs.
    LeaksTenant,
    /// Not atomic, and it crashed: commits store the run but drop its notifications.
    DropsNotifications,
}

/// The embedded store behind an await at every method (so writers interleave), with a switchable fault.
#[derive(Default)]
struct TestStore {
    inner: MemoryStore,
    fault: Cell<Fault>,
}

impl TestStore {
    fn with(fault: Fault) -> Self {
        TestStore { fault: Cell::new(fault), ..TestStore::default() }
    }

    fn leaked(&self, mut run: OperationRun) -> OperationRun {
        if self.fault.get() == Fault::LeaksTenant {
            run.scope.tenant_id = Id::Int(99);
        }
        run
    }
}

impl Store for TestStore {
    async fn insert_run(&self, draft: &RunDraft) -> Result<Inserted> {
        Yield(false).await;
        self.inner.insert_run(draft).await
    }
    async fn get_run(&self, s: &Scope, id: &Id) -> Result<Option<OperationRun>> {
        Yield(false).await;
        let s = if self.fault.get() == Fault::LeaksTenant { scope() } else { s.clone() };
        Ok(self.inner.get_run(&s, id).await?.map(|r| self.leaked(r)))
    }
    async fn commit(&self, commit: &Commit) -> Result<bool> {
        Yield(false).await;
        match self.fault.get() {
            Fault::CommitThrows => {
                Err(EngineError::Store("the store's commitRun threw: connection reset".into()))
            }
            Fault::CommitStale => Ok(false),
            Fault::DropsNotifications => {
                self.inner.commit(&Commit { notifications: Vec::new(), ..commit.clone() }).await
            }
            _ => self.inner.commit(commit).await,
        }
    }
    async fn list_runs(&self, s: &Scope, f: &RunFilter) -> Result<Vec<OperationRun>> {
        let s = if self.fault.get() == Fault::LeaksTenant { scope() } else { s.clone() };
        self.inner.list_runs(&s, f).await
    }
    async fn list_notifications(
        &self,
        s: &Scope,
        u: &Id,
        f: &NotificationFilter,
    ) -> Result<Vec<Notification>> {
        self.inner.list_notifications(s, u, f).await
    }
    async fn mark_notification_read(
        &self,
        s: &Scope,
        u: &Id,
        id: &str,
        at: Millis,
    ) -> Result<Option<Notification>> {
        self.inner.mark_notification_read(s, u, id, at).await
    }
    async fn find_unnotified_runs(&self, s: Option<&Scope>, limit: usize) -> Result<Vec<OperationRun>> {
        Yield(false).await;
        self.inner.find_unnotified_runs(s, limit).await
    }
    async fn insert_notifications(&self, list: &[Notification]) -> Result<usize> {
        Yield(false).await;
        self.inner.insert_notifications(list).await
    }
}

fn engine<S: Store>(store: S) -> Engine<S, FixedClock> {
    Engine::new(store, FixedClock(Cell::new(T0)), Config::default())
}

fn start_request(text: &str) -> StartRequest {
    StartRequest::decode(&parse(text, Limits::default()).unwrap(), &Config::default()).unwrap()
}

fn update(text: &str) -> RunUpdate {
    RunUpdate::decode(&parse(text, Limits::default()).unwrap(), &Config::default()).unwrap()
}

const SYNC: &str = r#"{"workspace_id":1,"tenant_id":2,"user_id":7,"type":"inventory.sync","identity":"all"}"#;

fn scope() -> Scope {
    Scope { workspace_id: Id::Int(1), tenant_id: Id::Int(2) }
}

fn notifications<S: Store>(e: &Engine<S, FixedClock>) -> Vec<Notification> {
    block_on(e.list_notifications(
        &scope(),
        &Id::Int(7),
        &NotificationFilter { unread_only: false, limit: 100 },
    ))
    .unwrap()
}

#[test]
fn start_stores_a_queued_run_and_a_duplicate_returns_it() {
    let e = engine(MemoryStore::new());
    let first = block_on(e.start_run(start_request(SYNC))).unwrap();
    assert!(!first.deduped);
    assert_eq!(first.run.status, Status::Queued);
    assert_eq!(first.run.created_at, T0 + 1);
    let again = block_on(e.start_run(start_request(SYNC))).unwrap();
    assert!(again.deduped);
    assert_eq!(again.run.id, first.run.id);
    assert_eq!(e.store.run_count(), 1);
    assert!(notifications(&e).is_empty(), "starting stores no notification");
}

#[test]
fn dedup_is_per_scope_type_and_identity_and_only_while_active() {
    let e = engine(MemoryStore::new());
    let a = block_on(e.start_run(start_request(SYNC))).unwrap().run;
    for other in [
        r#"{"workspace_id":1,"tenant_id":3,"user_id":7,"type":"inventory.sync","identity":"all"}"#,
        r#"{"workspace_id":1,"tenant_id":2,"user_id":7,"type":"inventory.export","identity":"all"}"#,
        r#"{"workspace_id":1,"tenant_id":2,"user_id":7,"type":"inventory.sync","identity":"one"}"#,
    ] {
        assert!(!block_on(e.start_run(start_request(other))).unwrap().deduped, "{other}");
    }
    block_on(e.update_run(&scope(), &a.id, &update(r#"{"status":"running"}"#))).unwrap();
    assert!(block_on(e.start_run(start_request(SYNC))).unwrap().deduped, "running still holds the key");
    block_on(e.update_run(&scope(), &a.id, &update(r#"{"status":"completed","outcome":"succeeded"}"#)))
        .unwrap();
    let fresh = block_on(e.start_run(start_request(SYNC))).unwrap();
    assert!(!fresh.deduped, "a completed run frees the key");
    assert_ne!(fresh.run.id, a.id);
}

#[test]
fn a_full_lifecycle_stores_exactly_one_notification() {
    let e = engine(MemoryStore::new());
    let run = block_on(e.start_run(start_request(SYNC))).unwrap().run;
    let running = block_on(e.update_run(&scope(), &run.id, &update(r#"{"status":"running"}"#))).unwrap();
    assert!(running.notifications.is_empty());
    let done = update(r#"{"status":"completed","outcome":"succeeded","summary_counts":{"total":3}}"#);
    let completed = block_on(e.update_run(&scope(), &run.id, &done)).unwrap();
    assert_eq!(completed.notifications.len(), 1);
    let retried = block_on(e.update_run(&scope(), &run.id, &done)).unwrap();
    assert!(!retried.changed);
    assert!(retried.notifications.is_empty());
    assert_eq!(notifications(&e).len(), 1);
    assert_eq!(block_on(e.get_run(&scope(), &run.id)).unwrap().version, 3);
}

#[test]
fn concurrent_completions_store_one_notification() {
    let e = engine(TestStore::default());
    let run = block_on(e.start_run(start_request(SYNC))).unwrap().run;
    block_on(e.update_run(&scope(), &run.id, &update(r#"{"status":"running"}"#))).unwrap();
    let done = update(r#"{"status":"completed","outcome":"succeeded"}"#);
    let (a, b) = join(e.update_run(&scope(), &run.id, &done), e.update_run(&scope(), &run.id, &done));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.notifications.len() + b.notifications.len(), 1);
    assert!(a.changed != b.changed, "one writer applied, the other found it done");
    assert_eq!(notifications(&e).len(), 1);
}

#[test]
fn concurrent_completions_with_different_outcomes_one_wins_one_is_refused() {
    let e = engine(TestStore::default());
    let run = block_on(e.start_run(start_request(SYNC))).unwrap().run;
    block_on(e.update_run(&scope(), &run.id, &update(r#"{"status":"running"}"#))).unwrap();
    let (ok, refused) = join(
        e.update_run(&scope(), &run.id, &update(r#"{"status":"completed","outcome":"succeeded"}"#)),
        e.update_run(&scope(), &run.id, &update(r#"{"status":"completed","outcome":"failed"}"#)),
    );
    assert!(ok.is_ok());
    assert_eq!(refused.unwrap_err().code(), "E_INVALID_TRANSITION");
    assert_eq!(notifications(&e).len(), 1);
}

#[test]
fn concurrent_starts_create_one_run() {
    let e = engine(TestStore::default());
    let (a, b) = join(e.start_run(start_request(SYNC)), e.start_run(start_request(SYNC)));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.run.id, b.run.id);
    assert!(a.deduped != b.deduped);
    assert_eq!(e.store.inner.run_count(), 1);
}

#[test]
fn a_failing_commit_leaves_the_run_as_it_was() {
    let e = engine(TestStore::default());
    let run = block_on(e.start_run(start_request(SYNC))).unwrap().run;
    e.store.fault.set(Fault::CommitThrows);
    let err = block_on(e.update_run(&scope(), &run.id, &update(r#"{"status":"running"}"#))).unwrap_err();
    assert_eq!(err.code(), "E_STORE");
    assert_eq!(block_on(e.get_run(&scope(), &run.id)).unwrap(), run);
    e.store.fault.set(Fault::None);
    let next = block_on(e.update_run(&scope(), &run.id, &update(r#"{"status":"running"}"#))).unwrap();
    assert_eq!(next.run.status, Status::Running, "the next call succeeds once the store is back");
}

#[test]
fn endless_conflicts_end_in_e_conflict() {
    let e = engine(TestStore::with(Fault::CommitStale));
    let run = block_on(e.start_run(start_request(SYNC))).unwrap().run;
    let err = block_on(e.update_run(&scope(), &run.id, &update(r#"{"status":"running"}"#))).unwrap_err();
    assert_eq!(err.code(), "E_CONFLICT");
}

#[test]
fn runs_outside_the_scope_do_not_exist() {
    let e = engine(MemoryStore::new());
    let run = block_on(e.start_run(start_request(SYNC))).unwrap().run;
    let other = Scope { workspace_id: Id::Int(1), tenant_id: Id::Int(99) };
    assert_eq!(block_on(e.get_run(&other, &run.id)).unwrap_err().code(), "E_NOT_FOUND");
    let err = block_on(e.update_run(&other, &run.id, &update(r#"{"status":"running"}"#))).unwrap_err();
    assert_eq!(err.code(), "E_NOT_FOUND");
    let filter = RunFilter { statuses: vec![], op_type: None, limit: 100 };
    assert!(block_on(e.list_runs(&other, &filter)).unwrap().is_empty());
    assert_eq!(block_on(e.list_runs(&scope(), &filter)).unwrap().len(), 1);
    assert_eq!(block_on(e.get_run(&scope(), &Id::Str("42".into()))).unwrap_err().code(), "E_NOT_FOUND");
}

#[test]
fn listing_filters_by_status_and_type_newest_first() {
    let e = engine(MemoryStore::new());
    for identity in ["a", "b", "c"] {
        let req =
            format!(r#"{{"workspace_id":1,"tenant_id":2,"type":"inventory.sync","identity":"{identity}"}}"#);
        block_on(e.start_run(start_request(&req))).unwrap();
    }
    block_on(e.update_run(&scope(), &Id::Int(2), &update(r#"{"status":"running"}"#))).unwrap();
    let all =
        block_on(e.list_runs(&scope(), &RunFilter { statuses: vec![], op_type: None, limit: 100 })).unwrap();
    assert_eq!(all.iter().map(|r| r.id.clone()).collect::<Vec<_>>(), [Id::Int(3), Id::Int(2), Id::Int(1)]);
    let running = block_on(
        e.list_runs(&scope(), &RunFilter { statuses: vec![Status::Running], op_type: None, limit: 100 }),
    )
    .unwrap();
    assert_eq!(running.len(), 1);
    let limited =
        block_on(e.list_runs(&scope(), &RunFilter { statuses: vec![], op_type: None, limit: 2 })).unwrap();
    assert_eq!(limited.len(), 2);
    let other_type = RunFilter { statuses: vec![], op_type: Some("x.y".into()), limit: 100 };
    assert!(block_on(e.list_runs(&scope(), &other_type)).unwrap().is_empty());
}

#[test]
fn notifications_are_marked_read_once_and_only_by_their_user() {
    let e = engine(MemoryStore::new());
    let run = block_on(e.start_run(start_request(SYNC))).unwrap().run;
    block_on(e.update_run(&scope(), &run.id, &update(r#"{"status":"completed","outcome":"cancelled"}"#)))
        .unwrap();
    let n = notifications(&e).remove(0);
    assert_eq!(n.title, "Inventory sync cancelled");
    assert_eq!(
        block_on(e.mark_notification_read(&scope(), &Id::Int(8), &n.id)).unwrap_err().code(),
        "E_NOT_FOUND"
    );
    let read = block_on(e.mark_notification_read(&scope(), &Id::Int(7), &n.id)).unwrap();
    assert!(read.read_at.is_some());
    let again = block_on(e.mark_notification_read(&scope(), &Id::Int(7), &n.id)).unwrap();
    assert_eq!(again.read_at, read.read_at, "marking twice keeps the first read_at");
    let unread = block_on(e.list_notifications(
        &scope(),
        &Id::Int(7),
        &NotificationFilter { unread_only: true, limit: 10 },
    ))
    .unwrap();
    assert!(unread.is_empty());
}

#[test]
fn a_store_that_leaks_another_scope_is_an_e_store_error() {
    let e = engine(TestStore::with(Fault::LeaksTenant));
    let run = block_on(e.start_run(start_request(SYNC))).unwrap().run;
    assert_eq!(block_on(e.get_run(&scope(), &run.id)).unwrap_err().code(), "E_STORE");
    let other = Scope { workspace_id: Id::Int(1), tenant_id: Id::Int(99) };
    let filter = RunFilter { statuses: vec![], op_type: None, limit: 100 };
    assert_eq!(block_on(e.list_runs(&other, &filter)).unwrap_err().code(), "E_STORE");
}

#[test]
fn results_serialise_as_the_documented_json() {
    let e = engine(MemoryStore::new());
    let started = block_on(e.start_run(start_request(SYNC))).unwrap();
    let mut out = String::new();
    started.write(&mut out, &e.config);
    let v = parse(&out, Limits::default()).unwrap();
    assert_eq!(v.get("deduped"), Some(&Json::Bool(false)));
    assert_eq!(v.get("toast").and_then(|t| t.get("kind")).and_then(Json::as_str), Some("queued"));
    assert_eq!(
        v.get("toast").and_then(|t| t.get("title")).and_then(Json::as_str),
        Some("Inventory sync queued")
    );
    let event = &v.get("events").and_then(Json::as_array).unwrap()[0];
    assert_eq!(event.get("name").and_then(Json::as_str), Some("run-enqueued"));
    let run = OperationRun::decode(v.get("run").unwrap()).unwrap();
    assert_eq!(run, started.run, "a written run reads back the same");
}

#[test]
fn a_stored_run_that_breaks_the_invariants_is_refused() {
    let e = engine(MemoryStore::new());
    let run = block_on(e.start_run(start_request(SYNC))).unwrap().run;
    let done = update(r#"{"status":"completed","outcome":"failed","failure_summary":["boom"]}"#);
    let done = block_on(e.update_run(&scope(), &run.id, &done)).unwrap().run;
    let text = done.to_json_text();
    assert_eq!(OperationRun::decode(&parse(&text, Limits::default()).unwrap()).unwrap(), done);
    let t = |ms: i64| format!("\"{}\"", ops_ux_engine::domain::time::format_rfc3339(ms));
    let spoiled = [
        ("\"type\":\"inventory.sync\"", "\"type\":\"Not A Type\"".to_string()),
        ("\"dedup_key\":\"inventory.sync", "\"dedup_key\":\"other.sync".to_string()),
        ("\"boom\"", "\"bo\\nom\"".to_string()),
        (&format!("\"completed_at\":{}", t(done.completed_at.unwrap())), "\"completed_at\":null".to_string()),
        (
            &format!("\"created_at\":{}", t(done.created_at)),
            format!("\"created_at\":{}", t(done.updated_at + 1)),
        ),
    ];
    for (from, to) in spoiled {
        assert!(text.contains(from), "{from} not in {text}");
        let bad = text.replacen(from, &to, 1);
        let err = OperationRun::decode(&parse(&bad, Limits::default()).unwrap());
        assert!(err.is_err(), "accepted {bad}");
    }
    let queued_but_started = run.to_json_text().replacen(
        "\"started_at\":null",
        &format!("\"started_at\":{}", t(run.created_at)),
        1,
    );
    assert!(OperationRun::decode(&parse(&queued_but_started, Limits::default()).unwrap()).is_err());
}

use ops_ux_engine::domain::json::Json;

/// Completes `n` runs of user 7 (and one system run) over a store that drops their notifications.
fn runs_with_missing_notifications(n: usize) -> Engine<TestStore, FixedClock> {
    let e = engine(TestStore::with(Fault::DropsNotifications));
    let system =
        r#"{"workspace_id":1,"tenant_id":2,"user_id":null,"type":"inventory.sync","identity":"sys"}"#;
    let done = update(r#"{"status":"completed","outcome":"failed","summary_counts":{"failed":2}}"#);
    for i in 0..=n {
        let text = if i == n { system.to_string() } else { SYNC.replace("\"all\"", &i.to_string()) };
        let run = block_on(e.start_run(start_request(&text))).unwrap().run;
        block_on(e.update_run(&scope(), &run.id, &done)).unwrap();
    }
    e.store.fault.set(Fault::None);
    e
}

#[test]
fn reconcile_repairs_each_missing_completion_notification_once() {
    let e = runs_with_missing_notifications(5);
    assert!(notifications(&e).is_empty());
    let first = block_on(e.reconcile(None, 2)).unwrap();
    assert_eq!((first.checked, first.repaired), (5, 5), "in batches of 2; the system run needs none");
    let stored = notifications(&e);
    assert_eq!(stored.len(), 5);
    assert!(stored
        .iter()
        .all(|n| n.title == "Inventory sync failed" && n.summary_counts.get("failed") == Some(2)));
    let again = block_on(e.reconcile(None, 100)).unwrap();
    assert_eq!((again.checked, again.repaired), (0, 0));
}

#[test]
fn concurrent_reconciles_repair_once_between_them() {
    let e = runs_with_missing_notifications(4);
    let (a, b) = join(e.reconcile(None, 100), e.reconcile(None, 100));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.repaired + b.repaired, 4);
    assert_eq!(notifications(&e).len(), 4);
}

#[test]
fn a_scoped_reconcile_touches_only_its_scope() {
    let e = runs_with_missing_notifications(2);
    let other = Scope { workspace_id: Id::Int(1), tenant_id: Id::Int(3) };
    assert_eq!(block_on(e.reconcile(Some(&other), 100)).unwrap().checked, 0);
    assert!(notifications(&e).is_empty());
    assert_eq!(block_on(e.reconcile(Some(&scope()), 100)).unwrap().repaired, 2);
}

#[test]
fn reconcile_finds_nothing_after_atomic_commits() {
    let e = engine(MemoryStore::new());
    let run = block_on(e.start_run(start_request(SYNC))).unwrap().run;
    block_on(e.update_run(&scope(), &run.id, &update(r#"{"status":"completed","outcome":"cancelled"}"#)))
        .unwrap();
    assert_eq!(block_on(e.reconcile(None, 100)).unwrap().checked, 0);
    assert_eq!(notifications(&e).len(), 1);
}
