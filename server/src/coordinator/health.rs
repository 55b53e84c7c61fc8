//! A pair's health at a glance, worked out from its records' facts.
//!
//! Each person's own history goes through the widgets' own code
//! ([`mentorkit::model::insights`]): the same sessions held, ratings, trend,
//! open action points and alerts (three low ratings in a row, two
//! cancellations in a row, a check-in due) that person sees in their widget.
//! What concerns the pair as a whole comes from the same code too: the
//! agreed rhythm against every session either person reported as held, the
//! review and the end approaching. On top come the programme's own rules:
//! no signed agreement some days after enrolment, no feedback for some
//! weeks, the two rating the same session far apart, a "not a good fit".
//!
//! Feedback names action points by the number its device gave each record
//! (`open.<seq>.<n>`); the server does not receive those numbers, so a
//! person's records are numbered again in the order they were first
//! submitted, which is how the device numbered them.

use super::facts::Fact;
use crate::programmes::Settings;
use mentorkit::model::agreement::signers;
use mentorkit::model::date;
use mentorkit::model::feedback::Record;
use mentorkit::model::form::Values;
use mentorkit::model::insights::{self, Cadence, Insights};
use mentorkit::model::signing::{self, Signature};
use mentorkit::model::validate::term_end;

/// The two people of a pair, in the order the views show them.
pub const ROLES: [&str; 2] = ["mentee", "mentor"];

/// The programme's thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// Days after enrolment a pair may go without a signed agreement.
    pub agreement_days: i64,
    /// Weeks a pair may go without sending feedback.
    pub silence_weeks: i64,
    /// Points apart two ratings of one session must be to be flagged.
    pub rating_gap: i64,
}

impl Rules {
    /// A programme's thresholds.
    pub fn of(settings: &Settings) -> Rules {
        Rules { agreement_days: settings.agreement_days, silence_weeks: settings.silence_weeks, rating_gap: settings.rating_gap }
    }
}

impl Default for Rules {
    fn default() -> Rules {
        Rules::of(&Settings::default())
    }
}

/// The signed agreement the pair's records hold (the latest one).
#[derive(Clone, Debug)]
pub struct Agreement {
    /// Its record id.
    pub id: String,
    /// Its version.
    pub version: u32,
    /// Its fingerprint.
    pub fingerprint: String,
    /// Whether everyone who must sign has signed this content.
    pub signed: bool,
    /// The day of the last signature.
    pub signed_on: Option<String>,
    /// The first day of the term.
    pub start: Option<String>,
    /// The last day of the term, if it has one.
    pub end: Option<String>,
    /// The next review date from today, if one is planned.
    pub next_review: Option<String>,
    /// How long a meeting is agreed to last, in minutes.
    pub minutes: Option<u32>,
    /// What the views need of its answers.
    pub values: Values,
}

/// One person's side.
#[derive(Clone, Debug, Default)]
pub struct Person {
    /// Their history as their own widget works it out.
    pub insights: Insights,
    /// Their answer to "does the pairing fit?" after the first session.
    pub fit: Option<String>,
    /// The day they last submitted feedback.
    pub last_feedback: Option<String>,
    /// Their feedback records (newest version of each), in the order they
    /// were first submitted.
    pub records: Vec<Record>,
}

/// What deserves the coordinator's attention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Alert {
    /// One of the widget's own alerts; whose history raised it (`None`:
    /// the pair's agreement and rhythm).
    Own(insights::Alert, Option<&'static str>),
    /// No signed agreement this many days after enrolment.
    NoAgreement(i64),
    /// No feedback from either person for this many days.
    Silent(i64),
    /// The two rated the session of this day this far apart (mentee, mentor).
    Apart(String, u8, u8),
    /// This person answered that the pairing is not a good fit.
    PoorFit(&'static str),
}

/// The kinds of alert, as the filter names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Not a good fit.
    PoorFit,
    /// Three low ratings in a row.
    LowRatings,
    /// Rated far apart.
    Apart,
    /// Two cancellations in a row.
    Cancellations,
    /// Overdue by the rhythm.
    Overdue,
    /// No signed agreement.
    NoAgreement,
    /// No feedback for weeks.
    Silent,
    /// The end approaching.
    EndSoon,
    /// A review approaching.
    ReviewSoon,
    /// A check-in due.
    CheckinDue,
}

