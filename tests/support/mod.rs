//! What several integration tests share.
#![allow(dead_code, clippy::panic)]

pub mod corpus;
