//! `RawEngine`: the engine object the JS wrapper holds. Each method takes one JSON text of arguments and
//! answers the JSON text of its result — synchronously, or as a Promise when a host store awaited —
//! through the answer sink (see `answer.rs`: never as a return value).

use super::answer::answer;
use super::backend::Backend;
use super::clock::JsClock;
use super::codes;
use super::drive::drive;
use super::error::to_js_error;
use super::host_store::HostStore;
use super::pure::{check_update_with, plan_start_with, write_input_bounds};
use crate::domain::config::Config;
use crate::domain::engine::{write_list, Engine};
use crate::domain::error::{EngineError, Result};
use crate::domain::ids::MAX_SAFE_INTEGER;
use crate::domain::ids::{Id, Scope};
use crate::domain::json::{self, Json};
use crate::domain::memory::MemoryStore;
use crate::domain::notification::Notification;
use crate::domain::request::{
    decode_notification_filter, decode_reconcile_options, decode_run_filter, RunUpdate, StartRequest,
};
use crate::domain::run::{OperationRun, Outcome};
use crate::domain::time::write_rfc3339;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

type JsEngine = Engine<Backend, JsClock>;

/// Shared with every call in flight: a call to a host store keeps the engine alive while it awaits,
/// and nothing in it is borrowed mutably across an await (the embedded store borrows only inside a method).
#[wasm_bindgen]
pub struct RawEngine {
    engine: Rc<JsEngine>,
}

#[wasm_bindgen]
impl RawEngine {
    /// `options` is the JSON of the engine options without `store` and `clock`, which come as values.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str, store: JsValue, clock: JsValue) -> std::result::Result<RawEngine, JsValue> {
        let build = || -> Result<RawEngine> {
            let config = Config::decode(&parse(options, &Config::default())?)?;
            let clock = JsClock::from_option(clock)?;
            let backend = if store.is_undefined() || store.is_null() {
                Backend::Embedded(MemoryStore::new())
            } else {
                Backend::Host(HostStore::new(store)?)
            };
            Ok(RawEngine { engine: Rc::new(Engine::new(backend, clock, config)) })
        };
        build().map_err(|e| to_js_error(&e))
    }

    /// What the JS face may cut from input before copying it in (see `write_input_bounds`).
    #[wasm_bindgen(js_name = inputBounds)]
    pub fn input_bounds(&self) -> String {
        let mut out = String::new();
        write_input_bounds(&mut out, &self.engine.config);
        out
    }

    /// True when the runs live inside this engine (no host store).
    #[wasm_bindgen(js_name = isEmbedded)]
    pub fn is_embedded(&self) -> bool {
        matches!(self.engine.store, Backend::Embedded(_))
    }

    /// Every call with JSON text arguments, by number (see [`dispatch`]): one export and one future type
    /// for them all keep the `.wasm` smaller than an export per method.
    pub fn call(&self, call: u8, input: String) {
        drive(dispatch(Rc::clone(&self.engine), call, input))
    }

    /// The worker's most frequent call without any JSON: a status (and outcome) change of a run of the
    /// embedded store, ids as numbers, `status` and `outcome` as 1-based positions in `Status::ALL` and
    /// `Outcome::ALL` (outcome 0: none). The same engine path as `updateRun`. When the caller holds the run
    /// as it was (`have`), answers `""` if the run already was so, else the changed fields, each followed
    /// by U+001F: status, outcome, version, updated_at, started_at, completed_at (empty: null), then the
    /// notifications as JSON. Without `have`, answers what `updateRun` answers.
    #[wasm_bindgen(js_name = setStatus)]
    pub fn set_status(&self, workspace: f64, tenant: f64, id: f64, status: u8, outcome: u8, have: bool) {
        drive(set_status(Rc::clone(&self.engine), [workspace, tenant, id], status, outcome, have))
    }
}

