//! The feedback widget's state and `update`: the form (a session, a check-in
//! or a closing review), submitting records and amending them, and the
//! history tab.
//!
//! Submitted records are never overwritten: amending one adds a version. A
//! record is only taken as submitted once it has been stored; if storing
//! fails, the form keeps what was typed and says why.

use super::agreement::{Focus, Redraw};
use super::draft::{self, Draft, Notice};
use crate::model::config::Programme;
use crate::model::feedback::{self, fresh, Linked, Record, ACTIONS, STEPS};
use crate::model::form::{add_item, item_path, remove_item, Values};
use crate::model::insights::Insights;
use crate::store::StoreError;

/// Which view of the widget is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// The form.
    Form,
    /// The history and insights.
    History,
}

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
    /// Try again to store records that could not be stored.
    Retry,
}

/// What the view must do after an update.
#[derive(Clone, Debug, PartialEq)]
pub struct Out {
    /// Save the draft soon.
    pub save: bool,
    /// Redraw.
    pub redraw: Redraw,
    /// Move focus.
    pub focus: Focus,
    /// A record was just submitted: tell the host.
    pub submitted: Option<Record>,
}

impl Out {
    fn none() -> Out {
        Out { save: false, redraw: Redraw::Nothing, focus: Focus::Stay, submitted: None }
    }

    fn all(focus: Focus) -> Out {
        Out { redraw: Redraw::Step, focus, ..Out::none() }
    }
}

/// A blank form for `today`, answered by the host's respondent, else by
/// whoever answered here last, with the goals of the linked `agreement`.
pub fn blank(today: &str, fixed_respondent: Option<&str>, records: &[Record], agreement: Option<&Values>, programme: &Programme) -> Values {
    let last = records.last().map_or("", |r| r.data.get("respondent"));
    let linked = agreement.map(Linked::from).unwrap_or_default();
    fresh(today, fixed_respondent.unwrap_or(last), &linked, records, programme)
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
    /// Indexes into `records` of the newest version of each, newest first.
    order: Vec<usize>,
    /// The insights over those, worked out once per change and day: the
    /// form (its open action points) and the history both use them.
    insights: std::cell::RefCell<Option<(String, std::rc::Rc<Insights>)>>,
}

impl Feedback {
    /// The widget over a restored `draft`.
    pub fn new(mut draft: Draft, programme: Programme, records: Vec<Record>, agreement: Option<Values>, fixed_respondent: Option<String>) -> Feedback {
        draft.extra = Self::extra(&programme);
        if let Some(who) = &fixed_respondent {
            draft.data.set("respondent", who.clone());
        }
        let asking = draft.data.get("respondent").is_empty();
        let mut f = Feedback { draft, programme, records, agreement, fixed_respondent, asking, tab: Tab::Form, checked: false, saved: None, shown: PAGE, all_open: false, unsaved: Vec::new(), order: Vec::new(), insights: Default::default() };
        f.reindex();
        f
    }

    fn reindex(&mut self) {
        self.order = feedback::latest_indexes(&self.records);
        self.insights.take();
    }

    /// How many of `open` open action points of earlier sessions are left
    /// out (the oldest) until the person asks for all of them.
    pub fn older_hidden(&self, open: usize) -> usize {
        if self.all_open { 0 } else { open.saturating_sub(OPEN_SHOWN) }
    }

