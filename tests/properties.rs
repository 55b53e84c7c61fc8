//! Property tests of every parser and renderer: the stored envelope and
//! drafts, programme configuration, draft-file import, the receiver's record
//! check, endpoint answers, and every export format. Nothing panics on any
//! input (emoji, combining marks, NUL, right-to-left controls, megabyte
//! texts, text that is not JSON at all); what is written and read back is
//! what was written; every escaper keeps markup out, checked by reading the
//! output back with a real parser for its format.
//!
//! Each property runs `MENTORKIT_CASES` cases (256 unless set); `./dev fuzz`
//! runs them with many more, again and again, for as long as it is given.

use mentorkit::i18n::Locale;
use mentorkit::model::config::Programme;
use mentorkit::model::delivery::Payload;
use mentorkit::model::envelope::{self, AGREEMENT_DRAFT, FEEDBACK_RECORDS};
use mentorkit::model::feedback::{self, Record};
use mentorkit::model::form::Values;
use mentorkit::model::outbox;
use mentorkit::render::{self, doc::printable, history, Block};
use mentorkit::store::{self, MemoryStore, Store};
use mentorkit::widgets::draft::Draft;
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("MENTORKIT_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256);
    // A failure found is kept in this file and tried first on every later run.
    let persistence = proptest::test_runner::FileFailurePersistence::Direct(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/properties.proptest-regressions"));
    ProptestConfig { cases, max_shrink_iters: 2_000, failure_persistence: Some(Box::new(persistence)), ..ProptestConfig::default() }
}

/// Text a person or a hostile page could put anywhere: every kind of
/// character the formats care about, mixed with any Unicode.
fn text() -> impl Strategy<Value = String> {
    let special = prop_oneof![
        Just("<script>alert(1)</script>".to_owned()),
        Just("\"><img src=x onerror=alert(1)>".to_owned()),
        Just("=HYPERLINK(\"http://x\")".to_owned()),
        Just("\u{202e}gnp.exe\u{202c}".to_owned()),
        Just("e\u{301}\u{308}\u{20dd}".to_owned()),
        Just("\u{0}\u{1}\u{7f}\u{1b}[31m".to_owned()),
        Just("😀👩🏽‍💻🏳️‍🌈".to_owned()),
        Just("\u{200b}\u{feff}\u{a0}".to_owned()),
        Just("\r\n\r\n".to_owned()),
        Just("    indented\n\t\ttabbed".to_owned()),
        Just("1. not a list\n- nor this\n# nor this\n> nor this\n===\n---".to_owned()),
        Just("**bold** _it_ `code` [a](b) <b> &amp; &#65; | ~~x~~ \\".to_owned()),
        Just("a, b; c\\d: e".to_owned()),
        "[ -~]{0,40}",
        any::<String>(),
    ];
    prop::collection::vec(special, 0..6).prop_map(|parts| parts.concat())
}

/// Sometimes a megabyte of it.
fn big_text() -> impl Strategy<Value = String> {
    prop_oneof![9 => text(), 1 => text().prop_map(|t| t.repeat(1 + (1_000_000 / (t.len() + 1)).min(1_000_000)))]
}

fn values() -> impl Strategy<Value = Values> {
    prop::collection::vec(("[a-z.#0-9]{1,20}", text()), 0..12).prop_map(|pairs| pairs.into_iter().collect())
}

/// The text of a parsed Markdown document: line breaks as `\n`, paragraphs
/// one after another.
fn markdown_text(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, TagEnd};
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS | Options::ENABLE_FOOTNOTES | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut blocks = vec![String::new()];
    for event in Parser::new_ext(md, options) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => blocks.last_mut().unwrap().push_str(&t),
            Event::SoftBreak | Event::HardBreak => blocks.last_mut().unwrap().push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => blocks.push(String::new()),
            Event::Start(tag) if !matches!(tag, pulldown_cmark::Tag::Paragraph | pulldown_cmark::Tag::Heading { .. } | pulldown_cmark::Tag::Strong | pulldown_cmark::Tag::Emphasis) => {
                blocks.last_mut().unwrap().push_str(&format!("<markup {tag:?}>"));
            }
            _ => {}
        }
    }
    blocks.retain(|b| !b.is_empty());
    blocks
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_stored_draft_reads_back_exactly(v in values(), at in (-8_640_000_000_000_000i64..8_640_000_000_000_000).prop_map(|ms| ms as f64)) {
        let text = envelope::seal(AGREEMENT_DRAFT, at, &v);
        let back = envelope::open::<Values>(AGREEMENT_DRAFT, &text).unwrap();
        prop_assert_eq!(back.data, v);
        prop_assert_eq!(back.saved_at, at);
    }

    #[test]
    fn the_json_written_here_is_json_any_reader_reads_the_same(v in values(), key in text(), value in text()) {
        // serde_json reads as an independent reader.
        let written = mentorkit::model::json::stringify(&v);
        let theirs: std::collections::BTreeMap<String, String> = serde_json::from_str(&written).unwrap();
        let ours: std::collections::BTreeMap<String, String> = v.iter().map(|(k, val)| (k.to_owned(), val.to_owned())).collect();
        prop_assert_eq!(theirs, ours);
        // What another writer wrote reads back the same here.
        let other = serde_json::to_string(&std::collections::BTreeMap::from([(key.clone(), value.clone())])).unwrap();
        let read: Values = mentorkit::model::json::parse(&other).unwrap();
        prop_assert_eq!(read.get(&key), value.as_str());
    }

    #[test]
    fn any_stored_text_loads_or_is_set_aside_and_never_panics(raw in prop_oneof![text(), "[\\[\\]{}\",:0-9a-z ]{0,200}", any::<String>()]) {
        let store = MemoryStore::default();
        store.set("k", &raw).unwrap();
        match store::load::<Values>(&store, "k", AGREEMENT_DRAFT, 1.0) {
            Ok(Some(_)) => {}
            Ok(None) => prop_assert!(false, "something was stored"),
            Err(error) => {
                prop_assert_eq!(store.get("k:set-aside:1").unwrap(), Some(raw), "set aside untouched");
                prop_assert!(store.get("k").unwrap().is_none());
                prop_assert!(error.code().starts_with("storage-"));
            }
        }
    }

    #[test]
    fn nested_and_shapeless_json_is_refused_not_a_crash(depth in 1usize..20_000, open in prop_oneof![Just('['), Just('{')]) {
        let text = std::iter::repeat_n(open, depth).collect::<String>();
        prop_assert!(envelope::open::<Values>(AGREEMENT_DRAFT, &text).is_err());
        prop_assert!(Programme::from_json(&text, &mentorkit::model::agreement::SCHEMA).is_err());
        prop_assert!(Payload::parse(&text).is_err());
    }

    #[test]
    fn a_stored_history_reads_back_exactly(records in prop::collection::vec((values(), "[a-z0-9-]{1,30}", 1u32..5), 0..8)) {
        let records: Vec<Record> = records.into_iter().enumerate().map(|(i, (data, id, version))| Record { id, seq: i as u32 + 1, version, kind: "session".into(), created: "c".into(), submitted: "s".into(), data }).collect();
        let text = envelope::seal(FEEDBACK_RECORDS, 5.0, &records);
        prop_assert_eq!(envelope::open::<Vec<Record>>(FEEDBACK_RECORDS, &text).unwrap().data, records.clone());
        let merged = feedback::merge(&records, &records);
        prop_assert_eq!(feedback::merge(&merged, &records), merged.clone(), "merging is settled");
        let versions = |rs: &[Record]| { let mut v: Vec<(String, String)> = rs.iter().map(|r| (r.id.clone(), mentorkit::model::json::stringify(&r.data))).collect(); v.sort(); v.dedup(); v };
        prop_assert_eq!(versions(&merged), versions(&records), "nothing lost, nothing made up");
    }

    #[test]
    fn any_programme_configuration_is_read_or_refused_with_its_key(raw in prop_oneof![
        text(),
        values().prop_map(|v| format!(r#"{{"defaults":{},"locked":{}}}"#, mentorkit::model::json::stringify(&v), serde_json::to_string(&v.keys().collect::<Vec<_>>()).unwrap())),
        (text(), any::<bool>(), text()).prop_map(|(id, required, t)| serde_json::json!({ "clauses": [{ "id": id, "title": t, "text": t, "required": required }] }).to_string()),
        (text(), text()).prop_map(|(k, v)| format!(r#"{{"labels":{{"en":{{"{}":{}}}}},"hidden":[{}]}}"#, k.escape_debug(), serde_json::to_string(&v).unwrap(), serde_json::to_string(&k).unwrap())),
    ]) {
        for schema in [&mentorkit::model::agreement::SCHEMA, &feedback::SCHEMA] {
            if let Err(e) = Programme::from_json(&raw, schema) {
                prop_assert!(!e.key.is_empty() && !e.reason.is_empty());
                prop_assert!(!e.reason.contains(" at line "), "{}", e.reason);
            }
        }
    }

    #[test]
    fn an_imported_draft_file_is_taken_within_limits_or_refused(v in values(), long in 0usize..3, content in big_text()) {
        let mut v = v;
        let paths = ["mentee.name", "purpose.text", "review.2", "goal.3.what", "sign.mentee.at", "made.up"];
        v.set(paths[long % paths.len()], content);
        let file = envelope::seal(AGREEMENT_DRAFT, 1.0, &v);
        let opened = envelope::open::<Values>(AGREEMENT_DRAFT, &file).unwrap().data;
        let mut draft = Draft::restore(mentorkit::model::agreement::STEPS, Ok(None), Values::default);
        draft.extra = mentorkit::model::agreement::extra_paths(&Programme::default());
        match draft.admit(opened) {
            Ok(kept) => {
                for (path, value) in kept.iter() {
                    prop_assert!(draft.field(path).is_some() || draft.extra.iter().any(|e| e == path), "{}", path);
                    prop_assert!(value.chars().count() <= 4000);
                }
            }
            Err((path, max)) => prop_assert!(v.get(&path).chars().count() > max),
        }
    }

    #[test]
    fn the_receiver_s_check_answers_any_record_without_panicking(
        id in text(), kind in prop_oneof![Just("session".to_owned()), Just("agreement".to_owned()), text()],
        created in prop_oneof![text(), Just("2027-01-0éT10:00:00Z".to_owned()), Just("2027-01-05T10:00:00.000Z".to_owned())],
        data in values(), version in any::<u32>(),
    ) {
        let payload = Payload { schema: "mentorkit.record".into(), version: 1, id, kind, record_version: version, created: created.clone(), submitted: created, data, about: None };
        let _ = payload.check();
        let body = payload.to_json();
        let read = Payload::parse(&body).unwrap();
        prop_assert_eq!(read.check(), payload.check());
    }

    #[test]
    fn any_body_is_read_as_a_record_or_refused(body in prop_oneof![text(), any::<String>()]) {
        if let Ok(p) = Payload::parse(&body) {
            let _ = p.check();
        }
    }

    #[test]
    fn an_endpoint_s_answer_gives_a_short_reason_whatever_it_holds(status in 100u16..600, body in big_text(), retry in text()) {
        let reason = outbox::reason_of(status, &body);
        prop_assert!(reason.contains(&status.to_string()));
        prop_assert!(reason.chars().count() <= 260 || serde_json::from_str::<serde_json::Value>(&body).is_ok());
        let _ = outbox::retry_after_seconds(&retry);
    }

    #[test]
    fn markdown_reads_back_as_the_text_written(value in text(), label in text()) {
        let want = printable(&value).into_owned();
        let md = render::markdown(&[Block::Text(value.clone())]);
        let got = markdown_text(&md).concat();
        prop_assert_eq!(&got, &want, "markdown: {:?}", md);
        let md = render::markdown(&[Block::Field(label.clone(), value.clone())]);
        let got = markdown_text(&md).concat();
        prop_assert!(!got.contains("<markup"), "markup from text: {:?}", md);
        prop_assert!(got.ends_with(&want), "{:?} in {:?}", want, md);
    }

    #[test]
    fn html_reads_back_as_the_text_written(value in text()) {
        let html = render::html(&[Block::Title(value.clone()), Block::Text(value.clone())], Locale::En);
        let doc = scraper::Html::parse_document(&html);
        let p = scraper::Selector::parse("body > p").unwrap();
        let h = scraper::Selector::parse("body > h1").unwrap();
        let want = printable(&value).into_owned();
        let text = |sel: &scraper::Selector| doc.select(sel).map(|e| e.text().collect::<String>()).collect::<String>();
        prop_assert_eq!(text(&p), want.clone());
        prop_assert_eq!(text(&h), want);
        prop_assert_eq!(doc.select(&scraper::Selector::parse("script, img, b, svg").unwrap()).count(), 0);
    }

    #[test]
    fn the_calendar_reads_back_with_the_names_and_place_written(mentee in text(), place in text(), time in prop_oneof![Just("18:30".to_owned()), text()]) {
        let mut v = mentorkit::model::agreement::fresh(&Programme::default(), "2026-11-22", Locale::En);
        for (k, val) in [("mentee.name", mentee.as_str()), ("mentor.name", "Jonas"), ("meet.place", place.as_str()), ("meet.time", time.as_str()), ("term.start", "2026-12-01"), ("review.1", "2027-01-10")] {
            v.set(k, val.to_owned());
        }
        let ics = render::ics::calendar(&v, &Programme::default(), Locale::En, "20261122T100000Z", "u", "");
        for line in ics.split("\r\n") {
            prop_assert!(line.len() <= 75, "folded at 75 octets: {:?}", line);
        }
        let unfolded = icalendar::parser::unfold(&ics);
        let calendar = icalendar::parser::read_calendar(&unfolded).map_err(|e| TestCaseError::fail(format!("{e}: {ics}")))?;
        let events: Vec<_> = calendar.components.iter().filter(|c| c.name == "VEVENT").collect();
        prop_assert_eq!(events.len(), 3, "{}", ics);
        let meetings = events[0];
        let expected_place = printable(&place).into_owned();
        let got_place = meetings.find_prop("LOCATION").map(|p| p.val.as_str().to_owned()).unwrap_or_default();
        prop_assert_eq!(got_place, expected_place);
        let summary = meetings.find_prop("SUMMARY").map(|p| p.val.as_str().to_owned()).unwrap_or_default();
        prop_assert!(summary.contains(printable(&mentee).as_ref()), "{:?} in {:?}", mentee, summary);
        let start = meetings.find_prop("DTSTART").map(|p| p.val.as_str().to_owned()).unwrap_or_default();
        prop_assert!(start == "20261201" || start == "20261201T183000", "{}", start);
    }

    #[test]
    fn the_csv_reads_back_as_the_answers_written(answers in prop::collection::vec(text(), 1..5)) {
        let fields = ["topics", "wentWell", "better", "agenda", "reason"];
        let mut data: Values = [("kind", "session"), ("date", "2027-01-05"), ("status", "held")].into_iter().collect();
        for (f, a) in fields.iter().zip(&answers) {
            data.set(f, a.clone());
        }
        let record = Record { id: "r".into(), seq: 1, version: 1, kind: "session".into(), created: "c".into(), submitted: "s".into(), data: data.clone() };
        let text = history::csv(&[&record], &Programme::default(), true);
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let row = reader.records().next().unwrap().unwrap();
        prop_assert_eq!(row.len(), headers.len());
        for (f, a) in fields.iter().zip(&answers) {
            let at = headers.iter().position(|h| h == *f).unwrap();
            let expected = if a.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{a}") } else { a.clone() };
            prop_assert_eq!(&row[at], expected.as_str());
        }
    }

    #[test]
    fn a_chart_s_texts_read_back_as_written(title in text(), label in text(), rtl in any::<bool>()) {
        let svg = render::chart::line_chart(&render::chart::Chart { id: "c", title: &printable(&title), desc: &printable(&label), points: &[1, 5, 3], levels: [&printable(&label), "", "", "", ""], first: "a", last: "b", rtl });
        let doc = roxmltree::Document::parse(&svg).map_err(|e| TestCaseError::fail(format!("{e}: {svg}")))?;
        let title_text: String = doc.descendants().find(|n| n.has_tag_name("title")).and_then(|n| n.text()).unwrap_or_default().to_owned();
        prop_assert_eq!(title_text, printable(&title).into_owned());
    }

    #[test]
    fn every_document_and_summary_renders_whatever_the_answers(agreement in values(), answers in values()) {
        let p = Programme::default();
        let date = |d: &str| d.to_owned();
        let doc = render::agreement(&agreement, &p, Locale::Ar, &date);
        let _ = (render::markdown(&doc), render::html(&doc, Locale::Ar), render::text(&doc));
        let _ = render::ics::calendar(&agreement, &p, Locale::De, "20261122T100000Z", "u", "");
        let record = Record { id: "r".into(), seq: 1, version: 1, kind: "session".into(), created: "c".into(), submitted: "s".into(), data: answers };
        let ins = mentorkit::model::insights::insights(&[&record], Some(&agreement), "2027-03-01");
        let summary = history::summary(&[&record], &ins, &p, Locale::Fr, &date, true);
        let _ = (render::markdown(&summary), render::html(&summary, Locale::Fr), history::csv(&[&record], &p, false));
        let _ = mentorkit::model::validate::validate(&agreement, &p);
        let _ = feedback::validate(&record.data, &p);
    }
}
