//! Golden tests for the agreement's documents: Markdown, HTML, plain text and
//! iCalendar, for an agreement whose text tries to break each format.
//!
//! `UPDATE_GOLDEN=1 cargo test --test golden` rewrites the files in
//! `tests/golden/`; review the diff before committing it.

use mentorkit::i18n::Locale;
use mentorkit::model::agreement::fresh;
use mentorkit::model::config::Programme;
use mentorkit::model::form::Values;
use mentorkit::model::signing;
use mentorkit::render::{self, ics};

const HOSTILE: &str = "<img src=x onerror=alert(1)>";

fn agreement() -> Values {
    let programme: Programme = mentorkit::model::json::parse(
        r#"{"name":"Harbourlight Arts","contact":"mentoring@harbourlight.example",
            "clauses":[{"id":"wip","title":"Work in progress","text":"Shared drafts stay private.","required":true}]}"#,
    )
    .unwrap();
    let mut v = fresh(&programme, "2026-11-22", Locale::En);
    for (k, val) in [
        ("mentee.name", HOSTILE),
        ("mentee.contact", "amara@example.org"),
        ("mentor.name", "Jonas Weber"),
        ("purpose.text", "Line one, with a comma; and a semicolon.\nLine two: *stars*, _underscores_, # hash, [link](x) & \"quotes\"\n- not a list"),
        ("goal.1.what", "Build a portfolio, then apply"),
        ("goal.1.target", "2027-03-31"),
        ("meet.time", "18:30"),
        ("meet.first", "2026-12-03"),
        ("meet.place", "Studio 4, Dock Road; or video"),
        ("term.start", "2026-12-01"),
        ("review.1", "2027-03-01"),
        ("clause.wip", "yes"),
    ] {
        v.set(k, val.into());
    }
    v
}

fn golden(name: &str, actual: &str) {
    let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{path} missing: run with UPDATE_GOLDEN=1"));
    assert!(expected == actual, "{name} differs from its golden file; rerun with UPDATE_GOLDEN=1 and review the diff");
}

fn doc(v: &Values) -> Vec<render::Block> {
    render::agreement(v, &Programme { clauses: vec![mentorkit::model::config::Clause {
        id: "wip".into(), title: "Work in progress".into(), text: "Shared drafts stay private.".into(), required: true,
    }], ..Programme::default() }, Locale::En, &|d| d.to_owned())
}

#[test]
fn markdown() {
    let md = render::markdown(&doc(&agreement()));
    assert!(md.contains(r"\<img src=x onerror=alert(1)\>"), "markup characters are escaped");
    assert!(!md.replace("\\<", "").contains('<'), "no unescaped angle bracket");
    assert!(md.contains(r"\*stars\*") && md.contains(r"\[link\](x)") && md.contains(r"\- not a list"));
    assert!(md.contains("amara@example.org") && md.contains("Studio 4, Dock Road; or video"), "plain text stays readable");
    golden("agreement.md", &md);
}

#[test]
fn html() {
    let html = render::html(&doc(&agreement()), Locale::En);
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!html.contains("<img"));
    assert!(html.contains("&quot;quotes&quot;") && html.contains("Line one, with a comma; and a semicolon.<br>"));
    assert!(html.contains("@media print"));
    golden("agreement.html", &html);
}

#[test]
fn text() {
    let text = render::text(&doc(&agreement()));
    assert!(text.contains(HOSTILE), "plain text keeps text as it is");
    golden("agreement.txt", &text);
}

