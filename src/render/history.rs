//! The history of a relationship in words, charts and files: the sentences
//! the widget shows, the CSV and the printable summary.
//!
//! `full` copies are the person's own and hold everything; shared copies leave
//! out the private note and the note for the coordinator.

use super::chart::{line_chart, Chart};
use super::csv;
use super::doc::{display, Block};
use crate::i18n::{self, Key, Locale};
use crate::model::config::Programme;
use crate::model::feedback::{self, steps_for, Record, GOAL_PROGRESS, KINDS, STATUSES, TALK};
use crate::model::form::Reader;
use crate::model::form::{item_path, shown, Values};
use crate::model::insights::{Alert, Cadence, Insights, Trend};

/// How many of the latest sessions the charts show.
pub const CHART_POINTS: usize = 24;

/// Dates as the reader's language writes them.
pub type DateFn<'a> = &'a dyn Fn(&str) -> String;

/// `4.3` from 43 tenths.
pub fn tenths(value: u32, locale: Locale) -> String {
    [(value / 10).to_string(), locale.decimal().to_string(), (value % 10).to_string()].concat()
}

/// An alert in words.
pub fn alert(alert: &Alert, programme: &Programme, locale: Locale, date: DateFn) -> String {
    let t = |k| programme.text(locale, k);
    match alert {
        Alert::LowRatings => t(Key::AlertLowRatings).to_owned(),
        Alert::Cancellations => t(Key::AlertCancellations).to_owned(),
        Alert::Overdue(days) => i18n::fill(t(Key::AlertOverdue), &[("days", &days.to_string())]),
        Alert::ReviewSoon(d, days) => i18n::fill(t(Key::AlertReviewSoon), &[("date", &date(d)), ("days", &days.to_string())]),
        Alert::EndSoon(d, days) => i18n::fill(t(Key::AlertEndSoon), &[("date", &date(d)), ("days", &days.to_string())]),
        Alert::CheckinDue(days) => i18n::fill(t(Key::AlertCheckinDue), &[("days", &days.to_string())]),
    }
}

/// The rhythm of meetings in words: held against expected, and what is due.
pub fn cadence(c: &Cadence, programme: &Programme, locale: Locale, date: DateFn) -> String {
    let t = |k| programme.text(locale, k);
    let line = i18n::fill(
        t(Key::CadenceLine),
        &[("held", &c.held.to_string()), ("expected", &c.expected.to_string()), ("start", &date(&c.start))],
    );
    let due = if c.overdue_days > 0 {
        i18n::fill(t(Key::CadenceOverdue), &[("days", &c.overdue_days.to_string()), ("date", &date(&c.due))])
    } else {
        i18n::fill(t(Key::CadenceOnTrack), &[("date", &date(&c.due))])
    };
    [line, due].join(" ")
}

/// Sessions, cancellations, average and trend in words, one sentence each.
pub fn glance(i: &Insights, programme: &Programme, locale: Locale) -> Vec<String> {
    let t = |k| programme.text(locale, k);
    let mut lines = vec![i18n::fill(t(Key::SessionsHeld), &[("held", &i.held.to_string()), ("total", &i.sessions.to_string())])];
    if i.sessions > i.held {
        lines.push(i18n::fill(
            t(Key::Cancellations),
            &[
                ("mentee", &i.cancelled_by_mentee.to_string()),
                ("mentor", &i.cancelled_by_mentor.to_string()),
                ("noshow", &i.no_shows.to_string()),
                ("postponed", &i.postponed.to_string()),
            ],
        ));
    }
    if let Some(avg) = i.average_tenths {
        lines.push(i18n::fill(t(Key::AverageRating), &[("average", &tenths(avg, locale))]));
        lines.push(
            t(match i.trend {
                Some(Trend::Rising) => Key::TrendRising,
                Some(Trend::Steady) => Key::TrendSteady,
                Some(Trend::Falling) => Key::TrendFalling,
                None => Key::TrendTooFew,
            })
            .to_owned(),
        );
    }
    lines
}

