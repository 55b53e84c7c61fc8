//! The feedback widget's update, driven without a DOM.
use super::*;
use crate::widgets::fixed_ctx;

trait Run {
    fn run(&mut self, msg: Msg, persist: Persist) -> Out;
}

impl Run for Feedback {
    fn run(&mut self, msg: Msg, persist: Persist) -> Out {
        self.update(msg, &fixed_ctx("2027-03-02"), persist)
    }
}

fn submitted(out: &Out) -> Option<&Record> {
    out.effects.iter().find_map(|e| match e {
        Effect::Submitted(r) => Some(r),
        _ => None,
    })
}

fn widget() -> Feedback {
    let draft = Draft::restore(STEPS, Ok(None), || fresh("2027-03-01", "", &Linked::default(), &[], &Programme::default()));
    Feedback::new(draft, Programme::default(), Vec::new(), None, None)
}

#[test]
fn a_host_value_cannot_drop_the_private_note_it_never_saw() {
    let mut f = widget();
    edit(&mut f, "private.note", "mine");
    let mut given = feedback::for_reader(f.values(), &f.programme, crate::model::form::Reader::Programme);
    given.set("topics", "Portfolio".into());
    given.set("made.up", "x".into());
    let out = f.run(Msg::Draft(draft::Msg::Replace(given)), &mut |r| Ok(r.to_vec()));
    assert_eq!((out.save, out.redraw), (true, Redraw::Step));
    assert_eq!(f.values().get("topics"), "Portfolio");
    assert_eq!(f.values().get("private.note"), "mine");
    assert_eq!(f.values().get("made.up"), "");
}

fn edit(f: &mut Feedback, path: &str, value: &str) -> Out {
    f.run(Msg::Draft(draft::Msg::Edit { path: path.into(), value: value.into() }), &mut |r| Ok(r.to_vec()))
}

fn submit(f: &mut Feedback, id: &str) -> Out {
    f.run(Msg::Submit { at: "2027-03-01T10:00:00Z".into(), id: id.into(), today: "2027-03-02".into() }, &mut |r| Ok(r.to_vec()))
}

#[test]
fn a_submit_is_refused_until_required_answers_are_given() {
    let mut f = widget();
    let out = submit(&mut f, "a");
    assert_eq!(out.focus, Focus::Control("respondent".into()));
    assert!(f.records.is_empty() && f.checked);
    edit(&mut f, "respondent", "mentee");
    edit(&mut f, "rating", "4");
    let out = submit(&mut f, "a");
    assert_eq!(submitted(&out).map(|r| (r.seq, r.version)), Some((1, 1)));
    assert_eq!((f.tab, f.records.len()), (Tab::History, 1));
    assert_eq!(f.values().get("respondent"), "mentee", "the respondent is remembered");
    assert!(!f.asking);
    assert_eq!(f.values().get("rating"), "", "the next form starts blank");
    assert_eq!(f.values().get("first"), "", "the next session is not the first");
}

#[test]
fn insights_follow_each_submit_and_every_open_action_can_be_listed() {
    let mut f = widget();
    edit(&mut f, "respondent", "mentee");
    for i in 1..=OPEN_SHOWN + 2 {
        edit(&mut f, "status", "held");
        edit(&mut f, "rating", "4");
        f.run(Msg::AddAction, &mut |r| Ok(r.to_vec()));
        edit(&mut f, "action.1.what", &format!("Action {i}"));
        submit(&mut f, &format!("r{i}"));
        assert_eq!(f.insights("2027-03-02").open.len(), i, "the cached insights see submit {i}");
    }
    assert!(!f.all_open);
    let out = f.run(Msg::AllOpen { today: "2027-03-02".into() }, &mut |r| Ok(r.to_vec()));
    assert!(f.all_open);
    assert_eq!(out.focus, Focus::Control("open.1.1".into()), "focus goes to the oldest");
}

#[test]
fn a_double_submit_makes_one_record() {
    let mut f = widget();
    edit(&mut f, "respondent", "mentor");
    edit(&mut f, "rating", "3");
    submit(&mut f, "a");
    submit(&mut f, "b");
    assert_eq!(f.records.len(), 1);
}

#[test]
fn amending_adds_a_version_and_keeps_the_first() {
    let mut f = widget();
    edit(&mut f, "respondent", "mentee");
    edit(&mut f, "rating", "2");
    submit(&mut f, "a");
    f.run(Msg::Amend("a".into()), &mut |r| Ok(r.to_vec()));
    assert_eq!((f.tab, f.values().get("rating")), (Tab::Form, "2"));
    edit(&mut f, "rating", "3");
    let out = submit(&mut f, "ignored");
    let r = submitted(&out).unwrap().clone();
    assert_eq!((r.id.as_str(), r.version, r.data.get("amends")), ("a", 2, ""));
    assert_eq!(f.records.len(), 2);
    assert_eq!(f.latest().len(), 1);
    assert_eq!(f.records[0].data.get("rating"), "2", "the first version is kept as it was");
}