#[test]
fn icalendar() {
    let v = agreement();
    let uid = &signing::fingerprint(&v)[..16];
    let cal = ics::calendar(&v, &Programme::default(), Locale::En, "20261122T100000Z", uid, "https://arts.example/mentoring/feedback");
    assert!(cal.contains("RRULE:FREQ=MONTHLY;INTERVAL=1;UNTIL=20270601T235959\r\n"));
    assert!(cal.contains("DTSTART:20261203T183000\r\n") && cal.contains("DURATION:PT60M\r\n"));
    assert!(cal.contains("LOCATION:Studio 4\\, Dock Road\\; or video\r\n"));
    assert!(cal.contains("SUMMARY:Mentoring: <img src=x onerror=alert(1)> & Jonas Weber\r\n"));
    assert!(cal.contains("BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT60M\r\n"), "a reminder an hour before each meeting");
    assert!(cal.contains("TRIGGER:-P2D\r\nDESCRIPTION:Time to send the agenda"), "the agenda's day");
    assert!(cal.contains("TRIGGER;RELATED=END:PT10M\r\n") && cal.contains("URL:https://arts.example/mentoring/feedback\r\n"), "the feedback after each meeting, linked");
    assert_eq!(cal.matches("TRIGGER:-P6DT15H").count(), 2, "a week before the review and the end");
    assert!(cal.lines().all(|l| l.len() <= 76), "lines are folded");
    assert!(cal.split("\r\n").all(|l| !l.contains('\n')), "CRLF line ends only");
    golden("agreement.ics", &cal);
}