/// A chart of the latest scores with its text alternative, as (svg, text).
fn chart(id: &str, title: Key, series: &[(String, u8)], levels: [&str; 5], programme: &Programme, locale: Locale, date: DateFn, word: &dyn Fn(u8) -> String) -> Option<(String, String)> {
    if series.is_empty() {
        return None;
    }
    let shown = &series[series.len().saturating_sub(CHART_POINTS)..];
    let title = i18n::fill(programme.text(locale, title), &[("n", &shown.len().to_string())]);
    let list: Vec<String> = shown.iter().map(|(d, s)| [date(d), ": ".into(), word(*s)].concat()).collect();
    let desc = i18n::fill(programme.text(locale, Key::RatingsDesc), &[("list", &list.join(", "))]);
    let points: Vec<u8> = shown.iter().map(|(_, s)| *s).collect();
    let (first, last) = (date(&shown[0].0), date(&shown[shown.len() - 1].0));
    let svg = line_chart(&Chart { id, title: &title, desc: &desc, points: &points, levels, first: &first, last: &last, rtl: locale.is_rtl() });
    Some((svg, [title, ". ".into(), desc].concat()))
}

/// The ratings chart: (svg, text alternative).
pub fn ratings_chart(i: &Insights, programme: &Programme, locale: Locale, date: DateFn) -> Option<(String, String)> {
    chart("mk-ratings", Key::RatingsChart, &i.ratings, ["1", "2", "3", "4", "5"], programme, locale, date, &|s| s.to_string())
}

/// Who did the talking over time: (svg, text alternative).
pub fn talking_chart(i: &Insights, programme: &Programme, locale: Locale, date: DateFn) -> Option<(String, String)> {
    let t = |k| programme.text(locale, k);
    // Short level names fit beside the chart; the caption has the full wording.
    let levels = [t(Key::Mentee), "", t(Key::Talk3), "", t(Key::Mentor)];
    let word = |s: u8| TALK.iter().find(|(v, _)| v.parse() == Ok(s)).map_or_else(String::new, |(_, k)| t(*k).to_owned());
    chart("mk-talking", Key::TalkingChart, &i.talking, levels, programme, locale, date, &word)
}

/// One line naming a record: date, kind, what happened, rating.
pub fn title(record: &Record, programme: &Programme, locale: Locale, date: DateFn) -> String {
    let t = |k| programme.text(locale, k);
    let d = &record.data;
    let option = |options: &[(&str, Key)], v: &str| options.iter().find(|(o, _)| *o == v).map(|(_, k)| t(*k));
    let mut parts = vec![date(d.get("date"))];
    parts.extend(option(KINDS, &record.kind).map(str::to_owned));
    if record.kind == "session" {
        parts.extend(option(STATUSES, d.get("status")).map(str::to_owned));
    }
    let score = if record.kind == "checkin" { d.get("health") } else { d.get("rating") };
    if !score.is_empty() && record.kind != "closing" {
        parts.push(i18n::fill(t(Key::RatingShort), &[("n", score)]));
    }
    if record.version > 1 {
        parts.push(i18n::fill(t(Key::Version), &[("n", &record.version.to_string())]));
    }
    parts.join(" · ")
}

/// Who a copy is for: the person's own full copy, or the one to share with
/// the partner.
fn reader(full: bool) -> Reader {
    if full { Reader::Me } else { Reader::Partner }
}

/// Whether a path goes into a copy.
fn included(path: &str, programme: &Programme, full: bool) -> bool {
    feedback::audience(path, programme).reaches(reader(full))
}

