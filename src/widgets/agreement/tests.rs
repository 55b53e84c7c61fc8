//! The agreement widget's update, driven without a DOM.
use super::*;
use crate::i18n::Locale;
use crate::widgets::fixed_ctx;

trait Run {
    fn run(&mut self, msg: Msg) -> Out;
}

impl Run for Builder {
    fn run(&mut self, msg: Msg) -> Out {
        self.update(msg, &fixed_ctx("2026-11-22"))
    }
}

fn builder(config: &str) -> Builder {
    let programme: Programme = crate::model::json::parse(config).unwrap();
    let fresh = agreement::fresh(&programme, "2026-11-22", Locale::En);
    Builder::new(Draft::restore(STEPS, Ok(None), || fresh), programme)
}

fn edit(b: &mut Builder, path: &str, value: &str) -> Out {
    b.run(Msg::Draft(draft::Msg::Edit { path: path.into(), value: value.into() }))
}

#[test]
fn a_host_value_keeps_the_form_s_paths_and_the_programme_s_locks() {
    let mut b = builder(r#"{"name": "Harbourlight", "defaults": {"meet.cadence": "30-fortnightly"}, "locked": ["meet.cadence"]}"#);
    let mut given = b.values().clone();
    given.set("mentee.name", "A".repeat(500));
    given.set("sign.mentee.name", "Ama".into());
    given.set("made.up", "x".into());
    given.set("programme.name", "Other".into());
    given.set("meet.cadence", "custom".into());
    let out = b.run(Msg::Draft(draft::Msg::Replace(given)));
    assert_eq!((out.save, out.redraw, out.focus), (true, Redraw::Step, Focus::Stay));
    let v = b.values();
    assert_eq!(v.get("mentee.name").chars().count(), 200);
    assert_eq!(v.get("sign.mentee.name"), "Ama");
    assert_eq!(v.get("made.up"), "");
    assert_eq!(v.get("programme.name"), "Harbourlight");
    assert_eq!(v.get("meet.cadence"), "30-fortnightly");
}

fn fill(b: &mut Builder) {
    for (k, v) in [
        ("mentee.name", "Amara Okafor"),
        ("mentor.name", "Jonas Weber"),
        ("purpose.text", "Find my feet as a freelance set designer."),
        ("goal.1.what", "Build a portfolio site"),
        ("term.start", "2026-12-01"),
    ] {
        edit(b, k, v);
    }
}

fn index(id: &str) -> usize {
    STEPS.iter().position(|s| s.id == id).unwrap()
}

fn sign(b: &mut Builder, party: &str, name: &str) -> Out {
    b.run(Msg::Sign { party: party.into(), typed: name.into(), confirmed: true, at: "2026-11-22T10:00:00Z".into(), id: "new-id".into() })
}

#[test]
fn next_stays_and_shows_problems_until_the_step_is_complete() {
    let mut b = builder("{}");
    let out = b.run(Msg::Next);
    assert_eq!(b.step, 0);
    assert_eq!(out.focus, Focus::Control("mentee.name".into()));
    assert_eq!(b.shown_problems().len(), 2);
    let out = edit(&mut b, "mentee.name", "Amara");
    assert_eq!(out.redraw, Redraw::Problems, "problems on display follow edits");
    edit(&mut b, "mentor.name", "Jonas");
    assert_eq!(b.run(Msg::Next).focus, Focus::Heading);
    assert_eq!(b.step_id(), "purpose");
    assert_eq!(b.run(Msg::Back).focus, Focus::Heading);
    assert_eq!(b.step, 0);
}

#[test]
fn fixing_a_problem_goes_to_its_step_shows_its_problems_and_focuses_the_field() {
    let mut b = builder("{}");
    fill(&mut b);
    edit(&mut b, "goal.1.what", "");
    b.run(Msg::Goto(index("review")));
    let out = b.run(Msg::Fix("goal.1.what".into()));
    assert_eq!(b.step_id(), "goals");
    assert_eq!(out.focus, Focus::Control("goal.1.what".into()));
    assert_eq!(b.shown_problems().iter().map(|p| p.path.as_str()).collect::<Vec<_>>(), ["goal.1.what"]);
    assert_eq!(b.run(Msg::Fix("mentee.name".into())), Out::none(), "no problem there, nowhere to go");
}

#[test]
fn any_visible_step_can_be_reached_directly_and_hidden_ones_cannot() {
    let mut b = builder(r#"{"hidden":["boundaries"]}"#);
    assert_eq!(b.run(Msg::Goto(index("term"))).redraw, Redraw::Step);
    assert_eq!(b.step_id(), "term");
    assert_eq!(b.run(Msg::Goto(index("boundaries"))), Out::none());
    assert!(!b.visible().contains(&index("clauses")), "no clauses, no clauses step");
    b.run(Msg::Goto(index("confidentiality")));
    b.run(Msg::Next);
    assert_eq!(b.step_id(), "term", "next skips the hidden step");
}

#[test]
fn goals_are_added_up_to_five_and_removed_with_the_rest_moving_up() {
    let mut b = builder("{}");
    for n in 2..=5 {
        assert_eq!(b.run(Msg::AddGoal).focus, Focus::Control(format!("goal.{n}.what")));
    }
    assert_eq!(b.run(Msg::AddGoal), Out::none());
    for n in 1..=5 {
        edit(&mut b, &format!("goal.{n}.what"), &format!("g{n}"));
    }
    b.run(Msg::RemoveGoal(2));
    let whats: Vec<_> = (1..=4).map(|n| b.values().get(&format!("goal.{n}.what")).to_owned()).collect();
    assert_eq!(whats, ["g1", "g3", "g4", "g5"]);
    assert_eq!(b.values().get("goal.5.what"), "");
    assert_eq!(b.values().get("goals"), "4");
    for _ in 0..5 {
        b.run(Msg::RemoveGoal(1));
    }
    assert_eq!(b.values().count(&GOALS), 1, "at least one goal stays");
}

#[test]
fn a_field_others_depend_on_redraws_the_step() {
    let mut b = builder("{}");
    assert_eq!(edit(&mut b, "mentee.minor", "yes").redraw, Redraw::Step);
    assert_eq!(edit(&mut b, "mentee.name", "A").redraw, Redraw::Nothing);
}

#[test]
fn locked_fields_cannot_be_edited() {
    let mut b = builder(r#"{"name":"Harbourlight"}"#);
    assert_eq!(edit(&mut b, "programme.name", "Other"), Out::none());
    assert_eq!(b.values().get("programme.name"), "Harbourlight");
}

#[test]
fn both_signatures_submit_once_and_settle_the_agreement() {
    let mut b = builder(r#"{"clauses":[{"id":"x","title":"Photos","text":"We may share photos.","required":false}]}"#);
    fill(&mut b);
    assert!(!sign(&mut b, "mentee", "Amara Okafor").effects.contains(&Effect::Signed));
    assert!(!b.settled(), "one signature does not settle it");
    let signed = |out: &Out| out.effects.contains(&Effect::Signed);
    let out = sign(&mut b, "mentor", "jonas weber");
    assert!(signed(&out) && out.save);
    assert_eq!((b.values().get("meta.id"), b.values().get("meta.version")), ("new-id", "1"), "the record is numbered");
    assert!(!signed(&sign(&mut b, "mentor", "Jonas Weber")), "the same agreement is submitted once");
    b.mark_signed();
    assert_eq!(b.values().get("meta.signed"), signing::fingerprint(b.values()), "the fingerprint signed is noted for the feedback widget");
    assert!(b.settled());
    let settled = b.values().clone();
    for msg in [
        Msg::Draft(draft::Msg::Edit { path: "purpose.text".into(), value: "Changed after signing".into() }),
        Msg::AddGoal,
        Msg::RemoveGoal(1),
        Msg::Clause { id: "x".into(), on: true },
    ] {
        let out = b.run(msg.clone());
        assert!(!out.save && out.effects.is_empty(), "{msg:?} is refused once all have signed");
    }
    assert_eq!(b.values(), &settled, "a settled agreement stays as signed");
    assert!(signing::fully_signed(b.values()));
}

#[test]
fn an_amendment_is_signed_again_as_a_new_version_and_the_signed_one_can_be_kept() {
    let mut b = builder("{}");
    fill(&mut b);
    sign(&mut b, "mentee", "Amara Okafor");
    sign(&mut b, "mentor", "Jonas Weber");
    let first = b.values().clone();
    let fingerprint = signing::fingerprint(&first);
    b.run(Msg::Goto(index("purpose")));
    let markup = view::view(&b, &fixed_ctx("2026-11-22"));
    assert!(markup.as_str().contains("<fieldset class=\"settled-fields\" disabled=\"\" aria-describedby=\"mk-settled\">"), "the fields are shown, not editable");
    assert!(markup.as_str().contains("Signed by everyone on 2026-11-22T10:00:00Z: this is version 1, and it is settled."));
    assert!(markup.as_str().contains("data-action=\"amend-agreement\""));

    let out = b.run(Msg::Amend);
    assert!(out.save && out.focus == Focus::Heading);
    assert!(!b.settled() && b.amends() == Some(fingerprint.as_str()));
    assert_eq!(b.values().get("sign.mentee.name"), "", "everyone signs the new version");
    assert_eq!(b.before.as_ref(), Some(&first), "the version all signed is at hand to compare");
    assert!(b.wanted().is_none());
    edit(&mut b, "purpose.text", "Land two paid commissions.");
    assert_eq!(b.values().get("purpose.text"), "Land two paid commissions.");
    b.run(Msg::Goto(index("review")));
    let review = view::view(&b, &fixed_ctx("2026-11-22"));
    let review = review.as_str();
    assert!(review.contains("You are amending version 1."), "{review}");
    assert!(review.contains("What changed since version 1"));
    assert!(review.contains("<li><strong dir=\"auto\">Purpose</strong><span class=\"line\" dir=\"auto\">Was: Find my feet as a freelance set designer.</span><span class=\"line\" dir=\"auto\">Now: Land two paid commissions.</span></li>"), "{review}");
    assert!(review.contains("data-action=\"cancel-amend\"") && review.contains("Keep version 1 as signed"));

    // Kept as signed: everything as it was, signatures included.
    assert!(b.run(Msg::KeepSigned).save);
    assert_eq!(b.values(), &first);
    assert!(b.settled() && b.before.is_none());

    // Amended and signed by both: version 2 of the same record.
    b.run(Msg::Amend);
    edit(&mut b, "purpose.text", "Land two paid commissions.");
    assert!(!sign(&mut b, "mentee", "Amara Okafor").effects.contains(&Effect::Signed));
    assert!(sign(&mut b, "mentor", "Jonas Weber").effects.contains(&Effect::Signed));
    assert_eq!((b.values().get("meta.id"), b.values().get("meta.version")), ("new-id", "2"));
    assert!(b.settled() && b.amends().is_none() && b.before.is_none(), "the new version is the one in force");

    // After a reload mid-amendment, the shell is asked for the signed version.
    b.run(Msg::Amend);
    let reloaded = Builder::new(b.draft.clone(), b.programme.clone());
    assert_eq!(reloaded.wanted(), Some(signing::fingerprint(b.before.as_ref().unwrap()).as_str()));
    let away = view::view(&{ let mut r = reloaded; r.step = index("review"); r }, &fixed_ctx("2026-11-22"));
    assert!(away.as_str().contains("Version 2 as signed is not kept on this device"), "said when it cannot be compared");
}

#[test]
fn a_refused_signature_says_why() {
    let mut b = builder("{}");
    fill(&mut b);
    let out = sign(&mut b, "mentee", "Someone");
    assert_eq!(out.focus, Focus::Control("sign.mentee.typed".into()));
    let refused = |reason, typed: &str, confirmed| Some(Refused { party: "mentee".into(), reason, typed: typed.into(), confirmed });
    assert_eq!(b.sign_error, refused(Key::SignNameMismatch, "Someone", true), "what was typed is kept");
    b.run(Msg::Sign { party: "mentee".into(), typed: "Amara Okafor".into(), confirmed: false, at: "t".into(), id: "x".into() });
    assert_eq!(b.sign_error, refused(Key::SignNotConfirmed, "Amara Okafor", false));
}

#[test]
fn clauses_are_ticked_only_when_the_programme_has_them() {
    let mut b = builder(r#"{"clauses":[{"id":"photos","title":"Photos","text":"None.","required":true}]}"#);
    assert!(b.visible().contains(&index("clauses")));
    assert!(b.run(Msg::Clause { id: "photos".into(), on: true }).save);
    assert_eq!(b.values().get("clause.photos"), "yes");
    assert_eq!(b.run(Msg::Clause { id: "other".into(), on: true }), Out::none());
}

#[test]
fn starting_over_asks_first_then_clears() {
    let mut b = builder("{}");
    fill(&mut b);
    b.run(Msg::Goto(index("term")));
    b.run(Msg::AskReset);
    assert!(b.confirm_reset);
    b.run(Msg::CancelReset);
    assert_eq!(b.values().get("mentee.name"), "Amara Okafor");
    b.run(Msg::AskReset);
    let out = b.run(Msg::Reset);
    assert!(out.save);
    assert_eq!((b.step, b.values().get("mentee.name")), (0, ""));
}

#[test]
fn an_imported_draft_replaces_this_one_and_opens_on_review() {
    let mut b = builder(r#"{"name":"Harbourlight"}"#);
    let mut theirs = Values::default();
    theirs.set("mentee.name", "Amara Okafor".into());
    theirs.set("programme.name", "Elsewhere".into());
    b.run(Msg::Import { file: "draft.json".into(), data: Ok(theirs) });
    assert_eq!(b.step_id(), "review");
    assert_eq!(b.values().get("mentee.name"), "Amara Okafor");
    assert_eq!(b.values().get("programme.name"), "Harbourlight", "locks hold for imports too");
    assert_eq!(b.draft.notice, Some(Notice::Imported("draft.json".into())));
    let out = b.run(Msg::Import { file: "x".into(), data: Err("not a draft".into()) });
    assert_eq!(out.redraw, Redraw::Notice);
    assert_eq!(b.values().get("mentee.name"), "Amara Okafor", "a bad file changes nothing");
    let mut huge = Values::default();
    huge.set("mentee.name", "Someone else".into());
    huge.set("purpose.text", "x".repeat(2_000_000));
    b.run(Msg::Import { file: "huge.json".into(), data: Ok(huge) });
    assert_eq!(b.draft.notice, Some(Notice::ImportTooLong("purpose.text".into(), 4000)));
    assert_eq!(b.values().get("mentee.name"), "Amara Okafor", "a file with a field too long is refused whole");
}

#[test]
fn an_agreement_gets_one_pair_id_and_sends_it_with_its_fingerprint() {
    let mut b = builder(r#"{"name": "Harbourlight"}"#);
    assert_eq!(b.payload("2026-11-22T10:00:00Z").version, 1, "no pair yet: a version 1 record");
    b.pair(None, || "a1b2".into());
    assert_eq!(b.values().get("meta.pair"), "pair-a1b2");
    b.pair(None, || panic!("a pair id is made once"));
    b.draft.data.set("meta.id", "agr-1".into());
    b.draft.data.set("meta.created", "2026-11-22T09:00:00Z".into());
    let p = b.payload("2026-11-22T10:00:00Z");
    let about = p.about.clone().expect("about");
    assert_eq!((p.version, about.pair.as_str(), about.agreement.as_str()), (2, "pair-a1b2", "agr-1"));
    assert_eq!(about.fingerprint, signing::fingerprint(b.values()));
    assert_eq!(p.check(), Ok(()));
    assert!(!p.data.iter().any(|(k, _)| k.starts_with("meta.")), "bookkeeping stays out of the data");
    // A partner's file brings its pair; one without keeps the pair there was.
    let mut theirs = b.values().clone();
    theirs.set("meta.pair", "pair-theirs".into());
    b.run(Msg::Import { file: "theirs.json".into(), data: Ok(theirs.clone()) });
    assert_eq!(b.values().get("meta.pair"), "pair-theirs");
    theirs.set("meta.pair", String::new());
    b.run(Msg::Import { file: "old.json".into(), data: Ok(theirs.clone()) });
    assert_eq!(b.values().get("meta.pair"), "pair-theirs");
    b.run(Msg::Reset);
    assert_eq!(b.values().get("meta.pair"), "pair-theirs", "starting over keeps the pair");
    b.pair(Some("P7"), || unreachable!());
    assert_eq!(b.values().get("meta.pair"), "P7", "the invitation's pair wins");
    b.mark_signed();
    assert_eq!(b.values().get("meta.signed"), "", "not signed by everyone: no fingerprint noted");
    theirs.set("meta.pair", "pair-theirs".into());
    b.run(Msg::Import { file: "theirs.json".into(), data: Ok(theirs) });
    assert_eq!(b.values().get("meta.pair"), "P7", "over a file's too");
}

#[test]
fn a_draft_file_without_an_answer_to_a_question_gets_the_programme_s_starting_one() {
    let mut b = builder(r#"{"defaults": {"meet.format": "mixed"}}"#);
    let mut file = Values::default();
    file.set("mentee.name", "Amara".into());
    b.run(Msg::Import { file: "old.json".into(), data: Ok(file) });
    assert_eq!((b.values().get("meet.format"), b.values().get("mentee.minor"), b.values().get("paid.kind")), ("mixed", "no", "unpaid"));
    assert_eq!(b.values().get("purpose.text"), "", "what people write is never made up");
    assert_eq!(b.values().get("meet.unit"), "", "nor an answer to a question not asked");
    let mut signed = Values::default();
    signed.set("mentee.name", "Amara".into());
    signed.set("sign.mentee.name", "Amara".into());
    b.run(Msg::Import { file: "signed.json".into(), data: Ok(signed) });
    assert_eq!(b.values().get("meet.format"), "", "what someone signed stays as they signed it");
}
