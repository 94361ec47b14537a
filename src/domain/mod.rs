//! The pure domain core. Nothing here knows about JavaScript.

pub mod config;
pub mod engine;
pub mod error;
pub mod ids;
pub mod json;
pub mod memory;
pub mod notification;
pub mod request;
pub mod run;
pub mod sanitize;
pub mod sort;
pub mod start;
pub mod store;
pub mod time;
pub mod transition;