/// The answers of a record as labelled blocks.
pub fn answers(record: &Record, programme: &Programme, locale: Locale, date: DateFn, full: bool) -> Vec<Block> {
    let t = |k| programme.text(locale, k);
    let v = &record.data;
    let mut out = Vec::new();
    for step in steps_for(v) {
        for group in step.groups {
            let count = group.repeat.map_or(1, |r| v.count(&r));
            for n in 1..=count {
                for field in group.fields.iter().filter(|f| shown(f, v) && programme.shows(f.path) && !matches!(f.path, "kind" | "date")) {
                    let path = if group.repeat.is_some() { item_path(field.path, n) } else { field.path.to_owned() };
                    if !included(&path, programme, full) {
                        continue;
                    }
                    let value = display(field, v.get(&path), programme, locale, date);
                    if value.trim().is_empty() {
                        continue;
                    }
                    let label = match group.repeat {
                        Some(r) if r.title.is_some() => [v.get(&item_path(r.title.unwrap_or_default(), n)), " – ", programme.field_label(locale, field)].concat(),
                        Some(r) => [i18n::fill(t(r.item), &[("n", &n.to_string())]), " – ".into(), programme.field_label(locale, field).into()].concat(),
                        None => programme.field_label(locale, field).to_owned(),
                    };
                    out.push(Block::Field(label, value));
                }
            }
        }
    }
    for q in feedback::questions(programme, v).filter(|q| q.audience().reaches(reader(full))) {
        let value = v.get(&q.path()).replace(crate::model::form::MULTI_SEPARATOR, ", ");
        if !value.is_empty() {
            out.push(Block::Field(programme.label(locale.tag(), &q.path()).unwrap_or(&q.label).to_owned(), value));
        }
    }
    out
}

/// The columns of a CSV export: record facts, then every field path in form
/// order (repeats summarised in one column each), then programme questions.
fn columns(programme: &Programme, full: bool) -> Vec<String> {
    let mut cols: Vec<String> = ["id", "version", "submitted"].map(String::from).into();
    for step in feedback::STEPS {
        for group in step.groups {
            match group.repeat {
                Some(r) if r.count == GOAL_PROGRESS.count => {
                    for field in group.fields {
                        cols.push(field.path.replace(".#.", "."));
                    }
                }
                Some(r) => cols.push(r.count.to_owned()),
                None => cols.extend(group.fields.iter().filter(|f| f.audience.reaches(reader(full))).map(|f| f.path.to_owned())),
            }
        }
    }
    cols.extend(programme.questions.iter().filter(|q| q.audience().reaches(reader(full))).map(|q| q.path()));
    cols.dedup();
    cols
}

