//! The agreed schedule as iCalendar (RFC 5545): the meetings as one recurring
//! event, each review date and the end date as all-day events.
//!
//! Times are floating (no time zone): a meeting at 18:00 is at 18:00 wherever
//! each person's calendar is, which is what two people agreeing "six o'clock"
//! mean.

use crate::i18n::{self, Key, Locale};
use crate::model::agreement::Agreement;
use crate::model::config::Programme;
use crate::model::date;
use crate::model::validate::term_end;

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks; other
/// control characters, which TEXT may not hold, are dropped.
pub fn escape(text: &str) -> String {
    let text = super::doc::printable(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded at 75 octets (never inside a character),
/// ended by CRLF.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// An ISO 8601 time (UTC) as `DTSTAMP` writes it: `YYYYMMDDTHHMMSSZ`.
pub fn stamp(iso: &str) -> String {
    iso.chars().filter(|c| c.is_ascii_digit() || *c == 'T').take(15).chain(['Z']).collect()
}

fn compact(iso_date: &str) -> String {
    iso_date.replace('-', "")
}

/// A reminder shown `trigger` from the event's start (or, `RELATED=END`, its end).
fn alarm(props: &mut Vec<String>, trigger: &str, text: &str) {
    props.extend(["BEGIN:VALARM".to_owned(), "ACTION:DISPLAY".to_owned(), ["TRIGGER", trigger].concat(), ["DESCRIPTION:", &escape(text)].concat(), "END:VALARM".to_owned()]);
}

/// The calendar. `stamp` is the creation time as `YYYYMMDDTHHMMSSZ`; `uid`
/// makes the events' ids unique to this agreement (its fingerprint); `page`,
/// when not empty, is where the feedback is filled in after each meeting.
///
/// Reminders follow the agreement: before each meeting as the pair chose
/// (`meet.remind`, in minutes), the agenda's sending day, the feedback after
/// each meeting with a set time, and a week before each review and the end.
pub fn calendar(values: &Agreement, programme: &Programme, locale: Locale, stamp: &str, uid: &str, page: &str) -> String {
    let t = |key| programme.text(locale, key);
    let mut out = begin();
    let names = names(values);
    let start = [values.get("meet.first"), values.get("term.start")].into_iter().find(|d| date::parse(d).is_some());
    let end = term_end(values);
    if let (Some(start), Some((freq, interval, _))) = (start, crate::model::agreement::rhythm(values)) {
        let mut rule = format!("RRULE:FREQ={freq};INTERVAL={interval}");
        if let Some(end) = &end {
            rule.push_str(";UNTIL=");
            rule.push_str(&compact(end));
            if crate::model::validate::is_time_of_day(values.get("meet.time")) {
                rule.push_str("T235959");
            }
        }
        event(&mut out, "meetings", uid, stamp, &meeting(values, programme, locale, start, Some(rule), page));
    }
    let all_day = |day: &str, summary: String| {
        let next = date::parse(day).map(|d| compact(&date::format(d + 1))).unwrap_or_default();
        let mut props = vec![
            format!("DTSTART;VALUE=DATE:{}", compact(day)),
            format!("DTEND;VALUE=DATE:{next}"),
            format!("SUMMARY:{}", escape(&summary)),
            "TRANSP:TRANSPARENT".to_owned(),
        ];
        // At nine in the morning, a week before.
        alarm(&mut props, ":-P6DT15H", &i18n::fill(t(Key::IcsWeekAhead), &[("summary", &summary)]));
        props
    };
    for n in 1..=3 {
        let day = values.get(&format!("review.{n}"));
        if date::parse(day).is_some() {
            event(&mut out, &format!("review-{n}"), uid, stamp, &all_day(day, i18n::fill(t(Key::IcsReview), &[("names", &names)])));
        }
    }
    if let Some(end) = end {
        event(&mut out, "end", uid, stamp, &all_day(&end, i18n::fill(t(Key::IcsEnd), &[("names", &names)])));
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// A calendar of one meeting on `day` (`YYYY-MM-DD`), as the feedback's
/// "next session" agreed it: at the time, for the length, at the place and
/// with the reminders of the linked `agreement` where there is one (else a
/// day's event with no reminder). `uid` makes its id unique to that day.
pub fn one_meeting(day: &str, agreement: Option<&Agreement>, programme: &Programme, locale: Locale, stamp: &str, uid: &str) -> String {
    let none = Agreement::default();
    let values = agreement.unwrap_or(&none);
    let mut out = begin();
    if date::parse(day).is_some() {
        event(&mut out, &["meeting-", &compact(day)].concat(), uid, stamp, &meeting(values, programme, locale, day, None, ""));
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn begin() -> String {
    let mut out = String::new();
    for l in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//mentorkit//mentoring agreement//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"] {
        line(&mut out, l);
    }
    out
}

fn names(values: &Agreement) -> String {
    format!("{} & {}", values.get("mentee.name"), values.get("mentor.name"))
}

fn event(out: &mut String, id: &str, uid: &str, stamp: &str, props: &[String]) {
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{id}-{uid}@mentorkit"));
    line(out, &format!("DTSTAMP:{stamp}"));
    for p in props {
        line(out, p);
    }
    line(out, "END:VEVENT");
}

/// A meeting's properties from `start`, repeated by `rule` if given: at
/// the agreed time for the agreed length (else all day), where and with the
/// reminders the pair chose; `page`, when not empty, is where the feedback
/// is filled in after it.
fn meeting(values: &Agreement, programme: &Programme, locale: Locale, start: &str, rule: Option<String>, page: &str) -> Vec<String> {
    let t = |key| programme.text(locale, key);
    let named = !values.get("mentee.name").is_empty() || !values.get("mentor.name").is_empty();
    let names = names(values);
    let time = values.get("meet.time");
    let minutes = crate::model::agreement::rhythm(values).map(|(_, _, m)| m);
    let timed = crate::model::validate::is_time_of_day(time) && minutes.is_some();
    let mut props = Vec::new();
    if timed {
        props.push(format!("DTSTART:{}T{}00", compact(start), time.replace(':', "")));
        props.push(format!("DURATION:PT{}M", minutes.unwrap_or_default()));
    } else {
        props.push(format!("DTSTART;VALUE=DATE:{}", compact(start)));
    }
    props.extend(rule);
    // With no names (no linked agreement), the two roles stand for them.
    let names = if named { names } else { [t(Key::Mentee), " & ", t(Key::Mentor)].concat() };
    let summary = i18n::fill(t(Key::IcsMeeting), &[("names", &names)]);
    props.push(format!("SUMMARY:{}", escape(&summary)));
    let place = values.get("meet.place");
    if !place.is_empty() {
        props.push(format!("LOCATION:{}", escape(place)));
    }
    let agenda = values.get("meet.agendaDays");
    if !agenda.is_empty() {
        props.push(format!("DESCRIPTION:{}", escape(&i18n::fill(t(Key::IcsAgenda), &[("days", agenda)]))));
    }
    if !page.is_empty() {
        props.push(["URL:", page].concat());
    }
    let names = [("names", names.as_str())];
    if let Some(minutes) = values.get("meet.remind").parse::<u32>().ok().filter(|m| *m > 0) {
        alarm(&mut props, &[":-PT", &minutes.to_string(), "M"].concat(), &i18n::fill(t(Key::IcsSoon), &names));
    }
    if let Some(days) = agenda.parse::<u32>().ok().filter(|d| *d > 0) {
        alarm(&mut props, &[":-P", &days.to_string(), "D"].concat(), &i18n::fill(t(Key::IcsAgendaDue), &names));
    }
    if timed && !page.is_empty() {
        alarm(&mut props, ";RELATED=END:PT10M", &i18n::fill(t(Key::IcsFeedbackDue), &[("url", page)]));
    }
    props
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_time_that_is_not_a_time_of_day_never_reaches_the_file() {
        let mut v = crate::model::agreement::fresh(&Programme::default(), "2026-11-22", Locale::En);
        v.set("term.start", "2026-12-01".into());
        for time in ["10:00\r\nATTACH:http://x", "1\n:00", "99:99", "10:0é"] {
            v.set("meet.time", time.into());
            let ics = calendar(&v, &Programme::default(), Locale::En, "20261122T100000Z", "u", "");
            assert!(ics.contains("DTSTART;VALUE=DATE:20261201"), "{time}: {ics}");
            assert!(!ics.contains("ATTACH") && !ics.contains("DTSTART:"), "{time}: {ics}");
        }
        v.set("meet.time", "18:30".into());
        assert!(calendar(&v, &Programme::default(), Locale::En, "s", "u", "").contains("DTSTART:20261201T183000"));
    }

    #[test]
    fn the_next_session_is_one_meeting_at_the_agreed_time_with_its_reminders() {
        let p = Programme::default();
        let bare = one_meeting("2027-01-14", None, &p, Locale::En, "20270101T090000Z", "r1");
        assert!(bare.contains("DTSTART;VALUE=DATE:20270114") && bare.contains("UID:meeting-20270114-r1@mentorkit"), "{bare}");
        assert!(!bare.contains("RRULE") && !bare.contains("VALARM") && bare.contains("SUMMARY:Mentoring: Mentee & Mentor"), "{bare}");
        let mut v = crate::model::agreement::fresh(&p, "2026-11-22", Locale::En);
        for (k, x) in [("mentee.name", "Ana"), ("mentor.name", "Ben"), ("meet.time", "18:30"), ("meet.place", "Library, room 2"), ("meet.remind", "30"), ("meet.agendaDays", "2")] {
            v.set(k, x.into());
        }
        let ics = one_meeting("2027-01-14", Some(&v), &p, Locale::En, "20270101T090000Z", "r1");
        assert!(ics.contains("DTSTART:20270114T183000") && ics.contains("DURATION:PT") && ics.contains("LOCATION:Library\\, room 2"), "{ics}");
        assert!(ics.contains("Ana & Ben") && ics.contains("TRIGGER:-PT30M") && ics.contains("TRIGGER:-P2D") && !ics.contains("RRULE"), "{ics}");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
        // No day ahead, no event: still a calendar a program can read.
        let none = one_meeting("", Some(&v), &p, Locale::En, "s", "r1");
        assert!(none.starts_with("BEGIN:VCALENDAR") && none.ends_with("END:VCALENDAR\r\n") && !none.contains("VEVENT"));
        assert_eq!(stamp("2027-01-01T09:00:05.123Z"), "20270101T090005Z");
    }

    #[test]
    fn escapes_text_values() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn folds_long_lines_without_splitting_characters() {
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "é".repeat(60)));
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        assert_eq!(out.replace("\r\n ", ""), format!("SUMMARY:{}\r\n", "é".repeat(60)));
    }
}
