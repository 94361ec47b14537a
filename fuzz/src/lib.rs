//! Shared pieces of the fuzz targets: how an input is read, and the properties the engine's outputs must
//! have. Every check panics with the offending values, which is how libFuzzer learns of a broken property.

pub mod counts;
pub mod failures;
pub mod input;
pub mod json;
pub mod message;
pub mod records;
