//! Starting: deduplication, the ephemeral toast and the `run-enqueued` event. Nothing here is stored.

use super::config::Config;
use super::ids::{write_optional_id, Id, Scope};
use super::json::write_str;
use super::request::StartRequest;
use super::run::{OperationRun, Status};

pub const RUN_ENQUEUED: &str = "run-enqueued";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Queued,
    AlreadyQueued,
}

impl ToastKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ToastKind::Queued => "queued",
            ToastKind::AlreadyQueued => "already_queued",
        }
    }
}

/// The ephemeral toast a start surface shows. Returned to the caller, never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub kind: ToastKind,
    pub title: String,
    pub body: String,
}

/// The canonical toast for a start that created a run (`deduped == false`) or found one.
pub fn toast(label: &str, deduped: bool) -> Toast {
    if deduped {
        Toast {
            kind: ToastKind::AlreadyQueued,
            title: format!("{label} already queued"),
            body: "An identical operation is already queued or running. No new run was started.".to_string(),
        }
    } else {
        Toast {
            kind: ToastKind::Queued,
            title: format!("{label} queued"),
            body: "It runs in the background; progress shows in the operations widget.".to_string(),
        }
    }
}

/// What a start does given the runs that are active: the duplicate it would return, if any.
/// The same rule the store applies atomically, as a pure function for optimistic UI.
pub fn find_duplicate<'a, I>(active: I, request: &StartRequest) -> Option<usize>
where
    I: IntoIterator<Item = (&'a Scope, Status, &'a str)>,
{
    active.into_iter().position(|(scope, status, key)| {
        status.is_active() && *scope == request.scope && key == request.dedup_key
    })
}

/// Writes `{"run":…,"deduped":…,"toast":…,"events":[…]}`, the answer to a start.
pub fn write_start_result(out: &mut String, run: &OperationRun, deduped: bool, config: &Config) {
    out.push_str("{\"run\":");
    run.write(out);
    out.push_str(",\"deduped\":");
    out.push_str(if deduped { "true" } else { "false" });
    out.push_str(",\"toast\":");
    write_toast(out, &toast(&config.label(&run.op_type), deduped), Some(&run.id));
    out.push_str(",\"events\":[");
    write_event(out, Some(&run.id), &run.scope, &run.op_type, run.status, deduped);
    out.push_str("]}");
}

pub fn write_toast(out: &mut String, toast: &Toast, run_id: Option<&Id>) {
    out.push_str("{\"kind\":\"");
    out.push_str(toast.kind.as_str());
    out.push_str("\",\"title\":");
    write_str(out, &toast.title);
    out.push_str(",\"body\":");
    write_str(out, &toast.body);
    out.push_str(",\"run_id\":");
    write_optional_id(out, run_id);
    out.push('}');
}

/// `{"name":"run-enqueued","detail":{…}}`; the detail is what a progress widget needs to refresh.
pub fn write_event(
    out: &mut String,
    run_id: Option<&Id>,
    scope: &Scope,
    op_type: &str,
    status: Status,
    deduped: bool,
) {
    out.push_str("{\"name\":\"");
    out.push_str(RUN_ENQUEUED);
    out.push_str("\",\"detail\":{\"run_id\":");
    write_optional_id(out, run_id);
    out.push_str(",\"workspace_id\":");
    scope.workspace_id.write(out);
    out.push_str(",\"tenant_id\":");
    scope.tenant_id.write(out);
    out.push_str(",\"type\":");
    write_str(out, op_type);
    out.push_str(",\"status\":\"");
    out.push_str(status.as_str());
    out.push_str("\",\"deduped\":");
    out.push_str(if deduped { "true" } else { "false" });
    out.push_str("}}");
}
