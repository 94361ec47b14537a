//! Model-based concurrency test: the real engine and a reference model of the rules, driven by the same
//! random programs.
//!
//! Four workers, each its own `Engine` as separate processes would be, share one store and interleave at
//! every store call. The store fails before or after writing, drops a commit's notifications (a store
//! that is not atomic and crashed) or loses a compare-and-set at random; requests are replayed; the
//! clock jumps backwards. Three things are checked:
//! * every commit, against the model: the run it writes and the notifications it stores are exactly what
//!   the rules make of the run it replaces;
//! * every answer, against the store as it was when the answer was given (a refusal carries the code
//!   the model gives, `E_STORE` only after an injected fault, `E_NOT_FOUND` only outside the scope);
//! * after every step, the invariants over the whole store: never two active runs for one key, status
//!   only forward, outcome null exactly until completed, timestamps ordered, at most one completion
//!   notification per run (exactly one, for each completed run with an initiator, once reconciled),
//!   counters whitelisted and numeric, failure summaries bounded and redacted, nothing outside its
//!   scope.
//!
//! `make test` runs 10,000 programs (about 12 s); `MODEL_PROGRAMS=200000 cargo test --test model` runs
//! more. A failing program is shrunk and printed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unreachable
)]

mod support;

use ops_ux_engine::domain::config::Config;
use ops_ux_engine::domain::engine::{Engine, Reconciled, Started, Updated};
use ops_ux_engine::domain::error::{EngineError, Result};
use ops_ux_engine::domain::ids::{Id, Scope, MAX_SAFE_INTEGER};
use ops_ux_engine::domain::json::{parse, quote, Limits};
use ops_ux_engine::domain::memory::MemoryStore;
use ops_ux_engine::domain::notification::{notification_id, Notification};
use ops_ux_engine::domain::request::{dedup_key, RunUpdate, StartRequest};
use ops_ux_engine::domain::run::{OperationRun, Outcome, RunDraft, Status};
use ops_ux_engine::domain::sanitize::failures::FailureEntry;
use ops_ux_engine::domain::store::{Commit, Inserted, NotificationFilter, RecentRuns, RunFilter, Store};
use ops_ux_engine::domain::time::{Clock, Millis};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::FileFailurePersistence;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

const WORKERS: usize = 4;
const T0: Millis = 1_767_225_600_000;
const TYPES: [&str; 2] = ["inventory.sync", "policy.backup"];
/// Three whitelisted counters and two that must never be stored.
const COUNT_KEYS: [&str; 5] = ["total", "processed", "failed", "secret", "bytes"];

// ------------------------------------------------------------------------------------------------
// The programs

/// Four scopes: two tenants of one workspace, a workspace id that differs only in type, and one with
/// workspace and tenant swapped.
fn scope(i: usize) -> Scope {
    let (workspace_id, tenant_id) = match i % 4 {
        0 => (Id::Int(1), Id::Int(1)),
        1 => (Id::Int(1), Id::Int(2)),
        2 => (Id::Str("1".into()), Id::Int(1)),
        _ => (Id::Int(2), Id::Int(1)),
    };
    Scope { workspace_id, tenant_id }
}

/// No initiator, and two users whose ids differ only in type.
fn user(i: usize) -> Option<Id> {
    match i % 3 {
        0 => None,
        1 => Some(Id::Int(7)),
        _ => Some(Id::Str("7".into())),
    }
}

#[derive(Debug, Clone)]
struct UpdateSpec {
    status: Option<usize>,
    outcome: Option<usize>,
    counts: Option<Vec<(usize, i64)>>,
    /// Indexes into the failure message pool; odd ones are sent as bare strings.
    failures: Option<Vec<usize>>,
    context: Option<u8>,
}

/// A run, picked when the op begins among those stored then, or the id that is not stored yet; asked
/// for in its own scope, or (`scope: Some`) in a given one, which may be another.
#[derive(Debug, Clone, Copy)]
struct RunRef {
    pick: u8,
    scope: Option<usize>,
}

#[derive(Debug, Clone)]
enum Op {
    Start {
        scope: usize,
        op_type: usize,
        identity: Option<u8>,
        user: usize,
    },
    Update {
        run: RunRef,
        update: UpdateSpec,
    },
    Get {
        run: RunRef,
    },
    List {
        scope: usize,
        status: Option<usize>,
        limit: usize,
    },
    ListNotifications {
        scope: usize,
        user: usize,
        unread_only: bool,
        limit: usize,
    },
    /// A stored notification (or an id nobody has), as its owner or (`as_user: Some`) as someone else.
    MarkRead {
        pick: u8,
        as_user: Option<(usize, usize)>,
    },
    Reconcile {
        scope: Option<usize>,
    },
    ClockJump(i64),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    None,
    FailBefore,
    /// The write happens, then the call throws: the acknowledgement is lost.
    FailAfter,
    DropNotifications,
    LoseRace,
}

#[derive(Debug, Clone)]
struct Program {
    /// Which worker runs each op, in the order each worker takes them.
    ops: Vec<(usize, Op)>,
    /// Which ready worker runs next, at each step (round robin once used up).
    schedule: Vec<u8>,
    /// The store's behaviour at each call, in turn (cycled).
    faults: Vec<Fault>,
}

