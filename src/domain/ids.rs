//! Identifiers and scope. An id is a safe integer or a short string, as the host's tables have them.

use super::error::{EngineError, Result};
use super::json::{write_int, write_str, Json};
use std::fmt;

/// Largest integer JavaScript represents exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;
const MAX_ID_BYTES: usize = 128;

/// An opaque identifier: run ids, workspace and tenant ids, user ids.
/// `1` and `"1"` are different ids: ids are compared as they are typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Id {
    Int(i64),
    Str(String),
}

impl Id {
    /// Decodes an id; `what` names the field in the error message.
    pub fn decode(value: &Json, what: &str) -> Result<Id> {
        match value {
            Json::Int(n) if n.abs() <= MAX_SAFE_INTEGER => Ok(Id::Int(*n)),
            Json::Int(_) | Json::Decimal(_) => Err(EngineError::input(format!(
                "{what} must be a safe integer or a string, got a number out of range or with a fraction"
            ))),
            Json::String(s) => {
                // U+FFFD is where the parser put a lone surrogate: two different ids must not become one.
                if s.is_empty()
                    || s.len() > MAX_ID_BYTES
                    || s.chars().any(|c| c.is_control() || c == '\u{FFFD}')
                {
                    return Err(EngineError::input(format!(
                        "{what} must be a non-empty string of at most {MAX_ID_BYTES} bytes of well-formed text without control characters, lone surrogates or U+FFFD"
                    )));
                }
                Ok(Id::Str(s.clone()))
            }
            other => Err(EngineError::input(format!(
                "{what} must be a safe integer or a string, got {}",
                other.type_name()
            ))),
        }
    }

    /// Decodes an optional id: `null` or absent is `None`.
    pub fn decode_optional(value: Option<&Json>, what: &str) -> Result<Option<Id>> {
        match value {
            None | Some(Json::Null) => Ok(None),
            Some(v) => Id::decode(v, what).map(Some),
        }
    }

    pub fn write(&self, out: &mut String) {
        match self {
            Id::Int(n) => write_int(out, *n),
            Id::Str(s) => write_str(out, s),
        }
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Int(n) => write!(f, "{n}"),
            Id::Str(s) => f.write_str(&super::json::quote(s)),
        }
    }
}

pub fn write_optional_id(out: &mut String, id: Option<&Id>) {
    match id {
        Some(id) => id.write(out),
        None => out.push_str("null"),
    }
}

/// Where a run lives. Every read and write names one; a run outside it does not exist for the caller.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope {
    pub workspace_id: Id,
    pub tenant_id: Id,
}

impl Scope {
    /// Reads `workspace_id` and `tenant_id` from any object (a run works as a scope); other keys are ignored.
    pub fn decode(value: &Json, what: &str) -> Result<Scope> {
        if value.as_object().is_none() {
            return Err(EngineError::input(format!(
                "{what} must be an object with workspace_id and tenant_id, got {}",
                value.type_name()
            )));
        }
        let field = |key: &str| {
            let v = value.get(key).ok_or_else(|| EngineError::input(format!("{what}.{key} is required")))?;
            Id::decode(v, &format!("{what}.{key}"))
        };
        Ok(Scope { workspace_id: field("workspace_id")?, tenant_id: field("tenant_id")? })
    }
}
