//! "Now": the host's `clock` option, or `Date.now()`.

use crate::domain::error::{EngineError, Result};
use crate::domain::time::{parse_rfc3339, Clock, Millis};
use js_sys::{Date, Function};
use wasm_bindgen::{JsCast, JsValue};

/// Years 0001–9999, the range RFC 3339 can write.
const MIN_MS: f64 = -62_135_596_800_000.0;
const MAX_MS: f64 = 253_402_300_799_999.0;

pub struct JsClock(Option<Function>);

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
        let ms = if let Some(date) = value.dyn_ref::<Date>() {
            Some(date.get_time())
        } else if let Some(n) = value.as_f64() {
            Some(n)
        } else {
            value.as_string().and_then(|s| parse_rfc3339(&s)).map(|ms| ms as f64)
        };
        match ms {
            Some(ms) if (MIN_MS..=MAX_MS).contains(&ms) => Ok(ms.floor() as Millis),
            _ => Err(EngineError::input(
                "options.clock must return milliseconds since the epoch, a valid Date or an RFC 3339 string (years 1–9999)",
            )),
        }
    }
}
