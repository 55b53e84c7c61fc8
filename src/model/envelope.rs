//! The versioned envelope around everything stored or sent.
//!
//! `{"schema": "mentorkit.agreement", "version": 1, "savedAt": …, "data": …}`.
//! The header is read before the data, so a value from a newer version or from
//! something else entirely is recognised as such instead of half-parsed.

use super::json::{self, FromJson, JsonError, Reader, ToJson, Writer};

/// A schema name and the newest version this build understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schema {
    /// Stable name, e.g. `mentorkit.agreement`.
    pub name: &'static str,
    /// The version this build writes and the newest it reads.
    pub version: u32,
}

/// The draft of an agreement.
pub const AGREEMENT_DRAFT: Schema = Schema { name: "mentorkit.agreement", version: 1 };
/// The draft of a session's feedback.
pub const FEEDBACK_DRAFT: Schema = Schema { name: "mentorkit.feedback", version: 1 };
/// Every submitted feedback record, all versions.
pub const FEEDBACK_RECORDS: Schema = Schema { name: "mentorkit.feedback-records", version: 1 };
/// Records waiting for, or already taken by, the programme's endpoint.
pub const OUTBOX: Schema = Schema { name: "mentorkit.outbox", version: 1 };
/// One feedback record as handed to the host and sent to an endpoint.
pub const FEEDBACK_RECORD: Schema = Schema { name: "mentorkit.feedback-record", version: 1 };

/// A stored value.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope<T> {
    /// Which schema `data` follows.
    pub schema: String,
    /// Which version of it.
    pub version: u32,
    /// When it was written, in milliseconds since the Unix epoch (written
    /// as a whole number, so it reads back exactly).
    pub saved_at: f64,
    /// The value itself.
    pub data: T,
}

impl<T: ToJson> ToJson for Envelope<T> {
    fn write(&self, w: &mut Writer) {
        w.object(|w| {
            w.key("schema").str(&self.schema);
            w.key("version").value(&self.version);
            w.key("savedAt").ms(self.saved_at);
            w.key("data").value(&self.data);
        });
    }
}

/// The schema and version of an envelope, read before its data.
#[derive(Default)]
struct Header {
    schema: Option<String>,
    version: Option<u32>,
}

/// Reads an envelope's data and keeps it wherever its caller wants it: one
/// reader of the envelope serves every kind of data.
pub type ReadData<'f> = &'f mut dyn FnMut(&mut Reader) -> json::Result<()>;

/// An envelope as [`open_with`] found it; its data went to the caller.
pub struct Opened {
    schema: String,
    version: u32,
    saved_at: f64,
}

impl Opened {
    /// The envelope, with the data its reader kept (see [`keep_in`]).
    pub fn holding<T>(self, data: Option<T>) -> Option<Envelope<T>> {
        Some(Envelope { schema: self.schema, version: self.version, saved_at: self.saved_at, data: data? })
    }
}

/// A [`ReadData`] that reads a `T` and keeps it in `slot`: what every
/// caller that wants the data as a `T` hands the reader.
pub fn keep_in<T: FromJson>(slot: &mut Option<T>) -> impl FnMut(&mut Reader) -> json::Result<()> + '_ {
    move |r| {
        *slot = Some(T::read(r)?);
        Ok(())
    }
}

