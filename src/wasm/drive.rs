//! Runs an engine future: synchronously when it completes at once (the embedded store, or a host store
//! whose methods return plain values), as a `Promise` only when a host method really awaited.

use super::answer::{answer, deliver};
use super::error::to_js_error;
use crate::domain::error::EngineError;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::future_to_promise;

/// Delivers the result string (or the error, see [`answer`]), or a `Promise` of the string that rejects
/// with the error.
pub fn drive<F>(future: F)
where
    F: Future<Output = Result<String, EngineError>> + 'static,
{
    let mut future: Pin<Box<F>> = Box::pin(future);
    // A no-op waker is enough for the first poll: a future that is not ready is handed to the
    // executor below, which polls it again with a real waker before anything can be missed.
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(result) => answer(result),
        Poll::Pending => deliver(
            future_to_promise(async move { future.await.map(JsValue::from).map_err(|e| to_js_error(&e)) })
                .into(),
        ),
    }
}