impl Kind {
    /// Every kind, most pressing first.
    pub const ALL: [Kind; 10] =
        [Kind::PoorFit, Kind::LowRatings, Kind::Apart, Kind::Cancellations, Kind::Overdue, Kind::NoAgreement, Kind::Silent, Kind::EndSoon, Kind::ReviewSoon, Kind::CheckinDue];

    /// Its name in a URL.
    pub fn id(self) -> &'static str {
        match self {
            Kind::PoorFit => "poor-fit",
            Kind::LowRatings => "low-ratings",
            Kind::Apart => "apart",
            Kind::Cancellations => "cancellations",
            Kind::Overdue => "overdue",
            Kind::NoAgreement => "no-agreement",
            Kind::Silent => "silent",
            Kind::EndSoon => "end",
            Kind::ReviewSoon => "review",
            Kind::CheckinDue => "checkin",
        }
    }

    /// The kind named `id`.
    pub fn from_id(id: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.id() == id)
    }
}

impl Alert {
    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self {
            Alert::Own(a, _) => match a {
                insights::Alert::LowRatings => Kind::LowRatings,
                insights::Alert::Cancellations => Kind::Cancellations,
                insights::Alert::Overdue(_) => Kind::Overdue,
                insights::Alert::ReviewSoon(..) => Kind::ReviewSoon,
                insights::Alert::EndSoon(..) => Kind::EndSoon,
                insights::Alert::CheckinDue(_) => Kind::CheckinDue,
            },
            Alert::NoAgreement(_) => Kind::NoAgreement,
            Alert::Silent(_) => Kind::Silent,
            Alert::Apart(..) => Kind::Apart,
            Alert::PoorFit(_) => Kind::PoorFit,
        }
    }
}

/// Where the pair stands against its agreed rhythm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rhythm {
    /// No rhythm is known (no agreement, or none agreed).
    Unknown,
    /// The next session is not yet due.
    OnTrack,
    /// The next session is this many days overdue.
    Overdue(i64),
}

/// A pair at a glance.
#[derive(Clone, Debug)]
pub struct Health {
    /// The day it was enrolled.
    pub enrolled: String,
    /// The day it started: its agreement's term, else its first session.
    pub started: Option<String>,
    /// The day of its closing review, once there is one.
    pub closed: Option<String>,
    /// Its latest signed agreement.
    pub agreement: Option<Agreement>,
    /// The mentee's side and the mentor's, as [`ROLES`].
    pub people: [Person; 2],
    /// Sessions held against the agreed rhythm (any held session either
    /// person reported counts once).
    pub cadence: Option<Cadence>,
    /// The last session held.
    pub last_session: Option<String>,
    /// Open action points, both sides together.
    pub open_actions: usize,
    /// What deserves attention, most pressing first (none once closed).
    pub alerts: Vec<Alert>,
}

impl Health {
    /// Where the pair stands against its rhythm (a closed pair has none).
    pub fn rhythm(&self) -> Rhythm {
        match &self.cadence {
            _ if self.closed.is_some() => Rhythm::Unknown,
            None => Rhythm::Unknown,
            Some(c) if c.overdue_days > 0 => Rhythm::Overdue(c.overdue_days),
            Some(_) => Rhythm::OnTrack,
        }
    }

    /// Whether one of its alerts is of `kind`.
    pub fn has(&self, kind: Kind) -> bool {
        self.alerts.iter().any(|a| a.kind() == kind)
    }

    /// The side of `role`.
    pub fn person(&self, role: &str) -> &Person {
        &self.people[usize::from(role == "mentor")]
    }
}

/// The newest version of each record among `facts`, oldest created first.
pub fn newest(facts: &[Fact]) -> Vec<&Fact> {
    let mut all: Vec<&Fact> = facts.iter().collect();
    all.sort_by(|a, b| (&a.role, &a.id).cmp(&(&b.role, &b.id)).then(b.version.cmp(&a.version)).then(b.received_ms.cmp(&a.received_ms)));
    all.dedup_by(|later, first| later.role == first.role && later.id == first.id);
    all.sort_by(|a, b| (&a.created, a.received_ms, &a.id).cmp(&(&b.created, b.received_ms, &b.id)));
    all
}

