//! The decisions as synchronous pure functions over plain data, for optimistic UI: the same code the
//! engine runs, with no store.

use super::answer::answer;
use super::codes;
use super::engine::{args, parse_with};
use crate::domain::config::Config;
use crate::domain::error::{EngineError, Result};
use crate::domain::ids::{Id, Scope};
use crate::domain::json::{self, write_int, write_str, Json};
use crate::domain::request::{RunUpdate, StartRequest};
use crate::domain::run::{check_outcome, Outcome, Status};
use crate::domain::sanitize::counts::sanitize_counts;
use crate::domain::sanitize::failures::{sanitize_failures, write_failures};
use crate::domain::start::{find_duplicate, toast, write_event, write_toast};
use crate::domain::transition::decide;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The default configuration, decoded once: pure checks without options are on the hot path.
    static DEFAULT_CONFIG: Rc<Config> = Rc::new(Config::default());
}

/// The configuration for a pure call: the defaults, or `options` (engine option JSON) when given.
fn config_of(options: &Json) -> Result<Rc<Config>> {
    match options {
        Json::Null => Ok(DEFAULT_CONFIG.with(Rc::clone)),
        o => Config::decode(o).map(Rc::new),
    }
}

/// Parses `input`, an argument array whose last element is the rule options, and calls `f` with the
/// other arguments and the configuration those options give.
fn with_options<const N: usize>(
    input: &str,
    what: &str,
    f: impl FnOnce([&Json; N], &Config) -> Result<String>,
) {
    answer((|| {
        let input = parse_with(input, json::Limits::default())?;
        let items = input
            .as_array()
            .ok_or_else(|| EngineError::input(format!("{what}: arguments must be an array")))?;
        let (options, rest) = match items.split_last() {
            Some((options, rest)) if items.len() == N + 1 => (options, rest),
            _ => return Err(EngineError::input(format!("{what} takes {} arguments", N + 1))),
        };
        let config = config_of(options)?;
        f(std::array::from_fn(|i| rest.get(i).unwrap_or(options)), &config)
    })())
}

/// `input`: `[run_id, status, outcome, user_id, update, options]`.
#[wasm_bindgen(js_name = checkUpdate)]
pub fn check_update(input: &str) {
    with_options(input, "checkUpdate", check_update_with)
}

/// `checkUpdate` of a status-only update, without JSON: `status`, `outcome` of the run and of the update as
/// 1-based positions in `Status::ALL` and `Outcome::ALL` (outcome 0: none). Answers the verdict packed in
/// bits — 1: allowed; 2–3: status; 4–6: outcome; 7: completes; 8: repeats — or 0 when the update is
/// refused (the caller asks `checkUpdate` for the error and its message).
#[wasm_bindgen(js_name = checkStatus)]
pub fn check_status(status: u8, outcome: u8, to_status: u8, to_outcome: u8) -> u32 {
    let (Some(status), Some(outcome), Some(to), Some(to_outcome)) = (
        codes::status(status),
        codes::outcome(outcome),
        codes::status(to_status),
        codes::outcome(to_outcome),
    ) else {
        return 0;
    };
    if check_outcome(status, outcome).is_err() {
        return 0; // the general path words the refusal
    }
    let update = RunUpdate {
        status: Some(to),
        outcome: to_outcome,
        summary_counts: None,
        failure_summary: None,
        context: None,
    };
    match decide(&Id::Int(0), status, outcome, &update) {
        Ok(v) => {
            1 | codes::status_code(v.status) << 1
                | codes::outcome_code(v.outcome) << 3
                | u32::from(v.completes) << 6
                | u32::from(v.repeats_completion) << 7
        }
        Err(_) => 0,
    }
}

/// `input`: `[request, [[id, workspace_id, tenant_id, status, dedup_key], …], options]`.
#[wasm_bindgen(js_name = planStart)]
pub fn plan_start(input: &str) {
    with_options(input, "planStart", plan_start_with)
}