fn update_spec() -> impl Strategy<Value = UpdateSpec> {
    (
        // Mostly forward: running and completed three times as often as queued.
        prop::option::weighted(0.85, prop_oneof![1 => Just(0usize), 3 => Just(1), 3 => Just(2)]),
        (0..4usize, any::<u8>()),
        prop::option::weighted(
            0.5,
            prop::collection::btree_map(0..COUNT_KEYS.len(), -2..1000i64, 0..4)
                .prop_map(|m| m.into_iter().collect()),
        ),
        prop::option::weighted(0.3, prop::collection::vec(any::<usize>(), 0..14)),
        prop::option::weighted(0.2, any::<u8>()),
    )
        .prop_map(|(status, (outcome, roll), counts, failures, context)| {
            // Mostly an outcome exactly with `completed`, sometimes missing or out of place.
            let with_outcome = if status == Some(2) { roll < 225 } else { roll < 12 };
            UpdateSpec { status, outcome: with_outcome.then_some(outcome), counts, failures, context }
        })
}

fn run_ref() -> impl Strategy<Value = RunRef> {
    (any::<u8>(), prop::option::weighted(0.2, 0..4usize)).prop_map(|(pick, scope)| RunRef { pick, scope })
}

/// Ops, with replays: an earlier op sent again, by whichever worker.
fn program() -> impl Strategy<Value = Program> {
    let op = prop_oneof![
        4 => (0..4usize, 0..2usize, prop::option::of(0..3u8), 0..3usize)
            .prop_map(|(scope, op_type, identity, user)| Op::Start { scope, op_type, identity, user }),
        9 => (run_ref(), update_spec()).prop_map(|(run, update)| Op::Update { run, update }),
        1 => run_ref().prop_map(|run| Op::Get { run }),
        1 => (0..4usize, prop::option::of(0..3usize), 1..6usize)
            .prop_map(|(scope, status, limit)| Op::List { scope, status, limit }),
        1 => (0..4usize, 1..3usize, any::<bool>(), 1..4usize).prop_map(|(scope, user, unread_only, limit)| {
            Op::ListNotifications { scope, user, unread_only, limit }
        }),
        1 => (any::<u8>(), prop::option::weighted(0.3, (0..4usize, 1..3usize)))
            .prop_map(|(pick, as_user)| Op::MarkRead { pick, as_user }),
        1 => prop::option::of(0..4usize).prop_map(|scope| Op::Reconcile { scope }),
        1 => (-3_000i64..3_000).prop_map(Op::ClockJump),
    ];
    let step = (0..WORKERS, op, prop::option::weighted(0.15, any::<Index>()));
    let fault = prop_oneof![
        10 => Just(Fault::None),
        1 => Just(Fault::FailBefore),
        1 => Just(Fault::FailAfter),
        2 => Just(Fault::DropNotifications),
        1 => Just(Fault::LoseRace),
    ];
    // One program in four runs over a healthy store.
    let faults = prop_oneof![1 => Just(vec![Fault::None]), 3 => prop::collection::vec(fault, 1..48)];
    (prop::collection::vec(step, 1..60), prop::collection::vec(any::<u8>(), 0..160), faults).prop_map(
        |(steps, schedule, faults)| {
            let mut ops: Vec<(usize, Op)> = Vec::with_capacity(steps.len());
            for (worker, op, replay) in steps {
                let op = match replay {
                    Some(index) if !ops.is_empty() => ops[index.index(ops.len())].1.clone(),
                    _ => op,
                };
                ops.push((worker, op));
            }
            Program { ops, schedule, faults }
        },
    )
}

/// Failure messages: secret-bearing lines of the corpus, ordinary ones, a long one and a multi-line one.
fn message_pool() -> (Vec<String>, Vec<String>) {
    let mut secrets = Vec::new();
    let mut messages = Vec::new();
    for (_, line) in support::corpus::corpus("secrets.txt").into_iter().step_by(5) {
        let (secret, message) = line.split_once('\t').unwrap();
        secrets.push(secret.to_string());
        messages.push(message.to_string());
    }
    for (_, line) in support::corpus::corpus("ordinary.txt").into_iter().step_by(8) {
        messages.push(line);
    }
    messages.push(format!("timeout {}", "x".repeat(600)));
    messages.push("line one\nline two\r\n\tAuthorization: Bearer abcdefghijklmnopqrstuvwxyz0123".into());
    secrets.push("abcdefghijklmnopqrstuvwxyz0123".into());
    (secrets, messages)
}

fn update_json(spec: &UpdateSpec, messages: &[String]) -> String {
    let mut fields = Vec::new();
    if let Some(s) = spec.status {
        fields.push(format!("\"status\":\"{}\"", Status::ALL[s].as_str()));
    }
    if let Some(o) = spec.outcome {
        fields.push(format!("\"outcome\":\"{}\"", Outcome::ALL[o].as_str()));
    }
    if let Some(counts) = &spec.counts {
        let pairs: Vec<String> =
            counts.iter().map(|(k, v)| format!("{}:{v}", quote(COUNT_KEYS[*k]))).collect();
        fields.push(format!("\"summary_counts\":{{{}}}", pairs.join(",")));
    }
    if let Some(failures) = &spec.failures {
        let entries: Vec<String> = failures
            .iter()
            .map(|i| {
                let message = quote(&messages[i % messages.len()]);
                if i % 2 == 1 {
                    message
                } else {
                    format!("{{\"code\":\"E_SYNC_{}\",\"message\":{message}}}", i % 7)
                }
            })
            .collect();
        fields.push(format!("\"failure_summary\":[{}]", entries.join(",")));
    }
    if let Some(c) = spec.context {
        fields.push(format!("\"context\":{{\"step\":{}}}", c % 3));
    }
    format!("{{{}}}", fields.join(","))
}

