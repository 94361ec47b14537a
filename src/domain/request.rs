//! What callers ask for — a start and an update — decoded from JSON and validated against the config.

use super::config::Config;
use super::error::{EngineError, Result};
use super::ids::{Id, Scope};
use super::json::{quote, Json};
use super::run::{Outcome, RunDraft, Status};
use super::sanitize::counts::{sanitize_counts, SummaryCounts};
use super::sanitize::failures::{sanitize_failures, FailureEntry};
use super::store::{NotificationFilter, RunFilter};
use super::time::Millis;

const START_KEYS: [&str; 6] = ["workspace_id", "tenant_id", "user_id", "type", "identity", "context"];
const UPDATE_KEYS: [&str; 5] = ["status", "outcome", "summary_counts", "failure_summary", "context"];

#[derive(Debug, Clone, PartialEq)]
pub struct StartRequest {
    pub scope: Scope,
    pub user_id: Option<Id>,
    pub op_type: String,
    pub dedup_key: String,
    /// Compact JSON text of an object.
    pub context: String,
}

/// A change asked of a run. `None` leaves a field as it is; so does `null` in the input.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunUpdate {
    pub status: Option<Status>,
    pub outcome: Option<Outcome>,
    /// Already sanitized: whitelisted keys and counts only.
    pub summary_counts: Option<SummaryCounts>,
    /// Already sanitized: bounded, one line, redacted.
    pub failure_summary: Option<Vec<FailureEntry>>,
    pub context: Option<String>,
}

impl RunUpdate {
    /// Progress is what may not change after completion: counts and failures.
    pub fn touches_progress(&self) -> bool {
        self.summary_counts.is_some() || self.failure_summary.is_some()
    }
}

fn object<'a>(value: &'a Json, what: &str, allowed: &[&str]) -> Result<&'a [(String, Json)]> {
    let fields = value
        .as_object()
        .ok_or_else(|| EngineError::input(format!("{what} must be an object, got {}", value.type_name())))?;
    if let Some((key, _)) = fields.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Err(EngineError::input(format!(
            "{what} has an unknown field {}; allowed: {}",
            quote(key),
            allowed.join(", ")
        )));
    }
    Ok(fields)
}

fn present<'a>(value: &'a Json, key: &str) -> Option<&'a Json> {
    value.get(key).filter(|v| !v.is_null())
}

/// Context is free metadata: any JSON object, bounded in size.
fn decode_context(value: &Json, config: &Config, what: &str) -> Result<String> {
    if value.as_object().is_none() {
        return Err(EngineError::input(format!("{what} must be an object, got {}", value.type_name())));
    }
    let text = value.to_text();
    if text.len() > config.max_context_bytes {
        return Err(EngineError::input(format!(
            "{what} is {} bytes as JSON; the limit is {} (limits.maxContextBytes)",
            text.len(),
            config.max_context_bytes
        )));
    }
    Ok(text)
}

/// The dedup key: the type, plus the identity in canonical JSON (keys sorted) when there is one.
pub fn dedup_key(op_type: &str, identity: Option<&Json>, config: &Config) -> Result<String> {
    let Some(identity) = identity else {
        return Ok(op_type.to_string());
    };
    let mut key = String::with_capacity(op_type.len() + 32);
    key.push_str(op_type);
    key.push('#');
    identity.write_canonical(&mut key);
    // U+FFFD is where the parser put a lone surrogate: two different identities must not dedup as one.
    // Bytes (U+FFFD is EF BF BD), not a char pattern: its searcher brings a panic path whose message
    // formatting (char Debug and the Unicode printable tables) costs ~5 KB of `.wasm`.
    if key.as_bytes().windows(3).any(|w| w == "\u{FFFD}".as_bytes()) {
        return Err(EngineError::input(
            "identity must be well-formed text: it holds a lone surrogate, or U+FFFD, which is what one becomes",
        ));
    }
    if key.len() - op_type.len() - 1 > config.max_identity_bytes {
        return Err(EngineError::input(format!(
            "identity is longer than {} bytes as canonical JSON (limits.maxIdentityBytes); use a shorter key",
            config.max_identity_bytes
        )));
    }
    Ok(key)
}

impl StartRequest {
    /// The queued run this request becomes, created at `created_at`, before the store gives it an id.
    pub fn into_draft(self, created_at: Millis) -> RunDraft {
        RunDraft {
            scope: self.scope,
            user_id: self.user_id,
            op_type: self.op_type,
            dedup_key: self.dedup_key,
            context: self.context,
            created_at,
        }
    }

