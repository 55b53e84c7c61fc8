//! The agreement builder's state and `update`: steps, validation shown per
//! step, goals added and removed, clauses, signing, starting over, importing.
//!
//! Plain Rust, driven by tests without a DOM; the view turns [`Out`] into
//! saves, redraws, focus moves and events.

use super::draft::{self, Draft, Notice};
use crate::i18n::Key;
use crate::model::agreement::{self, GOALS, STEPS};
use crate::model::config::Programme;
use crate::model::form::{add_item, item_path, remove_item, Values};
use crate::model::signing::{self, SignError};
use crate::model::validate::{validate, Problem};

/// An intent.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// Editing, saving, the notice.
    Draft(draft::Msg),
    /// A programme clause was accepted or included (`on`), or not.
    Clause {
        /// The clause's id.
        id: String,
        /// Ticked.
        on: bool,
    },
    /// Go to the step at this index of [`STEPS`].
    Goto(usize),
    /// Check this step and go on.
    Next,
    /// Go back one step.
    Back,
    /// Go to the field at this path, on whichever step has its problem.
    Fix(String),
    /// Add a goal.
    AddGoal,
    /// Remove goal `n` (from 1).
    RemoveGoal(usize),
    /// Sign for `party`.
    Sign {
        /// `mentee`, `mentor` or `guardian`.
        party: String,
        /// The name typed.
        typed: String,
        /// The confirmation box.
        confirmed: bool,
        /// Now, as an ISO 8601 timestamp.
        at: String,
    },
    /// Ask to start over.
    AskReset,
    /// Do not start over.
    CancelReset,
    /// Start over with these fresh values.
    Reset(Values),
    /// Replace the draft with one opened from a file.
    Import {
        /// The file's name.
        file: String,
        /// Its data, or why it could not be read.
        data: Result<Values, String>,
    },
}

/// What the view must redraw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Redraw {
    /// Nothing.
    Nothing,
    /// The notice area.
    Notice,
    /// The problem messages of the current step.
    Problems,
    /// The whole current step.
    Step,
}

/// Where focus goes after the update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Focus {
    /// Stays where it is.
    Stay,
    /// The step's heading (after moving to another step).
    Heading,
    /// The control with this name.
    Control(String),
}

/// What the view must do after an update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Out {
    /// Save the draft soon.
    pub save: bool,
    /// Redraw.
    pub redraw: Redraw,
    /// Move focus.
    pub focus: Focus,
    /// The agreement has just become fully signed: keep it and tell the host.
    pub submit: bool,
}

impl Out {
    fn none() -> Out {
        Out { save: false, redraw: Redraw::Nothing, focus: Focus::Stay, submit: false }
    }

    fn step(focus: Focus) -> Out {
        Out { redraw: Redraw::Step, focus, ..Out::none() }
    }

    fn saved_step(focus: Focus) -> Out {
        Out { save: true, ..Out::step(focus) }
    }
}

/// A signature that was refused, with what the person had entered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// Whose signature.
    pub party: String,
    /// Why.
    pub reason: Key,
    /// The name typed.
    pub typed: String,
    /// Whether the box was ticked.
    pub confirmed: bool,
}

/// The agreement builder.
#[derive(Clone, Debug)]
pub struct Builder {
    /// The draft.
    pub draft: Draft,
    /// The programme's configuration.
    pub programme: Programme,
    /// The current step, an index into [`STEPS`].
    pub step: usize,
    /// Steps whose problems are on display.
    pub checked: Vec<&'static str>,
    /// The start-over confirmation is open.
    pub confirm_reset: bool,
    /// The last signature refused, kept so what was typed is not lost.
    pub sign_error: Option<Refused>,
    /// The fingerprint last submitted, so one agreement is submitted once.
    pub submitted: String,
}