// ------------------------------------------------------------------------------------------------
// The reference model

/// What the rules say a run looks like; timestamps and versions are checked on their own.
#[derive(Debug, Clone, PartialEq)]
struct Shape {
    status: Status,
    outcome: Option<Outcome>,
    counts: BTreeMap<String, u64>,
    failures: Vec<FailureEntry>,
    context: String,
}

fn shape(run: &OperationRun) -> Shape {
    Shape {
        status: run.status,
        outcome: run.outcome,
        counts: run.summary_counts.iter().map(|(k, v)| (k.to_string(), v)).collect(),
        failures: run.failure_summary.clone(),
        context: run.context.clone(),
    }
}

fn rank(status: Status) -> u8 {
    match status {
        Status::Queued => 0,
        Status::Running => 1,
        Status::Completed => 2,
    }
}

/// The rules of the spec, written again from it: the shape `update` gives `run`, or the refusal's code.
fn model_apply(run: &OperationRun, update: &RunUpdate) -> std::result::Result<Shape, &'static str> {
    let mut next = shape(run);
    let from = run.status;
    let progress = update.summary_counts.is_some() || update.failure_summary.is_some();
    if update.outcome.is_some() && update.status != Some(Status::Completed) {
        return Err("E_INVALID_INPUT");
    }
    let moves_progress = match update.status {
        None if from == Status::Completed && progress => return Err("E_INVALID_TRANSITION"),
        None => from != Status::Completed,
        Some(Status::Completed) if update.outcome.is_none() => return Err("E_OUTCOME_REQUIRED"),
        Some(to) if rank(to) < rank(from) => return Err("E_INVALID_TRANSITION"),
        Some(_) if from == Status::Completed => {
            if update.outcome != run.outcome {
                return Err("E_INVALID_TRANSITION");
            }
            false // a repeated completion: only the context may still change
        }
        Some(Status::Completed)
            if from == Status::Queued
                && !matches!(update.outcome, Some(Outcome::Failed | Outcome::Cancelled)) =>
        {
            return Err("E_INVALID_TRANSITION")
        }
        Some(to) => {
            next.status = to;
            next.outcome = update.outcome;
            true
        }
    };
    if moves_progress {
        if let Some(counts) = &update.summary_counts {
            next.counts.extend(counts.iter().map(|(k, v)| (k.to_string(), v)));
        }
        if let Some(failures) = &update.failure_summary {
            next.failures = failures.clone();
        }
    }
    if let Some(context) = &update.context {
        next.context = context.clone();
    }
    Ok(next)
}

/// A commit replaced `prior` with `commit.run`: exactly what the model makes of `prior` under `update`.
fn check_commit(prior: &OperationRun, commit: &Commit, update: &RunUpdate, config: &Config) {
    let next = &commit.run;
    assert_eq!(commit.expected_version, prior.version, "a commit over another version won");
    let expected = model_apply(prior, update).unwrap_or_else(|code| {
        panic!("the engine committed an update the model refuses with {code}: {update:?} over {prior:?}")
    });
    assert_ne!(expected, shape(prior), "the engine committed an update that changes nothing");
    assert_eq!(
        shape(next),
        expected,
        "the committed run is not what the rules make of {prior:?} under {update:?}"
    );
    assert_eq!(
        (&next.id, &next.scope, &next.user_id, &next.op_type, &next.dedup_key, next.created_at),
        (&prior.id, &prior.scope, &prior.user_id, &prior.op_type, &prior.dedup_key, prior.created_at),
        "a commit changed what a run is"
    );
    assert_eq!(next.version, prior.version + 1);
    assert!(next.updated_at >= prior.updated_at, "updated_at ran backwards");
    let starts = prior.status == Status::Queued && next.status == Status::Running;
    let completes = prior.status != Status::Completed && next.status == Status::Completed;
    assert_eq!(next.started_at, if starts { Some(next.updated_at) } else { prior.started_at });
    assert_eq!(next.completed_at, if completes { Some(next.updated_at) } else { prior.completed_at });
    match (&next.user_id, completes) {
        (Some(user), true) => {
            let [n] = &commit.notifications[..] else {
                panic!("a completion with an initiator stored {} notifications", commit.notifications.len())
            };
            assert_eq!(n.id, notification_id(&next.id, user));
            assert_eq!((&n.notifiable_id, &n.scope, &n.run_id), (user, &next.scope, &next.id));
            assert_eq!(Some(n.outcome), next.outcome);
            assert_eq!(n.op_type, next.op_type);
            assert!(n.read_at.is_none());
            assert!(n.title.contains(&config.label(&next.op_type)), "the title names the operation");
        }
        _ => assert!(commit.notifications.is_empty(), "a notification without a completion or an initiator"),
    }
}

// ------------------------------------------------------------------------------------------------
// The world: one store shared by the workers, with faults, and a mirror of what it must hold