    pub fn decode(value: &Json, config: &Config) -> Result<StartRequest> {
        object(value, "startRun request", &START_KEYS)?;
        let op_type = match value.get("type") {
            Some(Json::String(t)) => t.clone(),
            Some(other) => {
                return Err(EngineError::input(format!("type must be a string, got {}", other.type_name())))
            }
            None => return Err(EngineError::input("type is required, e.g. \"inventory.sync\"")),
        };
        config.check_type(&op_type)?;
        let scope = Scope::decode(value, "startRun request")?;
        let user_id = Id::decode_optional(value.get("user_id"), "user_id")?;
        let dedup_key = dedup_key(&op_type, present(value, "identity"), config)?;
        let context = match present(value, "context") {
            Some(c) => decode_context(c, config, "context")?,
            None => "{}".to_string(),
        };
        Ok(StartRequest { scope, user_id, op_type, dedup_key, context })
    }
}

impl RunUpdate {
    pub fn decode(value: &Json, config: &Config) -> Result<RunUpdate> {
        object(value, "update", &UPDATE_KEYS)?;
        let status = match present(value, "status") {
            None => None,
            Some(v) => Some(v.as_str().and_then(Status::parse).ok_or_else(|| {
                EngineError::input(format!(
                    "status must be \"queued\", \"running\" or \"completed\", got {}",
                    v.to_text()
                ))
            })?),
        };
        let outcome = match present(value, "outcome") {
            None => None,
            Some(v) => Some(v.as_str().and_then(Outcome::parse).ok_or_else(|| {
                EngineError::input(format!(
                    "outcome must be \"succeeded\", \"partially_succeeded\", \"failed\" or \"cancelled\", got {}",
                    v.to_text()
                ))
            })?),
        };
        Ok(RunUpdate {
            status,
            outcome,
            summary_counts: present(value, "summary_counts")
                .map(|v| sanitize_counts(v, &config.summary_keys))
                .transpose()?,
            failure_summary: present(value, "failure_summary")
                .map(|v| sanitize_failures(v, config.failures))
                .transpose()?,
            context: present(value, "context").map(|v| decode_context(v, config, "context")).transpose()?,
        })
    }
}

/// `{status?: string | string[], type?: string, limit?: number}` for `listRuns`.
pub fn decode_run_filter(value: &Json) -> Result<RunFilter> {
    let mut filter = RunFilter { statuses: Vec::new(), op_type: None, limit: DEFAULT_LIMIT };
    if value.is_null() {
        return Ok(filter);
    }
    object(value, "listRuns filter", &["status", "type", "limit"])?;
    let status_of = |v: &Json| {
        v.as_str().and_then(Status::parse).ok_or_else(|| {
            EngineError::input(format!(
                "filter.status must be queued, running or completed, got {}",
                v.to_text()
            ))
        })
    };
    filter.statuses = match present(value, "status") {
        None => Vec::new(),
        Some(Json::Array(items)) => items.iter().map(status_of).collect::<Result<_>>()?,
        Some(v) => vec![status_of(v)?],
    };
    filter.op_type = match present(value, "type") {
        None => None,
        Some(v) => Some(
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| EngineError::input("filter.type must be a string"))?,
        ),
    };
    filter.limit = decode_limit(present(value, "limit"))?;
    Ok(filter)
}

/// `{unread?: boolean, limit?: number}` for `listNotifications`.
pub fn decode_notification_filter(value: &Json) -> Result<NotificationFilter> {
    let mut filter = NotificationFilter { unread_only: false, limit: DEFAULT_LIMIT };
    if value.is_null() {
        return Ok(filter);
    }
    object(value, "listNotifications filter", &["unread", "limit"])?;
    if let Some(v) = present(value, "unread") {
        filter.unread_only =
            v.as_bool().ok_or_else(|| EngineError::input("filter.unread must be a boolean"))?;
    }
    filter.limit = decode_limit(present(value, "limit"))?;
    Ok(filter)
}

/// What `reconcile` covers: one scope or every scope, in batches of `batch` runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconcileOptions {
    pub scope: Option<Scope>,
    pub batch: usize,
}

/// `{scope?: {workspace_id, tenant_id} | null, limit?: number}` for `reconcile`.
pub fn decode_reconcile_options(value: &Json) -> Result<ReconcileOptions> {
    let mut options = ReconcileOptions { scope: None, batch: DEFAULT_LIMIT };
    if value.is_null() {
        return Ok(options);
    }
    object(value, "reconcile options", &["scope", "limit"])?;
    options.scope = present(value, "scope").map(|v| Scope::decode(v, "scope")).transpose()?;
    options.batch = decode_limit(present(value, "limit"))?;
    Ok(options)
}

