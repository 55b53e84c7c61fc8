//! Golden tests for the agreement's documents: Markdown, HTML, plain text and
//! iCalendar, for an agreement whose text tries to break each format.
//!
//! `UPDATE_GOLDEN=1 cargo test --test golden` rewrites the files in
//! `tests/golden/`; review the diff before committing it.

use mentorkit::i18n::Locale;
use mentorkit::model::agreement::fresh;
use mentorkit::model::config::Programme;
use mentorkit::model::form::{Form, Values};
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
    assert!(md.contains(r"\<img src\=x onerror\=alert\(1\)\>"), "markup characters are escaped");
    assert!(!md.replace("\\<", "").contains('<'), "no unescaped angle bracket");
    assert!(md.contains(r"\*stars\*") && md.contains(r"\[link\]\(x\)") && md.contains(r"\- not a list"));
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
    let cal = ics::calendar(&v, Locale::En, "20261122T100000Z", uid);
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