struct World {
    store: MemoryStore,
    config: Config,
    now: Cell<Millis>,
    faults: Vec<Fault>,
    next_fault: Cell<usize>,
    faults_on: Cell<bool>,
    /// The update each worker is applying, to check its commits against the model.
    applying: RefCell<Vec<Option<RunUpdate>>>,
    /// Whether an injected fault hit each worker's current op.
    faulted: Vec<Cell<bool>>,
    /// Every notification the store took, by id, as the contract says it must hold them.
    notifications: RefCell<BTreeMap<String, Notification>>,
    secrets: Vec<String>,
    messages: Vec<String>,
}

impl World {
    fn new(faults: Vec<Fault>) -> World {
        let (secrets, messages) = message_pool();
        World {
            store: MemoryStore::new(),
            config: Config::default(),
            now: Cell::new(T0),
            faults,
            next_fault: Cell::new(0),
            faults_on: Cell::new(true),
            applying: RefCell::new(vec![None; WORKERS]),
            faulted: (0..WORKERS).map(|_| Cell::new(false)).collect(),
            notifications: RefCell::new(BTreeMap::new()),
            secrets,
            messages,
        }
    }

    fn mirror(&self, list: &[Notification]) {
        let mut mirror = self.notifications.borrow_mut();
        for n in list {
            mirror.entry(n.id.clone()).or_insert_with(|| n.clone());
        }
    }

    /// The scope and id a [`RunRef`] names now.
    fn resolve(&self, run: RunRef) -> (Scope, Id) {
        let count = self.store.run_count();
        // One pick in ten, or when nothing is stored yet, the id the next run will get.
        let n = if run.pick < 26 || count == 0 { count } else { usize::from(run.pick) % count };
        let id = Id::Int(n as i64 + 1);
        let own = || (0..4).find(|s| block_on(self.store.get_run(&scope(*s), &id)).unwrap().is_some());
        (scope(run.scope.or_else(own).unwrap_or(0)), id)
    }

    /// Every run, found through `get_run` in whichever scope holds it: each in exactly one.
    fn all_runs(&self) -> Vec<OperationRun> {
        (1..=self.store.run_count() as i64)
            .map(|id| {
                let found: Vec<OperationRun> = (0..4)
                    .filter_map(|s| block_on(self.store.get_run(&scope(s), &Id::Int(id))).unwrap())
                    .collect();
                assert_eq!(found.len(), 1, "run {id} is visible in {} scopes", found.len());
                found.into_iter().next().unwrap()
            })
            .collect()
    }
}

struct WorldClock<'w>(&'w World);

impl Clock for WorldClock<'_> {
    fn now(&self) -> Result<Millis> {
        self.0.now.set(self.0.now.get() + 1);
        Ok(self.0.now.get())
    }
}

/// One worker's view of the shared store: every call is an await point, and may meet a fault. Even
/// workers remember the runs they saw, as host stores do, so their updates commit on what may be stale.
struct WorkerStore<'w> {
    world: &'w World,
    worker: usize,
    recent: Option<RecentRuns>,
}

impl WorkerStore<'_> {
    fn remember(&self, run: &OperationRun) {
        if let Some(recent) = &self.recent {
            recent.remember(run);
        }
    }

    fn draw(&self) -> Fault {
        if !self.world.faults_on.get() {
            return Fault::None;
        }
        let at = self.world.next_fault.get();
        self.world.next_fault.set(at + 1);
        self.world.faults[at % self.world.faults.len()]
    }

    fn fail<T>(&self, method: &str) -> Result<T> {
        self.world.faulted[self.worker].set(true);
        Err(EngineError::Store(format!("the store's {method} threw: connection reset (injected)")))
    }

    /// For reads: a fault that fails the call fails it; the others do not apply.
    async fn read(&self, method: &str) -> Result<()> {
        Yield(false).await;
        match self.draw() {
            Fault::FailBefore | Fault::FailAfter => self.fail(method),
            _ => Ok(()),
        }
    }
}

