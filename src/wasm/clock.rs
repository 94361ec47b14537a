//! "Now": the host's `clock` option, or `Date.now()`.

use crate::domain::error::{EngineError, Result};
use crate::domain::time::{parse_rfc3339, Clock, Millis};
use js_sys::{Date, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Years 0001–9999, the range RFC 3339 can write.
const MIN_MS: f64 = -62_135_596_800_000.0;
const MAX_MS: f64 = 253_402_300_799_999.0;

pub struct JsClock(Option<Function>);

/// `value.getTime()` for a Date (or anything with a `getTime` method), through calls that catch: the
/// clock is host code and may return anything.
fn date_time(value: &JsValue) -> Option<f64> {
    if !value.is_object() {
        return None;
    }
    let get_time = Reflect::get(value, &JsValue::from_str("getTime")).ok()?.dyn_into::<Function>().ok()?;
    get_time.call0(value).ok()?.as_f64()
}

impl JsClock {
    /// `undefined`/`null` → `Date.now()`; a function → called for every timestamp.
    pub fn from_option(value: JsValue) -> Result<JsClock> {
        if value.is_undefined() || value.is_null() {
            return Ok(JsClock(None));
        }
        value.dyn_into::<Function>().map(|f| JsClock(Some(f))).map_err(|_| {
            EngineError::input(
                "options.clock must be a function returning milliseconds, a Date or an RFC 3339 string",
            )
        })
    }
}

impl Clock for JsClock {
    fn now(&self) -> Result<Millis> {
        let Some(f) = &self.0 else { return Ok(Date::now() as Millis) };
        let value = f.call0(&JsValue::NULL).map_err(|e| {
            EngineError::input(format!("options.clock threw: {}", super::error::describe(&e)))
        })?;
        let ms = if let Some(n) = value.as_f64() {
            Some(n)
        } else if let Some(text) = value.as_string() {
            parse_rfc3339(&text).map(|ms| ms as f64)
        } else {
            date_time(&value)
        };
        match ms {
            Some(ms) if (MIN_MS..=MAX_MS).contains(&ms) => Ok(ms.floor() as Millis),
            _ => Err(EngineError::input(
                "options.clock must return milliseconds since the epoch, a valid Date or an RFC 3339 string (years 1–9999)",
            )),
        }
    }
}
