//! Records made the way a person makes them: every field of every form is
//! filled through the widget's own `update`, on every branch (a session held,
//! cancelled, a check-in, a closing review, an agreement with a minor and
//! fees). Then:
//! - every field typed is in the saved draft and comes back from storage;
//! - each record matches the published JSON Schema of its kind;
//! - every output holds exactly what its reader may read: the partner's
//!   copy only the pair's answers, the programme's (requests, events,
//!   `value`) all but the private ones, the person's own copy everything.

use mentorkit::model::agreement::{self, STEPS as AGREEMENT_STEPS};
use mentorkit::model::config::Programme;
use mentorkit::model::delivery::Payload;
use mentorkit::model::envelope;
use mentorkit::model::feedback::{self, fresh, Linked, Record, STEPS};
use mentorkit::model::form::{item_path, shown, Audience, Field, FieldKind, Reader, Step, Values};
use mentorkit::render::{self, history};
use mentorkit::store::{self, MemoryStore};
use mentorkit::widgets::agreement::{Builder, Msg as AMsg};
use mentorkit::widgets::draft::{self, Draft};
use mentorkit::widgets::feedback::{Feedback, Msg};
use mentorkit::widgets::{fixed_ctx, Effect};

fn programme() -> Programme {
    Programme::from_json(
        r#"{"questions":[
            {"id":"energy","kind":"rating","label":"Energy"},
            {"id":"mood","kind":"multiple","label":"Mood","options":["calm","busy"]},
            {"id":"support","kind":"long","label":"Support","audience":"programme"},
            {"id":"diary","kind":"text","label":"Diary","audience":"private"},
            {"id":"pulse","kind":"choice","label":"Pulse","options":["up","down"],"form":"checkin"},
            {"id":"legacy","kind":"text","label":"Legacy","form":"closing"}]}"#,
        &feedback::SCHEMA,
    )
    .unwrap()
}

/// A value a person could type or choose for `field`, marked with its path
/// where it is text so it can be found in every output.
fn value_for(field: &Field, path: &str) -> String {
    match field.kind {
        FieldKind::Text | FieldKind::LongText | FieldKind::Contact => {
            let text = format!("T·{path}·é😀");
            text.chars().take(field.max_len).collect()
        }
        FieldKind::Date => "2027-04-01".into(),
        FieldKind::Time => "18:30".into(),
        FieldKind::Number { min, max } => min.max(5).min(max).to_string(),
        FieldKind::Choice(options) | FieldKind::Multi(options) => options[0].0.into(),
    }
}