impl Store for WorkerStore<'_> {
    async fn insert_run(&self, draft: &RunDraft) -> Result<Inserted> {
        Yield(false).await;
        let fault = self.draw();
        if fault == Fault::FailBefore {
            return self.fail("insertRun");
        }
        let inserted = self.world.store.insert_run(draft).await?;
        if fault == Fault::FailAfter {
            return self.fail("insertRun");
        }
        let (Inserted::New(run) | Inserted::Existing(run)) = &inserted;
        self.remember(run);
        Ok(inserted)
    }

    async fn get_run(&self, scope: &Scope, id: &Id) -> Result<Option<OperationRun>> {
        self.read("getRun").await?;
        let run = self.world.store.get_run(scope, id).await?;
        if let Some(run) = &run {
            self.remember(run);
        }
        Ok(run)
    }

    async fn commit(&self, commit: &Commit) -> Result<bool> {
        Yield(false).await;
        if let Some(recent) = &self.recent {
            recent.forget(&commit.run.scope, &commit.run.id);
        }
        let fault = self.draw();
        match fault {
            Fault::FailBefore => return self.fail("commitRun"),
            Fault::LoseRace => {
                self.world.faulted[self.worker].set(true);
                return Ok(false);
            }
            _ => {}
        }
        let prior = self.world.store.get_run(&commit.run.scope, &commit.run.id).await?;
        let stored = Commit {
            notifications: if fault == Fault::DropNotifications {
                Vec::new()
            } else {
                commit.notifications.clone()
            },
            ..commit.clone()
        };
        let committed = self.world.store.commit(&stored).await?;
        if committed {
            let applying = self.world.applying.borrow();
            let update = applying[self.worker].as_ref().expect("a commit outside an update");
            check_commit(
                &prior.expect("a commit of a run that is not stored"),
                commit,
                update,
                &self.world.config,
            );
            self.world.mirror(&stored.notifications);
        }
        if fault == Fault::FailAfter {
            return self.fail("commitRun");
        }
        if committed {
            self.remember(&commit.run);
        }
        Ok(committed)
    }

    async fn list_runs(&self, scope: &Scope, filter: &RunFilter) -> Result<Vec<OperationRun>> {
        self.read("listRuns").await?;
        self.world.store.list_runs(scope, filter).await
    }

    async fn list_notifications(
        &self,
        scope: &Scope,
        user_id: &Id,
        filter: &NotificationFilter,
    ) -> Result<Vec<Notification>> {
        self.read("listNotifications").await?;
        self.world.store.list_notifications(scope, user_id, filter).await
    }

    async fn mark_notification_read(
        &self,
        scope: &Scope,
        user_id: &Id,
        id: &str,
        read_at: Millis,
    ) -> Result<Option<Notification>> {
        Yield(false).await;
        let fault = self.draw();
        if fault == Fault::FailBefore {
            return self.fail("markNotificationRead");
        }
        let marked = self.world.store.mark_notification_read(scope, user_id, id, read_at).await?;
        if let Some(n) = &marked {
            self.world.notifications.borrow_mut().insert(n.id.clone(), n.clone());
        }
        if fault == Fault::FailAfter {
            return self.fail("markNotificationRead");
        }
        Ok(marked)
    }

    async fn find_unnotified_runs(&self, scope: Option<&Scope>, limit: usize) -> Result<Vec<OperationRun>> {
        self.read("findUnnotifiedRuns").await?;
        self.world.store.find_unnotified_runs(scope, limit).await
    }

    fn remembered(&self, scope: &Scope, id: &Id) -> Option<OperationRun> {
        self.recent.as_ref().and_then(|r| r.get(scope, id))
    }

    async fn insert_notifications(&self, notifications: &[Notification]) -> Result<usize> {
        Yield(false).await;
        let fault = self.draw();
        if fault == Fault::FailBefore {
            return self.fail("insertNotifications");
        }
        let count = self.world.store.insert_notifications(notifications).await?;
        self.world.mirror(notifications);
        if fault == Fault::FailAfter {
            return self.fail("insertNotifications");
        }
        Ok(count)
    }
}

// ------------------------------------------------------------------------------------------------
// Running a program

type Worker<'w> = Engine<WorkerStore<'w>, WorldClock<'w>>;

enum Answer {
    Started(Result<Started>),
    Updated(Result<Updated>),
    Got(Result<OperationRun>),
    Listed(Result<Vec<OperationRun>>),
    Notified(Result<Vec<Notification>>),
    Marked(Result<Notification>),
    Reconciled(Result<Reconciled>),
}

/// An op in flight, with what its answer is checked against.
enum Call {
    Start(StartRequest),
    Update(Scope, Id, RunUpdate),
    Get(Scope, Id),
    List(Scope, RunFilter),
    ListNotifications(Scope, Id, NotificationFilter),
    MarkRead(Scope, Id, String),
    Reconcile,
}

type Pending<'e> = Pin<Box<dyn Future<Output = Answer> + 'e>>;