const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 1000;

fn decode_limit(value: Option<&Json>) -> Result<usize> {
    match value.map(|v| v.as_i64().and_then(|n| usize::try_from(n).ok())) {
        None => Ok(DEFAULT_LIMIT),
        Some(Some(n)) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(EngineError::input(format!("filter.limit must be an integer from 1 to {MAX_LIMIT}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::json::{parse, Limits};

    fn start(text: &str) -> Result<StartRequest> {
        StartRequest::decode(&parse(text, Limits::default()).unwrap(), &Config::default())
    }

    fn update(text: &str) -> Result<RunUpdate> {
        RunUpdate::decode(&parse(text, Limits::default()).unwrap(), &Config::default())
    }

    #[test]
    fn start_request_decodes() {
        let r = start(r#"{"workspace_id":1,"tenant_id":"t-9","user_id":7,"type":"inventory.sync","identity":{"b":2,"a":1},"context":{"source":"ui"}}"#).unwrap();
        assert_eq!(r.scope, Scope { workspace_id: Id::Int(1), tenant_id: Id::Str("t-9".into()) });
        assert_eq!(r.user_id, Some(Id::Int(7)));
        assert_eq!(r.dedup_key, r#"inventory.sync#{"a":1,"b":2}"#);
        assert_eq!(r.context, r#"{"source":"ui"}"#);
    }

    #[test]
    fn start_defaults() {
        let r = start(r#"{"workspace_id":1,"tenant_id":2,"type":"inventory.sync"}"#).unwrap();
        assert_eq!(r.user_id, None);
        assert_eq!(r.dedup_key, "inventory.sync");
        assert_eq!(r.context, "{}");
    }

    #[test]
    fn start_refusals_are_input_errors() {
        for bad in [
            r#"[]"#,
            r#"{"tenant_id":2,"type":"a"}"#,
            r#"{"workspace_id":1,"tenant_id":2}"#,
            r#"{"workspace_id":1,"tenant_id":2,"type":"Bad Type"}"#,
            r#"{"workspace_id":1.5,"tenant_id":2,"type":"a"}"#,
            r#"{"workspace_id":1,"tenant_id":2,"type":"a","user_id":true}"#,
            r#"{"workspace_id":1,"tenant_id":2,"type":"a","context":[1]}"#,
            r#"{"workspace_id":1,"tenant_id":2,"type":"a","extra":1}"#,
        ] {
            assert_eq!(start(bad).unwrap_err().code(), "E_INVALID_INPUT", "{bad}");
        }
    }

    #[test]
    fn start_bounds_context_and_identity() {
        let big = format!(
            r#"{{"workspace_id":1,"tenant_id":2,"type":"a","context":{{"x":"{}"}}}}"#,
            "y".repeat(20_000)
        );
        assert!(start(&big).unwrap_err().to_string().contains("maxContextBytes"));
        let long =
            format!(r#"{{"workspace_id":1,"tenant_id":2,"type":"a","identity":"{}"}}"#, "y".repeat(600));
        assert!(start(&long).unwrap_err().to_string().contains("maxIdentityBytes"));
    }

    #[test]
    fn update_decodes_and_sanitizes() {
        let u = update(r#"{"status":"completed","outcome":"failed","summary_counts":{"failed":2,"bogus":1},"failure_summary":[{"code":"x","message":"a\nb"}]}"#).unwrap();
        assert_eq!(u.status, Some(Status::Completed));
        assert_eq!(u.outcome, Some(Outcome::Failed));
        assert_eq!(u.summary_counts.unwrap().iter().collect::<Vec<_>>(), vec![("failed", 2)]);
        assert_eq!(u.failure_summary.unwrap()[0].message, "a b");
    }

    #[test]
    fn update_nulls_mean_unchanged() {
        assert_eq!(update(r#"{"status":null,"outcome":null,"context":null}"#).unwrap(), RunUpdate::default());
    }

    #[test]
    fn update_refusals() {
        for bad in [
            r#"{"status":"done"}"#,
            r#"{"outcome":"ok"}"#,
            r#"{"sumary_counts":{}}"#,
            r#"{"summary_counts":3}"#,
            r#""x""#,
        ] {
            assert_eq!(update(bad).unwrap_err().code(), "E_INVALID_INPUT", "{bad}");
        }
    }
}