/// Every concrete path of the fields shown on `steps` for `values`.
fn shown_paths(steps: &[&'static Step], values: &Values) -> Vec<(&'static Field, String)> {
    let mut out = Vec::new();
    for step in steps {
        for group in step.groups {
            let count = group.repeat.map_or(1, |r| values.count(&r));
            for n in 1..=count {
                for field in group.fields.iter().filter(|f| shown(f, values)) {
                    let path = if group.repeat.is_some() { item_path(field.path, n) } else { field.path.to_owned() };
                    out.push((field, path));
                }
            }
        }
    }
    out
}

fn edit_feedback(f: &mut Feedback, path: &str, value: &str) {
    f.update(Msg::Draft(draft::Msg::Edit { path: path.into(), value: value.into() }), &fixed_ctx("2027-03-02"), &mut |r| Ok(r.to_vec()));
}

/// The branches a feedback form can take: the choices that pick each.
static BRANCHES: &[(&str, &[(&str, &str)])] = &[
    ("first session held, answered by the mentee", &[("kind", "session"), ("status", "held"), ("respondent", "mentee")]),
    ("later session held, answered by the mentor", &[("kind", "session"), ("status", "held"), ("respondent", "mentor")]),
    ("session cancelled by the mentee, moved", &[("kind", "session"), ("status", "cancelled-mentee"), ("rescheduled", "yes"), ("respondent", "mentee")]),
    ("check-in", &[("kind", "checkin"), ("respondent", "mentee")]),
    ("closing review", &[("kind", "closing"), ("respondent", "mentor")]),
];

fn linked_agreement() -> Values {
    [("goals", "2"), ("goal.1.what", "Build a portfolio site"), ("goal.2.what", "Apply for the residency")].into_iter().collect()
}

/// A session held earlier, with two action points still open.
fn earlier_session() -> Record {
    let data: Values = [("kind", "session"), ("date", "2027-02-01"), ("status", "held"), ("respondent", "mentee"), ("rating", "4"), ("actions", "2"), ("action.1.what", "Draft CV"), ("action.2.what", "Call Sam")]
        .into_iter()
        .collect();
    Record { id: "earlier".into(), seq: 1, version: 1, kind: "session".into(), created: "2027-02-01T10:00:00Z".into(), submitted: "2027-02-01T10:00:00Z".into(), data }
}

/// Fills every field the form shows on `branch` through the widget, and
/// answers the record it makes with every path that was filled.
fn fill_and_submit(branch: &[(&str, &str)]) -> (Record, Vec<String>, Values) {
    let p = programme();
    // The first branch is the pair's first session: nothing before it.
    let records = if std::ptr::eq(branch, BRANCHES[0].1) { Vec::new() } else { vec![earlier_session()] };
    let linked = Linked::from(&linked_agreement());
    let start = fresh("2027-03-01", "", &linked, &records, &p);
    let draft = Draft::restore(STEPS, Ok(None), || start);
    let mut f = Feedback::new(draft, p.clone(), records, Some(linked_agreement()), None);
    for (path, value) in branch {
        edit_feedback(&mut f, path, value);
    }
    if f.values().get("kind") == "session" && f.values().get("status") == "held" {
        for _ in 0..2 {
            f.update(Msg::AddAction, &fixed_ctx("2027-03-02"), &mut |r| Ok(r.to_vec()));
        }
    }
    let mut filled = Vec::new();
    // Twice: what is shown can follow what was chosen.
    for _ in 0..2 {
        let steps: Vec<&'static Step> = feedback::steps_for(f.values()).collect();
        for (field, path) in shown_paths(&steps, f.values()) {
            if branch.iter().any(|(b, _)| *b == path) || field.path == "date" || field.path == "respondent" || field.path == "kind" {
                continue;
            }
            let value = value_for(field, &path);
            edit_feedback(&mut f, &path, &value);
            assert_eq!(f.values().get(&path), value, "the form takes {path}");
            if !filled.contains(&path) {
                filled.push(path);
            }
        }
        for q in feedback::questions(&p, &f.values().clone()) {
            let value = match q.kind.as_str() {
                "rating" => "4".to_owned(),
                "choice" | "multiple" => q.options[0].clone(),
                _ => format!("T·{}·é", q.path()),
            };
            edit_feedback(&mut f, &q.path(), &value);
            assert_eq!(f.values().get(&q.path()), value, "the form takes {}", q.path());
            if !filled.contains(&q.path()) {
                filled.push(q.path());
            }
        }
        if f.values().get("kind") == "session" {
            edit_feedback(&mut f, "open.1.1", "done");
            edit_feedback(&mut f, "open.1.2", "carry");
        }
    }
    for (path, _) in branch {
        filled.push((*path).to_owned());
    }
    let draft = f.values().clone();
    let out = f.update(Msg::Submit { at: "2027-03-01T18:00:00.000Z".into(), id: "rec-1".into(), today: "2027-03-02".into() }, &fixed_ctx("2027-03-02"), &mut |r| Ok(r.to_vec()));
    let record = out
        .effects
        .into_iter()
        .find_map(|e| match e {
            Effect::Submitted(r) => Some(r),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{branch:?} was refused: {:?}", f.shown_problems()));
    (record, filled, draft)
}

fn validator(kind: &str) -> jsonschema::Validator {
    let path = format!("{}/schemas/record.{kind}.schema.json", env!("CARGO_MANIFEST_DIR"));
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_matches_schema(payload: &Payload, what: &str) {
    let instance = serde_json::from_str::<serde_json::Value>(&payload.to_json()).unwrap();
    let v = validator(&payload.kind);
    let errors: Vec<String> = v.iter_errors(&instance).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "{what}: the {} record breaks its schema: {errors:#?}", payload.kind);
}

#[test]
fn every_field_typed_in_a_feedback_form_is_saved_and_read_back() {
    for (name, branch) in BRANCHES {
        let (_, filled, draft) = fill_and_submit(branch);
        let store = MemoryStore::default();
        store::save(&store, "k", envelope::FEEDBACK_DRAFT, 1.0, &draft).unwrap();
        let back = store::load::<Values>(&store, "k", envelope::FEEDBACK_DRAFT, 2.0).unwrap().unwrap().data;
        for path in &filled {
            assert_eq!(back.get(path), draft.get(path), "{name}: {path} read back");
            assert!(!back.get(path).is_empty(), "{name}: {path} was saved");
        }
    }
}

#[test]
fn every_kind_of_feedback_record_made_by_filling_its_form_matches_its_schema() {
    let p = programme();
    for (name, branch) in BRANCHES {
        let (record, _, _) = fill_and_submit(branch);
        let payload = Payload::from_record(&record, &p);
        assert_eq!(payload.check(), Ok(()), "{name}");
        assert_matches_schema(&payload, name);
    }
}

#[test]
fn a_record_holds_only_what_its_branch_asked() {
    let (record, _, draft) = fill_and_submit(BRANCHES[2].1);
    assert!(!draft.get("status").is_empty());
    for gone in ["rating", "topics", "action.1.what", "fit", "q.energy"] {
        assert_eq!(record.data.get(gone), "", "a cancelled session does not keep {gone}");
    }
    assert!(!record.data.get("reason").is_empty() && !record.data.get("newDate").is_empty());
    let (checkin, _, _) = fill_and_submit(BRANCHES[3].1);
    for gone in ["status", "goals", "goal.1.title", "first", "open.1.1"] {
        assert_eq!(checkin.data.get(gone), "", "a check-in does not keep {gone}");
    }
}

/// Where each reader's outputs of one record are, as text.
fn outputs(record: &Record, p: &Programme, reader: Reader) -> (Values, String) {
    let date = |d: &str| d.to_owned();
    let full = reader == Reader::Me;
    let (values, mut text) = match reader {
        Reader::Programme => {
            let payload = Payload::from_record(record, p);
            let event = feedback::for_reader(&record.data, p, Reader::Programme);
            assert_eq!(payload.data, event, "the request and the host's events hold the same");
            (payload.data.clone(), payload.to_json())
        }
        _ => {
            let copy = history::copy(&record.data, p, full);
            (copy.clone(), mentorkit::model::json::stringify(&copy))
        }
    };
    if reader != Reader::Programme {
        let ins = mentorkit::model::insights::insights(&[record], None, "2027-03-02");
        text.push_str(&history::csv(&[record], p, full));
        text.push_str(&render::markdown(&history::summary(&[record], &ins, p, mentorkit::i18n::Locale::En, &date, full)));
        text.push_str(&render::text(&history::summary(&[record], &ins, p, mentorkit::i18n::Locale::En, &date, full)));
        text.push_str(&render::html(&history::summary(&[record], &ins, p, mentorkit::i18n::Locale::En, &date, full), mentorkit::i18n::Locale::En));
    }
    (values, text)
}

#[test]
fn every_output_holds_exactly_what_its_reader_may_read() {
    let p = programme();
    for (name, branch) in BRANCHES {
        let (record, _, _) = fill_and_submit(branch);
        for reader in [Reader::Partner, Reader::Programme, Reader::Me] {
            let (values, text) = outputs(&record, &p, reader);
            for (path, value) in record.data.iter() {
                let audience = feedback::audience(path, &p);
                let may = audience.reaches(reader);
                assert_eq!(values.get(path) == value, may, "{name}: {path} ({audience:?}) for {reader:?}");
                // Text answers are marked with their path: found in every
                // file the reader gets, or in none.
                if value.starts_with("T·") && !matches!(path, "goal.1.title" | "goal.2.title") {
                    let found = text.contains(path) && text.contains("T·");
                    if !may {
                        assert!(!text.contains(&format!("T·{path}·")), "{name}: {path} leaked to {reader:?}");
                    } else if reader != Reader::Programme {
                        assert!(found, "{name}: {path} missing for {reader:?}");
                    }
                }
            }
        }
        // The private answers never travel.
        let payload = Payload::from_record(&record, &p);
        assert!(payload.data.keys().all(|k| feedback::audience(k, &p) != Audience::Me));
    }
}

#[test]
fn the_pairing_fit_answer_reaches_the_programme_but_never_the_partner() {
    let p = programme();
    let (record, _, _) = fill_and_submit(BRANCHES[0].1);
    assert!(!record.data.get("fit").is_empty(), "asked in the first session");
    let ins = mentorkit::model::insights::insights(&[&record], None, "2027-03-02");
    let shared_csv = history::csv(&[&record], &p, false);
    assert!(!shared_csv.lines().next().unwrap().split(',').any(|c| c == "fit"), "no fit column in the shared CSV");
    assert_eq!(history::copy(&record.data, &p, false).get("fit"), "");
    let summary = render::text(&history::summary(&[&record], &ins, &p, mentorkit::i18n::Locale::En, &|d| d.to_owned(), false));
    assert!(!summary.contains("does the pairing fit"), "{summary}");
    assert_eq!(Payload::from_record(&record, &p).data.get("fit"), "good");
}

fn edit_agreement(b: &mut Builder, path: &str, value: &str) {
    b.update(AMsg::Draft(draft::Msg::Edit { path: path.into(), value: value.into() }), &fixed_ctx("2026-11-22"));
}

#[test]
fn every_field_of_the_agreement_is_saved_signed_and_sent_as_its_schema_says() {
    let p = Programme::from_json(r#"{"clauses":[{"id":"photos","title":"Photos","text":"No photos without asking.","required":true}]}"#, &agreement::SCHEMA).unwrap();
    let start = agreement::fresh(&p, "2026-11-22", mentorkit::i18n::Locale::En);
    let mut b = Builder::new(Draft::restore(AGREEMENT_STEPS, Ok(None), || start), p.clone());
    for (path, value) in [("mentee.minor", "yes"), ("paid.kind", "paid"), ("term.length", "date"), ("meet.cadence", "custom")] {
        edit_agreement(&mut b, path, value);
    }
    for _ in 0..4 {
        b.update(AMsg::AddGoal, &fixed_ctx("2026-11-22"));
    }
    let mut filled = Vec::new();
    let steps: Vec<&'static Step> = AGREEMENT_STEPS.iter().collect();
    for (field, path) in shown_paths(&steps, &b.values().clone()) {
        if matches!(path.as_str(), "mentee.minor" | "paid.kind" | "term.length" | "meet.cadence" | "meet.unit") {
            continue;
        }
        let value = match path.as_str() {
            "term.start" => "2026-12-01".to_owned(),
            "term.end" => "2027-11-30".to_owned(),
            "mentee.contact" | "mentor.contact" | "guardian.contact" | "programme.contact" => "a@example.org".to_owned(),
            _ => value_for(field, &path),
        };
        edit_agreement(&mut b, &path, &value);
        assert_eq!(b.values().get(&path), value, "the agreement takes {path}");
        filled.push(path);
    }
    for review in ["review.1", "review.2", "review.3"] {
        assert!(filled.iter().any(|p| p == review), "{review} is a field of its own");
    }
    b.update(AMsg::Clause { id: "photos".into(), on: true }, &fixed_ctx("2026-11-22"));
    let store = MemoryStore::default();
    store::save(&store, "k", envelope::AGREEMENT_DRAFT, 1.0, b.values()).unwrap();
    let back = store::load::<Values>(&store, "k", envelope::AGREEMENT_DRAFT, 2.0).unwrap().unwrap().data;
    for path in &filled {
        assert_eq!(back.get(path), b.values().get(path), "{path} read back from storage");
    }
    assert_eq!(mentorkit::model::validate::validate(b.values(), &p), vec![], "a complete agreement");
    let document = render::text(&render::agreement(b.values(), &p, mentorkit::i18n::Locale::En, &|d| d.to_owned()));
    let calendar = render::ics::calendar(b.values(), &p, mentorkit::i18n::Locale::En, "20261122T100000Z", "u", "");
    assert!(calendar.contains("DTSTART;VALUE=DATE:20270401") && calendar.contains("review-3"), "the reviews are in the calendar");
    assert!(document.contains("2027-04-01"), "and in the document");
    for (party, name) in [("mentee", "mentee.name"), ("mentor", "mentor.name"), ("guardian", "guardian.name")] {
        let typed = b.values().get(name).to_owned();
        b.update(AMsg::Sign { party: party.into(), typed, confirmed: true, at: "2026-11-23T10:00:00.000Z".into(), id: "agr-1".into() }, &fixed_ctx("2026-11-22"));
    }
    assert!(mentorkit::model::signing::fully_signed(b.values()));
    let payload = Payload::from_agreement(b.values(), "agr-1", 1, "2026-11-23T10:00:00.000Z", "2026-11-23T10:00:00.000Z");
    assert_eq!(payload.check(), Ok(()));
    assert_matches_schema(&payload, "a signed agreement");
}

#[test]
fn the_schemas_refuse_what_a_kind_does_not_ask() {
    let (record, _, _) = fill_and_submit(BRANCHES[3].1);
    let mut payload = Payload::from_record(&record, &programme());
    payload.data.set("status", "held".into());
    let instance = serde_json::from_str::<serde_json::Value>(&payload.to_json()).unwrap();
    assert!(validator("checkin").iter_errors(&instance).next().is_some(), "a check-in with a session's status is refused");
}
