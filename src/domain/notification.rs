//! The one stored notification: `OperationRunCompleted`, in the shape of the standard `notifications` table,
//! with the canonical copy per outcome.

use super::config::Config;
use super::ids::{Id, Scope};
use super::json::{quote, write_str, Json};
use super::run::{OperationRun, Outcome};
use super::sanitize::counts::SummaryCounts;
use super::time::{parse_rfc3339, write_json_time, Millis};

pub const COMPLETED_TYPE: &str = "OperationRunCompleted";
pub const NOTIFIABLE_TYPE: &str = "User";

/// A stored notification row. `data` is written from the fields below.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    /// Derived from run and initiator, so a second insert of the same completion is impossible.
    pub id: String,
    pub notifiable_id: Id,
    pub scope: Scope,
    pub run_id: Id,
    pub op_type: String,
    pub outcome: Outcome,
    pub title: String,
    pub body: String,
    pub summary_counts: SummaryCounts,
    pub read_at: Option<Millis>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// Canonical title and body for a completed run of `label`.
pub fn completion_copy(label: &str, outcome: Outcome, counts: &SummaryCounts) -> (String, String) {
    let (title, body) = match outcome {
        Outcome::Succeeded => (format!("{label} completed"), format!("{label} finished successfully.")),
        Outcome::PartiallySucceeded => (
            format!("{label} completed with warnings"),
            format!("{label} finished, but some items did not succeed."),
        ),
        Outcome::Failed => (format!("{label} failed"), format!("{label} could not be completed.")),
        Outcome::Cancelled => {
            (format!("{label} cancelled"), format!("{label} was cancelled before it finished."))
        }
    };
    if counts.is_empty() {
        return (title, body);
    }
    let tally: Vec<String> = counts.iter().map(|(k, v)| format!("{v} {k}")).collect();
    (title, format!("{body} {}.", tally.join(", ")))
}

/// The completion notification for a run that just entered `completed`, if it has an initiator.
pub fn completion_notification(run: &OperationRun, config: &Config, now: Millis) -> Option<Notification> {
    let user_id = run.user_id.clone()?;
    let outcome = run.outcome?;
    let (title, body) = completion_copy(&config.label(&run.op_type), outcome, &run.summary_counts);
    Some(Notification {
        id: notification_id(&run.id, &user_id),
        notifiable_id: user_id,
        scope: run.scope.clone(),
        run_id: run.id.clone(),
        op_type: run.op_type.clone(),
        outcome,
        title,
        body,
        summary_counts: run.summary_counts.clone(),
        read_at: None,
        created_at: now,
        updated_at: now,
    })
}

/// A UUID (version 8, RFC 9562) from FNV-1a-128 over the notification type, run id and initiator:
/// the same in every process and every language that implements it, and a valid `uuid` column value.
pub fn notification_id(run_id: &Id, user_id: &Id) -> String {
    let mut input = String::from(COMPLETED_TYPE);
    for id in [run_id, user_id] {
        input.push('\u{1f}');
        id.write(&mut input);
    }
    let mut hash: u128 = 0x6c62272e07bb014262b821756295c58d;
    for byte in input.bytes() {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(0x0000000001000000000000000000013B);
    }
    let mut bytes = hash.to_be_bytes();
    if let Some(b) = bytes.get_mut(6) {
        *b = (*b & 0x0f) | 0x80; // version 8
    }
    if let Some(b) = bytes.get_mut(8) {
        *b = (*b & 0x3f) | 0x80; // RFC 9562 variant
    }
    // 8-4-4-4-12 hex digits: a dash before bytes 4, 6, 8 and 10.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut uuid = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            uuid.push('-');
        }
        for nibble in [b >> 4, b & 0x0f] {
            uuid.push(char::from(HEX.get(usize::from(nibble)).copied().unwrap_or(b'0')));
        }
    }
    uuid
}

