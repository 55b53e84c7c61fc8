//! The facts of a record: the few answers the pairs list and the reports
//! are worked out from, kept beside the record in its own row.
//!
//! Reading and parsing every record of a programme for each view of its
//! pairs would take far longer than drawing the page; so when a record is
//! stored, what those views need of it is written to the row's `facts`
//! column (dates, what happened, ratings, action points, the first
//! session's pairing fit, outcomes; for an agreement its rhythm, dates,
//! signatures and fingerprint), never free text. The views then read one
//! row per pair: the facts of its records joined by the database.
//!
//! Being in the record's row, the facts go when the record goes (erasure,
//! retention). Records stored before the column existed are given their
//! facts at start ([`backfill`]).

use crate::db::{Db, Engine};
use mentorkit::model::delivery::Payload;
use mentorkit::model::form::Values;
use mentorkit::model::json::{self, FromJson, Reader, ToJson, Writer};
use mentorkit::model::signing;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What the views know of one record (in one version).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    /// Who sent it: `mentee`, `mentor`, or empty when not known.
    pub role: String,
    /// `agreement`, `session`, `checkin` or `closing`.
    pub kind: String,
    /// The record's id, the same in every version.
    pub id: String,
    /// Its version.
    pub version: u32,
    /// When its first version was submitted (ISO 8601).
    pub created: String,
    /// When this version was submitted (ISO 8601).
    pub submitted: String,
    /// When the server received it (ms since 1970).
    pub received_ms: i64,
    /// Feedback: the record id of the agreement it names (may be empty).
    pub agreement: String,
    /// An agreement's own fingerprint; feedback: the one it names.
    pub fingerprint: String,
    /// The answers the views use.
    pub data: Values,
}

/// The answers of feedback the views use (`action.N.…`, `open.…`, `goal.N.…`
/// and `outcomes.…` by prefix).
const FEEDBACK_PATHS: &[&str] = &[
    "kind", "respondent", "date", "status", "rating", "talking", "duration", "fit", "first", "actions", "health", "continue", "goals",
    "outcomes.intangible", "outcomes.concrete", "outcomes.other", "stayInTouch",
];
/// The answers of an agreement the views use (`sign.` and `term.` by prefix).
const AGREEMENT_PATHS: &[&str] =
    &["meet.cadence", "meet.every", "meet.unit", "meet.minutes", "meet.first", "review.1", "review.2", "review.3", "mentee.minor", "goals"];

fn kept(kind: &str, path: &str) -> bool {
    if kind == "agreement" {
        return AGREEMENT_PATHS.contains(&path) || path.starts_with("sign.") || path.starts_with("term.");
    }
    if FEEDBACK_PATHS.contains(&path) || path.starts_with("open.") {
        return true;
    }
    // An action point's what, who and due date; a goal's progress or
    // whether it was achieved (not its title, which is the agreement's text).
    let item = |prefix: &str, parts: &[&str]| {
        path.strip_prefix(prefix).and_then(|r| r.split_once('.')).is_some_and(|(n, part)| n.bytes().all(|b| b.is_ascii_digit()) && parts.contains(&part))
    };
    item("action.", &["what", "who", "due"]) || item("goal.", &["progress", "achieved"])
}

impl Fact {
    /// The facts of `payload`, sent by `role`, received at `received_ms`.
    pub fn of(payload: &Payload, role: &str, received_ms: i64) -> Fact {
        let (agreement, fingerprint) = match (&payload.kind[..], &payload.about) {
            ("agreement", _) => (String::new(), signing::fingerprint(&payload.data)),
            (_, Some(about)) => (about.agreement.clone(), about.fingerprint.clone()),
            _ => (String::new(), String::new()),
        };
        Fact {
            role: role.to_owned(),
            kind: payload.kind.clone(),
            id: payload.id.clone(),
            version: payload.record_version,
            created: payload.created.clone(),
            submitted: payload.submitted.clone(),
            received_ms,
            agreement,
            fingerprint,
            data: payload.data.filtered(|path| kept(&payload.kind, path)),
        }
    }

    /// The facts as the text stored in the row.
    pub fn to_text(&self) -> String {
        json::stringify(self)
    }

    /// Reads facts as stored.
    pub fn parse(text: &str) -> Result<Fact, String> {
        json::parse(text).map_err(|e| e.0)
    }

    /// The day the record is about (`YYYY-MM-DD`; empty for an agreement).
    pub fn date(&self) -> &str {
        self.data.get("date")
    }
}

impl ToJson for Fact {
    fn write(&self, w: &mut Writer) {
        w.object(|w| {
            w.key("role").str(&self.role);
            w.key("kind").str(&self.kind);
            w.key("id").str(&self.id);
            w.key("version").value(&self.version);
            w.key("created").str(&self.created);
            w.key("submitted").str(&self.submitted);
            w.key("received").int(self.received_ms);
            w.key("agreement").str(&self.agreement);
            w.key("fingerprint").str(&self.fingerprint);
            w.key("data").value(&self.data);
        });
    }
}

