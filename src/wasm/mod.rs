//! The binding layer: converts between JavaScript and the core, and delegates. No rules live here.
//!
//! Everything crosses as JSON text in one string per call — the JS wrapper (`pkg/src/`) stringifies
//! arguments and parses results with the engine's native `JSON`, which is far cheaper than building
//! objects field by field across the boundary.

mod backend;
mod clock;
mod drive;
mod engine;
mod error;
mod host_store;
mod pure;
