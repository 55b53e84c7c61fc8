//! What the history of a relationship shows: sessions held against the agreed
//! rhythm, cancellations, ratings and their trend, who did the talking, open
//! action points, and alerts worth acting on.
//!
//! Everything is computed in one pass over the records (newest version of
//! each), so the history of a long relationship costs time in proportion to
//! its length.

use super::date::{self, Days};
use super::feedback::{Record, CANCELLED};
use super::form::{holds, Values};
use super::validate::term_end;
use super::num::Digits;

/// How often the pair agreed to meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Every {
    /// Every so many days (weekly cadences as multiples of 7).
    Days(u32),
    /// Every so many calendar months.
    Months(u32),
}

impl Every {
    /// The agreed rhythm of an agreement, if it has one.
    pub fn of(agreement: &Values) -> Option<Every> {
        let (freq, interval, _) = super::agreement::rhythm(agreement)?;
        Some(if freq == "WEEKLY" { Every::Days(7 * interval) } else { Every::Months(interval) })
    }

    /// The day one interval after `day`; a month after the 31st is the last
    /// day of a shorter month.
    pub fn after(self, day: Days) -> Days {
        match self {
            Every::Days(n) => day + n as Days,
            Every::Months(n) => date::add_months(day, n),
        }
    }
}

/// Sessions held against the agreed rhythm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cadence {
    /// The rhythm.
    pub every: Every,
    /// When meetings were to start.
    pub start: String,
    /// The last session held, if any.
    pub last: Option<String>,
    /// When the next session is due.
    pub due: String,
    /// Days past `due` (0 when on track).
    pub overdue_days: i64,
    /// Sessions held since `start`.
    pub held: usize,
    /// Meetings the rhythm expected by today.
    pub expected: usize,
}

/// Compares sessions `held` (dates, any order) with the rhythm of `agreement`
/// as of `today`.
pub fn cadence(agreement: &Values, held: &[&str], today: &str) -> Option<Cadence> {
    let every = Every::of(agreement)?;
    let start_text = [agreement.get("meet.first"), agreement.get("term.start")].into_iter().find(|d| date::parse(d).is_some())?;
    let start = date::parse(start_text)?;
    let today = date::parse(today)?;
    let last = held.iter().filter_map(|d| date::parse(d)).filter(|d| *d >= start).max();
    let due = last.map_or(start, |l| every.after(l));
    let mut expected = 0;
    let mut slot = start;
    // Months never shrink below 28 days, so this stops within a few thousand steps.
    while slot <= today && expected < 100_000 {
        expected += 1;
        slot = match every {
            Every::Days(_) => every.after(slot),
            Every::Months(n) => date::add_months(start, n * expected as u32),
        };
    }
    Some(Cadence {
        every,
        start: date::format(start),
        last: last.map(date::format),
        due: date::format(due),
        overdue_days: (today - due).max(0),
        held: held.iter().filter_map(|d| date::parse(d)).filter(|d| *d >= start).count(),
        expected,
    })
}

/// The direction ratings are going.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trend {
    /// The last three average at least half a point above the three before.
    Rising,
    /// Within half a point.
    Steady,
    /// At least half a point below.
    Falling,
}

/// The trend of `ratings` (oldest first), once there are at least four.
pub fn trend(ratings: &[u8]) -> Option<Trend> {
    if ratings.len() < 4 {
        return None;
    }
    let last = &ratings[ratings.len() - 3..];
    let before = &ratings[ratings.len().saturating_sub(6)..ratings.len() - 3];
    let (sl, sb) = (last.iter().map(|&r| r as i64).sum::<i64>(), before.iter().map(|&r| r as i64).sum::<i64>());
    let (a, b) = (last.len() as i64, before.len() as i64);
    // mean(last) − mean(before) compared with ½, in whole numbers.
    let diff = 2 * (sl * b - sb * a);
    Some(if diff >= a * b {
        Trend::Rising
    } else if diff <= -(a * b) {
        Trend::Falling
    } else {
        Trend::Steady
    })
}

/// An action point agreed in a session and not yet marked done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    /// The path that marks it in a later form: `open.<seq>.<n>`.
    pub path: String,
    /// The `seq` of the record it was agreed in.
    pub seq: u32,
    /// What.
    pub what: String,
    /// Who: `mentee`, `mentor` or `both`.
    pub who: String,
    /// By when, if set.
    pub due: String,
    /// The session it was agreed in.
    pub from: String,
    /// Its date has passed.
    pub overdue: bool,
}

