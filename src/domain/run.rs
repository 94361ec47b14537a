//! The record: an OperationRun, with the seed's snake_case field names (it mirrors `operation_runs`).

use super::config::is_machine_name;
use super::ids::{write_optional_id, Id, Scope, MAX_SAFE_INTEGER};
use super::json::{quote, write_int, write_str, Json};
use super::request::RunUpdate;
use super::sanitize::counts::SummaryCounts;
use super::sanitize::failures::{decode_stored_failures, write_failures, FailureEntry};
use super::time::{parse_rfc3339, write_json_time, Millis};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Queued,
    Running,
    Completed,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Queued, Status::Running, Status::Completed];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Running => "running",
            Status::Completed => "completed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Queued and running runs are active: they hold their dedup key.
    pub fn is_active(self) -> bool {
        self != Status::Completed
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Succeeded,
    PartiallySucceeded,
    Failed,
    Cancelled,
}

impl Outcome {
    pub const ALL: [Outcome; 4] =
        [Outcome::Succeeded, Outcome::PartiallySucceeded, Outcome::Failed, Outcome::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Succeeded => "succeeded",
            Outcome::PartiallySucceeded => "partially_succeeded",
            Outcome::Failed => "failed",
            Outcome::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A stored run. `context` is kept as compact JSON text of an object: it is opaque to the rules.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationRun {
    pub id: Id,
    pub scope: Scope,
    pub user_id: Option<Id>,
    pub op_type: String,
    pub status: Status,
    pub outcome: Option<Outcome>,
    /// `type`, plus the canonical identity when the start named one: what makes two starts "the same".
    pub dedup_key: String,
    pub summary_counts: SummaryCounts,
    pub failure_summary: Vec<FailureEntry>,
    pub context: String,
    pub started_at: Option<Millis>,
    pub completed_at: Option<Millis>,
    pub created_at: Millis,
    pub updated_at: Millis,
    /// Compare-and-set counter: 1 when stored, +1 on every committed change.
    pub version: u64,
}

/// A run about to be stored: everything but the id, which the store assigns.
#[derive(Debug, Clone, PartialEq)]
pub struct RunDraft {
    pub scope: Scope,
    pub user_id: Option<Id>,
    pub op_type: String,
    pub dedup_key: String,
    pub context: String,
    pub created_at: Millis,
}

impl RunDraft {
    /// The queued run this draft becomes once the store gives it an id.
    pub fn into_run(self, id: Id) -> OperationRun {
        OperationRun {
            id,
            scope: self.scope,
            user_id: self.user_id,
            op_type: self.op_type,
            status: Status::Queued,
            outcome: None,
            dedup_key: self.dedup_key,
            summary_counts: SummaryCounts::default(),
            failure_summary: Vec::new(),
            context: self.context,
            started_at: None,
            completed_at: None,
            created_at: self.created_at,
            updated_at: self.created_at,
            version: 1,
        }
    }

    /// The record a host stores, without `id` (the host assigns it).
    pub fn write(&self, out: &mut String) {
        write_record(out, None, &self.clone().into_run(Id::Int(0)));
    }
}

impl OperationRun {
    pub fn write(&self, out: &mut String) {
        write_record(out, Some(&self.id), self);
    }

    /// Only the fields an update may have changed: status, outcome, their timestamps, `updated_at` and
    /// `version`, plus counts, failures and context when `update` wrote them. For a reader that holds the
    /// run as it was before the update (the JS face of the embedded store): it patches that copy instead of
    /// reading the whole record again.
    pub fn write_changes(&self, out: &mut String, update: &RunUpdate) {
        out.push_str("{\"status\":\"");
        out.push_str(self.status.as_str());
        out.push_str("\",\"outcome\":");
        write_outcome(out, self.outcome);
        out.push_str(",\"started_at\":");
        write_json_time(out, self.started_at);
        out.push_str(",\"completed_at\":");
        write_json_time(out, self.completed_at);
        out.push_str(",\"updated_at\":");
        write_json_time(out, Some(self.updated_at));
        out.push_str(",\"version\":");
        write_int(out, self.version as i64);
        if update.summary_counts.is_some() {
            out.push_str(",\"summary_counts\":");
            self.summary_counts.write(out);
        }
        if update.failure_summary.is_some() {
            out.push_str(",\"failure_summary\":");
            write_failures(out, &self.failure_summary);
        }
        if update.context.is_some() {
            out.push_str(",\"context\":");
            out.push_str(&self.context);
        }
        out.push('}');
    }

    pub fn to_json_text(&self) -> String {
        let mut out = String::with_capacity(320 + self.context.len());
        self.write(&mut out);
        out
    }

    /// Reads a run record as a store returns it. The message says what is wrong; the caller decides whose
    /// fault it is (a host store's, or the caller's in a pure check).
    pub fn decode(value: &Json) -> Result<OperationRun, String> {
        if value.as_object().is_none() {
            return Err(format!("a run must be an object, got {}", value.type_name()));
        }
        let field = |key: &str| value.get(key).ok_or_else(|| format!("run.{key} is missing"));
        let id_of = |key: &str| Id::decode(field(key)?, &format!("run.{key}")).map_err(|e| e.to_string());
        let text = |key: &str| {
            field(key)?.as_str().map(str::to_string).ok_or_else(|| format!("run.{key} must be a string"))
        };
        let time = |key: &str| {
            let t = text(key)?;
            parse_rfc3339(&t).ok_or_else(|| format!("run.{key} is not an RFC 3339 timestamp: {}", quote(&t)))
        };
        let optional_time = |key: &str| match value.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(_) => time(key).map(Some),
        };
        let status =
            Status::parse(&text("status")?).ok_or("run.status is not queued, running or completed")?;
        let outcome = match value.get("outcome") {
            None | Some(Json::Null) => None,
            Some(v) => Some(
                v.as_str()
                    .and_then(Outcome::parse)
                    .ok_or("run.outcome is not succeeded, partially_succeeded, failed or cancelled")?,
            ),
        };
        check_outcome(status, outcome)?;
        let version = match field("version")?.as_i64() {
            Some(v) if (1..=MAX_SAFE_INTEGER).contains(&v) => v.unsigned_abs(),
            _ => return Err("run.version must be a positive safe integer".to_string()),
        };
        let context = field("context")?;
        if context.as_object().is_none() {
            return Err("run.context must be an object".to_string());
        }
        let run = OperationRun {
            id: id_of("id")?,
            scope: Scope { workspace_id: id_of("workspace_id")?, tenant_id: id_of("tenant_id")? },
            user_id: Id::decode_optional(value.get("user_id"), "run.user_id").map_err(|e| e.to_string())?,
            op_type: text("type")?,
            status,
            outcome,
            dedup_key: text("dedup_key")?,
            summary_counts: SummaryCounts::decode_stored(field("summary_counts")?)?,
            failure_summary: decode_stored_failures(field("failure_summary")?)?,
            context: context.to_text(),
            started_at: optional_time("started_at")?,
            completed_at: optional_time("completed_at")?,
            created_at: time("created_at")?,
            updated_at: time("updated_at")?,
            version,
        };
        run.check_stored()?;
        Ok(run)
    }

    /// What every run the engine wrote satisfies, whatever the configuration: a record that breaks it was
    /// not written by the engine (or was changed since), and must not be acted on. Counters outside the
    /// whitelist and longer failure lists are not checked: the configuration may have changed since.
    fn check_stored(&self) -> Result<(), String> {
        if !is_machine_name(&self.op_type) {
            return Err(format!("run.type {} is not an operation type", quote(&self.op_type)));
        }
        let key_rest = self.dedup_key.strip_prefix(self.op_type.as_str());
        if !key_rest.is_some_and(|rest| rest.is_empty() || rest.starts_with('#')) {
            return Err("run.dedup_key is not the run's type, or its type and identity".to_string());
        }
        if self.completed_at.is_some() != (self.status == Status::Completed)
            || (self.started_at.is_some() && self.status == Status::Queued)
        {
            return Err("run.started_at and run.completed_at do not match run.status".to_string());
        }
        let times = [Some(self.created_at), self.started_at, self.completed_at, Some(self.updated_at)];
        let mut last = Millis::MIN;
        for t in times.into_iter().flatten() {
            if t < last {
                return Err(
                    "run timestamps are out of order (created ≤ started ≤ completed ≤ updated)".into()
                );
            }
            last = t;
        }
        let multi_line = |s: &str| s.chars().any(char::is_control);
        if self.failure_summary.iter().any(|f| multi_line(&f.code) || multi_line(&f.message)) {
            return Err("run.failure_summary holds a control character: it was not sanitized".to_string());
        }
        Ok(())
    }
}

/// A run has an outcome exactly when it is completed.
pub fn check_outcome(status: Status, outcome: Option<Outcome>) -> Result<(), String> {
    if (status == Status::Completed) != outcome.is_some() {
        return Err("run.outcome must be set exactly when run.status is completed".to_string());
    }
    Ok(())
}

fn write_outcome(out: &mut String, outcome: Option<Outcome>) {
    match outcome {
        Some(o) => {
            out.push('"');
            out.push_str(o.as_str());
            out.push('"');
        }
        None => out.push_str("null"),
    }
}

fn write_record(out: &mut String, id: Option<&Id>, run: &OperationRun) {
    out.push('{');
    if let Some(id) = id {
        out.push_str("\"id\":");
        id.write(out);
        out.push(',');
    }
    out.push_str("\"workspace_id\":");
    run.scope.workspace_id.write(out);
    out.push_str(",\"tenant_id\":");
    run.scope.tenant_id.write(out);
    out.push_str(",\"user_id\":");
    write_optional_id(out, run.user_id.as_ref());
    out.push_str(",\"type\":");
    write_str(out, &run.op_type);
    out.push_str(",\"status\":\"");
    out.push_str(run.status.as_str());
    out.push_str("\",\"outcome\":");
    write_outcome(out, run.outcome);
    out.push_str(",\"dedup_key\":");
    write_str(out, &run.dedup_key);
    out.push_str(",\"summary_counts\":");
    run.summary_counts.write(out);
    out.push_str(",\"failure_summary\":");
    write_failures(out, &run.failure_summary);
    out.push_str(",\"context\":");
    out.push_str(&run.context);
    out.push_str(",\"started_at\":");
    write_json_time(out, run.started_at);
    out.push_str(",\"completed_at\":");
    write_json_time(out, run.completed_at);
    out.push_str(",\"created_at\":");
    write_json_time(out, Some(run.created_at));
    out.push_str(",\"updated_at\":");
    write_json_time(out, Some(run.updated_at));
    out.push_str(",\"version\":");
    write_int(out, run.version as i64);
    out.push('}');
}
