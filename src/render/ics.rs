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
    let mut out = String::new();
    for l in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//mentorkit//mentoring agreement//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"] {
        line(&mut out, l);
    }
    let names = format!("{} & {}", values.get("mentee.name"), values.get("mentor.name"));
    let start = [values.get("meet.first"), values.get("term.start")].into_iter().find(|d| date::parse(d).is_some());
    let end = term_end(values);
    let event = |out: &mut String, id: &str, props: &[String]| {
        line(out, "BEGIN:VEVENT");
        line(out, &format!("UID:{id}-{uid}@mentorkit"));
        line(out, &format!("DTSTAMP:{stamp}"));
        for p in props {
            line(out, p);
        }
        line(out, "END:VEVENT");
    };
    if let (Some(start), Some((freq, interval, minutes))) = (start, crate::model::agreement::rhythm(values)) {
        let time = values.get("meet.time");
        let valid_time = crate::model::validate::is_time_of_day(time);
        let mut props = Vec::new();
        if valid_time {
            props.push(format!("DTSTART:{}T{}00", compact(start), time.replace(':', "")));
            props.push(format!("DURATION:PT{minutes}M"));
        } else {
            props.push(format!("DTSTART;VALUE=DATE:{}", compact(start)));
        }
        let mut rule = format!("RRULE:FREQ={freq};INTERVAL={interval}");
        if let Some(end) = &end {
            rule.push_str(";UNTIL=");
            rule.push_str(&compact(end));
            if valid_time {
                rule.push_str("T235959");
            }
        }
        props.push(rule);
        props.push(format!("SUMMARY:{}", escape(&i18n::fill(t(Key::IcsMeeting), &[("names", &names)]))));
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
        if valid_time && !page.is_empty() {
            alarm(&mut props, ";RELATED=END:PT10M", &i18n::fill(t(Key::IcsFeedbackDue), &[("url", page)]));
        }
        event(&mut out, "meetings", &props);
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
            event(&mut out, &format!("review-{n}"), &all_day(day, i18n::fill(t(Key::IcsReview), &[("names", &names)])));
        }
    }
    if let Some(end) = end {
        event(&mut out, "end", &all_day(&end, i18n::fill(t(Key::IcsEnd), &[("names", &names)])));
    }
    line(&mut out, "END:VCALENDAR");
    out
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