/// The records as CSV, one row per record (newest version), stored values as
/// they are (option ids, ISO dates) so a spreadsheet can sort and count them.
pub fn csv(records: &[&Record], programme: &Programme, full: bool) -> String {
    let cols = columns(programme, full);
    let mut rows = vec![cols.clone()];
    for r in records {
        let v = &r.data;
        let row = cols
            .iter()
            .map(|c| match c.as_str() {
                "id" => r.id.clone(),
                "version" => r.version.to_string(),
                "submitted" => r.submitted.clone(),
                "goal.progress" | "goal.achieved" => {
                    let what = c.trim_start_matches("goal.");
                    (1..=v.count(&GOAL_PROGRESS))
                        .map(|n| [v.get(&item_path("goal.#.title", n)), ": ", v.get(&item_path(&["goal.#.", what].concat(), n))].concat())
                        .filter(|s| !s.ends_with(": "))
                        .collect::<Vec<_>>()
                        .join("\n")
                }
                "actions" => (1..=v.count(&feedback::ACTIONS))
                    .map(|n| {
                        let get = |f: &str| v.get(&item_path(&["action.#.", f].concat(), n));
                        [get("what"), " (", get("who"), ", ", get("due"), ")"].concat()
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                path => v.get(path).to_owned(),
            })
            .collect::<Vec<_>>();
        rows.push(row);
    }
    csv::table(&rows)
}

/// The values of a copy: all of them, or the shared ones.
pub fn copy(values: &Values, programme: &Programme, full: bool) -> Values {
    feedback::for_reader(values, programme, reader(full))
}

/// A printable summary: insights, charts, open action points and every entry.
pub fn summary(records: &[&Record], insights: &Insights, programme: &Programme, locale: Locale, date: DateFn, full: bool) -> Vec<Block> {
    let t = |k| programme.text(locale, k);
    let mut doc = vec![Block::Title(t(Key::SummaryTitle).to_owned())];
    if !programme.name.is_empty() {
        doc.push(Block::Subtitle(programme.name.clone()));
    }
    doc.push(Block::Heading(t(Key::AtAGlance).to_owned()));
    if let Some(closed) = &insights.closed {
        doc.push(Block::Text(i18n::fill(t(Key::ClosedOn), &[("date", &date(closed))])));
    }
    doc.extend(insights.alerts.iter().map(|a| Block::Text(alert(a, programme, locale, date))));
    if let Some(c) = &insights.cadence {
        doc.push(Block::Text(cadence(c, programme, locale, date)));
    }
    doc.extend(glance(insights, programme, locale).into_iter().map(Block::Text));
    for (svg, alt) in [ratings_chart(insights, programme, locale, date), talking_chart(insights, programme, locale, date)].into_iter().flatten() {
        doc.push(Block::Figure(svg, alt));
    }
    doc.push(Block::Heading(t(Key::OpenActions).to_owned()));
    if insights.open.is_empty() {
        doc.push(Block::Text(t(Key::NoOpenActions).to_owned()));
    }
    for a in &insights.open {
        let mut line = vec![a.what.clone(), i18n::fill(t(Key::OpenActionFrom), &[("date", &date(&a.from))])];
        if !a.due.is_empty() {
            line.push(i18n::fill(t(Key::OpenActionDue), &[("date", &date(&a.due))]));
        }
        doc.push(Block::Text(line.join(" · ")));
    }
    doc.push(Block::Heading(t(Key::Sessions).to_owned()));
    for r in records {
        doc.push(Block::Subheading(title(r, programme, locale, date)));
        doc.extend(answers(r, programme, locale, date, full));
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::insights::insights;

    fn record(seq: u32, pairs: &[(&str, &str)]) -> Record {
        let mut data = Values::default();
        for (k, v) in pairs {
            data.set(k, (*v).into());
        }
        Record { id: format!("id-{seq}"), seq, version: 1, kind: data.get("kind").into(), created: String::new(), submitted: "2027-01-01T10:00:00Z".into(), data }
    }

    #[test]
    fn the_history_in_words_follows_the_programmes_wording() {
        let p = Programme::from_json(r#"{"labels":{"en":{"AlertLowRatings":"Please call us.","KindSession":"A meeting"}}}"#, &crate::model::feedback::SCHEMA).unwrap();
        let id = |d: &str| d.to_owned();
        assert_eq!(alert(&Alert::LowRatings, &p, Locale::En, &id), "Please call us.");
        let r = record(1, &[("kind", "session"), ("date", "2027-01-01"), ("status", "held")]);
        assert!(title(&r, &p, Locale::En, &id).contains("A meeting"));
    }

    #[test]
    fn shared_copies_leave_out_both_notes_and_full_ones_keep_them() {
        let r = record(1, &[("kind", "session"), ("date", "2027-01-01"), ("status", "held"), ("rating", "4"), ("private.note", "SECRET"), ("coordinator.note", "FOR-PROGRAMME")]);
        let p = Programme::default();
        let shared = csv(&[&r], &p, false);
        assert!(!shared.contains("SECRET") && !shared.contains("FOR-PROGRAMME") && !shared.contains("private.note"));
        let full = csv(&[&r], &p, true);
        assert!(full.contains("SECRET") && full.contains("FOR-PROGRAMME"));
        let i = insights(&[&r], None, "2027-01-02");
        let id = |d: &str| d.to_owned();
        let doc = summary(&[&r], &i, &p, Locale::En, &id, false);
        assert!(!format!("{doc:?}").contains("SECRET"));
        assert!(format!("{:?}", summary(&[&r], &i, &p, Locale::En, &id, true)).contains("SECRET"));
    }

    #[test]
    fn record_titles_name_what_happened() {
        let id = |d: &str| d.to_owned();
        let r = record(1, &[("kind", "session"), ("date", "2027-01-01"), ("status", "cancelled-mentor")]);
        assert_eq!(title(&r, &Programme::default(), Locale::En, &id), "2027-01-01 · A session · Cancelled by the mentor");
        let mut r = record(2, &[("kind", "session"), ("date", "2027-01-08"), ("status", "held"), ("rating", "5")]);
        r.version = 2;
        assert_eq!(title(&r, &Programme::default(), Locale::En, &id), "2027-01-08 · A session · Yes, we met · rated 5 of 5 · version 2");
    }
}
