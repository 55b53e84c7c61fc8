//! What is sent to a programme's endpoint: one record in an envelope.
//!
//! ```json
//! {"schema": "mentorkit.record", "version": 1, "id": "…", "kind": "session",
//!  "recordVersion": 1, "created": "…", "submitted": "…", "data": {"date": "…", …}}
//! ```
//!
//! The same type is read by the demo receiver, so both ends agree by
//! construction. Private fields never travel: [`Payload::from_record`] leaves
//! them out and [`Payload::check`] refuses a payload that holds one.

use super::feedback::{is_private, Record};
use super::form::Values;
use serde::{Deserialize, Serialize};

/// The schema name of a sent record.
pub const SCHEMA: &str = "mentorkit.record";
/// The version of the payload this build sends and reads.
pub const VERSION: u32 = 1;
/// Kinds of record.
pub const KINDS: &[&str] = &["agreement", "session", "checkin", "closing"];

/// One record as sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Payload {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Always [`VERSION`].
    pub version: u32,
    /// The record's id, stable across its versions.
    pub id: String,
    /// One of [`KINDS`].
    pub kind: String,
    /// 1 for the original; each amendment adds one.
    pub record_version: u32,
    /// When the first version was submitted (ISO 8601).
    pub created: String,
    /// When this version was submitted (ISO 8601).
    pub submitted: String,
    /// The answers, without private fields.
    pub data: Values,
}

impl Payload {
    /// The payload of a feedback record.
    pub fn from_record(record: &Record) -> Payload {
        Payload {
            schema: SCHEMA.into(),
            version: VERSION,
            id: record.id.clone(),
            kind: record.kind.clone(),
            record_version: record.version,
            created: record.created.clone(),
            submitted: record.submitted.clone(),
            data: super::feedback::without_private(&record.data),
        }
    }

    /// The payload of a signed agreement: `values` without its bookkeeping
    /// (`meta.…`), as record `id`, version `version`.
    pub fn from_agreement(values: &Values, id: &str, version: u32, created: &str, submitted: &str) -> Payload {
        Payload {
            schema: SCHEMA.into(),
            version: VERSION,
            id: id.into(),
            kind: "agreement".into(),
            record_version: version,
            created: created.into(),
            submitted: submitted.into(),
            data: values.filtered(|k| !k.starts_with("meta.") && !is_private(k)),
        }
    }

    /// Checks what a receiver must be able to rely on; says what is wrong.
    pub fn check(&self) -> Result<(), String> {
        if self.schema != SCHEMA {
            return Err(format!("schema must be \"{SCHEMA}\""));
        }
        if self.version != VERSION {
            return Err(format!("version {} is not supported (this receiver reads {VERSION})", self.version));
        }
        if self.id.is_empty() || self.id.len() > 100 || !self.id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err("id must be 1 to 100 letters, digits or '-'".into());
        }
        if !KINDS.contains(&self.kind.as_str()) {
            return Err(format!("kind must be one of: {}", KINDS.join(", ")));
        }
        if self.record_version == 0 {
            return Err("recordVersion starts at 1".into());
        }
        for (name, value) in [("created", &self.created), ("submitted", &self.submitted)] {
            if !is_timestamp(value) {
                return Err(format!("{name} must be an ISO 8601 timestamp such as 2026-11-22T10:00:00.000Z"));
            }
        }
        if let Some(path) = self.data.keys().find(|k| is_private(k)) {
            return Err(format!("data.{path} is private and must never be sent"));
        }
        if self.kind != "agreement" && super::date::parse(self.data.get("date")).is_none() {
            return Err("data.date must be a date YYYY-MM-DD".into());
        }
        Ok(())
    }
}

/// `YYYY-MM-DDTHH:MM:SS` with optional fraction and a `Z` or offset.
fn is_timestamp(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() >= 20 && b.len() <= 35 && super::date::parse(&value[..10]).is_some() && b[10] == b'T' && b[13] == b':' && b[16] == b':'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        let mut data = Values::default();
        for (k, v) in [("date", "2027-01-05"), ("rating", "4"), ("private.note", "mine"), ("coordinator.note", "for you")] {
            data.set(k, v.into());
        }
        Record { id: "3f2a-1".into(), seq: 1, version: 2, kind: "session".into(), created: "2027-01-05T10:00:00.000Z".into(), submitted: "2027-01-06T09:30:00.000Z".into(), data }
    }

    #[test]
    fn a_record_travels_without_its_private_note_but_with_the_coordinators() {
        let p = Payload::from_record(&record());
        assert_eq!(p.check(), Ok(()));
        assert_eq!((p.data.get("private.note"), p.data.get("coordinator.note"), p.record_version), ("", "for you", 2));
        let json = crate::model::json::stringify(&p);
        assert!(json.starts_with("{\"schema\":\"mentorkit.record\",\"version\":1,") && json.contains("\"recordVersion\":2"));
    }

    #[test]
    fn a_receiver_is_told_what_is_wrong() {
        let good = Payload::from_record(&record());
        let cases: [(&str, fn(&mut Payload)); 6] = [
            ("schema", |p| p.schema = "x".into()),
            ("version", |p| p.version = 2),
            ("id", |p| p.id = "a b".into()),
            ("kind", |p| p.kind = "party".into()),
            ("submitted", |p| p.submitted = "yesterday".into()),
            ("private", |p| p.data.set("private.note", "leak".into())),
        ];
        for (word, spoil) in cases {
            let mut p = good.clone();
            spoil(&mut p);
            assert!(p.check().unwrap_err().contains(word), "{word}");
        }
        assert!(crate::model::json::parse::<Payload>(r#"{"schema":"mentorkit.record","extra":1}"#).is_err(), "unknown fields are refused");
    }
}
