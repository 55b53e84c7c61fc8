//! A fictional programme, for the demo's coordinator view and the
//! benchmark: pairs with made-up names and a story each (on track, overdue,
//! low ratings, a poor fit, closed with outcomes, cancellations, rated far
//! apart, no agreement, ending soon), told by records as the widgets send
//! them: a signed agreement, then sessions from both sides, check-ins and
//! closing reviews, each naming the agreement by its fingerprint.
//!
//! [`seed`] enrols the pairs and posts every record through the server's
//! own `POST /api/records` with the pair's invitations, as the widgets do.
//! Everything here is invented; the demo says so on every page.

use crate::db::Db;
use crate::http::{self, App};
use crate::programmes::{self, Enrolment};
use axum::body::Body;
use mentorkit::model::date;
use mentorkit::model::delivery::{About, Payload};
use mentorkit::model::form::Values;
use mentorkit::model::signing;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use tower::ServiceExt;

/// What happens to a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Story {
    /// Meets as agreed, rates well.
    OnTrack,
    /// Stopped meeting some weeks ago.
    Overdue,
    /// The mentee's last three ratings are low.
    LowRatings,
    /// The mentor said after the first session that the pairing is not a good fit.
    PoorFit,
    /// Finished, both wrote a closing review with outcomes.
    Closed,
    /// The last two sessions did not take place.
    Cancelled,
    /// Mentee and mentor rated the last session far apart.
    Apart,
    /// Never signed an agreement; a session or two reported.
    NoAgreement,
    /// The agreement ends within a month.
    EndingSoon,
}

impl Story {
    /// The stories, in the order pairs are given them.
    pub const CYCLE: [Story; 10] =
        [Story::OnTrack, Story::Overdue, Story::LowRatings, Story::OnTrack, Story::PoorFit, Story::Closed, Story::Cancelled, Story::Apart, Story::NoAgreement, Story::EndingSoon];
}

/// One pair of the sample and what it sends.
pub struct Pair {
    /// Its id.
    pub id: String,
    /// The mentee's name.
    pub mentee: String,
    /// The mentor's name.
    pub mentor: String,
    /// Its story.
    pub story: Story,
    /// The records, in the order they are sent: (role, record).
    pub records: Vec<(&'static str, Payload)>,
}

const FIRST: [&str; 20] = [
    "Amara", "Jonas", "Lucía", "Chen", "Farah", "Mateo", "Ingrid", "Kwame", "Sofia", "Yusuf", "Noor", "Élise", "Tomasz", "Priya", "Diego", "Hana", "Omar", "Greta", "Ravi", "Zanele",
];
const LAST: [&str; 20] = [
    "Okafor", "Weber", "Romero", "Li", "Haddad", "Silva", "Berg", "Mensah", "Rossi", "Demir", "Saleh", "Martin", "Nowak", "Iyer", "Castro", "Sato", "Aziz", "Lind", "Kapoor", "Dlamini",
];

fn name(n: usize) -> String {
    format!("{} {}", FIRST[n % FIRST.len()], LAST[(n / FIRST.len() + n * 7) % LAST.len()])
}

fn day(d: i64) -> String {
    date::format(d)
}

fn stamp(d: i64, hour: u32) -> String {
    format!("{}T{hour:02}:00:00.000Z", day(d))
}

fn values(pairs: &[(&str, String)]) -> Values {
    let mut v = Values::default();
    for (k, value) in pairs {
        v.set(k, value.clone());
    }
    v
}

/// The signed agreement of a pair starting on `start`.
fn agreement(id: &str, mentee: &str, mentor: &str, cadence: &str, start: i64, months: &str, review: i64) -> (Payload, String) {
    let mut v = values(&[
        ("mentee.name", mentee.to_owned()),
        ("mentee.minor", "no".into()),
        ("mentor.name", mentor.to_owned()),
        ("purpose.text", "Find a first job in the field and the confidence to go for it.".into()),
        ("goals", "1".into()),
        ("goal.1.what", "A portfolio to show employers".into()),
        ("expect.mentee", "Bring an agenda and do what we agree.".into()),
        ("expect.mentor", "Listen, ask, and share what worked for me.".into()),
        ("meet.cadence", cadence.to_owned()),
        ("meet.format", "video".into()),
        ("confidentiality.text", "What we say stays between us.".into()),
        ("confidentiality.limits", "Unless someone is at risk of harm.".into()),
        ("ending.text", "Either of us may end it, saying so to the programme.".into()),
        ("term.start", day(start)),
        ("term.length", months.to_owned()),
        ("review.1", day(review)),
    ]);
    for (party, person) in [("mentee", mentee), ("mentor", mentor)] {
        signing::sign(&mut v, party, person, true, &stamp(start - 2, 18)).expect("the sample signs with the names it gave");
    }
    let fingerprint = signing::fingerprint(&v);
    let p = Payload::from_agreement(&v, &format!("{id}-agreement"), 1, &stamp(start - 3, 17), &stamp(start - 2, 18));
    (p.concerning(Some(About { pair: id.to_owned(), role: "mentor".into(), ..About::default() })), fingerprint)
}

/// What is known when writing a pair's records.
struct Writer<'a> {
    pair: &'a str,
    agreement: Option<(String, String)>,
    n: usize,
}