/// Decodes `op` into a call and starts it on `engine`; `None` for a clock jump, which happens at once.
fn begin<'e>(world: &World, engine: &'e Worker<'_>, op: &Op) -> Option<(Call, Pending<'e>)> {
    let config = &world.config;
    Some(match op {
        Op::Start { scope: s, op_type, identity, user: u } => {
            let identity = identity.map(|i| parse(&format!("{{\"id\":{i}}}"), Limits::default()).unwrap());
            let request = StartRequest {
                scope: scope(*s),
                user_id: user(*u),
                op_type: TYPES[*op_type].to_string(),
                dedup_key: dedup_key(TYPES[*op_type], identity.as_ref(), config).unwrap(),
                context: "{}".into(),
            };
            let pending = Box::pin({
                let request = request.clone();
                async move { Answer::Started(engine.start_run(request).await) }
            });
            (Call::Start(request), pending)
        }
        Op::Update { run, update } => {
            let json = parse(&update_json(update, &world.messages), config.json).unwrap();
            let update = RunUpdate::decode(&json, config).unwrap();
            let (scope, id) = world.resolve(*run);
            let pending = Box::pin({
                let (scope, id, update) = (scope.clone(), id.clone(), update.clone());
                async move { Answer::Updated(engine.update_run(&scope, &id, &update).await) }
            });
            (Call::Update(scope, id, update), pending)
        }
        Op::Get { run } => {
            let (scope, id) = world.resolve(*run);
            let pending = Box::pin({
                let (scope, id) = (scope.clone(), id.clone());
                async move { Answer::Got(engine.get_run(&scope, &id).await) }
            });
            (Call::Get(scope, id), pending)
        }
        Op::List { scope: s, status, limit } => {
            let filter = RunFilter {
                statuses: status.map(|i| Status::ALL[i]).into_iter().collect(),
                op_type: None,
                limit: *limit,
            };
            let scope = scope(*s);
            let pending = Box::pin({
                let (scope, filter) = (scope.clone(), filter.clone());
                async move { Answer::Listed(engine.list_runs(&scope, &filter).await) }
            });
            (Call::List(scope, filter), pending)
        }
        Op::ListNotifications { scope: s, user: u, unread_only, limit } => {
            let filter = NotificationFilter { unread_only: *unread_only, limit: *limit };
            let (scope, user) = (scope(*s), user(*u).unwrap());
            let pending = Box::pin({
                let (scope, user) = (scope.clone(), user.clone());
                async move { Answer::Notified(engine.list_notifications(&scope, &user, &filter).await) }
            });
            (Call::ListNotifications(scope, user, filter), pending)
        }
        Op::MarkRead { pick, as_user } => {
            let mirror = world.notifications.borrow();
            let found = mirror.values().nth(usize::from(*pick) % (mirror.len() + 1));
            let id = found.map_or_else(|| "no-such-id".to_string(), |n| n.id.clone());
            let (scope, user) = match (as_user, found) {
                (None, Some(n)) => (n.scope.clone(), n.notifiable_id.clone()),
                (Some((s, u)), _) => (scope(*s), user(*u).unwrap()),
                (None, None) => (scope(0), user(1).unwrap()),
            };
            drop(mirror);
            let pending = Box::pin({
                let (scope, user, id) = (scope.clone(), user.clone(), id.clone());
                async move { Answer::Marked(engine.mark_notification_read(&scope, &user, &id).await) }
            });
            (Call::MarkRead(scope, user, id), pending)
        }
        Op::Reconcile { scope: s } => {
            let scope = s.map(scope);
            let pending =
                Box::pin(async move { Answer::Reconciled(engine.reconcile(scope.as_ref(), 2).await) });
            (Call::Reconcile, pending)
        }
        Op::ClockJump(by) => {
            world.now.set(world.now.get() + by);
            return None;
        }
    })
}

/// A refusal is allowed when the model, the scope or an injected fault explains it.
fn check_refusal(e: &EngineError, faulted: bool, explained: &[&str], what: &str) {
    let code = e.code();
    let by_fault = faulted && matches!(code, "E_STORE" | "E_CONFLICT");
    assert!(
        by_fault || explained.contains(&code),
        "{what}: unexpected {code} ({e}); explained: {explained:?}"
    );
}

/// Checks an answer against the store as it is now: an op answers in the same step as its last store call.
fn check_answer(world: &World, call: &Call, answer: Answer, faulted: bool) {
    let stored = |scope: &Scope, id: &Id| block_on(world.store.get_run(scope, id)).unwrap();
    match (call, answer) {
        (Call::Start(request), Answer::Started(result)) => match result {
            Ok(started) => {
                let run = &started.run;
                assert_eq!(
                    (&run.scope, &run.dedup_key, &run.op_type),
                    (&request.scope, &request.dedup_key, &request.op_type)
                );
                assert_eq!(
                    stored(&request.scope, &run.id).as_ref(),
                    Some(run),
                    "startRun answered another run than it stored"
                );
                if started.deduped {
                    assert!(run.status.is_active(), "deduplicated to a completed run");
                } else {
                    assert_eq!(
                        (run.status, run.version, &run.user_id),
                        (Status::Queued, 1, &request.user_id)
                    );
                }
            }
            Err(e) => check_refusal(&e, faulted, &[], "startRun"),
        },
        (Call::Update(scope, id, update), Answer::Updated(result)) => {
            let now = stored(scope, id);
            match (result, now) {
                (Ok(updated), Some(run)) => {
                    assert_eq!(updated.run, run, "updateRun answered another run than the store holds");
                    if !updated.changed {
                        assert_eq!(
                            model_apply(&run, update),
                            Ok(shape(&run)),
                            "an update the model applies was not made"
                        );
                        assert!(updated.notifications.is_empty());
                    }
                }
                (Ok(_), None) => panic!("updateRun changed run {id} outside its scope"),
                (Err(e), None) => check_refusal(&e, faulted, &["E_NOT_FOUND"], "updateRun"),
                (Err(e), Some(run)) => {
                    let explained = model_apply(&run, update).err().into_iter().collect::<Vec<_>>();
                    check_refusal(&e, faulted, &explained, "updateRun");
                }
            }
        }
        (Call::Get(scope, id), Answer::Got(result)) => match (result, stored(scope, id)) {
            (Ok(run), now) => assert_eq!(Some(run), now, "getRun answered another run"),
            (Err(e), None) => check_refusal(&e, faulted, &["E_NOT_FOUND"], "getRun"),
            (Err(e), Some(_)) => check_refusal(&e, faulted, &[], "getRun"),
        },
        (Call::List(scope, filter), Answer::Listed(result)) => match result {
            Ok(runs) => {
                let mut expected: Vec<OperationRun> = world
                    .all_runs()
                    .into_iter()
                    .filter(|r| {
                        r.scope == *scope
                            && (filter.statuses.is_empty() || filter.statuses.contains(&r.status))
                    })
                    .collect();
                expected.reverse();
                expected.truncate(filter.limit);
                assert_eq!(runs, expected, "listRuns in {scope:?}");
            }
            Err(e) => check_refusal(&e, faulted, &[], "listRuns"),
        },
        (Call::ListNotifications(scope, user, filter), Answer::Notified(result)) => match result {
            Ok(list) => {
                let mirror = world.notifications.borrow();
                let mut expected: Vec<&Notification> = mirror
                    .values()
                    .filter(|n| {
                        n.scope == *scope
                            && n.notifiable_id == *user
                            && (!filter.unread_only || n.read_at.is_none())
                    })
                    .collect();
                expected.sort_by_key(|n| std::cmp::Reverse(n.created_at));
                assert!(list.len() <= filter.limit);
                assert_eq!(
                    list.len(),
                    expected.len().min(filter.limit),
                    "listNotifications in {scope:?} for {user:?}"
                );
                for n in &list {
                    assert_eq!(
                        (&n.scope, &n.notifiable_id),
                        (scope, user),
                        "a notification of another scope or user"
                    );
                    assert_eq!(mirror.get(&n.id), Some(n), "a notification the store should not hold");
                }
            }
            Err(e) => check_refusal(&e, faulted, &[], "listNotifications"),
        },
        (Call::MarkRead(scope, user, id), Answer::Marked(result)) => {
            let mirror = world.notifications.borrow();
            let owned = mirror.get(id).filter(|n| n.scope == *scope && n.notifiable_id == *user);
            match (result, owned) {
                (Ok(n), Some(own)) => {
                    assert_eq!(&n, own);
                    assert!(n.read_at.is_some());
                }
                (Ok(n), None) => panic!("markNotificationRead marked {n:?} for another scope or user"),
                (Err(e), None) => check_refusal(&e, faulted, &["E_NOT_FOUND"], "markNotificationRead"),
                (Err(e), Some(_)) => check_refusal(&e, faulted, &[], "markNotificationRead"),
            }
        }
        (Call::Reconcile, Answer::Reconciled(result)) => match result {
            Ok(r) => assert!(r.repaired <= r.checked, "{r:?}"),
            Err(e) => check_refusal(&e, faulted, &[], "reconcile"),
        },
        _ => unreachable!("an answer of another call"),
    }
}

