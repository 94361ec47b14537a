//! How every export hands its result to JavaScript: through a callback, never as its return value.
//!
//! V8 11 (Node 20) inlines calls from optimized JavaScript into WebAssembly. When that JavaScript is
//! deoptimized while such a call runs — and an engine call runs JavaScript: a host store, the clock, a
//! garbage collection — the deoptimizer rebuilds the call's result from its return register, which it
//! can do for numbers only: an `externref` result aborts the whole process with "unreachable code"
//! (`tests/js/deopt.test.mjs` reproduces it). So the exports that answer JS values return nothing and pass
//! the value to the function the JS face registered with `setAnswerSink`.

use super::error::to_js_error;
use crate::domain::error::EngineError;
use js_sys::Function;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static SINK: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Registers the function every answer is passed to (the JS face does, once, before its first call).
#[wasm_bindgen(js_name = setAnswerSink)]
pub fn set_answer_sink(sink: Function) {
    SINK.with(|s| *s.borrow_mut() = Some(sink));
}

/// Passes `value` to the sink. The sink only stores it, so what it could throw is nothing to handle.
pub fn deliver(value: JsValue) {
    SINK.with(|s| {
        if let Some(sink) = s.borrow().as_ref() {
            let _ = sink.call1(&JsValue::UNDEFINED, &value);
        }
    });
}

/// Delivers the result text, or the `OpsUxError` as a value for the JS face to throw. A value rather
/// than a thrown error: wasm-bindgen gives every export that can throw its own shim, about 0.7 KB each.
pub fn answer(result: Result<String, EngineError>) {
    deliver(match result {
        Ok(text) => JsValue::from(text),
        Err(e) => to_js_error(&e),
    });
}