impl Writer<'_> {
    fn record(&mut self, role: &'static str, kind: &str, on: i64, mut data: Vec<(&str, String)>) -> (&'static str, Payload) {
        self.n += 1;
        data.push(("kind", kind.to_owned()));
        data.push(("respondent", role.to_owned()));
        data.push(("date", day(on)));
        let (agreement, fingerprint) = self.agreement.clone().unwrap_or_default();
        let p = Payload {
            schema: "mentorkit.record".into(),
            version: 1,
            id: format!("{}-{}-{}", self.pair, role, self.n),
            kind: kind.to_owned(),
            record_version: 1,
            created: stamp(on, 19),
            submitted: stamp(on, 19),
            data: values(&data),
            about: None,
        };
        (role, p.concerning(Some(About { pair: self.pair.to_owned(), role: role.to_owned(), agreement, fingerprint })))
    }
}

/// A small pseudo-random sequence, so the sample is the same every time.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// `count` pairs of `sessions` sessions each (fewer for the stories that
/// stop early), as of `today` (`YYYY-MM-DD`), with ids `prefix001`….
pub fn pairs(count: usize, sessions: usize, today: &str, prefix: &str) -> Vec<Pair> {
    let today = date::parse(today).expect("today is a date");
    let sessions = sessions.max(3) as i64;
    let mut dice = Dice(7);
    (0..count)
        .map(|i| {
            let story = Story::CYCLE[i % Story::CYCLE.len()];
            let id = format!("{prefix}{:03}", i + 1);
            let (mentee, mentor) = (name(2 * i), name(2 * i + 1));
            let fortnightly = i % 3 != 2;
            let (cadence, every) = if fortnightly { ("30-fortnightly", 14) } else { ("60-monthly", 30) };
            // The last session: recent, long ago for an overdue pair, before the end for a closed one.
            let last = match story {
                Story::Overdue => today - every - 25,
                Story::Closed => today - 40,
                _ => today - 1 - (i as i64 % 5),
            };
            let start = last - every * (sessions - 1);
            let months = if story == Story::EndingSoon { "date" } else { "12" };
            let mut records = Vec::new();
            let mut w = Writer { pair: &id, agreement: None, n: 0 };
            if story != Story::NoAgreement {
                let (mut a, fingerprint) = agreement(&id, &mentee, &mentor, cadence, start, months, today + 20 + (i as i64 % 40));
                if story == Story::EndingSoon {
                    let end = day(today + 12 + (i as i64 % 10));
                    let mut v = a.data.clone();
                    v.set("term.end", end);
                    for (party, person) in [("mentee", &mentee), ("mentor", &mentor)] {
                        signing::sign(&mut v, party, person, true, &stamp(start - 2, 18)).expect("signs");
                    }
                    a.data = v;
                    w.agreement = Some((a.id.clone(), signing::fingerprint(&a.data)));
                } else {
                    w.agreement = Some((a.id.clone(), fingerprint));
                }
                records.push(("mentor", a));
            }
            let held = if story == Story::NoAgreement { 2 } else { sessions };
            for s in 0..held {
                let on = start + s * every;
                let left = held - 1 - s;
                for role in ["mentee", "mentor"] {
                    let mut rating = 4 + dice.roll(2);
                    let mut status = "held";
                    if story == Story::LowRatings && role == "mentee" && left < 3 {
                        rating = 2;
                    }
                    if story == Story::LowRatings && role == "mentor" && left < 3 {
                        rating = 3;
                    }
                    if story == Story::Apart && left == 0 {
                        rating = if role == "mentee" { 5 } else { 1 };
                    }
                    if story == Story::Cancelled && left < 2 {
                        status = if left == 1 { "cancelled-mentor" } else { "no-show" };
                    }
                    let mut data: Vec<(&str, String)> = vec![("status", status.into())];
                    if status == "held" {
                        data.push(("rating", rating.to_string()));
                        data.push(("duration", if role == "mentee" { "60" } else { "55" }.into()));
                        data.push(("talking", (2 + dice.roll(3)).to_string()));
                        data.push(("wentWell", if role == "mentee" { "We worked through my CV line by line." } else { "Good questions; the plan is clearer." }.into()));
                        if s == 0 {
                            data.push(("first", "yes".into()));
                            let fit = if story == Story::PoorFit && role == "mentor" { "poor" } else { "good" };
                            data.push(("fit", fit.into()));
                        }
                        if s == held - 1 && role == "mentee" {
                            data.push(("actions", "1".into()));
                            data.push(("action.1.what", "Send two applications".into()));
                            data.push(("action.1.who", "mentee".into()));
                            data.push(("action.1.due", day(on + 10)));
                        }
                        if story == Story::PoorFit && role == "mentor" && s == 0 {
                            data.push(("coordinator.note", "We want different things from this; could we talk about a change?".into()));
                        }
                    } else {
                        data.push(("reason", "Something came up at work.".into()));
                    }
                    records.push(w.record(role, "session", on, data));
                }
                if s == 5 {
                    for role in ["mentee", "mentor"] {
                        let data = vec![("health", (3 + dice.roll(3)).to_string()), ("continue", "yes".into())];
                        records.push(w.record(role, "checkin", on + 1, data));
                    }
                }
            }
            if story == Story::Closed {
                let on = last + 7;
                let outcomes: [(&str, &str, &str); 2] = [("mentee", "clarity;confidence", "new-role"), ("mentor", "perspective", "")];
                for (role, intangible, concrete) in outcomes {
                    let mut data = vec![("outcomes.intangible", intangible.to_owned()), ("stayInTouch", "yes".into()), ("goals", "1".into()), ("goal.1.achieved", "yes".into())];
                    if !concrete.is_empty() {
                        data.push(("outcomes.concrete", concrete.to_owned()));
                    }
                    records.push(w.record(role, "closing", on, data));
                }
            }
            Pair { id, mentee, mentor, story, records }
        })
        .collect()
}