fn day_of(timestamp: &str) -> Option<String> {
    timestamp.get(..10).filter(|d| date::parse(d).is_some()).map(str::to_owned)
}

fn agreement_of(facts: &[&Fact], today: &str) -> Option<Agreement> {
    let latest = facts.iter().filter(|f| f.kind == "agreement").max_by(|a, b| (&a.submitted, a.version, a.received_ms).cmp(&(&b.submitted, b.version, b.received_ms)))?;
    let v = &latest.data;
    let parties = signers(v);
    let signed = parties.iter().all(|(party, _)| matches!(signing::signature(v, party, &latest.fingerprint), Signature::Valid { .. }));
    let signed_on = parties.iter().filter_map(|(party, _)| day_of(v.get(&format!("sign.{party}.at")))).max();
    let next_review = (1..=3).map(|n| v.get(&format!("review.{n}"))).filter(|d| date::parse(d).is_some() && *d >= today).min().map(str::to_owned);
    Some(Agreement {
        id: latest.id.clone(),
        version: latest.version,
        fingerprint: latest.fingerprint.clone(),
        signed,
        signed_on,
        start: Some(v.get("term.start")).filter(|d| date::parse(d).is_some()).map(str::to_owned),
        end: term_end(v),
        next_review,
        minutes: mentorkit::model::agreement::rhythm(v).map(|(_, _, minutes)| minutes),
        values: v.clone(),
    })
}

/// One person's records (newest versions, `facts` oldest created first) as
/// their widget numbers them.
fn records_of(facts: &[&Fact], role: &str) -> Vec<Record> {
    facts
        .iter()
        .filter(|f| f.role == role && f.kind != "agreement")
        .enumerate()
        .map(|(i, f)| Record {
            id: f.id.clone(),
            seq: i as u32 + 1,
            version: f.version,
            kind: f.kind.clone(),
            created: f.created.clone(),
            submitted: f.submitted.clone(),
            data: f.data.clone(),
        })
        .collect()
}

fn person(records: Vec<Record>, today: &str) -> Person {
    let refs: Vec<&Record> = records.iter().collect();
    let insights = insights::insights(&refs, None, today);
    let mut with_fit: Vec<&Record> = records.iter().filter(|r| r.kind == "session" && !r.data.get("fit").is_empty()).collect();
    with_fit.sort_by(|a, b| a.data.get("date").cmp(b.data.get("date")));
    let fit = with_fit.first().map(|r| r.data.get("fit").to_owned());
    let last_feedback = records.iter().filter_map(|r| day_of(&r.submitted)).max();
    Person { insights, fit, last_feedback, records }
}

fn days_between(from: &str, to: &str) -> Option<i64> {
    Some(date::parse(to)? - date::parse(from)?)
}

/// The health of a pair enrolled on `enrolled` (`YYYY-MM-DD`) whose records
/// have `facts`, by the programme's `rules`, as of `today`.
pub fn health(enrolled: &str, facts: &[Fact], rules: Rules, today: &str) -> Health {
    let facts = newest(facts);
    let agreement = agreement_of(&facts, today).filter(|a| a.signed);
    let people = ROLES.map(|role| person(records_of(&facts, role), today));
    let mut held: Vec<&str> = people
        .iter()
        .flat_map(|p| p.records.iter())
        .filter(|r| r.kind == "session" && r.data.get("status") == "held" && date::parse(r.data.get("date")).is_some())
        .map(|r| r.data.get("date"))
        .collect();
    held.sort_unstable();
    held.dedup();
    let cadence = agreement.as_ref().and_then(|a| insights::cadence(&a.values, &held, today));
    let closed = people.iter().flat_map(|p| p.records.iter()).filter(|r| r.kind == "closing").map(|r| r.data.get("date")).filter(|d| date::parse(d).is_some()).min().map(str::to_owned);
    let started = agreement.as_ref().and_then(|a| a.start.clone()).or_else(|| held.first().map(|d| (*d).to_owned()));
    let mut h = Health {
        enrolled: enrolled.to_owned(),
        started,
        closed,
        last_session: held.last().map(|d| (*d).to_owned()),
        open_actions: people.iter().map(|p| p.insights.open.len()).sum(),
        cadence,
        agreement,
        people,
        alerts: Vec::new(),
    };
    if h.closed.is_none() {
        h.alerts = alerts(&h, rules, today);
    }
    h
}

