//! A report for a period, as funders and boards ask for it: pairs active,
//! started and closed; sessions held, hours, cancellations by whom and
//! no-shows; ratings month by month; outcomes from closing reviews, counted.
//!
//! A session is a pair and a day: reported by both people, it counts once.
//! It was held when either says so; otherwise what the mentee reported
//! stands, else the mentor's. Its length is the mentee's answer, else the
//! mentor's, else the length of meeting the pair agreed.

use super::facts::Fact;
use super::health::{newest, Health, ROLES};
use mentorkit::model::date;
use mentorkit::model::feedback;
use mentorkit::model::form::{field_at, FieldKind, MULTI_SEPARATOR};

/// The period: the first and last day, both included (`YYYY-MM-DD`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    /// The first day.
    pub from: String,
    /// The last day.
    pub to: String,
}

impl Period {
    /// A period of two dates, the first not after the second.
    pub fn new(from: &str, to: &str) -> Option<Period> {
        let (a, b) = (date::parse(from)?, date::parse(to)?);
        (a <= b).then(|| Period { from: from.to_owned(), to: to.to_owned() })
    }

    /// Whether `day` falls in it.
    pub fn holds(&self, day: &str) -> bool {
        date::parse(day).is_some() && self.from.as_str() <= day && day <= self.to.as_str()
    }

    /// Its months, `YYYY-MM`, first to last (the last 120 of a longer period).
    pub fn months(&self) -> Vec<String> {
        let (mut y, mut m): (i64, u32) = (self.to[..4].parse().unwrap_or(0), self.to[5..7].parse().unwrap_or(1));
        let first = &self.from[..7];
        let mut out = Vec::new();
        while out.len() < 120 {
            let month = format!("{y:04}-{m:02}");
            let done = month.as_str() <= first;
            out.push(month);
            if done {
                break;
            }
            (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
        }
        out.reverse();
        out
    }
}

/// What happened to sessions, counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sessions {
    /// Held.
    pub held: usize,
    /// Minutes of the sessions held.
    pub minutes: u64,
    /// Cancelled by the mentee.
    pub cancelled_by_mentee: usize,
    /// Cancelled by the mentor.
    pub cancelled_by_mentor: usize,
    /// Someone did not turn up.
    pub no_shows: usize,
    /// Moved to another day.
    pub postponed: usize,
}

impl Sessions {
    fn add(&mut self, status: &str, minutes: Option<u32>) {
        match status {
            "held" => {
                self.held += 1;
                self.minutes += u64::from(minutes.unwrap_or(0));
            }
            "cancelled-mentee" => self.cancelled_by_mentee += 1,
            "cancelled-mentor" => self.cancelled_by_mentor += 1,
            "no-show" => self.no_shows += 1,
            "postponed" => self.postponed += 1,
            _ => {}
        }
    }
}

/// Ratings added up: their sum and how many.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ratings {
    /// The sum.
    pub sum: u32,
    /// How many.
    pub n: u32,
}

impl Ratings {
    fn add(&mut self, rating: u8) {
        self.sum += u32::from(rating);
        self.n += 1;
    }

    /// Their average in tenths, rounded.
    pub fn average_tenths(&self) -> Option<u32> {
        (self.n > 0).then(|| (self.sum * 20 + self.n) / (2 * self.n))
    }
}

/// One month of the period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    /// Its sessions.
    pub sessions: Sessions,
    /// Ratings of its held sessions, from mentees and from mentors.
    pub ratings: [Ratings; 2],
}

/// An option of a closing review's question, and how many chose it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counted {
    /// The option's value (`clarity`, `new-role`, …).
    pub option: &'static str,
    /// Chosen in mentees' and in mentors' closing reviews.
    pub by: [usize; 2],
}

