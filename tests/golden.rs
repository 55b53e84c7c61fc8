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
    let cal = ics::calendar(&v, &Programme::default(), Locale::En, "20261122T100000Z", uid);
    assert!(cal.contains("RRULE:FREQ=MONTHLY;INTERVAL=1;UNTIL=20270601T235959\r\n"));
    assert!(cal.contains("DTSTART:20261203T183000\r\n") && cal.contains("DURATION:PT60M\r\n"));
    assert!(cal.contains("LOCATION:Studio 4\\, Dock Road\\; or video\r\n"));
    assert!(cal.contains("SUMMARY:Mentoring: <img src=x onerror=alert(1)> & Jonas Weber\r\n"));
    assert!(cal.lines().all(|l| l.len() <= 76), "lines are folded");
    assert!(cal.split("\r\n").all(|l| !l.contains('\n')), "CRLF line ends only");
    golden("agreement.ics", &cal);
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