/// Enrols `pairs` in `programme_id` and posts their records through the
/// server's own `POST /api/records`, each with its person's invitation.
/// Enrolment is dated where each story needs it (the first record's day).
pub async fn seed(db: &Db, programme_id: &str, pairs: &[Pair]) -> Result<(), String> {
    use clap::Parser;
    let settings = crate::config::Cli::try_parse_from(["mentorkit-server", "--database-url", "sample"]).map_err(|e| e.to_string())?.serve;
    let app = Arc::new(App { db: db.clone(), settings, origins: RwLock::new(HashMap::new()), demo: None });
    let router = http::router(app);
    for p in pairs {
        let e = Enrolment { pair_id: p.id.clone(), mentee_name: p.mentee.clone(), mentee_contact: String::new(), mentor_name: p.mentor.clone(), mentor_contact: String::new() };
        let inv = programmes::enrol(db, programme_id, &e, "sample").await.map_err(|e| format!("enrolling {}: {e:?}", p.id))?;
        // A sample pair was enrolled a few days before its story begins.
        if let Some(first) = p.records.iter().map(|(_, r)| r.created.clone()).min() {
            let enrolled = date::parse(&first[..10]).map_or(0, |d| (d - 5) * 86_400_000);
            sqlx::query("UPDATE pairs SET created_ms = $1 WHERE programme_id = $2 AND pair_id = $3")
                .bind(enrolled)
                .bind(programme_id)
                .bind(&p.id)
                .execute(&db.pool)
                .await
                .map_err(|e| e.to_string())?;
        }
        for (role, record) in &p.records {
            let token = if *role == "mentee" { &inv.mentee } else { &inv.mentor };
            let request = axum::http::Request::post("/api/records")
                .header("content-type", "application/json")
                .header("authorization", format!("Bearer {token}"))
                .header("idempotency-key", format!("{}.{}", record.id, record.record_version))
                .extension(http::PeerAddr(std::net::SocketAddr::from(([127, 0, 0, 1], 0))))
                .body(Body::from(record.to_json()))
                .map_err(|e| e.to_string())?;
            let answer = router.clone().oneshot(request).await.map_err(|e| e.to_string())?;
            if !answer.status().is_success() {
                let body = axum::body::to_bytes(answer.into_body(), 64 * 1024).await.unwrap_or_default();
                return Err(format!("record {} was refused: {}", record.id, String::from_utf8_lossy(&body)));
            }
        }
    }
    Ok(())
}

