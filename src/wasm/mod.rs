//! The binding layer: converts between JavaScript and the core, and delegates. No rules live here.
//!
//! Calls cross as JSON text in one string per call — the JS wrapper (`pkg/src/`) stringifies arguments
//! and parses results with the engine's native `JSON`, which is far cheaper than building objects field
//! by field across the boundary. The most frequent calls (a status change, its optimistic check) cross as
//! numbers (`codes`), and embedded updates answer only what changed. Results go to JavaScript through a
//! callback, never as return values (`answer`): Node 20's V8 aborts on those when it deoptimizes a caller.

mod answer;
mod backend;
mod clock;
mod codes;
mod drive;
mod engine;
mod error;
mod host_store;
mod pure;
