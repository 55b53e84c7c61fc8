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

use super::config::Programme;
use super::feedback::Record;
#[cfg(any(feature = "agreement", feature = "document"))]
use super::form::field_at;
#[cfg(any(feature = "feedback", feature = "history"))]
use super::form::place;
use super::form::{Audience, Reader};
use super::form::Values;
use super::json::{self, FromJson, JsonError, ToJson, Writer};
use super::num::Digits;

/// The schema name of a sent record.
pub const SCHEMA: &str = "mentorkit.record";
/// The version of the payload this build sends: 2 says whom the record
/// concerns ([`About`]). Version 1 records, without it, are still read.
pub const VERSION: u32 = 2;
/// Kinds of record.
pub const KINDS: &[&str] = &["agreement", "session", "checkin", "closing"];

/// One record as sent.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// Whom the record concerns (version 2; `None` in version 1).
    pub about: Option<About>,
}

/// Whom a record concerns: the pair, which of the two sent it, and the
/// agreement its sessions belong to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct About {
    /// The pair's id: from the person's invitation, or made by the agreement
    /// when it was first saved.
    pub pair: String,
    /// `mentee` or `mentor` (empty for an agreement, which both sign).
    pub role: String,
    /// The agreement's record id (feedback only, when one is linked).
    pub agreement: String,
    /// The linked agreement's fingerprint (feedback only, when one is linked).
    pub fingerprint: String,
}

impl ToJson for About {
    fn write(&self, w: &mut Writer) {
        w.object(|w| {
            w.key("pair").str(&self.pair);
            if !self.role.is_empty() {
                w.key("role").str(&self.role);
            }
            if !self.agreement.is_empty() {
                w.key("agreement").str(&self.agreement);
                w.key("fingerprint").str(&self.fingerprint);
            }
        });
    }
}

