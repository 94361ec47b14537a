//! The host persistence interface: any JavaScript object with the eight methods below, each returning a
//! value or a Promise. It implements the core's [`Store`] trait.
//!
//! Arguments go to the host as plain objects (parsed from the core's JSON); results come back through
//! `JSON.stringify` and the core's strict parser, so a host that returns garbage gets `E_STORE`, never a
//! corrupted run. "Threw", "rejected" and "returned garbage" are told apart in the message.
//!
//! A host store costs a round trip per call, so it remembers the runs it last saw ([`RecentRuns`]): an
//! update then commits on the run as this engine left it, without reading it first.

use super::error::describe;
use crate::domain::engine::write_list;
use crate::domain::error::{EngineError, Result};
use crate::domain::ids::{Id, Scope};
use crate::domain::json::{self, Json, Limits};
use crate::domain::notification::Notification;
use crate::domain::run::{OperationRun, RunDraft, Status};
use crate::domain::store::{Commit, Inserted, NotificationFilter, RecentRuns, RunFilter, Store};
use crate::domain::time::{format_rfc3339, Millis};
use js_sys::{Array, Function, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The method names, in the order of the fields of [`HostStore`]. The README and `index.d.ts` document them.
pub const METHODS: [&str; 8] = [
    "insertRun",
    "getRun",
    "commitRun",
    "listRuns",
    "listNotifications",
    "markNotificationRead",
    "findUnnotifiedRuns",
    "insertNotifications",
];

/// Results may be large (a page of runs); they are bounded all the same.
const RESULT_LIMITS: Limits = Limits { max_depth: 32, max_bytes: 64 * 1024 * 1024 };

pub struct HostStore {
    object: JsValue,
    methods: [Function; 8],
    recent: RecentRuns,
}

impl HostStore {
    /// Checks that `object` has every method, so a missing one is reported at `createEngine`, not mid-run.
    pub fn new(object: JsValue) -> Result<HostStore> {
        if !object.is_object() {
            return Err(EngineError::input("options.store must be an object with the store methods"));
        }
        let method = |name: &str| {
            Reflect::get(&object, &JsValue::from_str(name))
                .ok()
                .and_then(|m| m.dyn_into::<Function>().ok())
                .ok_or_else(|| {
                    EngineError::input(format!(
                        "options.store.{name} must be a function; a store implements {}",
                        METHODS.join(", ")
                    ))
                })
        };
        let mut methods = Vec::with_capacity(METHODS.len());
        for name in METHODS {
            methods.push(method(name)?);
        }
        let methods =
            methods.try_into().map_err(|_| EngineError::store("the store methods could not be read"))?;
        Ok(HostStore { object, methods, recent: RecentRuns::default() })
    }

    /// Calls method `which` with the arguments in `args_json` (a JSON array) and returns its result as JSON.
    async fn call(&self, which: usize, args_json: &str) -> Result<Json> {
        let name = METHODS.get(which).copied().unwrap_or("?");
        let function = self.methods.get(which).ok_or_else(|| EngineError::store("no such store method"))?;
        let args: Array = JSON::parse(args_json)
            .map_err(|e| {
                EngineError::store(format!("could not build the arguments of {name}: {}", describe(&e)))
            })?
            .unchecked_into();
        let returned = function
            .apply(&self.object, &args)
            .map_err(|e| EngineError::store(format!("the store's {name} threw: {}", describe(&e))))?;
        let value = if is_thenable(&returned, name)? {
            let promise = promise_resolve(&returned).map_err(|e| {
                EngineError::store(format!("the store's {name} returned a broken Promise: {}", describe(&e)))
            })?;
            JsFuture::from(promise)
                .await
                .map_err(|e| EngineError::store(format!("the store's {name} rejected: {}", describe(&e))))?
        } else {
            returned
        };
        if value.is_undefined() {
            return Ok(Json::Null);
        }
        let text = JSON::stringify(&value).ok().and_then(|s| s.as_string()).ok_or_else(|| {
            EngineError::store(format!("the store's {name} returned a value that is not JSON data"))
        })?;
        json::parse(&text, RESULT_LIMITS)
            .map_err(|e| EngineError::store(format!("the store's {name} returned unreadable data: {e}")))
    }
}

#[wasm_bindgen]
extern "C" {
    /// `Promise.resolve`, declared to catch: adopting a hostile thenable must not throw through WebAssembly.
    #[wasm_bindgen(js_namespace = Promise, js_name = resolve, catch)]
    fn promise_resolve(value: &JsValue) -> std::result::Result<Promise, JsValue>;
}

/// A Promise or any thenable. Read with `Reflect.get` (which catches), not `instanceof`, which a Proxy can make throw.
fn is_thenable(value: &JsValue, name: &str) -> Result<bool> {
    if !value.is_object() && !value.is_function() {
        return Ok(false);
    }
    let then = Reflect::get(value, &JsValue::from_str("then")).map_err(|e| {
        EngineError::store(format!("the store's {name} returned an unreadable value: {}", describe(&e)))
    })?;
    Ok(then.is_function())
}

fn garbage(name: &str, what: &str) -> EngineError {
    EngineError::store(format!("the store's {name} returned {what}"))
}

fn decode_run(value: &Json, name: &str) -> Result<OperationRun> {
    OperationRun::decode(value).map_err(|e| garbage(name, &format!("an invalid run: {e}")))
}

fn decode_runs(value: &Json, name: &str) -> Result<Vec<OperationRun>> {
    let items = value.as_array().ok_or_else(|| garbage(name, "something other than an array of runs"))?;
    items.iter().map(|r| decode_run(r, name)).collect()
}

fn scope_json(out: &mut String, scope: &Scope) {
    out.push_str("{\"workspace_id\":");
    scope.workspace_id.write(out);
    out.push_str(",\"tenant_id\":");
    scope.tenant_id.write(out);
    out.push('}');
}

fn write_status(s: &Status, out: &mut String) {
    out.push('"');
    out.push_str(s.as_str());
    out.push('"');
}

impl Store for HostStore {
    async fn insert_run(&self, draft: &RunDraft) -> Result<Inserted> {
        let mut args = String::from("[");
        draft.write(&mut args);
        args.push(']');
        let result = self.call(0, &args).await?;
        let run = decode_run(result.get("run").unwrap_or(&Json::Null), "insertRun")?;
        self.recent.remember(&run);
        match result.get("inserted").and_then(Json::as_bool) {
            Some(true) => Ok(Inserted::New(run)),
            Some(false) => Ok(Inserted::Existing(run)),
            None => Err(garbage("insertRun", "no boolean `inserted`; expected {inserted, run}")),
        }
    }

    async fn get_run(&self, scope: &Scope, id: &Id) -> Result<Option<OperationRun>> {
        let mut args = String::from("[");
        scope_json(&mut args, scope);
        args.push(',');
        id.write(&mut args);
        args.push(']');
        match self.call(1, &args).await? {
            Json::Null => Ok(None),
            run => {
                let run = decode_run(&run, "getRun")?;
                self.recent.remember(&run);
                Ok(Some(run))
            }
        }
    }

    async fn commit(&self, commit: &Commit) -> Result<bool> {
        let mut args = String::from("[{\"run\":");
        commit.run.write(&mut args);
        args.push_str(",\"expected_version\":");
        args.push_str(&commit.expected_version.to_string());
        args.push_str(",\"notifications\":");
        write_list(&mut args, &commit.notifications, Notification::write);
        args.push_str("}]");
        // Whatever happens but a commit, the run as stored is not known here any more.
        self.recent.forget(&commit.run.scope, &commit.run.id);
        let committed = self.call(2, &args).await?.as_bool().ok_or_else(|| {
            garbage("commitRun", "something other than true (committed) or false (version changed)")
        })?;
        if committed {
            self.recent.remember(&commit.run);
        }
        Ok(committed)
    }

    async fn list_runs(&self, scope: &Scope, filter: &RunFilter) -> Result<Vec<OperationRun>> {
        let mut args = String::from("[");
        scope_json(&mut args, scope);
        args.push_str(",{\"status\":");
        write_list(&mut args, &filter.statuses, write_status);
        args.push_str(",\"type\":");
        match &filter.op_type {
            Some(t) => json::write_str(&mut args, t),
            None => args.push_str("null"),
        }
        args.push_str(&format!(",\"limit\":{}}}]", filter.limit));
        decode_runs(&self.call(3, &args).await?, "listRuns")
    }

    async fn list_notifications(
        &self,
        scope: &Scope,
        user_id: &Id,
        filter: &NotificationFilter,
    ) -> Result<Vec<Notification>> {
        let mut args = String::from("[");
        scope_json(&mut args, scope);
        args.push(',');
        user_id.write(&mut args);
        args.push_str(&format!(",{{\"unread\":{},\"limit\":{}}}]", filter.unread_only, filter.limit));
        let result = self.call(4, &args).await?;
        let items =
            result.as_array().ok_or_else(|| garbage("listNotifications", "something other than an array"))?;
        items
            .iter()
            .map(|n| {
                Notification::decode(n)
                    .map_err(|e| garbage("listNotifications", &format!("an invalid notification: {e}")))
            })
            .collect()
    }

    async fn mark_notification_read(
        &self,
        scope: &Scope,
        user_id: &Id,
        id: &str,
        read_at: Millis,
    ) -> Result<Option<Notification>> {
        let mut args = String::from("[");
        scope_json(&mut args, scope);
        args.push(',');
        user_id.write(&mut args);
        args.push(',');
        json::write_str(&mut args, id);
        args.push(',');
        json::write_str(&mut args, &format_rfc3339(read_at));
        args.push(']');
        match self.call(5, &args).await? {
            Json::Null => Ok(None),
            n => Notification::decode(&n)
                .map(Some)
                .map_err(|e| garbage("markNotificationRead", &format!("an invalid notification: {e}"))),
        }
    }

    async fn find_unnotified_runs(&self, scope: Option<&Scope>, limit: usize) -> Result<Vec<OperationRun>> {
        let mut args = String::from("[");
        match scope {
            Some(scope) => scope_json(&mut args, scope),
            None => args.push_str("null"),
        }
        args.push_str(&format!(",{limit}]"));
        decode_runs(&self.call(6, &args).await?, "findUnnotifiedRuns")
    }

    fn remembered(&self, scope: &Scope, id: &Id) -> Option<OperationRun> {
        self.recent.get(scope, id)
    }

    async fn insert_notifications(&self, notifications: &[Notification]) -> Result<usize> {
        let mut args = String::from("[");
        write_list(&mut args, notifications, Notification::write);
        args.push(']');
        let count = self.call(7, &args).await?.as_i64().and_then(|n| usize::try_from(n).ok());
        count.ok_or_else(|| {
            garbage("insertNotifications", "something other than the number of notifications inserted")
        })
    }
}