impl Notification {
    pub fn write(&self, out: &mut String) {
        out.push_str("{\"id\":");
        write_str(out, &self.id);
        out.push_str(",\"type\":\"");
        out.push_str(COMPLETED_TYPE);
        out.push_str("\",\"notifiable_type\":\"");
        out.push_str(NOTIFIABLE_TYPE);
        out.push_str("\",\"notifiable_id\":");
        self.notifiable_id.write(out);
        out.push_str(",\"data\":{\"run_id\":");
        self.run_id.write(out);
        out.push_str(",\"workspace_id\":");
        self.scope.workspace_id.write(out);
        out.push_str(",\"tenant_id\":");
        self.scope.tenant_id.write(out);
        out.push_str(",\"operation_type\":");
        write_str(out, &self.op_type);
        out.push_str(",\"outcome\":\"");
        out.push_str(self.outcome.as_str());
        out.push_str("\",\"title\":");
        write_str(out, &self.title);
        out.push_str(",\"body\":");
        write_str(out, &self.body);
        out.push_str(",\"summary_counts\":");
        self.summary_counts.write(out);
        out.push_str("},\"read_at\":");
        write_json_time(out, self.read_at);
        out.push_str(",\"created_at\":");
        write_json_time(out, Some(self.created_at));
        out.push_str(",\"updated_at\":");
        write_json_time(out, Some(self.updated_at));
        out.push('}');
    }

    /// Reads a notification as a store returns it.
    pub fn decode(value: &Json) -> Result<Notification, String> {
        let text = |v: Option<&Json>, what: &str| {
            v.and_then(Json::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("notification.{what} must be a string"))
        };
        let time = |v: Option<&Json>, what: &str| {
            let t = text(v, what)?;
            parse_rfc3339(&t).ok_or_else(|| format!("notification.{what} is not an RFC 3339 timestamp"))
        };
        let id_at = |v: Option<&Json>, what: &str| {
            Id::decode(v.ok_or_else(|| format!("notification.{what} is missing"))?, what)
                .map_err(|e| e.to_string())
        };
        if text(value.get("type"), "type")? != COMPLETED_TYPE {
            return Err(format!("notification.type must be {COMPLETED_TYPE}"));
        }
        let data = value
            .get("data")
            .filter(|d| d.as_object().is_some())
            .ok_or("notification.data must be an object")?;
        let id = text(value.get("id"), "id")?;
        if !is_uuid(&id) {
            return Err(format!("notification.id {} is not a UUID", quote(&id)));
        }
        Ok(Notification {
            id,
            notifiable_id: id_at(value.get("notifiable_id"), "notifiable_id")?,
            scope: Scope {
                workspace_id: id_at(data.get("workspace_id"), "data.workspace_id")?,
                tenant_id: id_at(data.get("tenant_id"), "data.tenant_id")?,
            },
            run_id: id_at(data.get("run_id"), "data.run_id")?,
            op_type: text(data.get("operation_type"), "data.operation_type")?,
            outcome: Outcome::parse(&text(data.get("outcome"), "data.outcome")?)
                .ok_or("notification.data.outcome is not an outcome")?,
            title: text(data.get("title"), "data.title")?,
            body: text(data.get("body"), "data.body")?,
            summary_counts: match data.get("summary_counts") {
                Some(c) => SummaryCounts::decode_stored(c)?,
                None => SummaryCounts::default(),
            },
            read_at: match value.get("read_at") {
                None | Some(Json::Null) => None,
                v => Some(time(v, "read_at")?),
            },
            created_at: time(value.get("created_at"), "created_at")?,
            updated_at: time(value.get("updated_at"), "updated_at")?,
        })
    }

    pub fn to_json_text(&self) -> String {
        let mut out = String::with_capacity(400);
        self.write(&mut out);
        out
    }
}

/// `8-4-4-4-12` hexadecimal digits, either case: every id the engine derives has this shape.
fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_deterministic_uuids() {
        let a = notification_id(&Id::Int(42), &Id::Int(7));
        assert_eq!(a, notification_id(&Id::Int(42), &Id::Int(7)));
        assert_ne!(a, notification_id(&Id::Int(42), &Id::Int(8)));
        assert_ne!(a, notification_id(&Id::Str("42".into()), &Id::Int(7)));
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'8', "version nibble: {a}");
        assert!(matches!(a.as_bytes()[19], b'8' | b'9' | b'a' | b'b'), "variant: {a}");
        // Pinned: every store and process derives the same ids, so they must never change.
        assert_eq!(a, "b232fe56-926a-88e4-b9de-86e63c816c01");
        assert_eq!(
            notification_id(&Id::Str("run-é".into()), &Id::Int(-3)),
            "fa2ee61b-f7d2-80ec-8dec-95636575519a"
        );
    }

    #[test]
    fn copy_per_outcome() {
        let none = SummaryCounts::default();
        let titles: Vec<String> =
            Outcome::ALL.iter().map(|o| completion_copy("Inventory sync", *o, &none).0).collect();
        assert_eq!(
            titles,
            [
                "Inventory sync completed",
                "Inventory sync completed with warnings",
                "Inventory sync failed",
                "Inventory sync cancelled"
            ]
        );
    }
}