impl FromJson for About {
    fn read(r: &mut json::Reader) -> json::Result<About> {
        let mut a = About::default();
        json::fields(r, true, |r, key| {
            match key {
                "pair" => a.pair = String::read(r)?,
                "role" => a.role = String::read(r)?,
                "agreement" => a.agreement = String::read(r)?,
                "fingerprint" => a.fingerprint = String::read(r)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(a)
    }
}

/// A person's invitation to a programme, as a programme's server issues it:
/// `mki_<pair>.<role>.<secret>`. The pair and role are readable so the widget
/// knows whom its records concern; the whole is the credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    /// The whole token, sent as `Authorization: Bearer <token>`.
    pub token: String,
    /// The pair it is for.
    pub pair: String,
    /// `mentee` or `mentor`.
    pub role: String,
}

impl Invitation {
    /// Reads an invitation; says what is wrong with one that is not.
    pub fn parse(token: &str) -> Result<Invitation, String> {
        let token = token.trim();
        let mut parts = token.strip_prefix("mki_").unwrap_or("").split('.');
        let (pair, role, secret) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        if parts.next().is_some() || !is_pair_id(pair) || !matches!(role, "mentee" | "mentor") || secret.len() < 32 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("it reads mki_<pair>.<mentee or mentor>.<secret>, as the programme gave it".into());
        }
        Ok(Invitation { token: token.to_owned(), pair: pair.to_owned(), role: role.to_owned() })
    }
}

/// Whether `text` is a fingerprint: 64 lowercase hex digits.
pub fn is_fingerprint(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether `id` can be a pair's or a record's id: 1 to 64 letters, digits,
/// `-` or `_`.
pub fn is_pair_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl ToJson for Payload {
    fn write(&self, w: &mut Writer) {
        w.object(|w| {
            w.key("schema").str(&self.schema);
            w.key("version").value(&self.version);
            w.key("id").str(&self.id);
            w.key("kind").str(&self.kind);
            w.key("recordVersion").value(&self.record_version);
            w.key("created").str(&self.created);
            w.key("submitted").str(&self.submitted);
            w.key("data").value(&self.data);
            if let Some(about) = &self.about {
                w.key("about").value(about);
            }
        });
    }
}

impl FromJson for Payload {
    /// Reads a record as sent; a field the envelope does not have, or a value
    /// of the wrong type, is refused, naming the field.
    fn read(r: &mut json::Reader) -> json::Result<Payload> {
        let mut p = Payload { schema: String::new(), version: 0, id: String::new(), kind: String::new(), record_version: 0, created: String::new(), submitted: String::new(), data: Values::default(), about: None };
        let mut seen: Vec<&'static str> = Vec::new();
        json::fields(r, true, |r, key| {
            let at = |e: JsonError| JsonError([key, ": ", &e.0].concat());
            let name = match key {
                "schema" => { p.schema = String::read(r).map_err(at)?; "schema" }
                "version" => { p.version = r.u32().map_err(at)?; "version" }
                "id" => { p.id = String::read(r).map_err(at)?; "id" }
                "kind" => { p.kind = String::read(r).map_err(at)?; "kind" }
                "recordVersion" => { p.record_version = r.u32().map_err(at)?; "recordVersion" }
                "created" => { p.created = String::read(r).map_err(at)?; "created" }
                "submitted" => { p.submitted = String::read(r).map_err(at)?; "submitted" }
                "data" => { p.data = Values::read(r).map_err(at)?; "data" }
                "about" => { p.about = Some(About::read(r).map_err(at)?); "about" }
                _ => return Ok(false),
            };
            seen.push(name);
            Ok(true)
        })?;
        for field in ["schema", "version", "id", "kind", "recordVersion", "created", "submitted", "data"] {
            if !seen.contains(&field) {
                return Err(JsonError(["missing field \"", field, "\""].concat()));
            }
        }
        Ok(p)
    }
}

impl Payload {
    /// Reads a record as a receiver gets it: the JSON text of one envelope.
    pub fn parse(body: &str) -> Result<Payload, String> {
        json::parse(body).map_err(|e| e.0)
    }

    /// The record as JSON text, exactly as it is sent.
    pub fn to_json(&self) -> String {
        json::stringify(self)
    }

    /// The same record saying whom it concerns (a version 2 record), or, with
    /// nothing to say, a version 1 record.
    pub fn concerning(self, about: Option<About>) -> Payload {
        Payload { version: if about.is_some() { VERSION } else { 1 }, about, ..self }
    }

    /// The payload of a feedback record: what the programme may read of it.
    pub fn from_record(record: &Record, programme: &Programme) -> Payload {
        Payload {
            schema: SCHEMA.into(),
            version: 1,
            id: record.id.clone(),
            kind: record.kind.clone(),
            record_version: record.version,
            created: record.created.clone(),
            submitted: record.submitted.clone(),
            data: super::feedback::for_reader(&record.data, programme, Reader::Programme),
            about: None,
        }
    }

    /// The payload of a signed agreement: `values` without its bookkeeping
    /// (`meta.…`), as record `id`, version `version`.
    pub fn from_agreement(values: &Values, id: &str, version: u32, created: &str, submitted: &str) -> Payload {
        Payload {
            schema: SCHEMA.into(),
            version: 1,
            id: id.into(),
            kind: "agreement".into(),
            record_version: version,
            created: created.into(),
            submitted: submitted.into(),
            data: values.filtered(|k| !k.starts_with("meta.")),
            about: None,
        }
    }

    /// Checks what a receiver must be able to rely on; says what is wrong.
    pub fn check(&self) -> Result<(), String> {
        if self.schema != SCHEMA {
            return Err(["schema must be \"", SCHEMA, "\""].concat());
        }
        if self.version != 1 && self.version != VERSION {
            return Err(["version ", &self.version.digits(), " is not supported (this receiver reads 1 and ", &VERSION.digits(), ")"].concat());
        }
        match (&self.about, self.version) {
            (Some(_), 1) | (None, 2) => return Err("about comes with version 2, and version 2 with about".into()),
            (Some(a), _) => {
                if !is_pair_id(&a.pair) {
                    return Err("about.pair must be 1 to 64 letters, digits, '-' or '_'".into());
                }
                if !matches!(a.role.as_str(), "" | "mentee" | "mentor") || (self.kind != "agreement" && a.role.is_empty()) {
                    return Err("about.role must be mentee or mentor".into());
                }
                let linked = is_pair_id(&a.agreement) && is_fingerprint(&a.fingerprint);
                let unlinked = a.agreement.is_empty() && a.fingerprint.is_empty();
                if !linked && !unlinked {
                    return Err("about.agreement and about.fingerprint come together: an id and 64 lowercase hex digits".into());
                }
            }
            (None, _) => {}
        }
        if self.id.is_empty() || self.id.len() > 100 || !self.id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err("id must be 1 to 100 letters, digits or '-'".into());
        }
        if !KINDS.contains(&self.kind.as_str()) {
            return Err(["kind must be one of: ", &KINDS.join(", ")].concat());
        }
        if self.record_version == 0 {
            return Err("recordVersion starts at 1".into());
        }
        for (name, value) in [("created", &self.created), ("submitted", &self.submitted)] {
            if !is_timestamp(value) {
                return Err([name, " must be an ISO 8601 timestamp such as 2026-11-22T10:00:00.000Z"].concat());
            }
        }
        for (path, value) in self.data.iter() {
            let (max, audience) = self.field_of(path).ok_or_else(|| ["data.", path, " is not an answer a ", &self.kind, " record holds"].concat())?;
            if audience == Audience::Me {
                return Err(["data.", path, " is private and must never be sent"].concat());
            }
            if value.chars().count() > max {
                return Err(["data.", path, " is longer than ", &max.digits(), " characters"].concat());
            }
        }
        if self.kind != "agreement" && super::date::parse(self.data.get("date")).is_none() {
            return Err("data.date must be a date YYYY-MM-DD".into());
        }
        if self.kind != "agreement" && self.data.get("kind") != self.kind {
            return Err(["data.kind must be \"", &self.kind, "\", the record's kind"].concat());
        }
        Ok(())
    }
}

impl Payload {
    /// The longest value and the audience of the answer at `path` in a
    /// record of this kind, if such a record holds it. A widget's module
    /// knows only the records it makes.
    fn field_of(&self, path: &str) -> Option<(usize, Audience)> {
        #[cfg(any(feature = "agreement", feature = "document"))]
        if self.kind == "agreement" {
            if let Some((_, field, _)) = field_at(super::agreement::STEPS, path) {
                return Some((field.max_len, field.audience));
            }
            let signature = path.strip_prefix("sign.").and_then(|r| r.split_once('.'));
            let known = path == "goals"
                || signature.is_some_and(|(party, part)| matches!(party, "mentee" | "mentor" | "guardian") && matches!(part, "name" | "at" | "fingerprint"))
                || path.strip_prefix("clause.").is_some_and(is_id);
            return known.then_some((200, Audience::Pair));
        }
        #[cfg(any(feature = "feedback", feature = "history"))]
        if self.kind != "agreement" {
            return self.feedback_field(path);
        }
        None
    }