/// What closing reviews said.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcomes {
    /// Closing reviews from mentees and from mentors.
    pub reviews: [usize; 2],
    /// Intangible outcomes (clarity, confidence, …), in the form's order.
    pub intangible: Vec<Counted>,
    /// Concrete outcomes (a new role, a course, …), in the form's order.
    pub concrete: Vec<Counted>,
    /// Goals achieved: yes, partly, no.
    pub goals: [usize; 3],
    /// Other outcomes people named, as they wrote them.
    pub other: Vec<String>,
}

/// One pair's part of the period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairPart {
    /// The pair's id.
    pub pair_id: String,
    /// Its sessions in the period.
    pub sessions: Sessions,
    /// Ratings in the period, the mentee's and the mentor's.
    pub ratings: [Ratings; 2],
    /// Outcomes its closing reviews in the period named (option values).
    pub outcomes: Vec<&'static str>,
}

/// The report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The period.
    pub period: Period,
    /// Pairs active at some time in the period.
    pub active: usize,
    /// Pairs that started in it.
    pub started: usize,
    /// Pairs that closed in it.
    pub closed: usize,
    /// Every session of the period.
    pub sessions: Sessions,
    /// Ratings of the period, from mentees and from mentors.
    pub ratings: [Ratings; 2],
    /// Month by month.
    pub months: Vec<Month>,
    /// From closing reviews.
    pub outcomes: Outcomes,
    /// Pair by pair: those active in the period, in the order given.
    pub pairs: Vec<PairPart>,
}

/// The options of a closing review's multiple-choice question.
fn options(path: &str) -> &'static [(&'static str, mentorkit::i18n::Key)] {
    match field_at(feedback::STEPS, path).map(|(_, f, _)| f.kind) {
        Some(FieldKind::Multi(options)) | Some(FieldKind::Choice(options)) => options,
        _ => &[],
    }
}

/// Intangible outcomes, in the form's order.
pub fn intangible_options() -> &'static [(&'static str, mentorkit::i18n::Key)] {
    options("outcomes.intangible")
}

/// Concrete outcomes, in the form's order.
pub fn concrete_options() -> &'static [(&'static str, mentorkit::i18n::Key)] {
    options("outcomes.concrete")
}

fn score(value: &str) -> Option<u8> {
    value.parse().ok().filter(|r| (1..=5).contains(r))
}