/// `[run_id, status, outcome, user_id, update]`: the run's fields the rules read, and the update.
/// Returns `{"ok":true,status,outcome,completes,repeats,notifies}` or `{"ok":false,"code","message"}`;
/// fails only when the run itself is not readable.
pub fn check_update_with([id, status, outcome, user, update]: [&Json; 5], config: &Config) -> Result<String> {
    let id = Id::decode(id, "run.id").unwrap_or(Id::Str("(unsaved)".to_string()));
    let status = status
        .as_str()
        .and_then(Status::parse)
        .ok_or_else(|| EngineError::input("run.status must be queued, running or completed"))?;
    let outcome = match outcome {
        Json::Null => None,
        o => Some(o.as_str().and_then(Outcome::parse).ok_or_else(|| {
            EngineError::input(
                "run.outcome must be null or succeeded, partially_succeeded, failed, cancelled",
            )
        })?),
    };
    check_outcome(status, outcome).map_err(EngineError::input)?;
    let verdict = RunUpdate::decode(update, config).and_then(|u| decide(&id, status, outcome, &u));
    Ok(match verdict {
        Ok(v) => format!(
            r#"{{"ok":true,"status":"{}","outcome":{},"completes":{},"repeats":{},"notifies":{}}}"#,
            v.status.as_str(),
            v.outcome.map_or("null".to_string(), |o| format!("\"{}\"", o.as_str())),
            v.completes,
            v.repeats_completion,
            v.completes && !user.is_null()
        ),
        Err(e) => {
            let mut out = format!(r#"{{"ok":false,"code":"{}","message":"#, e.code());
            write_str(&mut out, &e.to_string());
            out.push('}');
            out
        }
    })
}

/// `[request, [[id, workspace_id, tenant_id, status, dedup_key], …]]`.
/// Returns `{"index": n | null, "dedup_key", "toast", "event"}`: the active duplicate's position, if any.
pub fn plan_start_with([request, active]: [&Json; 2], config: &Config) -> Result<String> {
    let request = StartRequest::decode(request, config)?;
    let rows =
        active.as_array().ok_or_else(|| EngineError::input("planStart: activeRuns must be an array"))?;
    let runs = rows.iter().map(decode_active_row).collect::<Result<Vec<_>>>()?;
    let index = find_duplicate(runs.iter().map(|r| (&r.scope, r.status, r.dedup_key.as_str())), &request);
    let duplicate = index.and_then(|i| runs.get(i));
    let mut out = String::with_capacity(512);
    out.push_str("{\"index\":");
    out.push_str(&index.map_or("null".to_string(), |i| i.to_string()));
    out.push_str(",\"dedup_key\":");
    write_str(&mut out, &request.dedup_key);
    out.push_str(",\"toast\":");
    let run_id = duplicate.and_then(|r| r.id.as_ref());
    write_toast(&mut out, &toast(&config.label(&request.op_type), duplicate.is_some()), run_id);
    out.push_str(",\"event\":");
    let status = duplicate.map_or(Status::Queued, |r| r.status);
    write_event(&mut out, run_id, &request.scope, &request.op_type, status, duplicate.is_some());
    out.push('}');
    Ok(out)
}

/// The fields of a run the dedup rule reads; `id` may be missing (a run not yet saved).
struct ActiveRow {
    id: Option<Id>,
    scope: Scope,
    status: Status,
    dedup_key: String,
}

fn decode_active_row(row: &Json) -> Result<ActiveRow> {
    let [id, ws, tenant, status, key] = args::<5>(row, "planStart run")?;
    let (Ok(workspace_id), Ok(tenant_id), Some(status), Some(key)) = (
        Id::decode(ws, "run.workspace_id"),
        Id::decode(tenant, "run.tenant_id"),
        status.as_str().and_then(Status::parse),
        key.as_str(),
    ) else {
        return Err(EngineError::input(
            "planStart: every run in activeRuns needs workspace_id, tenant_id, status and dedup_key",
        ));
    };
    Ok(ActiveRow {
        id: Id::decode(id, "run.id").ok(),
        scope: Scope { workspace_id, tenant_id },
        status,
        dedup_key: key.to_string(),
    })
}

/// What the JS face may cut from input before copying it in, under `options` (JSON, or `null`): see
/// [`write_input_bounds`].
#[wasm_bindgen(js_name = inputBounds)]
pub fn input_bounds(options: &str) {
    answer(parse_with(options, json::Limits::default()).and_then(|o| config_of(&o)).map(|c| {
        let mut out = String::new();
        write_input_bounds(&mut out, &c);
        out
    }))
}

/// `{"readWindow","maxFailures","summaryKeys"}`: the characters of a failure string the sanitizer reads,
/// how many failure entries it keeps, the counters it keeps. Input beyond them cannot change a result.
pub fn write_input_bounds(out: &mut String, config: &Config) {
    out.push_str("{\"readWindow\":");
    write_int(out, config.failures.read_window() as i64);
    out.push_str(",\"maxFailures\":");
    write_int(out, config.failures.max_entries as i64);
    out.push_str(",\"summaryKeys\":[");
    for (i, key) in config.summary_keys.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(out, key);
    }
    out.push_str("]}");
}

/// `input`: `[value, options]`.
#[wasm_bindgen(js_name = sanitizeSummaryCounts)]
pub fn sanitize_summary_counts(input: &str) {
    with_options(input, "sanitizeSummaryCounts", |[value], config| {
        let mut out = String::new();
        sanitize_counts(value, &config.summary_keys)?.write(&mut out);
        Ok(out)
    })
}

/// `input`: `[value, options]`.
#[wasm_bindgen(js_name = sanitizeFailureSummary)]
pub fn sanitize_failure_summary(input: &str) {
    with_options(input, "sanitizeFailureSummary", |[value], config| {
        let mut out = String::new();
        write_failures(&mut out, &sanitize_failures(value, config.failures)?);
        Ok(out)
    })
}