#[wasm_bindgen]
impl RawEngine {
    /// `checkUpdate` with this engine's configuration; `input`: `[run_id, status, outcome, user_id, update]`.
    #[wasm_bindgen(js_name = checkUpdate)]
    pub fn check_update(&self, input: &str) {
        let config = &self.engine.config;
        answer(
            parse(input, config)
                .and_then(|input| check_update_with(args::<5>(&input, "checkUpdate")?, config)),
        )
    }

    /// `planStart` with this engine's configuration; `input`: `[request, activeRows]`.
    #[wasm_bindgen(js_name = planStart)]
    pub fn plan_start(&self, input: &str) {
        let config = &self.engine.config;
        answer(
            parse(input, config).and_then(|input| plan_start_with(args::<2>(&input, "planStart")?, config)),
        )
    }
}

/// Parses argument text with the engine's limits; a parse error is the caller's input error.
pub fn parse(text: &str, config: &Config) -> Result<Json> {
    parse_with(text, config.json)
}

pub fn parse_with(text: &str, limits: json::Limits) -> Result<Json> {
    json::parse(text, limits).map_err(|e| EngineError::input(e.to_string()))
}

/// Splits an argument array into exactly `N` values, borrowed (missing trailing arguments are `null`).
pub fn args<'a, const N: usize>(value: &'a Json, what: &str) -> Result<[&'a Json; N]> {
    const NULL: Json = Json::Null;
    let items =
        value.as_array().ok_or_else(|| EngineError::input(format!("{what}: arguments must be an array")))?;
    if items.len() > N {
        return Err(EngineError::input(format!("{what} takes at most {N} arguments, got {}", items.len())));
    }
    Ok(std::array::from_fn(|i| items.get(i).unwrap_or(&NULL)))
}

fn run_id(value: &Json) -> Result<Id> {
    Id::decode(value, "run id")
}

fn user_id(value: &Json) -> Result<Id> {
    Id::decode(value, "user_id")
}

/// The numbers of `RawEngine::call`, as the JS face (`CALL` in pkg/src/api.js) sends them, with the
/// arguments each takes as a JSON array.
async fn dispatch(engine: Rc<JsEngine>, call: u8, input: String) -> Result<String> {
    match call {
        // `input`: the start request.
        0 => start_run(engine, input).await,
        // `[scope, id, update]`, answered whole.
        1 => update_run_with(engine, input, false).await,
        // The same, answering only the fields the update may have changed (see `Updated::write`), for a
        // caller that holds the run as it was.
        2 => update_run_with(engine, input, true).await,
        // `[scope, id]`.
        3 => get_run(engine, input).await,
        // `[scope, filter]`.
        4 => list_runs(engine, input).await,
        // `[scope, user_id, filter]`.
        5 => list_notifications(engine, input).await,
        // `[scope, user_id, notification_id]`.
        6 => mark_notification_read(engine, input).await,
        // `[options]`.
        7 => reconcile(engine, input).await,
        _ => Err(EngineError::input("no such engine call")),
    }
}

async fn start_run(engine: Rc<JsEngine>, input: String) -> Result<String> {
    let request = StartRequest::decode(&parse(&input, &engine.config)?, &engine.config)?;
    let started = engine.start_run(request).await?;
    let mut out = String::with_capacity(768);
    started.write(&mut out, &engine.config);
    Ok(out)
}

async fn update_run_with(engine: Rc<JsEngine>, input: String, changes_only: bool) -> Result<String> {
    let input = parse(&input, &engine.config)?;
    let [scope, id, update] = args::<3>(&input, "updateRun")?;
    let scope = Scope::decode(scope, "scope")?;
    let update = RunUpdate::decode(update, &engine.config)?;
    let updated = engine.update_run(&scope, &run_id(id)?, &update).await?;
    let mut out = String::with_capacity(if changes_only { 256 } else { 1024 });
    updated.write(&mut out, changes_only.then_some(&update));
    Ok(out)
}

