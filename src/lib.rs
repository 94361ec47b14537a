//! ops-ux-engine: one contract for background operation runs.
//!
//! Two layers, one direction:
//! * [`domain`] is the pure core — the run record, the state machine, the notification policy,
//!   the sanitizers, the store contract and the orchestration of start and update. It never
//!   names `wasm_bindgen` or `js_sys` and is tested natively with `cargo test`.
//! * `wasm` (only on `wasm32`) converts JavaScript values and delegates to the core.

pub mod domain;

#[cfg(target_arch = "wasm32")]
mod wasm;

/// Talc instead of the default dlmalloc: the engine allocates small strings on every call, and Talc is
/// both faster at that and smaller in the `.wasm`.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