/// The sample programme's coordinator, for signing in to the demo.
pub const COORDINATOR_EMAIL: &str = "coordinator@sample.example";
/// Their password (the demo's, printed in the README: nothing here is real).
pub const COORDINATOR_PASSWORD: &str = "sample programme";

/// Makes the demo's fictional programme afresh, as of `today`: its
/// coordinator and 24 pairs of 8 sessions, their records sent through the
/// API. What an earlier demo run made of it is removed first, so its dates
/// always read as recent.
pub async fn demo(db: &Db, today: &str) -> Result<(), String> {
    let id = crate::http::demo::SAMPLE_PROGRAMME;
    let db_err = |e: sqlx::Error| e.to_string();
    for table in ["records", "invitations", "pairs"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE programme_id = $1")).bind(id).execute(&db.pool).await.map_err(db_err)?;
    }
    let p = programmes::Programme {
        id: id.into(),
        name: "Northbridge Arts Mentoring (sample)".into(),
        origins: Vec::new(),
        retention_days: 3650,
        settings: programmes::Settings::default(),
    };
    programmes::create_programme(db, &p, "demo").await.map_err(db_err)?;
    match crate::accounts::create_coordinator(db, id, COORDINATOR_EMAIL, COORDINATOR_PASSWORD, "demo").await {
        Ok(_) => {}
        Err(e) => return Err(format!("the sample coordinator: {e:?}")),
    }
    seed(db, id, &pairs(24, 8, today, "N")).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_record_is_one_a_receiver_accepts_and_agreements_are_signed() {
        let pairs = pairs(20, 8, "2027-03-01", "S");
        for p in &pairs {
            for (_, r) in &p.records {
                assert_eq!(r.check(), Ok(()), "{}", r.id);
                assert_eq!(Payload::parse(&r.to_json()).as_ref().map(|x| &x.data), Ok(&r.data), "{} reads back", r.id);
                if r.kind == "agreement" {
                    assert!(signing::fully_signed(&r.data), "{} is signed", r.id);
                }
            }
        }
        assert!(pairs.iter().any(|p| p.story == Story::Closed) && pairs.iter().all(|p| p.mentee != p.mentor));
    }
}