/// The invariants over the whole store, after every step. `seen` is each run as last seen.
fn check_world(world: &World, seen: &mut BTreeMap<Id, OperationRun>) {
    let runs = world.all_runs();
    let mut active = BTreeMap::new();
    for run in &runs {
        if run.status.is_active() {
            let key = (run.scope.clone(), run.dedup_key.clone());
            assert!(active.insert(key, &run.id).is_none(), "two active runs for one key: {run:?}");
        }
        assert_eq!(run.outcome.is_some(), run.status == Status::Completed, "outcome vs status: {run:?}");
        assert_eq!(run.completed_at.is_some(), run.status == Status::Completed, "{run:?}");
        assert!(run.started_at.is_none() || run.status != Status::Queued, "{run:?}");
        let times = [Some(run.created_at), run.started_at, run.completed_at, Some(run.updated_at)];
        let times: Vec<Millis> = times.into_iter().flatten().collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "timestamps out of order: {run:?}");
        for (key, value) in run.summary_counts.iter() {
            assert!(
                world.config.summary_keys.iter().any(|k| **k == *key),
                "counter {key} is not whitelisted"
            );
            assert!(value <= MAX_SAFE_INTEGER as u64);
        }
        check_failures(world, &run.failure_summary);
        if let Some(before) = seen.insert(run.id.clone(), run.clone()) {
            assert!(rank(run.status) >= rank(before.status), "status went back: {before:?} → {run:?}");
            assert!(run.version >= before.version);
            assert!(run.version > before.version || *run == before, "changed without a new version");
            assert!(before.outcome.is_none() || before.outcome == run.outcome, "the outcome changed");
        }
    }
    // The store holds exactly the mirror's notifications, each where it belongs, at most one per run.
    let mirror = world.notifications.borrow();
    let everything = NotificationFilter { unread_only: false, limit: usize::MAX };
    let mut listed = 0;
    for s in 0..4 {
        for u in 1..3 {
            let (scope, user) = (scope(s), user(u).unwrap());
            for n in block_on(world.store.list_notifications(&scope, &user, &everything)).unwrap() {
                assert_eq!(mirror.get(&n.id), Some(&n), "the store holds a notification it should not");
                listed += 1;
            }
        }
    }
    assert_eq!(listed, mirror.len(), "a notification is stored outside its scope or user");
    let mut per_run = BTreeMap::new();
    for n in mirror.values() {
        let run = runs.iter().find(|r| r.id == n.run_id).expect("a notification of no run");
        assert_eq!(
            run.status,
            Status::Completed,
            "a completion notification for a run that is not completed"
        );
        assert_eq!(
            (&run.scope, run.user_id.as_ref(), run.outcome),
            (&n.scope, Some(&n.notifiable_id), Some(n.outcome))
        );
        assert!(
            per_run.insert(&n.run_id, &n.id).is_none(),
            "two completion notifications for run {:?}",
            n.run_id
        );
    }
}