/// An agreement filled in as a pair would, in `locale`, with its programme.
fn in_language(locale: Locale) -> (Values, Programme) {
    let programme: Programme = mentorkit::model::json::parse(r#"{"name":"Harbourlight Arts","contact":"mentoring@harbourlight.example"}"#).unwrap();
    let mut v = fresh(&programme, "2026-11-22", locale);
    for (k, val) in [
        ("mentee.name", "Amara Okafor"),
        ("mentee.contact", "+44 20 7946 0000"),
        ("mentor.name", "Jonas Weber"),
        ("purpose.text", "Find my feet as a freelance set designer."),
        ("goal.1.what", "A portfolio site"),
        ("goal.1.measure", "Three projects are online"),
        ("goal.1.target", "2027-03-31"),
        ("goals", "2"),
        ("goal.2.what", "Apply for the spring residency"),
        ("meet.cadence", "30-fortnightly"),
        ("meet.format", "in-person"),
        ("meet.first", "2027-01-10"),
        ("meet.time", "18:30"),
        ("meet.scheduler", "mentor"),
        ("meet.agendaDays", "1"),
        ("meet.notes", "both"),
        ("paid.kind", "paid"),
        ("paid.fees", "40 a session, invoiced monthly"),
        ("term.start", "2027-01-10"),
        ("term.length", "6"),
        ("review.1", "2027-03-10"),
        ("review.2", "2027-05-10"),
    ] {
        v.set(k, val.into());
    }
    (v, programme)
}

#[test]
fn the_document_reads_as_sentences_in_every_language() {
    for locale in [Locale::En, Locale::Es, Locale::Fr, Locale::De, Locale::Ar] {
        let (v, programme) = in_language(locale);
        let doc = render::agreement(&v, &programme, locale, &|d| d.to_owned());
        let text = render::text(&doc);
        golden(&format!("agreement.{}.txt", locale.tag()), &text);
        assert!(!text.contains("?"), "{}: no question is left in the document:\n{text}", locale.tag());
        assert!(text.contains("2027-07-10"), "{}: the end date is worked out", locale.tag());
        assert!(text.contains("2027-03-10, 2027-05-10") || text.contains("2027-03-10، 2027-05-10"), "{}: the reviews", locale.tag());
        assert!(text.contains("Harbourlight Arts") && text.contains("mentoring@harbourlight.example"), "{}: the programme", locale.tag());
        assert_eq!(text.lines().filter(|l| l.ends_with("____________")).count(), 2, "{}: a line to sign for each", locale.tag());
    }
    let (v, programme) = in_language(Locale::En);
    let text = render::text(&render::agreement(&v, &programme, Locale::En, &|d| d.to_owned()));
    for sentence in [
        "We will meet for 30 minutes every 2 weeks, in person.",
        "Our first meeting is on 2027-01-10 at 18:30.",
        "The mentor arranges the meetings.",
        "The agenda is sent the day before each meeting.",
        "Either of us writes up the action points.",
        "We agree the next date at the end of each meeting.",
        "The mentoring is paid: 40 a session, invoiced monthly",
        "The mentoring runs from 2027-01-10 to 2027-07-10.",
        "We review how it is going on 2027-03-10, 2027-05-10.",
        "Goal 1: A portfolio site",
        "We will know it is achieved when: Three projects are online",
        "Made within Harbourlight Arts.",
    ] {
        assert!(text.contains(sentence), "{sentence}\n{text}");
    }
}

#[test]
fn the_fingerprint_appears_short_on_every_document() {
    let v = agreement();
    let short = signing::short(&signing::fingerprint(&v));
    for out in [render::markdown(&doc(&v)), render::html(&doc(&v), Locale::En), render::text(&doc(&v))] {
        assert!(out.contains(&short));
    }
}

/// Four sessions, the text of one trying to break CSV and spreadsheets.
fn history() -> Vec<mentorkit::model::feedback::Record> {
    use mentorkit::model::feedback::Record;
    let session = |seq: u32, pairs: &[(&str, &str)]| {
        let mut data = Values::default();
        data.set("kind", "session".into());
        data.set("respondent", "mentee".into());
        for (k, v) in pairs {
            data.set(k, (*v).into());
        }
        let at = format!("2027-0{seq}-02T09:00:00Z");
        Record { id: format!("id-{seq}"), seq, version: 1, kind: "session".into(), created: at.clone(), submitted: at, data }
    };
    vec![
        session(1, &[("date", "2027-01-05"), ("status", "held"), ("rating", "3"), ("talking", "4"), ("topics", "=HYPERLINK(\"http://x\",\"click\")"),
            ("actions", "2"), ("action.1.what", "Draft CV, \"short\" version"), ("action.1.who", "mentee"), ("action.1.due", "2027-01-20"),
            ("action.2.what", "Send two contacts\nby email"), ("action.2.who", "mentor"), ("private.note", "PRIVATE"), ("coordinator.note", "-2+3")]),
        session(2, &[("date", "2027-02-02"), ("status", "cancelled-mentor"), ("reason", "Ill; moved to next week"), ("rescheduled", "yes"), ("newDate", "2027-02-09")]),
        session(3, &[("date", "2027-02-09"), ("status", "held"), ("rating", "4"), ("talking", "3"), ("open.1.2", "done")]),
        session(4, &[("date", "2027-03-09"), ("status", "held"), ("rating", "5"), ("talking", "2"), ("wentWell", "@everyone came")]),
    ]
}

#[test]
fn history_csv() {
    use mentorkit::model::feedback::latest;
    let records = history();
    let latest = latest(&records);
    let shared = render::history::csv(&latest, &Programme::default(), false);
    assert!(shared.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\""), "a formula becomes text");
    assert!(shared.contains("\"'@everyone came\""));
    assert!(shared.contains("\"Draft CV, \"\"short\"\" version (mentee, 2027-01-20)\nSend two contacts\nby email (mentor, )\""));
    assert!(!shared.contains("PRIVATE") && !shared.contains("-2+3"), "the shared copy has neither note");
    golden("history-shared.csv", &shared);
    let full = render::history::csv(&latest, &Programme::default(), true);
    assert!(full.contains("PRIVATE") && full.contains("\"'-2+3\""));
    golden("history-full.csv", &full);
}

#[test]
fn ratings_chart_svg() {
    use mentorkit::model::feedback::latest;
    use mentorkit::model::insights::insights;
    let records = history();
    let ins = insights(&latest(&records), None, "2027-03-10");
    let (svg, alt) = render::history::ratings_chart(&ins, &Programme::default(), Locale::En, &|d| d.to_owned()).unwrap();
    assert_eq!(alt, "Ratings over time. Oldest first: 2027-01-05: 3, 2027-02-09: 4, 2027-03-09: 5.");
    assert!(svg.contains("<polyline") && svg.matches("<circle").count() == 3);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.contains("role=\"img\""));
    golden("ratings.svg", &svg);
    let (talk, alt) = render::history::talking_chart(&ins, &Programme::default(), Locale::En, &|d| d.to_owned()).unwrap();
    assert!(alt.contains("2027-01-05: More the mentor") && talk.contains(">Mentee</text>"));
    golden("talking.svg", &talk);
}
