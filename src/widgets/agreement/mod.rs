//! The agreement builder: its state, `update` and (in [`view`]) its pure
//! view. Steps, validation shown per step, goals added and removed, clauses,
//! signing, starting over, importing a draft file, and the agreement as
//! files.
//!
//! Plain Rust, driven by tests without a DOM; the shell turns [`Out`] into
//! saves, redraws, focus moves and effects.

pub mod later;
pub mod view;

use super::action::{Action, Format};
use super::draft::{self, Draft, Notice};
use super::{Ctx, Effect, Focus, Out, Redraw};
use crate::i18n::Key;
use crate::model::agreement::{self, GOALS, STEPS};
use crate::model::config::Programme;
use crate::model::delivery::Payload;
use crate::model::envelope;
use crate::model::form::{add_item, item_path, remove_item, Values};
use crate::model::signing::{self, SignError};
use crate::model::validate::{validate, Problem};
use crate::model::num::Digits;

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
        /// A new unique id, the record's if this is its first signed version.
        id: String,
    },
    /// Ask to start over.
    AskReset,
    /// Do not start over.
    CancelReset,
    /// Start over with a fresh agreement.
    Reset,
    /// The live preview under a step was opened or closed.
    Preview(bool),
    /// Offer the agreement as a file in this format.
    Export(Format),
    /// Print the agreement.
    Print,
    /// Choose a draft file to open.
    OpenFile,
    /// Open the settled agreement for a new version.
    Amend,
    /// Stop amending: back to the version all signed.
    KeepSigned,
    /// Replace the draft with one opened from a file.
    Import {
        /// The file's name.
        file: String,
        /// Its data, or why it could not be read.
        data: Result<Values, String>,
    },
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
    /// The live preview under each step is open.
    pub preview_open: bool,
    /// Signed agreements go to the programme (set by the shell).
    pub sends: bool,
    /// The pair of the person's invitation, which every agreement here is for.
    pub invited: Option<String>,
    /// While amending, the version all signed, when this device keeps it
    /// (the shell looks it up by [`Builder::wanted`]).
    pub before: Option<Values>,
    /// Where the feedback is filled in, which the calendar's reminders link
    /// to (set by the shell; empty for none).
    pub page: String,
}