impl Builder {
    /// A builder over `draft` for `programme`, on the first step.
    pub fn new(mut draft: Draft, programme: Programme) -> Builder {
        agreement::enforce_locks(&mut draft.data, &programme);
        draft.extra = agreement::extra_paths(&programme);
        let submitted = if signing::fully_signed(&draft.data) { signing::fingerprint(&draft.data) } else { String::new() };
        Builder { draft, programme, step: 0, checked: Vec::new(), confirm_reset: false, sign_error: None, submitted }
    }

    /// The data.
    pub fn values(&self) -> &Values {
        &self.draft.data
    }

    /// Indexes into [`STEPS`] of the steps shown: hidden ones and an empty
    /// clauses step are left out.
    pub fn visible(&self) -> Vec<usize> {
        (0..STEPS.len())
            .filter(|&i| {
                let id = STEPS[i].id;
                self.programme.shows(id) && (id != "clauses" || !self.programme.clauses.is_empty())
            })
            .collect()
    }

    /// The id of the current step.
    pub fn step_id(&self) -> &'static str {
        STEPS[self.step].id
    }

    /// The problems on display for the current step (all of them on review).
    pub fn shown_problems(&self) -> Vec<Problem> {
        let id = self.step_id();
        if !self.checked.contains(&id) && id != "review" {
            return Vec::new();
        }
        validate(self.values(), &self.programme).into_iter().filter(|p| id == "review" || p.step == id).collect()
    }

    /// Applies `msg`.
    pub fn update(&mut self, msg: Msg) -> Out {
        match msg {
            Msg::Draft(msg) => self.draft_msg(msg),
            Msg::Clause { id, on } => {
                if !self.programme.clauses.iter().any(|c| c.id == id) {
                    return Out::none();
                }
                self.draft.data.set(&format!("clause.{id}"), if on { "yes".into() } else { String::new() });
                self.draft.unsaved = true;
                Out { save: true, redraw: self.problems_redraw(), ..Out::none() }
            }
            Msg::Goto(i) if self.visible().contains(&i) => {
                self.step = i;
                self.sign_error = None;
                Out::step(Focus::Heading)
            }
            Msg::Goto(_) => Out::none(),
            Msg::Next => {
                let id = self.step_id();
                if let Some(first) = validate(self.values(), &self.programme).into_iter().find(|p| p.step == id) {
                    if !self.checked.contains(&id) {
                        self.checked.push(id);
                    }
                    return Out { redraw: Redraw::Problems, focus: Focus::Control(first.path), ..Out::none() };
                }
                match self.visible().into_iter().find(|&i| i > self.step) {
                    Some(next) => self.update(Msg::Goto(next)),
                    None => Out::none(),
                }
            }
            Msg::Fix(path) => {
                let Some(step) = validate(self.values(), &self.programme).into_iter().find(|p| p.path == path).map(|p| p.step)
                else {
                    return Out::none();
                };
                let Some(index) = STEPS.iter().position(|s| s.id == step) else { return Out::none() };
                self.update(Msg::Goto(index));
                if !self.checked.contains(&step) {
                    self.checked.push(step);
                }
                Out::step(Focus::Control(path))
            }
            Msg::Back => match self.visible().into_iter().rev().find(|&i| i < self.step) {
                Some(previous) => self.update(Msg::Goto(previous)),
                None => Out::none(),
            },
            Msg::AddGoal => match STEPS.iter().flat_map(|s| s.groups).find(|g| g.repeat == Some(GOALS)).and_then(|g| add_item(&mut self.draft.data, g)) {
                Some(n) => {
                    self.draft.unsaved = true;
                    Out::saved_step(Focus::Control(item_path("goal.#.what", n)))
                }
                None => Out::none(),
            },
            Msg::RemoveGoal(n) => {
                let group = STEPS.iter().find(|s| s.id == "goals").map(|s| &s.groups[0]);
                if !group.is_some_and(|g| remove_item(&mut self.draft.data, g, n)) {
                    return Out::none();
                }
                self.draft.unsaved = true;
                Out::saved_step(Focus::Heading)
            }
            Msg::Sign { party, typed, confirmed, at } => {
                // What is signed is what the agreement says: a branch left
                // (a guardian for a mentee who is not a minor) goes first.
                let answered = agreement::answered(&self.draft.data, &self.programme);
                if answered != self.draft.data {
                    self.draft.data = answered;
                    self.draft.unsaved = true;
                }
                let signed = signing::sign(&mut self.draft.data, &party, &typed, confirmed, &at);
                let control = format!("sign.{party}.typed");
                if let Err(error) = signed {
                    let key = match error {
                        SignError::NotConfirmed => Key::SignNotConfirmed,
                        SignError::NameMismatch if self.values().get(&format!("{party}.name")).trim().is_empty() => {
                            Key::SignNameMissing
                        }
                        SignError::NameMismatch => Key::SignNameMismatch,
                    };
                    self.sign_error = Some(Refused { party, reason: key, typed, confirmed });
                    return Out::step(Focus::Control(control));
                }
                self.sign_error = None;
                self.draft.unsaved = true;
                let mut out = Out::saved_step(Focus::Control(format!("sign.{party}.done")));
                if signing::fully_signed(self.values()) {
                    let fingerprint = signing::fingerprint(self.values());
                    if fingerprint != self.submitted {
                        self.submitted = fingerprint;
                        out.submit = true;
                    }
                }
                out
            }
            Msg::AskReset => {
                self.confirm_reset = true;
                Out::step(Focus::Control("reset.no".into()))
            }
            Msg::CancelReset => {
                self.confirm_reset = false;
                Out::step(Focus::Control("reset".into()))
            }
            Msg::Reset(fresh) => {
                self.draft.data = fresh;
                self.draft.unsaved = true;
                self.draft.notice = None;
                self.reset_view();
                Out::saved_step(Focus::Heading)
            }
            Msg::Import { file, data } => {
                match data.map(|values| self.draft.admit(values)) {
                    Ok(Err((path, max))) => self.draft.notice = Some(Notice::ImportTooLong(path, max)),
                    Ok(Ok(mut values)) => {
                        agreement::enforce_locks(&mut values, &self.programme);
                        self.draft.data = values;
                        self.draft.unsaved = true;
                        self.draft.notice = Some(Notice::Imported(file));
                        self.reset_view();
                        // Straight to review: the review step cannot be hidden.
                        self.step = STEPS.len() - 1;
                        return Out::saved_step(Focus::Heading);
                    }
                    Err(reason) => self.draft.notice = Some(Notice::ImportFailed(reason)),
                }
                Out { redraw: Redraw::Notice, ..Out::none() }
            }
        }
    }

    fn draft_msg(&mut self, msg: draft::Msg) -> Out {
        let path = match &msg {
            draft::Msg::Edit { path, .. } if self.programme.is_locked(path) => return Out::none(),
            draft::Msg::Edit { path, .. } => Some(path.clone()),
            _ => None,
        };
        let effect = self.draft.update(msg);
        let mut out = Out::none();
        match effect {
            draft::Effect::None => {}
            draft::Effect::Notice => out.redraw = Redraw::Notice,
            // Locked fields keep the programme's value; signatures are checked when drawn.
            draft::Effect::Replaced => {
                agreement::enforce_locks(&mut self.draft.data, &self.programme);
                self.checked.clear();
                return Out::saved_step(Focus::Stay);
            }
            draft::Effect::ScheduleSave => {
                out.save = true;
                out.redraw = self.problems_redraw();
                // A field that others depend on redraws the step (keeping focus).
                if let Some(path) = path {
                    if self.draft.steers(&path) {
                        out.redraw = Redraw::Step;
                        out.focus = Focus::Control(path);
                    }
                }
            }
        }
        out
    }

    fn problems_redraw(&self) -> Redraw {
        if self.checked.contains(&self.step_id()) { Redraw::Problems } else { Redraw::Nothing }
    }

    fn reset_view(&mut self) {
        self.step = 0;
        self.checked.clear();
        self.confirm_reset = false;
        self.sign_error = None;
        self.submitted = String::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    fn builder(config: &str) -> Builder {
        let programme: Programme = crate::model::json::parse(config).unwrap();
        let fresh = agreement::fresh(&programme, "2026-11-22", Locale::En);
        Builder::new(Draft::restore(STEPS, Ok(None), || fresh), programme)
    }

    fn edit(b: &mut Builder, path: &str, value: &str) -> Out {
        b.update(Msg::Draft(draft::Msg::Edit { path: path.into(), value: value.into() }))
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
        let out = b.update(Msg::Draft(draft::Msg::Replace(given)));
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
        b.update(Msg::Sign { party: party.into(), typed: name.into(), confirmed: true, at: "2026-11-22T10:00:00Z".into() })
    }

    #[test]
    fn next_stays_and_shows_problems_until_the_step_is_complete() {
        let mut b = builder("{}");
        let out = b.update(Msg::Next);
        assert_eq!(b.step, 0);
        assert_eq!(out.focus, Focus::Control("mentee.name".into()));
        assert_eq!(b.shown_problems().len(), 2);
        let out = edit(&mut b, "mentee.name", "Amara");
        assert_eq!(out.redraw, Redraw::Problems, "problems on display follow edits");
        edit(&mut b, "mentor.name", "Jonas");
        assert_eq!(b.update(Msg::Next).focus, Focus::Heading);
        assert_eq!(b.step_id(), "purpose");
        assert_eq!(b.update(Msg::Back).focus, Focus::Heading);
        assert_eq!(b.step, 0);
    }

    #[test]
    fn fixing_a_problem_goes_to_its_step_shows_its_problems_and_focuses_the_field() {
        let mut b = builder("{}");
        fill(&mut b);
        edit(&mut b, "goal.1.what", "");
        b.update(Msg::Goto(index("review")));
        let out = b.update(Msg::Fix("goal.1.what".into()));
        assert_eq!(b.step_id(), "goals");
        assert_eq!(out.focus, Focus::Control("goal.1.what".into()));
        assert_eq!(b.shown_problems().iter().map(|p| p.path.as_str()).collect::<Vec<_>>(), ["goal.1.what"]);
        assert_eq!(b.update(Msg::Fix("mentee.name".into())), Out::none(), "no problem there, nowhere to go");
    }

    #[test]
    fn any_visible_step_can_be_reached_directly_and_hidden_ones_cannot() {
        let mut b = builder(r#"{"hidden":["boundaries"]}"#);
        assert_eq!(b.update(Msg::Goto(index("term"))).redraw, Redraw::Step);
        assert_eq!(b.step_id(), "term");
        assert_eq!(b.update(Msg::Goto(index("boundaries"))), Out::none());
        assert!(!b.visible().contains(&index("clauses")), "no clauses, no clauses step");
        b.update(Msg::Goto(index("confidentiality")));
        b.update(Msg::Next);
        assert_eq!(b.step_id(), "term", "next skips the hidden step");
    }

    #[test]
    fn goals_are_added_up_to_five_and_removed_with_the_rest_moving_up() {
        let mut b = builder("{}");
        for n in 2..=5 {
            assert_eq!(b.update(Msg::AddGoal).focus, Focus::Control(format!("goal.{n}.what")));
        }
        assert_eq!(b.update(Msg::AddGoal), Out::none());
        for n in 1..=5 {
            edit(&mut b, &format!("goal.{n}.what"), &format!("g{n}"));
        }
        b.update(Msg::RemoveGoal(2));
        let whats: Vec<_> = (1..=4).map(|n| b.values().get(&format!("goal.{n}.what")).to_owned()).collect();
        assert_eq!(whats, ["g1", "g3", "g4", "g5"]);
        assert_eq!(b.values().get("goal.5.what"), "");
        assert_eq!(b.values().get("goals"), "4");
        for _ in 0..5 {
            b.update(Msg::RemoveGoal(1));
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
    fn both_signatures_submit_once_and_an_edit_voids_them() {
        let mut b = builder("{}");
        fill(&mut b);
        assert!(!sign(&mut b, "mentee", "Amara Okafor").submit);
        let out = sign(&mut b, "mentor", "jonas weber");
        assert!(out.submit && out.save);
        assert!(!sign(&mut b, "mentor", "Jonas Weber").submit, "the same agreement is submitted once");
        edit(&mut b, "purpose.text", "Changed after signing");
        assert!(!signing::fully_signed(b.values()));
        assert!(!sign(&mut b, "mentee", "Amara Okafor").submit);
        assert!(sign(&mut b, "mentor", "Jonas Weber").submit, "the changed agreement, signed again, is submitted");
    }

    #[test]
    fn a_refused_signature_says_why() {
        let mut b = builder("{}");
        fill(&mut b);
        let out = sign(&mut b, "mentee", "Someone");
        assert_eq!(out.focus, Focus::Control("sign.mentee.typed".into()));
        let refused = |reason, typed: &str, confirmed| Some(Refused { party: "mentee".into(), reason, typed: typed.into(), confirmed });
        assert_eq!(b.sign_error, refused(Key::SignNameMismatch, "Someone", true), "what was typed is kept");
        b.update(Msg::Sign { party: "mentee".into(), typed: "Amara Okafor".into(), confirmed: false, at: "t".into() });
        assert_eq!(b.sign_error, refused(Key::SignNotConfirmed, "Amara Okafor", false));
    }

    #[test]
    fn clauses_are_ticked_only_when_the_programme_has_them() {
        let mut b = builder(r#"{"clauses":[{"id":"photos","title":"Photos","text":"None.","required":true}]}"#);
        assert!(b.visible().contains(&index("clauses")));
        assert!(b.update(Msg::Clause { id: "photos".into(), on: true }).save);
        assert_eq!(b.values().get("clause.photos"), "yes");
        assert_eq!(b.update(Msg::Clause { id: "other".into(), on: true }), Out::none());
    }

    #[test]
    fn starting_over_asks_first_then_clears() {
        let mut b = builder("{}");
        fill(&mut b);
        b.update(Msg::Goto(index("term")));
        b.update(Msg::AskReset);
        assert!(b.confirm_reset);
        b.update(Msg::CancelReset);
        assert_eq!(b.values().get("mentee.name"), "Amara Okafor");
        b.update(Msg::AskReset);
        let out = b.update(Msg::Reset(Values::default()));
        assert!(out.save);
        assert_eq!((b.step, b.values().get("mentee.name")), (0, ""));
    }

    #[test]
    fn an_imported_draft_replaces_this_one_and_opens_on_review() {
        let mut b = builder(r#"{"name":"Harbourlight"}"#);
        let mut theirs = Values::default();
        theirs.set("mentee.name", "Amara Okafor".into());
        theirs.set("programme.name", "Elsewhere".into());
        b.update(Msg::Import { file: "draft.json".into(), data: Ok(theirs) });
        assert_eq!(b.step_id(), "review");
        assert_eq!(b.values().get("mentee.name"), "Amara Okafor");
        assert_eq!(b.values().get("programme.name"), "Harbourlight", "locks hold for imports too");
        assert_eq!(b.draft.notice, Some(Notice::Imported("draft.json".into())));
        let out = b.update(Msg::Import { file: "x".into(), data: Err("not a draft".into()) });
        assert_eq!(out.redraw, Redraw::Notice);
        assert_eq!(b.values().get("mentee.name"), "Amara Okafor", "a bad file changes nothing");
        let mut huge = Values::default();
        huge.set("mentee.name", "Someone else".into());
        huge.set("purpose.text", "x".repeat(2_000_000));
        b.update(Msg::Import { file: "huge.json".into(), data: Ok(huge) });
        assert_eq!(b.draft.notice, Some(Notice::ImportTooLong("purpose.text".into(), 4000)));
        assert_eq!(b.values().get("mentee.name"), "Amara Okafor", "a file with a field too long is refused whole");
    }
}
