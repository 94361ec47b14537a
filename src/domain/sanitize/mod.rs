//! Sanitizers for what runs record: summary counts, failure summaries, and the secret redaction
//! they share.

pub mod counts;
pub mod failures;
pub mod redact;

pub use redact::{clean_message, redact_secrets};