/// Something worth acting on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Alert {
    /// The last three ratings were 2 or lower.
    LowRatings,
    /// The last two sessions did not take place.
    Cancellations,
    /// The next session is this many days overdue.
    Overdue(i64),
    /// A review is due on this date, in this many days.
    ReviewSoon(String, i64),
    /// The agreement ends on this date, in this many days.
    EndSoon(String, i64),
    /// No check-in on the relationship for this many days (at least
    /// [`CHECKIN_DAYS`]) since the last one or the first session.
    CheckinDue(i64),
}

/// How often a relationship check-in is suggested, in days.
pub const CHECKIN_DAYS: i64 = 90;

/// What the history shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Insights {
    /// Session records.
    pub sessions: usize,
    /// Sessions held.
    pub held: usize,
    /// Cancelled by the mentee.
    pub cancelled_by_mentee: usize,
    /// Cancelled by the mentor.
    pub cancelled_by_mentor: usize,
    /// No-shows.
    pub no_shows: usize,
    /// Postponed.
    pub postponed: usize,
    /// Overall ratings of held sessions, oldest first: (date, 1–5).
    pub ratings: Vec<(String, u8)>,
    /// Who did the talking, oldest first: (date, 1 mentee … 5 mentor).
    pub talking: Vec<(String, u8)>,
    /// The average rating in tenths (38 = 3.8).
    pub average_tenths: Option<u32>,
    /// The direction of the ratings.
    pub trend: Option<Trend>,
    /// Open action points, oldest first.
    pub open: Vec<Action>,
    /// Sessions against the agreed rhythm.
    pub cadence: Option<Cadence>,
    /// Alerts, most pressing first.
    pub alerts: Vec<Alert>,
    /// The date of the closing review, once there is one: the relationship
    /// has ended, so nothing is due any more.
    pub closed: Option<String>,
}

/// The session records among `records`, oldest first.
fn sessions_by_date<'a>(records: &[&'a Record]) -> Vec<&'a Record> {
    let mut sessions: Vec<&Record> = records.iter().copied().filter(|r| r.kind == "session").collect();
    fn key<'r>(r: &&'r Record) -> (&'r str, u32) {
        (r.data.get("date"), r.seq)
    }
    // The widget keeps its records newest first, so a reversal usually does.
    if sessions.is_sorted_by(|a, b| key(a) >= key(b)) {
        sessions.reverse();
    } else {
        super::order::sort_by(&mut sessions, |a, b| key(a).cmp(&key(b)));
    }
    sessions
}

/// The action points of held `sessions` (in date order) that no record in
/// `records` marks done, oldest first.
fn open_in(sessions: &[&Record], records: &[&Record], today: &str) -> Vec<Action> {
    let mut done: Vec<&str> = records
        .iter()
        .flat_map(|r| r.data.with_prefix("open."))
        .filter(|(_, value)| *value == "done")
        .map(|(path, _)| path)
        .collect();
    super::order::sort(&mut done);
    let today = date::parse(today);
    let mut open = Vec::new();
    for r in sessions.iter().filter(|r| r.data.get("status") == "held") {
        let d = &r.data;
        let count: usize = d.get("actions").parse().unwrap_or(0).min(super::feedback::ACTIONS.max);
        for n in 1..=count {
            let n = n.digits();
            let path = ["open.", &r.seq.digits(), ".", &n].concat();
            let what = d.get(&["action.", &n, ".what"].concat());
            if what.trim().is_empty() || done.binary_search(&path.as_str()).is_ok() {
                continue;
            }
            let due = d.get(&["action.", &n, ".due"].concat()).to_owned();
            let overdue = matches!((date::parse(&due), today), (Some(due), Some(t)) if due < t);
            let who = d.get(&["action.", &n, ".who"].concat()).to_owned();
            open.push(Action { path, seq: r.seq, what: what.to_owned(), who, due, from: d.get("date").to_owned(), overdue });
        }
    }
    open
}

fn score(values: &Values, path: &str) -> Option<u8> {
    values.get(path).parse::<u8>().ok().filter(|r| (1..=5).contains(r))
}

