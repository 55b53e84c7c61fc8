//! The feedback widget: its state and `update`, and (in [`view`] and
//! [`history`]) its pure views. The form (a session, a check-in or a closing
//! review), submitting records and amending them, and the history tab with
//! its files.
//!
//! Submitted records are never overwritten: amending one adds a version. A
//! record storage cannot take stays in memory, shown as not saved yet, and
//! is stored once there is room.

pub mod history;
pub mod later;
pub mod view;

pub use super::action::Tab;
use super::action::{Action, HistoryFile};
use super::draft::{self, Draft, Notice};
use super::{Ctx, Effect, Focus, Out, Redraw};
use crate::model::config::Programme;
use crate::model::feedback::{self, fresh, Linked, Record, ACTIONS, STEPS};
use crate::model::form::{add_item, item_path, remove_item, Values};
use crate::model::insights::Insights;
use crate::store::StoreError;
use crate::model::num::Digits;

/// An intent.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// Editing, saving, the notice.
    Draft(draft::Msg),
    /// Open a tab.
    Tab(Tab),
    /// Add an action point.
    AddAction,
    /// Remove action point `n` (from 1).
    RemoveAction(usize),
    /// Ask who is answering again.
    ChangeRespondent,
    /// Go to the field at this path.
    Fix(String),
    /// Submit the form.
    Submit {
        /// Now, as an ISO 8601 timestamp.
        at: String,
        /// A new unique id, used if this is a new record.
        id: String,
        /// Today, `YYYY-MM-DD`.
        today: String,
    },
    /// Amend the record with this id.
    Amend(String),
    /// Stop amending and start a blank form.
    CancelAmend {
        /// Today, `YYYY-MM-DD`.
        today: String,
    },
    /// Show more entries of the history.
    ShowMore,
    /// List every open action point of earlier sessions in the form.
    AllOpen {
        /// Today, `YYYY-MM-DD`.
        today: String,
    },
    /// Another tab stored these records: merge them in.
    Stored(Vec<Record>),
    /// The linked agreement changed (saved by the agreement widget here or
    /// in another tab): records now belong to it.
    Linked(Option<Values>),
    /// Try again to store records that could not be stored.
    Retry,
    /// Offer the history as a file; `true` for the person's full copy.
    Export(HistoryFile, bool),
    /// Print the history's summary.
    PrintSummary,
    /// Ask every question of a session (`true`), or only the quick part.
    Questions(bool),
}

/// Whom a feedback record concerns: the pair (the invitation's, else the
/// linked agreement's), who answered (`respondent`), and the linked
/// agreement with the fingerprint everyone signed, as the agreement widget
/// noted it (a draft in progress is no agreement yet); nothing when there is
/// no pair to name.
pub fn about(respondent: &str, agreement: Option<&Values>, invited_pair: Option<&str>) -> Option<crate::model::delivery::About> {
    let pair = invited_pair.or_else(|| agreement.map(|a| a.get("meta.pair")).filter(|p| crate::model::delivery::is_pair_id(p)))?;
    let role = respondent;
    let (id, fingerprint) = match agreement {
        Some(a) if crate::model::delivery::is_pair_id(a.get("meta.id")) && crate::model::delivery::is_fingerprint(a.get("meta.signed")) => (a.get("meta.id").to_owned(), a.get("meta.signed").to_owned()),
        _ => (String::new(), String::new()),
    };
    Some(crate::model::delivery::About { pair: pair.to_owned(), role: role.to_owned(), agreement: id, fingerprint })
}

/// A blank form for `today`, answered by the host's respondent, else by
/// whoever answered here last, with the goals of the linked `agreement`.
pub fn blank(today: &str, fixed_respondent: Option<&str>, records: &[Record], agreement: Option<&Values>, programme: &Programme) -> Values {
    let last = records.last().map_or("", |r| r.data.get("respondent"));
    let linked = agreement.map(Linked::from).unwrap_or_default();
    fresh(today, fixed_respondent.unwrap_or(last), &linked, records, programme)
}

/// A stored form nobody has typed in since it was made (the blank one left
/// after the last entry) starts again for `today`, without saying it was
/// restored: an entry is for the day it is written.
pub fn refresh_untouched(draft: &mut Draft, today: &str, fixed_respondent: Option<&str>, records: &[Record], agreement: Option<&Values>, programme: &Programme) {
    if !matches!(draft.notice, Some(draft::Notice::Restored { .. })) {
        return;
    }
    let made = blank(draft.data.get("date"), fixed_respondent, records, agreement, programme);
    if draft.data == made {
        draft.data = blank(today, fixed_respondent, records, agreement, programme);
        draft.notice = None;
    }
}