fn alerts(h: &Health, rules: Rules, today: &str) -> Vec<Alert> {
    let mut out = Vec::new();
    for (role, p) in ROLES.iter().zip(&h.people) {
        if p.fit.as_deref() == Some("poor") {
            out.push(Alert::PoorFit(role));
        }
        for a in &p.insights.alerts {
            if matches!(a, insights::Alert::LowRatings | insights::Alert::Cancellations | insights::Alert::CheckinDue(_)) {
                out.push(Alert::Own(a.clone(), Some(role)));
            }
        }
    }
    // What both people's histories say is said once, of the pair (a check-in
    // by the days since the more recent of theirs).
    let both = |kind: Kind, out: &[Alert]| out.iter().filter(|a| a.kind() == kind).count() == 2;
    for kind in [Kind::LowRatings, Kind::Cancellations, Kind::CheckinDue] {
        if both(kind, &out) {
            let merged = out.iter().filter(|a| a.kind() == kind).min_by_key(|a| match a {
                Alert::Own(insights::Alert::CheckinDue(days), _) => *days,
                _ => 0,
            });
            let Some(Alert::Own(alert, _)) = merged.cloned() else { continue };
            out.retain(|a| a.kind() != kind);
            out.push(Alert::Own(alert, None));
        }
    }
    if let Some(apart) = apart(h, rules) {
        out.push(apart);
    }
    if let Some(c) = h.cadence.as_ref().filter(|c| c.overdue_days > 0) {
        out.push(Alert::Own(insights::Alert::Overdue(c.overdue_days), None));
    }
    match &h.agreement {
        Some(a) => {
            // With no records, the widgets' code says only what the agreement does.
            let own = insights::insights(&[], Some(&a.values), today);
            out.extend(own.alerts.into_iter().filter(|a| matches!(a, insights::Alert::ReviewSoon(..) | insights::Alert::EndSoon(..))).map(|a| Alert::Own(a, None)));
        }
        None => {
            if let Some(days) = days_between(&h.enrolled, today).filter(|d| *d >= rules.agreement_days) {
                out.push(Alert::NoAgreement(days));
            }
        }
    }
    let since = h.people.iter().filter_map(|p| p.last_feedback.clone()).max().or_else(|| h.agreement.as_ref().and_then(|a| a.signed_on.clone())).unwrap_or_else(|| h.enrolled.clone());
    if let Some(days) = days_between(&since, today).filter(|d| *d >= rules.silence_weeks * 7) {
        out.push(Alert::Silent(days));
    }
    out.sort_by_key(|a| Kind::ALL.iter().position(|k| *k == a.kind()));
    out
}