async fn get_run(engine: Rc<JsEngine>, input: String) -> Result<String> {
    let input = parse(&input, &engine.config)?;
    let [scope, id] = args::<2>(&input, "getRun")?;
    let run = engine.get_run(&Scope::decode(scope, "scope")?, &run_id(id)?).await?;
    Ok(run.to_json_text())
}

async fn list_runs(engine: Rc<JsEngine>, input: String) -> Result<String> {
    let input = parse(&input, &engine.config)?;
    let [scope, filter] = args::<2>(&input, "listRuns")?;
    let runs = engine.list_runs(&Scope::decode(scope, "scope")?, &decode_run_filter(filter)?).await?;
    let mut out = String::with_capacity(512 * runs.len() + 2);
    write_list(&mut out, &runs, OperationRun::write);
    Ok(out)
}

async fn list_notifications(engine: Rc<JsEngine>, input: String) -> Result<String> {
    let input = parse(&input, &engine.config)?;
    let [scope, user, filter] = args::<3>(&input, "listNotifications")?;
    let list = engine
        .list_notifications(
            &Scope::decode(scope, "scope")?,
            &user_id(user)?,
            &decode_notification_filter(filter)?,
        )
        .await?;
    let mut out = String::with_capacity(512 * list.len() + 2);
    write_list(&mut out, &list, Notification::write);
    Ok(out)
}

async fn mark_notification_read(engine: Rc<JsEngine>, input: String) -> Result<String> {
    let input = parse(&input, &engine.config)?;
    let [scope, user, id] = args::<3>(&input, "markNotificationRead")?;
    let id = id.as_str().ok_or_else(|| EngineError::input("notification id must be a string"))?;
    let n = engine.mark_notification_read(&Scope::decode(scope, "scope")?, &user_id(user)?, id).await?;
    Ok(n.to_json_text())
}

async fn reconcile(engine: Rc<JsEngine>, input: String) -> Result<String> {
    let input = parse(&input, &engine.config)?;
    let [options] = args::<1>(&input, "reconcile")?;
    let options = decode_reconcile_options(options)?;
    let done = engine.reconcile(options.scope.as_ref(), options.batch).await?;
    let mut out = String::new();
    done.write(&mut out);
    Ok(out)
}

async fn set_status(
    engine: Rc<JsEngine>,
    ids: [f64; 3],
    status: u8,
    outcome: u8,
    have: bool,
) -> Result<String> {
    let [workspace_id, tenant_id, id] = ids.map(|n| {
        (n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER as f64)
            .then_some(Id::Int(n as i64))
            .ok_or_else(|| EngineError::input("setStatus takes safe integer ids"))
    });
    let update = RunUpdate {
        status: Some(codes::status(status).ok_or_else(|| {
            EngineError::input("setStatus: status must be 1 (queued), 2 (running) or 3 (completed)")
        })?),
        outcome: codes::outcome(outcome).ok_or_else(|| EngineError::input("setStatus: no such outcome"))?,
        summary_counts: None,
        failure_summary: None,
        context: None,
    };
    let scope = Scope { workspace_id: workspace_id?, tenant_id: tenant_id? };
    let updated = engine.update_run(&scope, &id?, &update).await?;
    let mut out = String::new();
    if !have {
        updated.write(&mut out, None);
    } else if updated.changed {
        let run = &updated.run;
        let sep = '\u{1f}';
        out.push_str(run.status.as_str());
        out.push(sep);
        out.push_str(run.outcome.map_or("", Outcome::as_str));
        out.push(sep);
        json::write_int(&mut out, run.version as i64);
        for t in [Some(run.updated_at), run.started_at, run.completed_at] {
            out.push(sep);
            if let Some(ms) = t {
                write_rfc3339(&mut out, ms);
            }
        }
        out.push(sep);
        write_list(&mut out, &updated.notifications, Notification::write);
    }
    Ok(out)
}