/// The group of action points.
fn actions() -> Option<&'static crate::model::form::Group> {
    STEPS.iter().flat_map(|s| s.groups).find(|g| g.repeat == Some(ACTIONS))
}

/// How many history entries are drawn at first, and added by "show more".
pub const PAGE: usize = 50;

/// How many open action points of earlier sessions the form lists (the
/// newest) until the person asks for all of them.
pub const OPEN_SHOWN: usize = 10;

/// Stores the full list of records, merged with whatever is stored already,
/// and answers the merged list (see [`feedback::merge`]).
pub type Persist<'a> = &'a mut dyn FnMut(&[Record]) -> Result<Vec<Record>, StoreError>;

/// The feedback widget.
#[derive(Clone, Debug)]
pub struct Feedback {
    /// The form being filled in.
    pub draft: Draft,
    /// The programme's configuration.
    pub programme: Programme,
    /// Every version of every record submitted here, oldest first.
    pub records: Vec<Record>,
    /// The linked agreement, if one is saved or given.
    pub agreement: Option<Values>,
    /// The respondent set by the host, if any.
    pub fixed_respondent: Option<String>,
    /// Whether the form asks who is answering.
    pub asking: bool,
    /// The open tab.
    pub tab: Tab,
    /// Problems are on display (after a submit was refused).
    pub checked: bool,
    /// The record just submitted, for the confirmation.
    pub saved: Option<Record>,
    /// How many history entries are drawn.
    pub shown: usize,
    /// The form lists every open action point, not just the newest.
    pub all_open: bool,
    /// Records in memory only, by id: storing them failed, and is tried again
    /// until it works.
    pub unsaved: Vec<String>,
    /// Why the history stored on this device could not be used, if it could
    /// not (set by the shell when it loads it).
    pub records_problem: Option<StoreError>,
    /// Entries go to the programme, saying they concern this pair (empty
    /// when none is known); `None` when they stay here (set by the shell).
    pub sends: Option<String>,
    /// The person asked for every question of a session, not only the quick
    /// part (remembered on the device by the shell).
    pub all_questions: bool,
    /// Indexes into `records` of the newest version of each, newest first.
    order: Vec<usize>,
    /// Which state of the history this is: a new number whenever the
    /// records or the linked agreement change (see [`later::data`]).
    revision: u64,
    /// The insights over those, worked out once per change and day: the
    /// form (its open action points) and the history both use them.
    insights: std::cell::RefCell<Option<(String, std::rc::Rc<Insights>)>>,
    /// What the history's section about this device shows.
    #[cfg(feature = "history")]
    pub device: crate::widgets::device::Section,
}