impl FromJson for Fact {
    fn read(r: &mut Reader) -> json::Result<Fact> {
        let mut f = Fact {
            role: String::new(),
            kind: String::new(),
            id: String::new(),
            version: 0,
            created: String::new(),
            submitted: String::new(),
            received_ms: 0,
            agreement: String::new(),
            fingerprint: String::new(),
            data: Values::default(),
        };
        json::fields(r, false, |r, key| {
            match key {
                "role" => f.role = String::read(r)?,
                "kind" => f.kind = String::read(r)?,
                "id" => f.id = String::read(r)?,
                "version" => f.version = r.u32()?,
                "created" => f.created = String::read(r)?,
                "submitted" => f.submitted = String::read(r)?,
                "received" => f.received_ms = r.number()? as i64,
                "agreement" => f.agreement = String::read(r)?,
                "fingerprint" => f.fingerprint = String::read(r)?,
                "data" => f.data = Values::read(r)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        if f.kind.is_empty() || f.id.is_empty() {
            return Err(json::JsonError("facts without a kind or an id".into()));
        }
        Ok(f)
    }
}

/// Facts by pair.
pub type ByPair = HashMap<String, Vec<Fact>>;

/// What was read of one programme, and which rows it was read from.
#[derive(Clone, Debug, Default)]
struct Read {
    /// How many rows, the sum and the highest of their `seq`.
    count: i64,
    sum: i64,
    max: i64,
    facts: Arc<ByPair>,
}

/// The facts last read of each programme, kept with the pool. Read again
/// in full whenever rows went (erasure, retention) or came out of order;
/// otherwise only the rows received since are read and added.
#[derive(Clone, Debug, Default)]
pub struct Cache(Arc<Mutex<HashMap<String, Read>>>);

/// How the database joins texts of a group, one per line: the one piece of
/// SQL that is not the same on both engines.
fn joined(engine: Engine, column: &str) -> String {
    match engine {
        Engine::Sqlite => format!("group_concat({column}, char(10))"),
        Engine::Postgres => format!("string_agg({column}, chr(10))"),
    }
}

const HAS_FACTS: &str = "programme_id = $1 AND pair_id IS NOT NULL AND facts IS NOT NULL AND facts <> ''";

fn add_rows(out: &mut ByPair, rows: &[sqlx::any::AnyRow]) -> Result<(), sqlx::Error> {
    for row in rows {
        let pair: String = crate::db::get(row, "pair_id")?;
        let text: String = crate::db::get(row, "facts")?;
        // Facts are written by this server; one that cannot be read (a row
        // edited by hand) is left out rather than hiding the whole pair.
        out.entry(pair).or_default().extend(text.lines().filter_map(|line| Fact::parse(line).ok()));
    }
    Ok(())
}

/// The facts of every record of the programme, by pair (in no order).
pub async fn of_programme(db: &Db, programme_id: &str) -> Result<Arc<ByPair>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT COUNT(*) AS n, CAST(COALESCE(SUM(seq), 0) AS BIGINT) AS s, CAST(COALESCE(MAX(seq), 0) AS BIGINT) AS m FROM records WHERE {HAS_FACTS}"))
        .bind(programme_id)
        .fetch_one(&db.pool)
        .await?;
    let (count, sum, max): (i64, i64, i64) = (crate::db::get(&row, "n")?, crate::db::get(&row, "s")?, crate::db::get(&row, "m")?);
    let known = db.facts.0.lock().ok().and_then(|c| c.get(programme_id).cloned());
    if let Some(known) = &known {
        if (known.count, known.sum, known.max) == (count, sum, max) {
            return Ok(known.facts.clone());
        }
        if count > known.count && max > known.max {
            // Only added since: read the new rows and check they are all that changed.
            let rows = sqlx::query(&format!("SELECT seq, pair_id, facts FROM records WHERE {HAS_FACTS} AND seq > $2 AND seq <= $3"))
                .bind(programme_id)
                .bind(known.max)
                .bind(max)
                .fetch_all(&db.pool)
                .await?;
            let mut added = 0;
            for row in &rows {
                added += crate::db::get::<i64>(row, "seq")?;
            }
            if known.count + rows.len() as i64 == count && known.sum + added == sum {
                let mut facts = (*known.facts).clone();
                add_rows(&mut facts, &rows)?;
                return Ok(keep(db, programme_id, Read { count, sum, max, facts: Arc::new(facts) }));
            }
        }
    }
    let sql = format!("SELECT pair_id, {} AS facts, COUNT(*) AS n, CAST(SUM(seq) AS BIGINT) AS s, CAST(MAX(seq) AS BIGINT) AS m FROM records WHERE {HAS_FACTS} GROUP BY pair_id", joined(db.engine, "facts"));
    let rows = sqlx::query(&sql).bind(programme_id).fetch_all(&db.pool).await?;
    let mut facts = HashMap::with_capacity(rows.len());
    add_rows(&mut facts, &rows)?;
    let mut read = Read { facts: Arc::new(facts), ..Read::default() };
    for row in &rows {
        read.count += crate::db::get::<i64>(row, "n")?;
        read.sum += crate::db::get::<i64>(row, "s")?;
        read.max = read.max.max(crate::db::get::<i64>(row, "m")?);
    }
    Ok(keep(db, programme_id, read))
}

fn keep(db: &Db, programme_id: &str, read: Read) -> Arc<ByPair> {
    let facts = read.facts.clone();
    if let Ok(mut cache) = db.facts.0.lock() {
        cache.insert(programme_id.to_owned(), read);
    }
    facts
}

/// The facts of one pair's records.
pub async fn of_pair(db: &Db, programme_id: &str, pair_id: &str) -> Result<Vec<Fact>, sqlx::Error> {
    let rows = sqlx::query("SELECT facts FROM records WHERE programme_id = $1 AND pair_id = $2 AND facts IS NOT NULL")
        .bind(programme_id)
        .bind(pair_id)
        .fetch_all(&db.pool)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let text: String = crate::db::get(row, "facts")?;
        out.extend(Fact::parse(&text).ok());
    }
    Ok(out)
}

/// Gives their facts to records stored before facts were kept (or by an
/// older server on the same database); how many were given.
pub async fn backfill(db: &Db) -> Result<u64, sqlx::Error> {
    let mut done = 0;
    loop {
        let rows = sqlx::query("SELECT seq, role, received_ms, body FROM records WHERE facts IS NULL AND pair_id IS NOT NULL ORDER BY seq LIMIT 500")
            .fetch_all(&db.pool)
            .await?;
        if rows.is_empty() {
            return Ok(done);
        }
        let mut tx = db.pool.begin().await?;
        for row in &rows {
            let seq: i64 = crate::db::get(row, "seq")?;
            let role: Option<String> = crate::db::get(row, "role")?;
            let received: i64 = crate::db::get(row, "received_ms")?;
            let body: String = crate::db::get(row, "body")?;
            // A body that no longer reads as a record gets empty facts, so it
            // is not looked at again; the views skip it.
            let facts = Payload::parse(&body).map(|p| Fact::of(&p, role.as_deref().unwrap_or(""), received).to_text()).unwrap_or_default();
            sqlx::query("UPDATE records SET facts = $1 WHERE seq = $2 AND facts IS NULL").bind(facts).bind(seq).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        done += rows.len() as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mentorkit::model::delivery::About;

    fn payload(kind: &str, pairs: &[(&str, &str)]) -> Payload {
        let mut data = Values::default();
        for (k, v) in pairs {
            data.set(k, (*v).into());
        }
        Payload {
            schema: "mentorkit.record".into(),
            version: 2,
            id: "r-1".into(),
            kind: kind.into(),
            record_version: 2,
            created: "2027-01-05T10:00:00.000Z".into(),
            submitted: "2027-01-06T10:00:00.000Z".into(),
            data,
            about: Some(About { pair: "P1".into(), role: "mentee".into(), agreement: "a-1".into(), fingerprint: "ab".repeat(32) }),
        }
    }

    #[test]
    fn facts_keep_what_the_views_count_and_no_free_text() {
        let p = payload(
            "session",
            &[
                ("kind", "session"), ("date", "2027-01-05"), ("status", "held"), ("rating", "4"), ("fit", "poor"), ("first", "yes"),
                ("actions", "1"), ("action.1.what", "Draft the CV"), ("action.1.due", "2027-01-20"), ("open.3.1", "done"),
                ("goals", "1"), ("goal.1.title", "Portfolio"), ("goal.1.progress", "partly"),
                ("wentWell", "A long story"), ("topics", "Money"), ("coordinator.note", "Call me"), ("q.energy", "4"),
            ],
        );
        let f = Fact::of(&p, "mentee", 42);
        let kept: Vec<&str> = f.data.keys().collect();
        assert_eq!(kept, ["action.1.due", "action.1.what", "actions", "date", "first", "fit", "goal.1.progress", "goals", "kind", "open.3.1", "rating", "status"]);
        assert_eq!((f.agreement.as_str(), f.fingerprint.len(), f.version, f.received_ms), ("a-1", 64, 2, 42));
        assert_eq!(Fact::parse(&f.to_text()), Ok(f), "facts read back as written");
    }

    #[test]
    fn an_agreement_keeps_its_rhythm_dates_signatures_and_own_fingerprint() {
        let mut p = payload("agreement", &[("mentee.name", "Ada"), ("meet.cadence", "60-monthly"), ("term.start", "2027-01-01"), ("review.1", "2027-03-01"), ("purpose.text", "Grow")]);
        p.about = Some(About { pair: "P1".into(), ..About::default() });
        signing::sign(&mut p.data, "mentee", "Ada", true, "2027-01-02T10:00:00Z").expect("signed");
        let f = Fact::of(&p, "mentor", 1);
        assert_eq!(f.fingerprint, signing::fingerprint(&p.data));
        assert_eq!(f.data.get("purpose.text"), "");
        assert_eq!(f.data.get("mentee.name"), "", "names live with the pair, not in the facts");
        assert!(matches!(signing::signature(&f.data, "mentee", &f.fingerprint), signing::Signature::Valid { .. }), "a signature still checks against the facts");
    }
}