/// The latest session both rated, when their ratings are the programme's
/// gap or more apart.
fn apart(h: &Health, rules: Rules) -> Option<Alert> {
    let rated = |p: &Person| p.insights.ratings.clone();
    let (mentee, mentor) = (rated(&h.people[0]), rated(&h.people[1]));
    let both = mentee.iter().rev().find_map(|(day, a)| mentor.iter().rev().find(|(d, _)| d == day).map(|(_, b)| (day.clone(), *a, *b)))?;
    let (day, a, b) = both;
    (i64::from(a.abs_diff(b)) >= rules.rating_gap.max(1)).then_some(Alert::Apart(day, a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record's facts: `pairs` of path and value.
    fn fact(role: &str, kind: &str, id: &str, created: &str, pairs: &[(&str, &str)]) -> Fact {
        let mut data = Values::default();
        for (k, v) in pairs {
            data.set(k, (*v).into());
        }
        if kind != "agreement" {
            data.set("kind", kind.into());
        }
        Fact {
            role: role.into(),
            kind: kind.into(),
            id: id.into(),
            version: 1,
            created: format!("{created}T10:00:00.000Z"),
            submitted: format!("{created}T10:00:00.000Z"),
            received_ms: 0,
            agreement: String::new(),
            fingerprint: String::new(),
            data,
        }
    }

    fn session(role: &str, id: &str, day: &str, status: &str, rating: &str) -> Fact {
        fact(role, "session", id, day, &[("date", day), ("status", status), ("rating", rating)])
    }

    fn agreement(cadence: &str, start: &str, more: &[(&str, &str)]) -> Fact {
        let mut data = Values::default();
        for (k, v) in [("mentee.name", "Ada"), ("mentor.name", "Grace"), ("meet.cadence", cadence), ("term.start", start)].iter().chain(more) {
            data.set(k, (*v).into());
        }
        for party in ["mentee", "mentor"] {
            let name = data.get(&format!("{party}.name")).to_owned();
            signing::sign(&mut data, party, &name, true, &format!("{start}T09:00:00Z")).expect("signs");
        }
        let payload = mentorkit::model::delivery::Payload::from_agreement(&data, "agr", 1, &format!("{start}T09:00:00.000Z"), &format!("{start}T09:00:00.000Z"));
        Fact::of(&payload, "mentor", 0)
    }

    #[test]
    fn an_on_track_pair_has_no_alerts_and_counts_each_session_once() {
        let facts = [
            agreement("30-fortnightly", "2027-01-04", &[("term.length", "6")]),
            session("mentee", "a1", "2027-01-04", "held", "4"),
            session("mentor", "b1", "2027-01-04", "held", "5"),
            session("mentee", "a2", "2027-01-18", "held", "4"),
        ];
        let h = health("2027-01-01", &facts, Rules::default(), "2027-01-25");
        assert_eq!(h.alerts, []);
        assert_eq!(h.rhythm(), Rhythm::OnTrack);
        let c = h.cadence.expect("a rhythm");
        assert_eq!((c.held, c.expected, c.due.as_str()), (2, 2, "2027-02-01"), "the session both reported counts once");
        assert_eq!((h.started.as_deref(), h.last_session.as_deref()), (Some("2027-01-04"), Some("2027-01-18")));
        assert_eq!(h.agreement.as_ref().and_then(|a| a.end.as_deref()), Some("2027-07-04"));
        assert_eq!(h.people[0].insights.average_tenths, Some(40));
        assert_eq!(h.people[1].insights.average_tenths, Some(50));
    }

    #[test]
    fn an_overdue_pair_says_by_how_many_days() {
        let facts = [agreement("30-fortnightly", "2027-01-04", &[]), session("mentor", "b1", "2027-01-04", "held", "4")];
        let h = health("2027-01-01", &facts, Rules::default(), "2027-01-25");
        assert_eq!(h.rhythm(), Rhythm::Overdue(7));
        assert_eq!(h.alerts, [Alert::Own(insights::Alert::Overdue(7), None)]);
    }

    #[test]
    fn the_widgets_own_alerts_name_whose_history_raised_them() {
        let facts = [
            session("mentee", "a1", "2027-01-04", "held", "2"),
            session("mentee", "a2", "2027-01-11", "held", "1"),
            session("mentee", "a3", "2027-01-18", "held", "2"),
            session("mentor", "b1", "2027-01-11", "cancelled-mentee", ""),
            session("mentor", "b2", "2027-01-18", "no-show", ""),
        ];
        let h = health("2027-01-01", &facts, Rules { agreement_days: 60, ..Rules::default() }, "2027-01-20");
        assert_eq!(h.alerts, [Alert::Own(insights::Alert::LowRatings, Some("mentee")), Alert::Own(insights::Alert::Cancellations, Some("mentor"))]);
        assert!(h.has(Kind::LowRatings) && !h.has(Kind::Overdue));
        let mut both = facts.to_vec();
        both.push(session("mentee", "a4", "2027-01-25", "cancelled-mentor", ""));
        both.push(session("mentee", "a5", "2027-02-01", "no-show", ""));
        let h = health("2027-01-01", &both, Rules { agreement_days: 60, ..Rules::default() }, "2027-02-02");
        assert_eq!(h.alerts.iter().filter(|a| a.kind() == Kind::Cancellations).collect::<Vec<_>>(), [&Alert::Own(insights::Alert::Cancellations, None)], "said by both, said once");
    }

    #[test]
    fn the_programmes_rules_flag_no_agreement_silence_ratings_apart_and_a_poor_fit() {
        let rules = Rules { agreement_days: 14, silence_weeks: 4, rating_gap: 2 };
        let h = health("2027-01-01", &[], rules, "2027-01-14");
        assert_eq!(h.alerts, []);
        let h = health("2027-01-01", &[], rules, "2027-01-15");
        assert_eq!(h.alerts, [Alert::NoAgreement(14)]);
        let h = health("2027-01-01", &[], rules, "2027-01-29");
        assert_eq!(h.alerts, [Alert::NoAgreement(28), Alert::Silent(28)], "nothing sent since enrolment");
        let mut first = session("mentor", "b1", "2027-01-04", "held", "2");
        first.data.set("fit", "poor".into());
        first.data.set("first", "yes".into());
        let facts = [agreement("60-monthly", "2027-01-04", &[]), session("mentee", "a1", "2027-01-04", "held", "5"), first];
        let h = health("2027-01-01", &facts, rules, "2027-01-10");
        assert_eq!(h.alerts, [Alert::PoorFit("mentor"), Alert::Apart("2027-01-04".into(), 5, 2)]);
        assert_eq!((h.people[1].fit.as_deref(), h.people[0].fit.as_deref()), (Some("poor"), None));
        let h = health("2027-01-01", &facts, Rules { rating_gap: 4, ..rules }, "2027-01-10");
        assert!(!h.has(Kind::Apart), "3 points apart is within a gap of 4");
    }

    #[test]
    fn a_closed_pair_raises_nothing_and_knows_when_it_closed() {
        let facts = [
            agreement("60-monthly", "2026-06-01", &[]),
            session("mentee", "a1", "2026-06-01", "held", "1"),
            fact("mentee", "closing", "c1", "2026-12-01", &[("date", "2026-12-01"), ("outcomes.intangible", "clarity")]),
            fact("mentor", "closing", "c2", "2026-12-03", &[("date", "2026-12-03")]),
        ];
        let h = health("2026-05-20", &facts, Rules::default(), "2027-03-01");
        assert_eq!((h.closed.as_deref(), h.alerts.len()), (Some("2026-12-01"), 0));
        assert_eq!(h.rhythm(), Rhythm::Unknown, "a closed pair is not overdue");
    }

    #[test]
    fn open_action_points_follow_the_order_records_were_first_sent() {
        let mut one = session("mentee", "zz", "2027-01-04", "held", "4");
        for (k, v) in [("actions", "2"), ("action.1.what", "Draft the CV"), ("action.2.what", "Call Sam")] {
            one.data.set(k, v.into());
        }
        let mut two = session("mentee", "aa", "2027-01-18", "held", "4");
        // The device numbered the first record 1: its second action is done.
        two.data.set("open.1.2", "done".into());
        let mut newer = two.clone();
        newer.version = 2;
        newer.data.set("open.1.1", "done".into());
        let h = health("2027-01-01", &[one.clone(), two.clone()], Rules::default(), "2027-01-20");
        assert_eq!(h.people[0].insights.open.iter().map(|a| a.what.as_str()).collect::<Vec<_>>(), ["Draft the CV"]);
        let h = health("2027-01-01", &[one, two, newer], Rules::default(), "2027-01-20");
        assert_eq!(h.open_actions, 0, "the newest version of a record is the one that counts");
    }

    #[test]
    fn an_agreement_not_fully_signed_is_no_agreement() {
        let mut a = agreement("60-monthly", "2027-01-04", &[]);
        a.data.set("mentee.minor", "yes".into());
        let h = health("2027-01-01", &[a], Rules::default(), "2027-01-20");
        assert!(h.agreement.is_none() && h.has(Kind::NoAgreement), "a guardian must sign too");
    }
}
