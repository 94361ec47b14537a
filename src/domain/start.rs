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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::json::{parse, Limits};

    fn request(text: &str) -> StartRequest {
        StartRequest::decode(&parse(text, Limits::default()).unwrap(), &Config::default()).unwrap()
    }

    fn scope(tenant: i64) -> Scope {
        Scope { workspace_id: Id::Int(1), tenant_id: Id::Int(tenant) }
    }

    #[test]
    fn the_duplicate_is_an_active_run_with_the_same_scope_and_key() {
        let req =
            request(r#"{"workspace_id":1,"tenant_id":2,"type":"inventory.sync","identity":{"b":1,"a":2}}"#);
        let (s2, s3) = (scope(2), scope(3));
        let key = r#"inventory.sync#{"a":2,"b":1}"#;
        let active = [
            (&s3, Status::Queued, key),               // another tenant
            (&s2, Status::Completed, key),            // not active
            (&s2, Status::Running, "inventory.sync"), // another identity
            (&s2, Status::Running, key),              // the one
        ];
        assert_eq!(find_duplicate(active, &req), Some(3));
        assert_eq!(find_duplicate(active.into_iter().take(3), &req), None);
    }

    #[test]
    fn canonical_toasts() {
        assert_eq!(
            toast("Inventory sync", false),
            Toast {
                kind: ToastKind::Queued,
                title: "Inventory sync queued".into(),
                body: "It runs in the background; progress shows in the operations widget.".into()
            }
        );
        let t = toast("Inventory sync", true);
        assert_eq!((t.kind.as_str(), t.title.as_str()), ("already_queued", "Inventory sync already queued"));
    }

    #[test]
    fn the_event_names_run_enqueued_with_what_a_widget_needs() {
        let mut out = String::new();
        write_event(&mut out, Some(&Id::Int(5)), &scope(2), "inventory.sync", Status::Queued, true);
        assert_eq!(
            out,
            r#"{"name":"run-enqueued","detail":{"run_id":5,"workspace_id":1,"tenant_id":2,"type":"inventory.sync","status":"queued","deduped":true}}"#
        );
    }
}
