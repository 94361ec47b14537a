//! Engine errors as JavaScript `Error`s with a stable `code`, and safe descriptions of whatever a host threw.

use crate::domain::error::EngineError;
use js_sys::{Error, Reflect, JSON};
use wasm_bindgen::JsValue;

/// A real `Error` (with a stack), named `OpsUxError`, carrying `code`.
pub fn to_js_error(e: &EngineError) -> JsValue {
    let error = Error::new(&e.to_string());
    error.set_name("OpsUxError");
    // Setting a property on a fresh Error object cannot fail; if it ever did, the Error still says what happened.
    let _ = Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(e.code()));
    error.into()
}

/// What a thrown or rejected value says. Hosts may throw anything — a Proxy whose traps throw, an Error
/// whose `message` getter throws — so only calls that catch JavaScript exceptions are used here.
pub fn describe(value: &JsValue) -> String {
    if let Some(text) = value.as_string() {
        return text;
    }
    if value.is_object() {
        if let Some(message) =
            Reflect::get(value, &JsValue::from_str("message")).ok().and_then(|m| m.as_string())
        {
            return message;
        }
    }
    JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| "a value that cannot be described".to_string())
}