    #[cfg(any(feature = "feedback", feature = "history"))]
    fn feedback_field(&self, path: &str) -> Option<(usize, Audience)> {
        let kind = self.kind.as_str();
        let step_of = |path: &str| {
            let at = place(super::feedback::STEPS, path)?;
            (matches!(at.step.id, "common" | "notes") || at.step.id == kind).then_some((at.field.max_len, at.field.audience))
        };
        if let Some(found) = step_of(path) {
            return Some(found);
        }
        if path.strip_prefix("q.").is_some_and(is_id) {
            return Some((4000, Audience::Pair));
        }
        super::feedback::is_context(path).then_some((400, Audience::Pair))
    }
}

/// 1 to 40 ASCII letters, digits, `-` or `_`.
fn is_id(id: &str) -> bool {
    (1..=40).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `YYYY-MM-DDTHH:MM:SS` with an optional fraction, then `Z` or an offset
/// `±HH:MM`, every part in range. Checked byte by byte: nothing here slices
/// text that may hold characters of several bytes.
pub fn is_timestamp(value: &str) -> bool {
    let b = value.as_bytes();
    // Digits where the shape has `0`, the shape's own byte elsewhere.
    let shaped = |at: usize, shape: &[u8]| b.len() >= at + shape.len() && shape.iter().zip(&b[at..]).all(|(s, c)| if *s == b'0' { c.is_ascii_digit() } else { c == s });
    let number = |at: usize| u32::from(b[at] - b'0') * 10 + u32::from(b[at + 1] - b'0');
    if !(20..=35).contains(&b.len()) || !shaped(0, b"0000-00-00T00:00:00") || super::date::parse(&value[..10]).is_none() || number(11) > 23 || number(14) > 59 || number(17) > 60 {
        return false;
    }
    let mut at = 19;
    if b[at] == b'.' {
        at += 1;
        let start = at;
        while at < b.len() && b[at].is_ascii_digit() {
            at += 1;
        }
        if at == start || at - start > 9 {
            return false;
        }
    }
    match b.len() - at {
        1 => b[at] == b'Z',
        6 => matches!(b[at], b'+' | b'-') && shaped(at + 1, b"00:00") && number(at + 1) <= 23 && number(at + 4) <= 59,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        let mut data = Values::default();
        for (k, v) in [("kind", "session"), ("date", "2027-01-05"), ("rating", "4"), ("private.note", "mine"), ("coordinator.note", "for you")] {
            data.set(k, v.into());
        }
        Record { id: "3f2a-1".into(), seq: 1, version: 2, kind: "session".into(), created: "2027-01-05T10:00:00.000Z".into(), submitted: "2027-01-06T09:30:00.000Z".into(), data }
    }

    #[test]
    fn a_record_travels_without_its_private_note_but_with_the_coordinators() {
        let p = Payload::from_record(&record(), &Programme::default());
        assert_eq!(p.check(), Ok(()));
        assert_eq!((p.data.get("private.note"), p.data.get("coordinator.note"), p.record_version), ("", "for you", 2));
        let json = p.to_json();
        assert!(json.starts_with("{\"schema\":\"mentorkit.record\",\"version\":1,") && json.contains("\"recordVersion\":2"));
    }

    #[test]
    fn a_receiver_is_told_what_is_wrong() {
        let good = Payload::from_record(&record(), &Programme::default());
        let cases: [(&str, fn(&mut Payload)); 7] = [
            ("schema", |p| p.schema = "x".into()),
            ("version", |p| p.version = 3),
            ("id", |p| p.id = "a b".into()),
            ("kind", |p| p.kind = "party".into()),
            ("submitted", |p| p.submitted = "yesterday".into()),
            ("private", |p| p.data.set("private.note", "leak".into())),
            ("not an answer", |p| p.data.set("health", "4".into())),
        ];
        for (word, spoil) in cases {
            let mut p = good.clone();
            spoil(&mut p);
            assert!(p.check().unwrap_err().contains(word), "{word}");
        }
        assert!(Payload::parse(r#"{"schema":"mentorkit.record","extra":1}"#).unwrap_err().contains("extra"), "unknown fields are refused");
        assert!(Payload::parse(r#"{"schema":"mentorkit.record","version":"1"}"#).unwrap_err().contains("version"), "the field of a wrong type is named");
        assert_eq!(Payload::parse(&good.to_json()), Ok(good.clone()), "what is sent reads back");
    }

    #[test]
    fn a_version_2_record_says_whom_it_concerns_and_reads_back() {
        let about = About { pair: "pair-7".into(), role: "mentee".into(), agreement: "agr-1".into(), fingerprint: "ab".repeat(32) };
        let p = Payload::from_record(&record(), &Programme::default()).concerning(Some(about.clone()));
        assert_eq!((p.version, p.check()), (2, Ok(())));
        assert_eq!(Payload::parse(&p.to_json()).unwrap().about, Some(about.clone()));
        let v1 = Payload::from_record(&record(), &Programme::default());
        assert_eq!((v1.version, v1.check()), (1, Ok(())), "a record that says nothing is version 1, still valid");
        for (spoil, word) in [(About { pair: "a b".into(), ..about.clone() }, "pair"), (About { role: "boss".into(), ..about.clone() }, "role"), (About { fingerprint: "x".into(), ..about.clone() }, "fingerprint")] {
            let p = Payload::from_record(&record(), &Programme::default()).concerning(Some(spoil));
            assert!(p.check().unwrap_err().contains(word), "{word}");
        }
    }

    #[test]
    fn an_invitation_tells_its_pair_and_role() {
        let token = format!("mki_pair-9.mentor.{}", "a1".repeat(32));
        assert_eq!(Invitation::parse(&token), Ok(Invitation { token: token.clone(), pair: "pair-9".into(), role: "mentor".into() }));
        for bad in ["", "mki_", "mki_p.boss.abcdef", &format!("mki_p q.mentee.{}", "0".repeat(64)), &format!("mkk_p.mentee.{}", "0".repeat(64)), &format!("mki_p.mentee.{}.x", "0".repeat(64))] {
            assert!(Invitation::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn timestamps_are_checked_without_slicing_characters() {
        for good in ["2026-11-22T10:00:00Z", "2026-11-22T10:00:00.123Z", "2026-11-22T23:59:60+01:00", "2026-11-22T10:00:00.123456789-05:30"] {
            assert!(is_timestamp(good), "{good}");
        }
        for bad in ["2027-01-0éT10:00:00Z", "2027-01-01T10:00:00éZ", "2027-02-30T10:00:00Z", "2027-01-01T24:00:00Z", "2027-01-01 10:00:00Z", "2027-01-01T10:00:00", "2027-01-01T10:00:00.Z", "2027-01-01T10:00:00+1:00", "ééééééééééééééééééééé"] {
            assert!(!is_timestamp(bad), "{bad}");
        }
        let mut p = Payload::from_record(&record(), &Programme::default());
        p.created = "2027-01-0éT10:00:00Z".into();
        assert!(p.check().unwrap_err().contains("created"));
    }
}