#[test]
fn an_entry_storage_cannot_take_stays_in_memory_and_is_stored_once_there_is_room() {
    let mut f = widget();
    edit(&mut f, "respondent", "mentee");
    edit(&mut f, "rating", "5");
    let out = f.run(Msg::Submit { at: "t".into(), id: "a".into(), today: "2027-03-02".into() }, &mut |_| Err(StoreError::Full));
    assert!(submitted(&out).is_some(), "the entry is made, and goes to the programme");
    assert_eq!((f.records.len(), f.unsaved.as_slice()), (1, ["a".to_owned()].as_slice()));
    assert_eq!(f.draft.notice, Some(Notice::Storage(StoreError::Full)));
    assert_eq!(f.run(Msg::Retry, &mut |_| Err(StoreError::Full)).redraw, Redraw::Step);
    assert_eq!(f.unsaved.len(), 1);
    let mut stored = Vec::new();
    f.run(Msg::Retry, &mut |r| {
        stored = r.to_vec();
        Ok(r.to_vec())
    });
    assert_eq!((stored.len(), f.unsaved.len()), (1, 0));
    assert_eq!(f.draft.notice, Some(Notice::SavedAgain));
    assert_eq!(f.run(Msg::Retry, &mut |_| panic!("nothing to store")), Out::none());
}

#[test]
fn another_tab_s_entries_are_merged_in_and_this_tab_s_go_back() {
    let mut f = widget();
    edit(&mut f, "respondent", "mentee");
    edit(&mut f, "rating", "4");
    submit(&mut f, "mine");
    let mut theirs = f.records[0].clone();
    theirs.id = "theirs".into();
    theirs.created = "2027-03-01T11:00:00Z".into();
    let mut written = Vec::new();
    let out = f.run(Msg::Stored(vec![theirs]), &mut |r| {
        written = r.to_vec();
        Ok(r.to_vec())
    });
    assert_eq!(out.redraw, Redraw::Step);
    assert_eq!(f.count(), 2);
    assert_eq!(written.iter().map(|r| (r.id.as_str(), r.seq)).collect::<Vec<_>>(), [("mine", 1), ("theirs", 2)], "renumbered, and written back");
}

#[test]
fn changing_what_happened_redraws_and_action_points_come_and_go() {
    let mut f = widget();
    assert_eq!(edit(&mut f, "status", "cancelled-mentor").redraw, Redraw::Step);
    assert_eq!(edit(&mut f, "reason", "ill").redraw, Redraw::Nothing);
    f.run(Msg::AddAction, &mut |r| Ok(r.to_vec()));
    f.run(Msg::AddAction, &mut |r| Ok(r.to_vec()));
    edit(&mut f, "action.1.what", "one");
    edit(&mut f, "action.2.what", "two");
    f.run(Msg::RemoveAction(1), &mut |r| Ok(r.to_vec()));
    assert_eq!((f.values().get("actions"), f.values().get("action.1.what")), ("1", "two"));
    assert_eq!(f.values().get("action.1.who"), "mentee", "a new action point starts with its default owner");
}

#[test]
fn a_host_respondent_cannot_be_changed() {
    let draft = Draft::restore(STEPS, Ok(None), Values::default);
    let mut f = Feedback::new(draft, Programme::default(), Vec::new(), None, Some("mentor".into()));
    assert!(!f.asking);
    edit(&mut f, "respondent", "mentee");
    assert_eq!(f.values().get("respondent"), "mentor");
    assert_eq!(f.run(Msg::ChangeRespondent, &mut |r| Ok(r.to_vec())), Out::none());
}

#[test]
fn earlier_action_points_can_be_marked() {
    let mut f = widget();
    assert_ne!(edit(&mut f, "open.1.2", "done"), Out::none());
    assert_eq!(f.values().get("open.1.2"), "done");
}