fn check_failures(world: &World, failures: &[FailureEntry]) {
    let limits = world.config.failures;
    assert!(failures.len() <= limits.max_entries);
    for f in failures {
        assert!(f.message.chars().count() <= limits.max_message_chars, "{f:?}");
        assert!(!f.message.chars().any(char::is_control), "a control character in {f:?}");
        assert!(f.code.chars().all(|c| c.is_ascii_alphanumeric() || "_.:-".contains(c)), "{f:?}");
        for secret in &world.secrets {
            assert!(!f.message.contains(secret.as_str()), "secret {secret} stored in {f:?}");
        }
    }
}

/// Runs `program` and checks it throughout; returns the runs and notifications it left.
fn run_program(program: &Program) -> (Vec<OperationRun>, usize) {
    let world = World::new(program.faults.clone());
    let engines: Vec<Worker> = (0..WORKERS)
        .map(|worker| {
            let recent = (worker % 2 == 0).then(RecentRuns::default);
            Engine::new(
                WorkerStore { world: &world, worker, recent },
                WorldClock(&world),
                world.config.clone(),
            )
        })
        .collect();
    let mut queues: Vec<VecDeque<&Op>> = vec![VecDeque::new(); WORKERS];
    for (worker, op) in &program.ops {
        queues[*worker].push_back(op);
    }
    let mut current: Vec<Option<(Call, Pending)>> = (0..WORKERS).map(|_| None).collect();
    let mut seen = BTreeMap::new();
    let mut cx = Context::from_waker(Waker::noop());
    for step in 0.. {
        let ready: Vec<usize> =
            (0..WORKERS).filter(|w| current[*w].is_some() || !queues[*w].is_empty()).collect();
        if ready.is_empty() {
            break;
        }
        assert!(step < 100_000, "the workers never finish");
        let pick = program.schedule.get(step).map_or(step, |s| usize::from(*s));
        let w = ready[pick % ready.len()];
        if current[w].is_none() {
            let op = queues[w].pop_front().unwrap();
            world.faulted[w].set(false);
            current[w] = begin(&world, &engines[w], op);
            // What the commit check holds this worker's commits to (the future has not run yet).
            world.applying.borrow_mut()[w] = match &current[w] {
                Some((Call::Update(_, _, update), _)) => Some(update.clone()),
                _ => None,
            };
        }
        let Some((_, pending)) = current[w].as_mut() else { continue };
        if let Poll::Ready(answer) = pending.as_mut().poll(&mut cx) {
            let (call, _) = current[w].take().unwrap();
            check_answer(&world, &call, answer, world.faulted[w].get());
        }
        check_world(&world, &mut seen);
    }
    // Whatever the faults left behind, one reconcile over a healthy store completes the notifications.
    world.faults_on.set(false);
    block_on(engines[0].reconcile(None, 1)).unwrap();
    check_world(&world, &mut seen);
    let runs = world.all_runs();
    let notified = world.notifications.borrow().len();
    for run in &runs {
        if let (Status::Completed, Some(user)) = (run.status, &run.user_id) {
            let id = notification_id(&run.id, user);
            assert!(
                world.notifications.borrow().contains_key(&id),
                "run {:?} has no completion notification",
                run.id
            );
        }
    }
    let again = block_on(engines[1].reconcile(None, 3)).unwrap();
    assert_eq!(again, Reconciled::default(), "a second reconcile found work");
    (runs, notified)
}

// ------------------------------------------------------------------------------------------------

/// Pending once, then ready: an await point where another worker runs.
struct Yield(bool);

impl Future for Yield {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            Poll::Pending
        }
    }
}

/// Polls a future that never waits on anything outside the test (the stores answer at once).
fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

fn programs() -> u32 {
    std::env::var("MODEL_PROGRAMS").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: programs(),
        max_shrink_iters: 4096,
        // Failing programs are kept here and replayed first on the next run; commit the file to keep one.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("tests/model.proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_engine_keeps_the_rules_under_interleaving_faults_and_replays(program in program()) {
        run_program(&program);
    }
}

/// The harness itself: one worker's plain lifecycle ends completed, with its one notification, and the
/// failure message that held a secret stored without it.
#[test]
fn a_plain_lifecycle_runs_through_the_harness() {
    let running = UpdateSpec { status: Some(1), outcome: None, counts: None, failures: None, context: None };
    let done = UpdateSpec {
        status: Some(2),
        outcome: Some(0),
        counts: Some(vec![(0, 5), (3, 9)]),
        failures: Some(vec![0]),
        context: None,
    };
    let program = Program {
        ops: vec![
            (0, Op::Start { scope: 0, op_type: 0, identity: None, user: 1 }),
            (0, Op::Update { run: RunRef { pick: 255, scope: None }, update: running }),
            (0, Op::Update { run: RunRef { pick: 255, scope: None }, update: done }),
        ],
        schedule: Vec::new(),
        faults: vec![Fault::None],
    };
    let (runs, notified) = run_program(&program);
    let [run] = &runs[..] else { panic!("{runs:?}") };
    assert_eq!((run.status, run.outcome, notified), (Status::Completed, Some(Outcome::Succeeded), 1));
    assert_eq!(run.summary_counts.iter().collect::<Vec<_>>(), vec![("total", 5)]);
    assert!(run.failure_summary[0].message.contains("[REDACTED]"), "{:?}", run.failure_summary);
}