impl Builder {
    /// A builder over `draft` for `programme`, on the first step.
    pub fn new(mut draft: Draft, programme: Programme) -> Builder {
        agreement::enforce_locks(&mut draft.data, &programme);
        draft.extra = agreement::extra_paths(&programme);
        let submitted = if signing::fully_signed(&draft.data) { signing::fingerprint(&draft.data) } else { String::new() };
        Builder { draft, programme, step: 0, checked: Vec::new(), confirm_reset: false, sign_error: None, submitted, preview_open: false, sends: false, invited: None, before: None, page: String::new() }
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

    /// Whether the step shows the agreement as a document: the review step
    /// always, any other while its preview is open.
    pub fn shows_document(&self) -> bool {
        self.preview_open || STEPS[self.step].id == "review"
    }

    /// The fingerprint of the signed version being amended, if an
    /// amendment is under way.
    pub fn amends(&self) -> Option<&str> {
        Some(self.values().get("meta.amends")).filter(|f| !f.is_empty())
    }

    /// Signed by everyone and not being amended: nothing in it changes.
    pub fn settled(&self) -> bool {
        self.amends().is_none() && signing::fully_signed(self.values())
    }

    /// The signed version the shell should find for an amendment.
    pub fn wanted(&self) -> Option<&str> {
        if self.before.is_some() { None } else { self.amends() }
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

    /// The message a button's `action` stands for, if it is this widget's;
    /// `sign` reads what was typed beside the sign button.
    pub fn msg_of(action: Action, sign: impl FnOnce(&str) -> (String, bool), at: String, id: String) -> Option<Msg> {
        Some(match action {
            Action::Dismiss => Msg::Draft(draft::Msg::DismissNotice),
            Action::UseTheirs => Msg::Draft(draft::Msg::UseTheirs),
            Action::Back => Msg::Back,
            Action::Goto(i) => Msg::Goto(i),
            Action::AddGoal => Msg::AddGoal,
            Action::RemoveGoal(n) => Msg::RemoveGoal(n),
            Action::Fix(path) => Msg::Fix(path),
            Action::Sign(party) => {
                let (typed, confirmed) = sign(&party);
                Msg::Sign { party, typed, confirmed, at, id }
            }
            Action::Export(format) => Msg::Export(format),
            Action::Print => Msg::Print,
            Action::OpenFile => Msg::OpenFile,
            Action::AmendAgreement => Msg::Amend,
            Action::CancelAmend => Msg::KeepSigned,
            Action::Reset => Msg::AskReset,
            Action::ResetNo => Msg::CancelReset,
            Action::ResetYes => Msg::Reset,
            _ => return None,
        })
    }

    /// Applies `msg`.
    pub fn update(&mut self, msg: Msg, ctx: &Ctx) -> Out {
        // What all have signed stays as signed until someone amends it.
        if self.settled() && matches!(msg, Msg::Draft(draft::Msg::Edit { .. }) | Msg::Clause { .. } | Msg::AddGoal | Msg::RemoveGoal(_)) {
            return Out::none();
        }
        match msg {
            Msg::Draft(msg) => self.draft_msg(msg),
            Msg::Clause { id, on } => {
                if !self.programme.clauses.iter().any(|c| c.id == id) {
                    return Out::none();
                }
                self.draft.data.set(&["clause.", &id].concat(), if on { "yes".into() } else { String::new() });
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
                    Some(next) => self.update(Msg::Goto(next), ctx),
                    None => Out::none(),
                }
            }
            Msg::Fix(path) => {
                let Some(step) = validate(self.values(), &self.programme).into_iter().find(|p| p.path == path).map(|p| p.step)
                else {
                    return Out::none();
                };
                let Some(index) = STEPS.iter().position(|s| s.id == step) else { return Out::none() };
                self.update(Msg::Goto(index), ctx);
                if !self.checked.contains(&step) {
                    self.checked.push(step);
                }
                Out::step(Focus::Control(path))
            }
            Msg::Back => match self.visible().into_iter().rev().find(|&i| i < self.step) {
                Some(previous) => self.update(Msg::Goto(previous), ctx),
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
            Msg::Sign { party, typed, confirmed, at, id } => {
                // What is signed is what the agreement says: a branch left
                // (a guardian for a mentee who is not a minor) goes first.
                let answered = agreement::answered(&self.draft.data, &self.programme);
                if answered != self.draft.data {
                    self.draft.data = answered;
                    self.draft.unsaved = true;
                }
                let signed = signing::sign(&mut self.draft.data, &party, &typed, confirmed, &at);
                let control = ["sign.", &party, ".typed"].concat();
                if let Err(error) = signed {
                    let key = match error {
                        SignError::NotConfirmed => Key::SignNotConfirmed,
                        SignError::NameMismatch if self.values().get(&[&party, ".name"].concat()).trim().is_empty() => {
                            Key::SignNameMissing
                        }
                        SignError::NameMismatch => Key::SignNameMismatch,
                    };
                    self.sign_error = Some(Refused { party, reason: key, typed, confirmed });
                    return Out::step(Focus::Control(control));
                }
                self.sign_error = None;
                self.draft.unsaved = true;
                let mut out = Out::saved_step(Focus::Control(["sign.", &party, ".done"].concat()));
                if signing::fully_signed(self.values()) {
                    // The new version is the one in force: the amendment is over,
                    // and what the draft was opened from is behind them.
                    self.draft.data.set("meta.amends", String::new());
                    if matches!(self.draft.notice, Some(Notice::Imported(_))) {
                        self.draft.notice = None;
                    }
                    self.before = None;
                    let fingerprint = signing::fingerprint(self.values());
                    if fingerprint != self.submitted {
                        self.submitted = fingerprint;
                        self.number(&at, id);
                        out.effects.push(Effect::Signed);
                    }
                }
                out
            }
            Msg::Amend if self.settled() => {
                let signed = self.values().clone();
                let data = &mut self.draft.data;
                data.set("meta.amends", signing::fingerprint(&signed));
                for (path, _) in signed.iter().filter(|(p, _)| p.starts_with("sign.")) {
                    data.set(path, String::new());
                }
                self.before = Some(signed);
                self.draft.unsaved = true;
                Out::saved_step(Focus::Heading)
            }
            Msg::KeepSigned => match self.before.take() {
                Some(signed) if self.amends() == Some(&signing::fingerprint(&signed)) => {
                    self.draft.data = signed;
                    self.draft.unsaved = true;
                    self.sign_error = None;
                    Out::saved_step(Focus::Heading)
                }
                kept => {
                    self.before = kept;
                    Out::none()
                }
            },
            Msg::Amend => Out::none(),
            Msg::AskReset => {
                self.confirm_reset = true;
                Out::step(Focus::Control("reset.no".into()))
            }
            Msg::CancelReset => {
                self.confirm_reset = false;
                Out::step(Focus::Control("reset".into()))
            }
            Msg::Reset => {
                let before = self.draft.data.get("meta.pair").to_owned();
                self.draft.data = agreement::fresh(&self.programme, ctx.today, ctx.locale);
                self.keep_pair(before);
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
                        agreement::answer_choices(&mut values, &self.programme, ctx.locale);
                        let before = std::mem::replace(&mut self.draft.data, values).get("meta.pair").to_owned();
                        self.keep_pair(before);
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
            Msg::Preview(open) => {
                self.preview_open = open;
                Out { redraw: Redraw::Preview, ..Out::none() }
            }
            Msg::Export(format) => Out::effect(Effect::DocumentFile(format)),
            Msg::Print => Out::effect(Effect::PrintDocument),
            Msg::OpenFile => Out::effect(Effect::ChooseFile),
        }
    }

    /// Gives a newly signed agreement its record id (kept across versions)
    /// and its version number, in the draft's bookkeeping fields. An id, a
    /// time or a version that a file brought and a record cannot carry is
    /// made afresh rather than refused.
    fn number(&mut self, now: &str, fresh_id: String) {
        let data = &mut self.draft.data;
        let id = data.get("meta.id");
        let usable = (1..=100).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !usable || data.get("meta.version").parse::<u32>().is_err() {
            data.set("meta.id", fresh_id);
            data.set("meta.created", now.to_owned());
            data.set("meta.version", "1".into());
        } else {
            if !crate::model::delivery::is_timestamp(data.get("meta.created")) {
                data.set("meta.created", now.to_owned());
            }
            let next = data.get("meta.version").parse::<u32>().unwrap_or(0).saturating_add(1);
            data.set("meta.version", next.digits());
        }
        self.draft.unsaved = true;
    }

    /// Notes in the bookkeeping the fingerprint everyone signed, when the
    /// content as it stands is signed by all (else nothing), so the feedback
    /// widget links the signed agreement without working it out again.
    pub fn mark_signed(&mut self) {
        let signed = if signing::fully_signed(&self.draft.data) { signing::fingerprint(&self.draft.data) } else { String::new() };
        if signed != self.draft.data.get("meta.signed") {
            self.draft.data.set("meta.signed", signed);
        }
    }

    /// Gives the agreement its pair: the invitation's when there is one
    /// (which wins over any other), else the one it has, else `fresh`, made
    /// when the agreement is first saved. The draft file and the signed
    /// agreement carry it to the partner and the programme.
    pub fn pair(&mut self, invited: Option<&str>, fresh: impl FnOnce() -> String) {
        self.invited = invited.map(str::to_owned);
        let current = self.draft.data.get("meta.pair");
        let pair = match invited {
            Some(invited) => invited.to_owned(),
            None if crate::model::delivery::is_pair_id(current) => return,
            None => ["pair-", &fresh()].concat(),
        };
        if pair != current {
            self.draft.data.set("meta.pair", pair);
            self.draft.unsaved = true;
        }
    }

    /// After the data was replaced (a file, the host, start over): the
    /// invitation's pair, else the new data's own, else the one it had.
    fn keep_pair(&mut self, before: String) {
        let now = self.draft.data.get("meta.pair");
        let pair = match &self.invited {
            Some(invited) => invited.clone(),
            None if crate::model::delivery::is_pair_id(now) => return,
            None => before,
        };
        if pair != now {
            self.draft.data.set("meta.pair", pair);
        }
    }

    /// The signed agreement as it is sent to the programme: with its pair.
    pub fn payload(&self, submitted: &str) -> Payload {
        let v = self.values();
        let version = v.get("meta.version").parse().unwrap_or(1);
        // An agreement names its pair and itself with its fingerprint, the
        // same one its session records carry.
        let (agreement, fingerprint) = match v.get("meta.id") {
            id if crate::model::delivery::is_pair_id(id) => (id.to_owned(), crate::model::signing::fingerprint(v)),
            _ => (String::new(), String::new()),
        };
        let about = crate::model::delivery::is_pair_id(v.get("meta.pair")).then(|| crate::model::delivery::About { pair: v.get("meta.pair").to_owned(), role: String::new(), agreement, fingerprint });
        Payload::from_agreement(v, v.get("meta.id"), version, v.get("meta.created"), submitted).concerning(about)
    }

    fn draft_msg(&mut self, msg: draft::Msg) -> Out {
        let path = match &msg {
            draft::Msg::Edit { path, .. } if self.programme.is_locked(path) => return Out::none(),
            draft::Msg::Edit { path, .. } => Some(path.clone()),
            _ => None,
        };
        let before = self.draft.data.get("meta.pair").to_owned();
        let effect = self.draft.update(msg);
        let mut out = Out::none();
        match effect {
            draft::Effect::None => {}
            draft::Effect::Notice => out.redraw = Redraw::Notice,
            // Locked fields keep the programme's value; signatures are checked when drawn.
            draft::Effect::Replaced => {
                agreement::enforce_locks(&mut self.draft.data, &self.programme);
                self.keep_pair(before);
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
        self.preview_open = false;
        self.step = 0;
        self.checked.clear();
        self.confirm_reset = false;
        self.sign_error = None;
        self.submitted = String::new();
        self.before = None;
    }
}

/// The agreement in `format` (see [`Format::mime`] for its media type);
/// `page` is where the calendar's feedback reminder links to.
#[cfg(feature = "document")]
pub fn text(values: &Values, programme: &Programme, ctx: &Ctx, format: Format, page: &str) -> String {
    let doc = || crate::render::agreement(values, programme, ctx.locale, ctx.date);
    match format {
        Format::Md => crate::render::markdown(&doc()),
        Format::Html => crate::render::html(&doc(), ctx.locale),
        Format::Txt => crate::render::text(&doc()),
        Format::Ics => {
            let uid = signing::fingerprint(values);
            crate::render::ics::calendar(values, programme, ctx.locale, &crate::render::ics::stamp(&ctx.now_iso()), uid.get(..16).unwrap_or_default(), page)
        }
        Format::Json => draft_file(values, ctx),
    }
}

/// The draft file the agreement builder opens.
pub fn draft_file(values: &Values, ctx: &Ctx) -> String {
    envelope::seal(envelope::AGREEMENT_DRAFT, ctx.now, values)
}

/// `mentoring-agreement-amara-okafor.md`: ASCII letters and digits only.
pub fn file_name(values: &Values, ext: &str) -> String {
    let mut name = String::from("mentoring-agreement");
    let mentee: String = values.get("mentee.name").chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    for part in mentee.split('-').filter(|s| !s.is_empty()) {
        name.push('-');
        name.push_str(part);
    }
    name.push('.');
    name.push_str(ext);
    name
}

#[cfg(test)]
mod tests;