/// The report for `period` of `pairs`: each pair's id, its health and its
/// records' facts.
pub fn report(period: &Period, pairs: &[(&str, &Health, &[Fact])]) -> Report {
    let months = period.months();
    let mut r = Report {
        period: period.clone(),
        active: 0,
        started: 0,
        closed: 0,
        sessions: Sessions::default(),
        ratings: [Ratings::default(); 2],
        months: months.iter().map(|m| Month { month: m.clone(), ..Month::default() }).collect(),
        outcomes: Outcomes {
            intangible: intangible_options().iter().map(|(o, _)| Counted { option: o, by: [0, 0] }).collect(),
            concrete: concrete_options().iter().map(|(o, _)| Counted { option: o, by: [0, 0] }).collect(),
            ..Outcomes::default()
        },
        pairs: Vec::new(),
    };
    for (pair_id, health, facts) in pairs {
        let started = health.started.as_deref().filter(|d| date::parse(d).is_some());
        let active = started.is_some_and(|s| s <= period.to.as_str()) && health.closed.as_deref().is_none_or(|c| c >= period.from.as_str());
        r.started += usize::from(started.is_some_and(|s| period.holds(s)));
        r.closed += usize::from(health.closed.as_deref().is_some_and(|c| period.holds(c)));
        let mut part = PairPart { pair_id: (*pair_id).to_owned(), sessions: Sessions::default(), ratings: [Ratings::default(); 2], outcomes: Vec::new() };
        let facts = newest(facts);
        let feedback: Vec<&&Fact> = facts.iter().filter(|f| f.kind != "agreement" && period.holds(f.date())).collect();
        // Sessions, one per day.
        let mut days: Vec<&str> = feedback.iter().filter(|f| f.kind == "session").map(|f| f.date()).collect();
        days.sort_unstable();
        days.dedup();
        for day in days {
            let said = ROLES.map(|role| feedback.iter().find(|f| f.kind == "session" && f.role == role && f.date() == day));
            let held = said.iter().flatten().any(|f| f.data.get("status") == "held");
            let status = if held { "held" } else { said.iter().flatten().map(|f| f.data.get("status")).next().unwrap_or("") };
            let minutes = said.iter().flatten().filter_map(|f| f.data.get("duration").parse::<u32>().ok()).next().or_else(|| health.agreement.as_ref().and_then(|a| a.minutes));
            let month = months.iter().position(|m| day.starts_with(m.as_str()));
            r.sessions.add(status, minutes);
            part.sessions.add(status, minutes);
            if let Some(m) = month {
                r.months[m].sessions.add(status, minutes);
            }
            for (i, f) in said.iter().enumerate() {
                if let Some(rating) = f.filter(|f| f.data.get("status") == "held").and_then(|f| score(f.data.get("rating"))) {
                    r.ratings[i].add(rating);
                    part.ratings[i].add(rating);
                    if let Some(m) = month {
                        r.months[m].ratings[i].add(rating);
                    }
                }
            }
        }
        // Closing reviews.
        for f in feedback.iter().filter(|f| f.kind == "closing") {
            let Some(i) = ROLES.iter().position(|role| *role == f.role) else { continue };
            r.outcomes.reviews[i] += 1;
            for (list, path) in [(&mut r.outcomes.intangible, "outcomes.intangible"), (&mut r.outcomes.concrete, "outcomes.concrete")] {
                for chosen in f.data.get(path).split(MULTI_SEPARATOR).filter(|v| !v.is_empty()) {
                    if let Some(c) = list.iter_mut().find(|c| c.option == chosen) {
                        c.by[i] += 1;
                        if !part.outcomes.contains(&c.option) {
                            part.outcomes.push(c.option);
                        }
                    }
                }
            }
            for (_, value) in f.data.with_prefix("goal.").filter(|(p, _)| p.ends_with(".achieved")) {
                if let Some(at) = ["yes", "partly", "no"].iter().position(|v| *v == value) {
                    r.outcomes.goals[at] += 1;
                }
            }
            let other = f.data.get("outcomes.other").trim();
            if !other.is_empty() {
                r.outcomes.other.push(other.to_owned());
            }
        }
        if active {
            r.active += 1;
            r.pairs.push(part);
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coordinator::health::{health, Rules};
    use mentorkit::model::form::Values;

    fn fact(role: &str, kind: &str, id: &str, pairs: &[(&str, &str)]) -> Fact {
        let mut data = Values::default();
        for (k, v) in pairs {
            data.set(k, (*v).into());
        }
        data.set("kind", kind.into());
        let day = data.get("date").to_owned();
        Fact {
            role: role.into(),
            kind: kind.into(),
            id: id.into(),
            version: 1,
            created: format!("{day}T10:00:00Z"),
            submitted: format!("{day}T10:00:00Z"),
            received_ms: 0,
            agreement: String::new(),
            fingerprint: String::new(),
            data,
        }
    }

    #[test]
    fn a_period_knows_its_days_and_months() {
        let p = Period::new("2026-11-15", "2027-02-01").expect("a period");
        assert_eq!(p.months(), ["2026-11", "2026-12", "2027-01", "2027-02"]);
        assert!(p.holds("2026-11-15") && p.holds("2027-02-01") && !p.holds("2027-02-02") && !p.holds("soon"));
        assert!(Period::new("2027-02-02", "2027-02-01").is_none() && Period::new("x", "2027-02-01").is_none());
        let long = Period::new("1990-01-01", "2027-02-01").expect("a period").months();
        assert_eq!((long.len(), long[0].as_str(), long[119].as_str()), (120, "2017-03", "2027-02"), "the last ten years of a longer period");
    }

    #[test]
    fn sessions_reported_by_both_count_once_with_their_length_and_whose_cancellation() {
        let facts = [
            fact("mentee", "session", "a1", &[("date", "2027-01-04"), ("status", "held"), ("rating", "4"), ("duration", "50")]),
            fact("mentor", "session", "b1", &[("date", "2027-01-04"), ("status", "held"), ("rating", "2"), ("duration", "70")]),
            fact("mentor", "session", "b2", &[("date", "2027-01-18"), ("status", "held"), ("rating", "5")]),
            fact("mentee", "session", "a3", &[("date", "2027-02-01"), ("status", "cancelled-mentor")]),
            fact("mentor", "session", "b3", &[("date", "2027-02-01"), ("status", "cancelled-mentor")]),
            fact("mentee", "session", "a4", &[("date", "2027-02-15"), ("status", "no-show")]),
            fact("mentee", "session", "a5", &[("date", "2027-03-01"), ("status", "held"), ("rating", "5")]),
        ];
        let h = health("2027-01-01", &facts, Rules::default(), "2027-03-01");
        let period = Period::new("2027-01-01", "2027-02-28").expect("period");
        let r = report(&period, &[("P1", &h, &facts)]);
        assert_eq!(r.sessions, Sessions { held: 2, minutes: 50, cancelled_by_mentee: 0, cancelled_by_mentor: 1, no_shows: 1, postponed: 0 }, "no length given and none agreed: 0");
        assert_eq!((r.ratings[0].average_tenths(), r.ratings[1].average_tenths()), (Some(40), Some(35)));
        assert_eq!(r.months.iter().map(|m| (m.month.as_str(), m.sessions.held)).collect::<Vec<_>>(), [("2027-01", 2), ("2027-02", 0)]);
        assert_eq!((r.active, r.started, r.closed), (1, 1, 0));
        assert_eq!(r.pairs[0].sessions.held, 2);
    }

    #[test]
    fn closing_reviews_are_counted_by_outcome_and_by_whom() {
        let facts = [
            fact("mentee", "session", "a1", &[("date", "2026-06-01"), ("status", "held"), ("rating", "4")]),
            fact("mentee", "closing", "c1", &[("date", "2027-01-10"), ("outcomes.intangible", "clarity;confidence"), ("outcomes.concrete", "new-role"), ("goals", "2"), ("goal.1.achieved", "yes"), ("goal.2.achieved", "partly"), ("outcomes.other", "A show in June")]),
            fact("mentor", "closing", "c2", &[("date", "2027-01-12"), ("outcomes.intangible", "confidence")]),
        ];
        let h = health("2026-05-01", &facts, Rules::default(), "2027-03-01");
        let r = report(&Period::new("2027-01-01", "2027-01-31").expect("period"), &[("P1", &h, &facts)]);
        let by = |list: &[Counted], o: &str| list.iter().find(|c| c.option == o).map(|c| c.by);
        assert_eq!(r.outcomes.reviews, [1, 1]);
        assert_eq!((by(&r.outcomes.intangible, "clarity"), by(&r.outcomes.intangible, "confidence"), by(&r.outcomes.concrete, "new-role")), (Some([1, 0]), Some([1, 1]), Some([1, 0])));
        assert_eq!(r.outcomes.goals, [1, 1, 0]);
        assert_eq!(r.outcomes.other, ["A show in June"]);
        assert_eq!((r.active, r.started, r.closed), (1, 0, 1), "started before the period, closed in it");
        assert_eq!(r.pairs[0].outcomes, ["clarity", "confidence", "new-role"]);
        let later = report(&Period::new("2027-02-01", "2027-02-28").expect("period"), &[("P1", &h, &facts)]);
        assert_eq!((later.active, later.pairs.len()), (0, 0), "closed before the period");
    }
}