impl Feedback {
    /// The widget over a restored `draft`.
    pub fn new(mut draft: Draft, programme: Programme, records: Vec<Record>, agreement: Option<Values>, fixed_respondent: Option<String>) -> Feedback {
        draft.extra = Self::extra(&programme);
        if let Some(who) = &fixed_respondent {
            draft.data.set("respondent", who.clone());
        }
        let asking = draft.data.get("respondent").is_empty();
        let mut f = Feedback { draft, programme, records, agreement, fixed_respondent, asking, tab: Tab::Form, checked: false, saved: None, shown: PAGE, all_open: false, unsaved: Vec::new(), records_problem: None, sends: None, all_questions: false, order: Vec::new(), revision: 0, insights: Default::default(), #[cfg(feature = "history")] device: Default::default() };
        f.reindex();
        f
    }

    fn reindex(&mut self) {
        self.order = feedback::latest_indexes(&self.records);
        self.insights.take();
        self.revision = crate::widgets::later::revision();
    }

    /// Which state of the history this is: the same number while the
    /// records and the linked agreement stay the same, and never the same
    /// number for two states (of any widget here).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Whether the form asks only the quick part of a session now.
    pub fn quick(&self) -> bool {
        !self.all_questions && self.values().get("kind") == "session"
    }

    /// Whether the form asks the question at `path` (a field path, with `#`
    /// for an item, or `q.<id>`): always, unless only the quick part is
    /// asked and it is not in it. Something already typed is always asked.
    pub fn asks(&self, path: &str) -> bool {
        if !self.quick() {
            return true;
        }
        let quick = match &self.programme.quick {
            Some(own) => own.iter().any(|p| p == path),
            None => feedback::QUICK.contains(&path),
        };
        quick || self.values().iter().any(|(k, v)| !v.is_empty() && crate::model::form::same_field(k, path))
    }

    /// The path of the first question the quick part leaves out now.
    fn first_left_out(&self) -> Option<String> {
        let values = self.values();
        let mut fields = feedback::steps_for(values).filter(|s| s.id != "common").flat_map(|s| s.groups).flat_map(|g| g.fields);
        let field = fields.find(|f| crate::model::form::shown(f, values) && self.programme.shows(f.path) && !self.asks(f.path));
        match field {
            Some(field) if field.path.contains('#') => {
                let group = feedback::STEPS.iter().flat_map(|s| s.groups).find(|g| g.fields.iter().any(|f| f.path == field.path))?;
                let count = group.repeat.map_or(0, |r| values.count(&r));
                (count > 0).then(|| crate::model::form::item_path(field.path, 1)).or_else(|| self.first_question())
            }
            Some(field) => Some(field.path.to_owned()),
            None => self.first_question(),
        }
    }

    fn first_question(&self) -> Option<String> {
        feedback::questions(&self.programme, self.values()).map(|q| q.path()).find(|p| !self.asks(p))
    }

    /// How many of a session's questions the quick part leaves out now.
    pub fn left_out(&self) -> usize {
        let values = self.values();
        let fields = feedback::steps_for(values).filter(|s| s.id != "common").flat_map(|s| s.groups).flat_map(|g| g.fields);
        let fields = fields.filter(|f| crate::model::form::shown(f, values) && self.programme.shows(f.path) && !self.asks(f.path)).count();
        fields + feedback::questions(&self.programme, values).filter(|q| !self.asks(&q.path())).count()
    }

    /// How many of `open` open action points of earlier sessions are left
    /// out (the oldest) until the person asks for all of them.
    pub fn older_hidden(&self, open: usize) -> usize {
        if self.all_open { 0 } else { open.saturating_sub(OPEN_SHOWN) }
    }

    /// The insights of the newest version of each record as of `today`.
    /// Without the history built in, only what the form uses is worked out:
    /// the open action points (the rest is the history module's).
    pub fn insights(&self, today: &str) -> std::rc::Rc<Insights> {
        if let Some((day, known)) = &*self.insights.borrow() {
            if day == today {
                return known.clone();
            }
        }
        #[cfg(feature = "history")]
        let found = crate::model::insights::insights(&self.latest(), self.agreement.as_ref(), today);
        #[cfg(not(feature = "history"))]
        let found = Insights { open: crate::model::insights::open_actions(&self.latest(), today), ..Insights::default() };
        let found = std::rc::Rc::new(found);
        *self.insights.borrow_mut() = Some((today.to_owned(), found.clone()));
        found
    }

    fn extra(programme: &Programme) -> Vec<String> {
        let mut extra = vec!["open.#.#".to_owned()];
        extra.extend(programme.questions.iter().map(|q| q.path()));
        extra
    }

    /// The data.
    pub fn values(&self) -> &Values {
        &self.draft.data
    }

    /// A blank form for `today`.
    pub fn blank(&self, today: &str) -> Values {
        blank(today, self.fixed_respondent.as_deref(), &self.records, self.agreement.as_ref(), &self.programme)
    }

    /// How many records there are (counting each once, whatever its versions).
    pub fn count(&self) -> usize {
        self.order.len()
    }

    /// The newest version of each record, newest first.
    pub fn latest(&self) -> Vec<&Record> {
        self.order.iter().map(|&i| &self.records[i]).collect()
    }

    /// The record being amended, if any.
    pub fn amending(&self) -> Option<&Record> {
        let id = self.values().get("amends");
        if id.is_empty() {
            return None;
        }
        self.latest().into_iter().find(|r| r.id == id)
    }

    /// The problems on display.
    pub fn shown_problems(&self) -> Vec<crate::model::validate::Problem> {
        if self.checked { feedback::validate(self.values(), &self.programme) } else { Vec::new() }
    }

    /// The message a button's `action` stands for, if it is this widget's.
    pub fn msg_of(action: Action, today: String) -> Option<Msg> {
        Some(match action {
            Action::Dismiss => Msg::Draft(draft::Msg::DismissNotice),
            Action::UseTheirs => Msg::Draft(draft::Msg::UseTheirs),
            Action::Tab(tab) => Msg::Tab(tab),
            Action::AddAction => Msg::AddAction,
            Action::RemoveAction(n) => Msg::RemoveAction(n),
            Action::ChangeRespondent => Msg::ChangeRespondent,
            Action::Fix(path) => Msg::Fix(path),
            Action::Amend(id) => Msg::Amend(id),
            Action::CancelAmend => Msg::CancelAmend { today },
            Action::More => Msg::ShowMore,
            Action::AllOpen => Msg::AllOpen { today },
            Action::Questions(all) => Msg::Questions(all),
            Action::History(file, full) => Msg::Export(file, full),
            Action::PrintSummary => Msg::PrintSummary,
            _ => return None,
        })
    }

    /// Applies `msg`; `persist` stores the records.
    pub fn update(&mut self, msg: Msg, ctx: &Ctx, persist: Persist) -> Out {
        match msg {
            Msg::Draft(msg) => self.draft_msg(msg),
            Msg::Tab(tab) => {
                self.tab = tab;
                if tab == Tab::Form {
                    self.saved = None;
                }
                Out::step(Focus::Control(if tab == Tab::Form { "tab-form" } else { "tab-history" }.into()))
            }
            Msg::AddAction => match actions().and_then(|g| add_item(&mut self.draft.data, g)) {
                Some(n) => {
                    self.draft.unsaved = true;
                    Out { save: true, ..Out::step(Focus::Control(item_path("action.#.what", n))) }
                }
                None => Out::none(),
            },
            Msg::RemoveAction(n) => {
                if !actions().is_some_and(|g| remove_item(&mut self.draft.data, g, n)) {
                    return Out::none();
                }
                self.draft.unsaved = true;
                let count = self.values().count(&ACTIONS);
                let focus = if count == 0 { "add:actions".to_owned() } else { item_path("action.#.what", n.min(count)) };
                Out { save: true, ..Out::step(Focus::Control(focus)) }
            }
            Msg::ChangeRespondent if self.fixed_respondent.is_none() => {
                self.asking = true;
                Out::step(Focus::Control("respondent".into()))
            }
            Msg::ChangeRespondent => Out::none(),
            Msg::Fix(path) => {
                self.tab = Tab::Form;
                self.checked = true;
                Out::step(Focus::Control(path))
            }
            Msg::Submit { at, id, today } => self.submit(at, id, today, persist),
            Msg::Amend(id) => {
                let Some(record) = self.latest().into_iter().find(|r| r.id == id).cloned() else { return Out::none() };
                let mut data = record.data;
                data.set("amends", record.id);
                self.draft.data = data;
                self.draft.unsaved = true;
                self.tab = Tab::Form;
                self.checked = false;
                self.saved = None;
                Out { save: true, ..Out::step(Focus::Heading) }
            }
            Msg::CancelAmend { today } => {
                self.draft.data = self.blank(&today);
                self.draft.unsaved = true;
                self.checked = false;
                Out { save: true, ..Out::step(Focus::Heading) }
            }
            Msg::ShowMore => {
                let from = self.shown;
                self.shown += PAGE;
                Out::step(Focus::Control(["entry-", &from.digits()].concat()))
            }
            Msg::Stored(theirs) => {
                let merged = feedback::merge(&self.records, &theirs);
                if merged == self.records {
                    return Out::none();
                }
                // What only this tab has goes back to storage.
                let heal = merged != theirs;
                self.records = merged;
                self.reindex();
                if heal {
                    self.store(persist);
                }
                Out::step(Focus::Stay)
            }
            Msg::Questions(all) => {
                // Focus goes to the first question that appears, or back to
                // the button that brings them again.
                let first = if all { self.first_left_out() } else { None };
                self.all_questions = all;
                let focus = Focus::Control(first.unwrap_or_else(|| Action::Questions(!all).encode()));
                Out { effects: vec![Effect::AllQuestions(all)], ..Out::step(focus) }
            }
            Msg::Linked(agreement) => {
                if agreement == self.agreement {
                    return Out::none();
                }
                self.agreement = agreement;
                *self.insights.borrow_mut() = None;
                self.revision = crate::widgets::later::revision();
                // A form nobody has touched yet starts again with the agreement's goals.
                if !self.draft.unsaved && self.draft.saved_at.is_none() {
                    self.draft.data = self.blank(ctx.today);
                }
                Out::step(Focus::Stay)
            }
            Msg::Retry if !self.unsaved.is_empty() => {
                self.store(persist);
                Out { redraw: Redraw::Step, ..Out::none() }
            }
            Msg::Retry => Out::none(),
            Msg::Export(file, full) => Out::effect(Effect::HistoryFile(file, full)),
            Msg::PrintSummary => Out::effect(Effect::PrintHistory),
            Msg::AllOpen { today } => {
                self.all_open = true;
                // Focus goes to the oldest, the first of those now listed.
                let amending = self.amending().map(|r| r.seq);
                let first = self.insights(&today).open.iter().find(|a| Some(a.seq) != amending).map(|a| a.path.clone());
                Out::step(first.map_or(Focus::Stay, Focus::Control))
            }
        }
    }

    fn draft_msg(&mut self, mut msg: draft::Msg) -> Out {
        if let draft::Msg::Replace(values) = &mut msg {
            // The host never sees the private note, so it cannot hand it back.
            for (path, note) in self.draft.data.iter().filter(|(p, _)| feedback::is_private(p, &self.programme)) {
                values.set(path, note.to_owned());
            }
        }
        let path = match &msg {
            draft::Msg::Edit { path, .. } if path == "respondent" && self.fixed_respondent.is_some() => return Out::none(),
            draft::Msg::Edit { path, .. } => Some(path.clone()),
            _ => None,
        };
        let mut out = Out::none();
        match self.draft.update(msg) {
            draft::Effect::None => {}
            draft::Effect::Notice => out.redraw = Redraw::Notice,
            draft::Effect::Replaced => {
                self.checked = false;
                return Out { save: true, ..Out::step(Focus::Stay) };
            }
            draft::Effect::ScheduleSave => {
                out.save = true;
                out.redraw = if self.checked { Redraw::Problems } else { Redraw::Nothing };
                let path = path.unwrap_or_default();
                // The kind picks which step is drawn.
                if path == "kind" || self.draft.steers(&path) {
                    out.redraw = Redraw::Step;
                    out.focus = Focus::Control(path);
                }
            }
        }
        out
    }

    /// Stores the records; on failure they stay in memory, marked unsaved,
    /// and the person is told why.
    fn store(&mut self, persist: Persist) {
        match persist(&self.records) {
            Ok(merged) => {
                if merged != self.records {
                    self.records = merged;
                    self.reindex();
                }
                if !self.unsaved.is_empty() {
                    self.unsaved.clear();
                    if matches!(self.draft.notice, Some(Notice::Storage(_))) {
                        self.draft.notice = Some(Notice::SavedAgain);
                    }
                }
            }
            Err(error) => {
                if let Some(newest) = self.records.last() {
                    if !self.unsaved.contains(&newest.id) {
                        self.unsaved.push(newest.id.clone());
                    }
                }
                self.draft.notice = Some(Notice::Storage(error));
            }
        }
    }

    fn submit(&mut self, at: String, id: String, today: String, persist: Persist) -> Out {
        if let Some(first) = feedback::validate(self.values(), &self.programme).into_iter().next() {
            self.checked = true;
            return Out { redraw: Redraw::Problems, focus: Focus::Control(first.path), ..Out::none() };
        }
        let amends = self.values().get("amends").to_owned();
        // Only what this form's branch asked is kept, sent or exported.
        let data = feedback::answered(self.values(), &self.programme);
        let kind = data.get("kind").to_owned();
        let previous = self.latest().into_iter().find(|r| r.id == amends).cloned();
        let record = match previous {
            Some(p) => Record { version: p.version + 1, submitted: at, kind, data, ..p },
            None => {
                let seq = self.records.iter().map(|r| r.seq).max().unwrap_or(0) + 1;
                Record { id, seq, version: 1, kind, created: at.clone(), submitted: at, data }
            }
        };
        self.records.push(record.clone());
        self.reindex();
        // Kept in memory even when storing fails: it shows as not saved yet,
        // can be downloaded, and is stored as soon as there is room.
        self.store(persist);
        // Merging with another tab's may have given it another number.
        let record = self.records.iter().rev().find(|r| r.id == record.id && r.submitted == record.submitted && r.data == record.data).cloned().unwrap_or(record);
        self.draft.data = self.blank(&today);
        self.draft.unsaved = true;
        // Whatever was restored has now been saved as an entry.
        if matches!(self.draft.notice, Some(draft::Notice::Restored { .. })) {
            self.draft.notice = None;
        }
        self.asking = self.fixed_respondent.is_none() && self.values().get("respondent").is_empty();
        self.checked = false;
        self.tab = Tab::History;
        self.saved = Some(record.clone());
        Out { save: true, redraw: Redraw::Step, focus: Focus::Control("saved".into()), effects: vec![Effect::Submitted(record)] }
    }
}

#[cfg(test)]
mod tests;