#[test]
fn a_record_concerns_the_invited_pair_else_the_linked_agreement_s() {
    let mut agreement = Values::default();
    agreement.set("meta.pair", "pair-from-agreement".into());
    agreement.set("meta.id", "agr-9".into());
    agreement.set("purpose.text", "Find a studio".into());
    agreement.set("mentee.name", "Amara".into());
    agreement.set("mentor.name", "Jonas".into());
    let mut record = Record { id: "r1".into(), kind: "session".into(), version: 1, seq: 0, created: "t".into(), submitted: "t".into(), data: Values::default() };
    record.data.set("respondent", "mentor".into());
    assert_eq!(about(record.data.get("respondent"), None, None), None, "nothing to name: a version 1 record");
    let unsigned = about(record.data.get("respondent"), Some(&agreement), None).expect("about");
    assert_eq!((unsigned.pair.as_str(), unsigned.agreement.as_str()), ("pair-from-agreement", ""), "a draft not yet signed is no agreement to link");
    // Signed by everyone: the agreement widget notes the fingerprint signed.
    let fingerprint = crate::model::signing::fingerprint(&agreement);
    agreement.set("meta.signed", fingerprint.clone());
    let linked = about(record.data.get("respondent"), Some(&agreement), None).expect("about");
    assert_eq!((linked.pair.as_str(), linked.role.as_str(), linked.agreement.as_str()), ("pair-from-agreement", "mentor", "agr-9"));
    assert_eq!(linked.fingerprint, fingerprint);
    assert_eq!(about(record.data.get("respondent"), Some(&agreement), Some("P1")).expect("about").pair, "P1", "the invitation wins");
    agreement.set("meta.pair", "not a pair id".into());
    assert_eq!(about(record.data.get("respondent"), Some(&agreement), None), None);
}

#[test]
fn an_agreement_saved_later_is_linked_without_losing_what_is_typed() {
    let mut f = widget();
    edit(&mut f, "wentWell", "We met");
    let mut agreement = Values::default();
    agreement.set("meta.pair", "pair-1".into());
    agreement.set("goal.1.what", "Portfolio".into());
    agreement.set("goals", "1".into());
    let out = f.run(Msg::Linked(Some(agreement.clone())), &mut |r| Ok(r.to_vec()));
    assert_eq!(out.redraw, Redraw::Step);
    assert_eq!(f.agreement.as_ref(), Some(&agreement));
    assert_eq!(f.values().get("wentWell"), "We met", "what was typed stays");
    assert_eq!(f.run(Msg::Linked(Some(agreement)), &mut |r| Ok(r.to_vec())).redraw, Redraw::Nothing, "the same agreement again changes nothing");
}

#[test]
fn the_blank_form_left_after_an_entry_starts_again_for_today() {
    let programme = Programme::default();
    let stored = blank("2027-03-01", Some("mentee"), &[], None, &programme);
    let envelope = crate::model::envelope::Envelope { schema: "mentorkit.feedback".into(), version: 1, saved_at: 5.0, data: stored.clone() };
    let mut draft = Draft::restore(STEPS, Ok(Some(envelope.clone())), Values::default);
    refresh_untouched(&mut draft, "2027-03-09", Some("mentee"), &[], None, &programme);
    assert_eq!((draft.data.get("date"), draft.notice.is_none()), ("2027-03-09", true), "today's date, no restored notice");
    let mut typed = envelope;
    typed.data.set("wentWell", "We met".into());
    let mut draft = Draft::restore(STEPS, Ok(Some(typed)), Values::default);
    refresh_untouched(&mut draft, "2027-03-09", Some("mentee"), &[], None, &programme);
    assert_eq!(draft.data.get("date"), "2027-03-01", "what was typed is kept, with its date");
    assert!(matches!(draft.notice, Some(draft::Notice::Restored { .. })));
}

#[test]
fn saving_an_entry_ends_the_restored_notice_and_quick_asks_less() {
    let mut f = widget();
    f.draft.notice = Some(draft::Notice::Restored { saved_at: 1.0 });
    edit(&mut f, "respondent", "mentee");
    edit(&mut f, "rating", "4");
    assert!(f.quick() && !f.asks("topics") && f.asks("rating") && f.asks("action.#.what"));
    let hidden = f.left_out();
    assert!(hidden > 5, "{hidden}");
    edit(&mut f, "topics", "typed before");
    assert!(f.asks("topics"), "what is typed is always asked");
    assert_eq!(f.left_out(), hidden - 1);
    let out = f.run(Msg::Questions(true), &mut |r| Ok(r.to_vec()));
    assert!(out.effects.contains(&Effect::AllQuestions(true)) && !f.quick() && f.asks("better"));
    assert_eq!(out.focus, Focus::Control("duration".into()), "focus on the first question that appears");
    f.run(Msg::Questions(false), &mut |r| Ok(r.to_vec()));
    assert!(submitted(&submit(&mut f, "r1")).is_some());
    assert_eq!(f.draft.notice, None);
}