/// Reads an envelope's fields, and its data with `data` when given; says
/// whether the data was there.
fn read_envelope(text: &str, mut data: Option<ReadData>) -> json::Result<(Header, Option<f64>, bool)> {
    let mut r = Reader::new(text);
    let (mut header, mut saved_at, mut read) = (Header::default(), None, false);
    json::fields(&mut r, false, |r, key| {
        match (key, data.as_mut()) {
            ("schema", _) => header.schema = Some(String::read(r)?),
            ("version", _) => header.version = Some(r.u32()?),
            ("savedAt", _) => saved_at = Some(r.number()?),
            ("data", Some(data)) => {
                data(r)?;
                read = true;
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    r.end()?;
    Ok((header, saved_at, read))
}

/// Why a stored value cannot be used.
#[derive(Clone, Debug, PartialEq)]
pub enum EnvelopeError {
    /// Not JSON, or not the shape the schema promises.
    Corrupt(JsonError),
    /// Written by a newer version of mentorkit.
    Newer {
        /// The version found.
        found: u32,
        /// The newest this build reads.
        supported: u32,
    },
    /// Another schema, or something that is not a mentorkit envelope at all.
    Foreign(String),
}

/// Wraps `data` for storage.
pub fn seal<T: ToJson>(schema: Schema, saved_at: f64, data: &T) -> String {
    json::stringify(&Envelope { schema: schema.name.to_owned(), version: schema.version, saved_at, data })
}

/// The largest time a JavaScript `Date` holds, in milliseconds either side of
/// the epoch.
pub const MAX_TIME: f64 = 8.64e15;

/// Whether `ms` is a time a `Date` can hold.
pub fn is_time(ms: f64) -> bool {
    ms.is_finite() && ms.abs() <= MAX_TIME
}

/// Reads a value written by [`seal`], checking its schema and version first.
/// A `savedAt` no `Date` can hold makes the value corrupt.
pub fn open<T: FromJson>(schema: Schema, text: &str) -> Result<Envelope<T>, EnvelopeError> {
    let mut data = None;
    let opened = open_with(schema, text, &mut keep_in(&mut data))?;
    opened.holding(data).ok_or_else(|| EnvelopeError::Corrupt(JsonError("data missing".into())))
}

/// [`open`], with the data read by `read_data`, which keeps it.
pub fn open_with(schema: Schema, text: &str, read_data: ReadData) -> Result<Opened, EnvelopeError> {
    // The common case, this schema and version in the expected shape, takes one pass.
    let (header, saved_at, read) = match read_envelope(text, Some(&mut *read_data)) {
        Ok(found) if found.0.schema.as_deref() == Some(schema.name) && found.0.version == Some(schema.version) => found,
        _ => {
            let (header, _, _) = read_envelope(text, None).map_err(EnvelopeError::Corrupt)?;
            let found = header.schema.unwrap_or_default();
            if found != schema.name {
                return Err(EnvelopeError::Foreign(found));
            }
            return Err(match header.version {
                Some(version) if version > schema.version => EnvelopeError::Newer { found: version, supported: schema.version },
                Some(_) => EnvelopeError::Corrupt(read_envelope(text, Some(read_data)).err().unwrap_or_else(|| JsonError("data missing".into()))),
                None => EnvelopeError::Corrupt(JsonError("no version".into())),
            });
        }
    };
    let (Some(saved_at), true) = (saved_at, read) else {
        return Err(EnvelopeError::Corrupt(JsonError("savedAt or data missing".into())));
    };
    if !is_time(saved_at) {
        return Err(EnvelopeError::Corrupt(JsonError("savedAt is not a time".into())));
    }
    Ok(Opened { schema: header.schema.unwrap_or_default(), version: header.version.unwrap_or_default(), saved_at })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Thing {
        name: String,
    }

    impl ToJson for Thing {
        fn write(&self, w: &mut Writer) {
            w.object(|w| {
                w.key("name").str(&self.name);
            });
        }
    }

    impl FromJson for Thing {
        fn read(r: &mut Reader) -> json::Result<Thing> {
            let mut name = None;
            json::fields(r, false, |r, key| {
                if key != "name" {
                    return Ok(false);
                }
                name = Some(String::read(r)?);
                Ok(true)
            })?;
            Ok(Thing { name: name.ok_or_else(|| JsonError("name missing".into()))? })
        }
    }

    #[test]
    fn round_trips() {
        let text = seal(AGREEMENT_DRAFT, 5.0, &Thing { name: "Ana".into() });
        let env: Envelope<Thing> = open(AGREEMENT_DRAFT, &text).unwrap();
        assert_eq!(env.data, Thing { name: "Ana".into() });
        assert_eq!(env.saved_at, 5.0);
    }

    #[test]
    fn rejects_garbage_as_corrupt() {
        assert!(matches!(open::<Thing>(AGREEMENT_DRAFT, "{not json"), Err(EnvelopeError::Corrupt(_))));
        assert!(matches!(open::<Thing>(AGREEMENT_DRAFT, "%%%"), Err(EnvelopeError::Corrupt(_))));
    }

    #[test]
    fn rejects_a_newer_version_before_reading_its_data() {
        let text = r#"{"schema":"mentorkit.agreement","version":7,"savedAt":1,"data":{"shape":"unknown"}}"#;
        assert_eq!(
            open::<Thing>(AGREEMENT_DRAFT, text).unwrap_err(),
            EnvelopeError::Newer { found: 7, supported: 1 }
        );
    }

    #[test]
    fn rejects_another_schema_and_foreign_values() {
        let text = seal(FEEDBACK_DRAFT, 1.0, &Thing { name: "x".into() });
        assert_eq!(open::<Thing>(AGREEMENT_DRAFT, &text).unwrap_err(), EnvelopeError::Foreign(FEEDBACK_DRAFT.name.into()));
        assert!(matches!(open::<Thing>(AGREEMENT_DRAFT, r#"{"theme":"dark"}"#), Err(EnvelopeError::Foreign(_))));
    }

    #[test]
    fn a_saved_time_no_date_can_hold_is_corrupt() {
        for at in ["1e308", "-9e15", "8.640000000000001e15"] {
            let text = format!(r#"{{"schema":"mentorkit.agreement","version":1,"savedAt":{at},"data":{{"name":"x"}}}}"#);
            assert!(matches!(open::<Thing>(AGREEMENT_DRAFT, &text), Err(EnvelopeError::Corrupt(_))), "{at}");
        }
        let text = r#"{"schema":"mentorkit.agreement","version":1,"savedAt":8.64e15,"data":{"name":"x"}}"#;
        assert!(open::<Thing>(AGREEMENT_DRAFT, text).is_ok());
    }

    #[test]
    fn rejects_right_header_wrong_data_as_corrupt() {
        let text = r#"{"schema":"mentorkit.agreement","version":1,"savedAt":1,"data":{"name":42}}"#;
        assert!(matches!(open::<Thing>(AGREEMENT_DRAFT, text), Err(EnvelopeError::Corrupt(_))));
    }
}