    /// The insights of the newest version of each record as of `today`.
    pub fn insights(&self, today: &str) -> std::rc::Rc<Insights> {
        if let Some((day, known)) = &*self.insights.borrow() {
            if day == today {
                return known.clone();
            }
        }
        let found = std::rc::Rc::new(crate::model::insights::insights(&self.latest(), self.agreement.as_ref(), today));
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

    /// Applies `msg`; `persist` stores the records.
    pub fn update(&mut self, msg: Msg, persist: Persist) -> Out {
        match msg {
            Msg::Draft(msg) => self.draft_msg(msg),
            Msg::Tab(tab) => {
                self.tab = tab;
                if tab == Tab::Form {
                    self.saved = None;
                }
                Out::all(Focus::Control(if tab == Tab::Form { "tab-form" } else { "tab-history" }.into()))
            }
            Msg::AddAction => match actions().and_then(|g| add_item(&mut self.draft.data, g)) {
                Some(n) => {
                    self.draft.unsaved = true;
                    Out { save: true, ..Out::all(Focus::Control(item_path("action.#.what", n))) }
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
                Out { save: true, ..Out::all(Focus::Control(focus)) }
            }
            Msg::ChangeRespondent if self.fixed_respondent.is_none() => {
                self.asking = true;
                Out::all(Focus::Control("respondent".into()))
            }
            Msg::ChangeRespondent => Out::none(),
            Msg::Fix(path) => {
                self.tab = Tab::Form;
                self.checked = true;
                Out::all(Focus::Control(path))
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
                Out { save: true, ..Out::all(Focus::Heading) }
            }
            Msg::CancelAmend { today } => {
                self.draft.data = self.blank(&today);
                self.draft.unsaved = true;
                self.checked = false;
                Out { save: true, ..Out::all(Focus::Heading) }
            }
            Msg::ShowMore => {
                let from = self.shown;
                self.shown += PAGE;
                Out::all(Focus::Control(["entry-", &from.to_string()].concat()))
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
                Out::all(Focus::Stay)
            }
            Msg::Retry if !self.unsaved.is_empty() => {
                self.store(persist);
                Out { redraw: Redraw::Step, ..Out::none() }
            }
            Msg::Retry => Out::none(),
            Msg::AllOpen { today } => {
                self.all_open = true;
                // Focus goes to the oldest, the first of those now listed.
                let amending = self.amending().map(|r| r.seq);
                let first = self.insights(&today).open.iter().find(|a| Some(a.seq) != amending).map(|a| a.path.clone());
                Out::all(first.map_or(Focus::Stay, Focus::Control))
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
                return Out { save: true, ..Out::all(Focus::Stay) };
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
        self.asking = self.fixed_respondent.is_none() && self.values().get("respondent").is_empty();
        self.checked = false;
        self.tab = Tab::History;
        self.saved = Some(record.clone());
        Out { save: true, redraw: Redraw::Step, focus: Focus::Control("saved".into()), submitted: Some(record) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let out = f.update(Msg::Draft(draft::Msg::Replace(given)), &mut |r| Ok(r.to_vec()));
        assert_eq!((out.save, out.redraw), (true, Redraw::Step));
        assert_eq!(f.values().get("topics"), "Portfolio");
        assert_eq!(f.values().get("private.note"), "mine");
        assert_eq!(f.values().get("made.up"), "");
    }

    fn edit(f: &mut Feedback, path: &str, value: &str) -> Out {
        f.update(Msg::Draft(draft::Msg::Edit { path: path.into(), value: value.into() }), &mut |r| Ok(r.to_vec()))
    }

    fn submit(f: &mut Feedback, id: &str) -> Out {
        f.update(Msg::Submit { at: "2027-03-01T10:00:00Z".into(), id: id.into(), today: "2027-03-02".into() }, &mut |r| Ok(r.to_vec()))
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
        assert_eq!(out.submitted.as_ref().map(|r| (r.seq, r.version)), Some((1, 1)));
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
            f.update(Msg::AddAction, &mut |r| Ok(r.to_vec()));
            edit(&mut f, "action.1.what", &format!("Action {i}"));
            submit(&mut f, &format!("r{i}"));
            assert_eq!(f.insights("2027-03-02").open.len(), i, "the cached insights see submit {i}");
        }
        assert!(!f.all_open);
        let out = f.update(Msg::AllOpen { today: "2027-03-02".into() }, &mut |r| Ok(r.to_vec()));
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
        f.update(Msg::Amend("a".into()), &mut |r| Ok(r.to_vec()));
        assert_eq!((f.tab, f.values().get("rating")), (Tab::Form, "2"));
        edit(&mut f, "rating", "3");
        let out = submit(&mut f, "ignored");
        let r = out.submitted.unwrap();
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
        let out = f.update(Msg::Submit { at: "t".into(), id: "a".into(), today: "2027-03-02".into() }, &mut |_| Err(StoreError::Full));
        assert!(out.submitted.is_some(), "the entry is made, and goes to the programme");
        assert_eq!((f.records.len(), f.unsaved.as_slice()), (1, ["a".to_owned()].as_slice()));
        assert_eq!(f.draft.notice, Some(Notice::Storage(StoreError::Full)));
        assert_eq!(f.update(Msg::Retry, &mut |_| Err(StoreError::Full)).redraw, Redraw::Step);
        assert_eq!(f.unsaved.len(), 1);
        let mut stored = Vec::new();
        f.update(Msg::Retry, &mut |r| {
            stored = r.to_vec();
            Ok(r.to_vec())
        });
        assert_eq!((stored.len(), f.unsaved.len()), (1, 0));
        assert_eq!(f.draft.notice, Some(Notice::SavedAgain));
        assert_eq!(f.update(Msg::Retry, &mut |_| panic!("nothing to store")), Out::none());
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
        let out = f.update(Msg::Stored(vec![theirs]), &mut |r| {
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
        f.update(Msg::AddAction, &mut |r| Ok(r.to_vec()));
        f.update(Msg::AddAction, &mut |r| Ok(r.to_vec()));
        edit(&mut f, "action.1.what", "one");
        edit(&mut f, "action.2.what", "two");
        f.update(Msg::RemoveAction(1), &mut |r| Ok(r.to_vec()));
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
        assert_eq!(f.update(Msg::ChangeRespondent, &mut |r| Ok(r.to_vec())), Out::none());
    }

    #[test]
    fn earlier_action_points_can_be_marked() {
        let mut f = widget();
        assert_ne!(edit(&mut f, "open.1.2", "done"), Out::none());
        assert_eq!(f.values().get("open.1.2"), "done");
    }
}
