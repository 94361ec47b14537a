//! Engine errors as JavaScript `Error`s with a stable `code`.

use crate::domain::error::EngineError;
use js_sys::{Error, Reflect};
use wasm_bindgen::JsValue;

/// A real `Error` (with a stack), named `OpsUxError`, carrying `code`.
pub fn to_js_error(e: &EngineError) -> JsValue {
    let error = Error::new(&e.to_string());
    error.set_name("OpsUxError");
    // Setting a property on a fresh Error object cannot fail; if it ever did, the Error still says what happened.
    let _ = Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(e.code()));
    error.into()
}

/// What a thrown JavaScript value says: an `Error`'s message, or the value as a string.
pub fn describe(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<Error>() {
        return String::from(error.message());
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}

use wasm_bindgen::JsCast;