/// The action points of `records` (newest version of each, any order) still
/// open as of `today`: what [`insights`] lists as `open`.
pub fn open_actions(records: &[&Record], today: &str) -> Vec<Action> {
    open_in(&sessions_by_date(records), records, today)
}

/// The insights of `records` (newest version of each, any order), with the
/// linked `agreement` if there is one, as of `today`.
pub fn insights(records: &[&Record], agreement: Option<&Values>, today: &str) -> Insights {
    let sessions = sessions_by_date(records);
    let mut out = Insights { sessions: sessions.len(), open: open_in(&sessions, records, today), ..Insights::default() };
    let mut held_dates = Vec::new();
    let today_days = date::parse(today);
    for r in &sessions {
        let d = &r.data;
        let day = d.get("date");
        match d.get("status") {
            "held" => {
                out.held += 1;
                held_dates.push(day);
                if let Some(s) = score(d, "rating") {
                    out.ratings.push((day.to_owned(), s));
                }
                if let Some(s) = score(d, "talking") {
                    out.talking.push((day.to_owned(), s));
                }
            }
            "cancelled-mentee" => out.cancelled_by_mentee += 1,
            "cancelled-mentor" => out.cancelled_by_mentor += 1,
            "no-show" => out.no_shows += 1,
            "postponed" => out.postponed += 1,
            _ => {}
        }
    }
    if !out.ratings.is_empty() {
        let sum: u32 = out.ratings.iter().map(|(_, r)| *r as u32).sum();
        let n = out.ratings.len() as u32;
        out.average_tenths = Some((sum * 20 + n) / (2 * n));
    }
    let scores: Vec<u8> = out.ratings.iter().map(|(_, r)| *r).collect();
    out.trend = trend(&scores);
    if scores.len() >= 3 && scores[scores.len() - 3..].iter().all(|&r| r <= 2) {
        out.alerts.push(Alert::LowRatings);
    }
    let statuses: Vec<&str> = sessions.iter().map(|r| r.data.get("status")).filter(|s| *s != "postponed").collect();
    if statuses.len() >= 2 && statuses[statuses.len() - 2..].iter().all(|s| holds(s, CANCELLED)) {
        out.alerts.push(Alert::Cancellations);
    }
    out.closed = records.iter().filter(|r| r.kind == "closing").map(|r| r.data.get("date")).max().map(str::to_owned);
    if out.closed.is_some() {
        // Ended: no session, check-in, review or end is due.
        return out;
    }
    let last_checkin = records.iter().filter(|r| r.kind == "checkin").filter_map(|r| date::parse(r.data.get("date"))).max();
    let since = last_checkin.or_else(|| sessions.first().and_then(|r| date::parse(r.data.get("date"))));
    if let (Some(since), Some(t)) = (since, today_days) {
        if t - since >= CHECKIN_DAYS {
            out.alerts.push(Alert::CheckinDue(t - since));
        }
    }
    if let Some(agreement) = agreement {
        out.cadence = cadence(agreement, &held_dates, today);
        if let Some(c) = out.cadence.as_ref().filter(|c| c.overdue_days > 0) {
            out.alerts.push(Alert::Overdue(c.overdue_days));
        }
        if let Some(t) = today_days {
            let within = |d: &str, days: i64| date::parse(d).map(|d| d - t).filter(|left| (0..=days).contains(left));
            let review = (1..=3)
                .map(|n| agreement.get(&["review.", &n.digits()].concat()))
                .filter_map(|d| within(d, 14).map(|left| (d, left)))
                .min_by_key(|(_, left)| *left);
            if let Some((d, left)) = review {
                out.alerts.push(Alert::ReviewSoon(d.to_owned(), left));
            }
            if let Some(end) = term_end(agreement) {
                if let Some(left) = within(&end, 30) {
                    out.alerts.push(Alert::EndSoon(end, left));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agreement(cadence: &str, start: &str) -> Values {
        let mut v = Values::default();
        v.set("meet.cadence", cadence.into());
        v.set("term.start", start.into());
        v
    }

    fn session(seq: u32, date: &str, status: &str, rating: &str) -> Record {
        let mut data = Values::default();
        for (k, v) in [("kind", "session"), ("date", date), ("status", status), ("rating", rating)] {
            data.set(k, v.into());
        }
        Record { id: format!("r{seq}"), seq, version: 1, kind: "session".into(), created: String::new(), submitted: String::new(), data }
    }

    fn run(records: &[Record], agreement: Option<&Values>, today: &str) -> Insights {
        insights(&records.iter().collect::<Vec<_>>(), agreement, today)
    }

    #[test]
    fn after_the_closing_review_nothing_is_due() {
        let session = session(1, "2027-01-05", "held", "5");
        let mut closing = session.clone();
        closing.id = "r2".into();
        closing.kind = "closing".into();
        closing.data.set("date", "2027-03-01".into());
        let a = agreement("60-monthly", "2027-01-01");
        let open = run(&[session.clone()], Some(&a), "2027-06-30");
        assert!(open.alerts.iter().any(|x| matches!(x, Alert::Overdue(_))) && open.closed.is_none());
        let closed = run(&[session, closing], Some(&a), "2027-06-30");
        assert_eq!((closed.alerts.as_slice(), closed.closed.as_deref(), closed.cadence.is_none()), (&[][..], Some("2027-03-01"), true));
    }

    #[test]
    fn sessions_come_out_oldest_first_whatever_order_they_come_in() {
        let records = [session(1, "2026-01-05", "held", "3"), session(2, "2026-01-05", "held", "4"), session(3, "2026-02-01", "held", "5")];
        let seqs = |order: &[usize]| {
            let given: Vec<&Record> = order.iter().map(|&i| &records[i]).collect();
            sessions_by_date(&given).iter().map(|r| r.seq).collect::<Vec<_>>()
        };
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]] {
            assert_eq!(seqs(&order), [1, 2, 3], "from {order:?}");
        }
    }

    #[test]
    fn a_monthly_rhythm_steps_over_month_ends_and_leap_days() {
        let a = agreement("60-monthly", "2028-01-31");
        let c = cadence(&a, &["2028-01-31"], "2028-02-29").unwrap();
        assert_eq!((c.due.as_str(), c.overdue_days), ("2028-02-29", 0), "31 January + 1 month in a leap year");
        let c = cadence(&a, &["2028-01-31"], "2028-03-02").unwrap();
        assert_eq!(c.overdue_days, 2);
        let a = agreement("60-monthly", "2027-01-31");
        assert_eq!(cadence(&a, &["2027-01-31"], "2027-02-10").unwrap().due, "2027-02-28");
        // Expected meetings count from the start, not from clamped dates: 31 Jan, 29 Feb, 31 Mar.
        let c = cadence(&agreement("60-monthly", "2028-01-31"), &[], "2028-03-31").unwrap();
        assert_eq!(c.expected, 3);
    }

    #[test]
    fn a_fortnightly_rhythm_counts_days_across_a_leap_day() {
        let a = agreement("30-fortnightly", "2028-02-20");
        let c = cadence(&a, &["2028-02-20"], "2028-03-10").unwrap();
        assert_eq!((c.due.as_str(), c.overdue_days), ("2028-03-05", 5));
        assert_eq!((c.held, c.expected), (1, 2));
        let a = agreement("30-fortnightly", "2027-02-20");
        assert_eq!(cadence(&a, &["2027-02-20"], "2027-03-10").unwrap().due, "2027-03-06");
    }

    #[test]
    fn custom_rhythms_and_no_session_yet() {
        let mut a = agreement("custom", "2027-01-01");
        a.set("meet.every", "3".into());
        a.set("meet.unit", "weeks".into());
        a.set("meet.minutes", "45".into());
        let c = cadence(&a, &[], "2027-01-11").unwrap();
        assert_eq!((c.due.as_str(), c.overdue_days, c.last), ("2027-01-01", 10, None));
        assert_eq!(Every::of(&a), Some(Every::Days(21)));
        assert!(cadence(&agreement("", "2027-01-01"), &[], "2027-02-01").is_none());
        let c = cadence(&agreement("60-monthly", "2027-05-01"), &[], "2027-02-01").unwrap();
        assert_eq!((c.expected, c.overdue_days), (0, 0), "nothing is due before the start");
    }

    #[test]
    fn trend_compares_the_last_three_with_the_three_before() {
        assert_eq!(trend(&[3, 3, 3]), None);
        assert_eq!(trend(&[2, 2, 2, 4, 4, 3]), Some(Trend::Rising));
        assert_eq!(trend(&[4, 4, 4, 4, 4, 3]), Some(Trend::Steady));
        assert_eq!(trend(&[5, 5, 4, 4, 4, 4]), Some(Trend::Falling), "4.67 to 4.0");
        assert_eq!(trend(&[1, 5, 5, 5]), Some(Trend::Rising), "one rating before");
    }

    #[test]
    fn three_low_ratings_in_a_row_raise_an_alert_but_not_with_a_good_one_between() {
        let low = [session(1, "2027-01-01", "held", "2"), session(2, "2027-01-15", "held", "1"), session(3, "2027-02-01", "held", "2")];
        assert!(run(&low, None, "2027-02-02").alerts.contains(&Alert::LowRatings));
        let mixed = [session(1, "2027-01-01", "held", "2"), session(2, "2027-01-15", "held", "4"), session(3, "2027-02-01", "held", "2")];
        assert!(!run(&mixed, None, "2027-02-02").alerts.contains(&Alert::LowRatings));
    }

    #[test]
    fn two_cancellations_in_a_row_raise_an_alert_and_are_counted_by_who() {
        let r = [
            session(1, "2027-01-01", "held", "4"),
            session(2, "2027-01-15", "cancelled-mentor", ""),
            session(3, "2027-02-01", "postponed", ""),
            session(4, "2027-02-15", "cancelled-mentee", ""),
        ];
        let i = run(&r, None, "2027-02-16");
        assert!(i.alerts.contains(&Alert::Cancellations), "a postponement between does not break the run");
        assert_eq!((i.cancelled_by_mentee, i.cancelled_by_mentor, i.postponed, i.held), (1, 1, 1, 1));
        let i = run(&r[..2], None, "2027-02-16");
        assert!(!i.alerts.contains(&Alert::Cancellations));
    }

    #[test]
    fn averages_overdue_reviews_and_end_dates() {
        let mut a = agreement("30-fortnightly", "2027-01-01");
        a.set("review.1", "2027-02-10".into());
        a.set("term.length", "3".into());
        let r = [session(1, "2027-01-01", "held", "4"), session(2, "2027-01-15", "held", "5"), session(3, "2027-01-20", "held", "4")];
        let i = run(&r, Some(&a), "2027-02-05");
        assert_eq!(i.average_tenths, Some(43));
        assert_eq!(i.alerts, [Alert::Overdue(2), Alert::ReviewSoon("2027-02-10".into(), 5)]);
        let i = run(&r, Some(&a), "2027-03-20");
        assert!(i.alerts.contains(&Alert::EndSoon("2027-04-01".into(), 12)));
    }

    #[test]
    fn a_check_in_is_suggested_every_ninety_days() {
        let r = [session(1, "2027-01-01", "held", "4")];
        assert!(!run(&r, None, "2027-03-31").alerts.iter().any(|a| matches!(a, Alert::CheckinDue(_))));
        assert!(run(&r, None, "2027-04-01").alerts.contains(&Alert::CheckinDue(90)));
        let mut checkin = session(2, "2027-03-15", "", "");
        checkin.kind = "checkin".into();
        assert!(!run(&[r[0].clone(), checkin], None, "2027-04-01").alerts.iter().any(|a| matches!(a, Alert::CheckinDue(_))));
    }

    #[test]
    fn action_points_stay_open_until_a_later_form_marks_them_done() {
        let mut first = session(1, "2027-01-01", "held", "4");
        for (k, v) in [("actions", "2"), ("action.1.what", "Draft CV"), ("action.1.due", "2027-01-10"), ("action.2.what", "Call Sam"), ("action.2.who", "mentor")] {
            first.data.set(k, v.into());
        }
        let mut second = session(2, "2027-01-15", "held", "4");
        second.data.set("open.1.2", "done".into());
        second.data.set("open.1.1", "carry".into());
        let i = run(&[first.clone(), second], None, "2027-01-20");
        assert_eq!(i.open.len(), 1);
        assert_eq!((i.open[0].path.as_str(), i.open[0].what.as_str(), i.open[0].overdue), ("open.1.1", "Draft CV", true));
        assert_eq!(run(&[first], None, "2027-01-05").open.len(), 2);
    }
}
