//! A form filled in over time and kept as a draft: the state both widgets
//! share, and its `update`.
//!
//! The rules that keep a person's typing safe live here:
//! - the state is only ever built from the result of loading the stored draft,
//!   so nothing can be saved over a draft before it has been restored;
//! - a save is asked for only after the person edits;
//! - a failed save keeps the data in memory and says why;
//! - what another tab saved is merged in field by field: a field only the
//!   other tab changed takes its value, one only this tab changed keeps this
//!   tab's, and one both changed keeps this tab's and says so, with the other
//!   text kept to be used instead.

use crate::model::envelope::Envelope;
use crate::model::form::{clamp, field_at, pattern_of, Field, Step, Values};
use crate::store::StoreError;

/// A draft file larger than this is refused unread: the longest draft the
/// forms allow is a small fraction of it.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// Something the person should be told, above the form.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// Their draft from `saved_at` (ms since the epoch) was restored.
    Restored {
        /// When the draft was saved.
        saved_at: f64,
    },
    /// Storage failed.
    Storage(StoreError),
    /// A draft was opened from the file `.0` (the agreement's).
    #[cfg(any(feature = "agreement", feature = "document"))]
    Imported(String),
    /// A file could not be opened as a draft, for the reason `.0`.
    #[cfg(any(feature = "agreement", feature = "document"))]
    ImportFailed(String),
    /// A file was refused: the field at `.0` holds more than its `.1`
    /// characters.
    #[cfg(any(feature = "agreement", feature = "document"))]
    ImportTooLong(String, usize),
    /// Another tab's changes were merged in.
    Merged,
    /// Saving works again after it failed.
    SavedAgain,
    /// Everything kept on this device for the namespace was erased (here or
    /// in another tab): the widget started afresh.
    Erased,
    /// Another tab changed the same fields: this tab kept its text; the
    /// other tab's is kept here.
    Conflict(Values),
}

/// What the view must do after an update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Nothing.
    None,
    /// Save the draft soon (debounced).
    ScheduleSave,
    /// Redraw the notice area.
    Notice,
    /// The data was replaced as a whole: redraw the form and save soon.
    Replaced,
}

/// An intent.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// The person changed the field at `path`.
    Edit {
        /// The field's path.
        path: String,
        /// Its new value.
        value: String,
    },
    /// A save finished.
    Saved(Result<f64, StoreError>),
    /// The person dismissed the notice.
    DismissNotice,
    /// The host set the data as a whole. Paths the form does not know are
    /// dropped and values are cut to their field's length, as for edits.
    Replace(Values),
    /// Another tab saved this draft as this.
    Stored(Values),
    /// Take the other tab's text for the fields both changed.
    UseTheirs,
}

/// A draft being filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// The data.
    pub data: Values,
    /// Edits not yet saved.
    pub unsaved: bool,
    /// When the draft was last saved, if ever.
    pub saved_at: Option<f64>,
    /// What to tell the person.
    pub notice: Option<Notice>,
    /// Patterns of paths accepted beyond the steps' fields (a programme's
    /// questions, marks on earlier action points), up to 4,000 characters.
    pub extra: Vec<String>,
    /// The draft as stored, as far as this tab knows: what it restored or
    /// last saved, or what another tab saved since.
    pub base: Values,
    steps: &'static [Step],
}

impl Draft {
    /// Builds the state from the result of loading the stored draft; `fresh`
    /// makes a new draft when there is none.
    pub fn restore(
        steps: &'static [Step],
        loaded: Result<Option<Envelope<Values>>, StoreError>,
        fresh: impl FnOnce() -> Values,
    ) -> Draft {
        let (data, base, saved_at, notice) = match loaded {
            Ok(Some(env)) => (env.data.clone(), env.data, Some(env.saved_at), Some(Notice::Restored { saved_at: env.saved_at })),
            Ok(None) => (fresh(), Values::default(), None, None),
            Err(error) => (fresh(), Values::default(), None, Some(Notice::Storage(error))),
        };
        Draft { data, unsaved: false, saved_at, notice, extra: Vec::new(), base, steps }
    }

    /// The field at `path` (`goal.2.what` finds `goal.#.what`), if the form
    /// has one.
    pub fn field(&self, path: &str) -> Option<&'static Field> {
        field_at(self.steps, path).map(|(_, field, _)| field)
    }

    /// Whether other fields are shown or hidden by the field at `path`, so
    /// an edit there redraws the form.
    pub fn steers(&self, path: &str) -> bool {
        self.steps.iter().flat_map(|s| s.groups).flat_map(|g| g.fields).any(|f| f.depends_on(path))
    }

    /// Applies `msg`.
    pub fn update(&mut self, msg: Msg) -> Effect {
        match msg {
            Msg::Edit { path, value } => {
                let Some(max) = self.max_len(&path) else { return Effect::None };
                let value = clamp(value, max);
                if self.data.get(&path) == value {
                    return Effect::None;
                }
                self.data.set(&path, value);
                self.unsaved = true;
                Effect::ScheduleSave
            }
            Msg::Saved(Ok(at)) => {
                self.unsaved = false;
                self.saved_at = Some(at);
                self.base = self.data.clone();
                match self.notice {
                    Some(Notice::Storage(StoreError::Full | StoreError::Unavailable)) => {
                        self.notice = Some(Notice::SavedAgain);
                        Effect::Notice
                    }
                    _ => Effect::None,
                }
            }
            Msg::Stored(theirs) => self.merge(theirs),
            Msg::UseTheirs => {
                let Some(Notice::Conflict(theirs)) = self.notice.take() else { return Effect::None };
                for (path, value) in theirs.iter() {
                    self.data.set(path, value.to_owned());
                }
                self.unsaved = self.data != self.base;
                Effect::Replaced
            }
            Msg::Saved(Err(error)) => {
                let same = self.notice == Some(Notice::Storage(error.clone()));
                self.notice = Some(Notice::Storage(error));
                if same { Effect::None } else { Effect::Notice }
            }
            Msg::DismissNotice => {
                self.notice = None;
                Effect::Notice
            }
            Msg::Replace(values) => {
                let mut data = Values::default();
                for (path, value) in values.iter() {
                    if let Some(max) = self.max_len(path) {
                        data.set(path, clamp(value.to_owned(), max));
                    }
                }
                self.data = data;
                self.unsaved = true;
                Effect::Replaced
            }
        }
    }

    /// Merges what another tab stored, field by field, against what this tab
    /// last knew was stored.
    fn merge(&mut self, theirs: Values) -> Effect {
        if theirs == self.base {
            return Effect::None;
        }
        let mut paths: Vec<&str> = self.data.keys().chain(self.base.keys()).chain(theirs.keys()).collect();
        crate::model::order::sort(&mut paths);
        paths.dedup();
        let mut merged = self.data.clone();
        let mut conflict = Values::default();
        let mut changed = false;
        for path in paths {
            let (mine, base, other) = (self.data.get(path), self.base.get(path), theirs.get(path));
            if mine == other || other == base {
                continue;
            }
            if mine == base {
                merged.set(path, other.to_owned());
                changed = true;
            } else if !other.is_empty() {
                conflict.set(path, other.to_owned());
            }
        }
        self.data = merged;
        self.base = theirs;
        self.unsaved = self.data != self.base;
        if !conflict.is_empty() {
            self.notice = Some(Notice::Conflict(conflict));
        } else if changed && !matches!(self.notice, Some(Notice::Conflict(_))) {
            self.notice = Some(Notice::Merged);
        }
        if changed { Effect::Replaced } else { Effect::Notice }
    }

    /// What of `values` (from a file) this form takes: the paths it knows,
    /// each within its field's length. A value too long refuses the whole
    /// file (its path and the length allowed), so nothing is cut or lost
    /// without the person knowing.
    pub fn admit(&self, values: Values) -> Result<Values, (String, usize)> {
        let mut kept = Values::default();
        for (path, value) in values.iter() {
            let Some(max) = self.max_len(path) else { continue };
            if value.chars().count() > max {
                return Err((path.to_owned(), max));
            }
            kept.set(path, value.to_owned());
        }
        Ok(kept)
    }

    /// The longest value the field at `path` takes, if the form has it.
    fn max_len(&self, path: &str) -> Option<usize> {
        match self.field(path) {
            Some(field) => Some(field.max_len),
            None if self.extra.iter().any(|e| e == path || *e == pattern_of(path)) => Some(4000),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::agreement::STEPS;

    fn edit(path: &str, value: &str) -> Msg {
        Msg::Edit { path: path.into(), value: value.into() }
    }

    fn saved(name: &str, at: f64) -> Envelope<Values> {
        let mut data = Values::default();
        data.set("mentee.name", name.into());
        Envelope { schema: "s".into(), version: 1, saved_at: at, data }
    }

    fn blank() -> Values {
        Values::default()
    }

    #[test]
    fn restoring_shows_a_notice_and_asks_for_no_save() {
        let draft = Draft::restore(STEPS, Ok(Some(saved("Ana", 7.0))), blank);
        assert_eq!(draft.data.get("mentee.name"), "Ana");
        assert_eq!(draft.notice, Some(Notice::Restored { saved_at: 7.0 }));
        assert!(!draft.unsaved, "a restored draft must not be written back before an edit");
    }

    #[test]
    fn fresh_values_apply_only_when_nothing_was_stored() {
        let fresh = || {
            let mut v = Values::default();
            v.set("programme.name", "Harbourlight".into());
            v
        };
        assert_eq!(Draft::restore(STEPS, Ok(None), fresh).data.get("programme.name"), "Harbourlight");
        assert_eq!(Draft::restore(STEPS, Ok(Some(saved("Ana", 1.0))), fresh).data.get("programme.name"), "");
        assert!(!Draft::restore(STEPS, Ok(None), fresh).unsaved);
    }

    #[test]
    fn an_edit_asks_for_a_save_and_an_unchanged_value_does_not() {
        let mut draft = Draft::restore(STEPS, Ok(None), blank);
        assert_eq!(draft.update(edit("mentee.name", "Bo")), Effect::ScheduleSave);
        assert!(draft.unsaved);
        assert_eq!(draft.update(Msg::Saved(Ok(3.0))), Effect::None);
        assert!(!draft.unsaved);
        assert_eq!(draft.update(edit("mentee.name", "Bo")), Effect::None);
    }

    #[test]
    fn unknown_fields_are_ignored_repeated_ones_found_and_long_values_clamped() {
        let mut draft = Draft::restore(STEPS, Ok(None), blank);
        assert_eq!(draft.update(edit("mentee.password", "x")), Effect::None);
        draft.extra.push("q.mood".into());
        assert_eq!(draft.update(edit("q.mood", "calm")), Effect::ScheduleSave, "extra paths are accepted");
        assert_eq!(draft.update(edit("goal.3.what", "Exhibit")), Effect::ScheduleSave);
        draft.update(edit("mentee.name", &"a".repeat(10_000)));
        assert_eq!(draft.data.get("mentee.name").chars().count(), 200);
    }

    #[test]
    fn a_failed_save_keeps_the_data_and_says_why() {
        let mut draft = Draft::restore(STEPS, Ok(None), blank);
        draft.update(edit("mentee.name", "Bo"));
        assert_eq!(draft.update(Msg::Saved(Err(StoreError::Full))), Effect::Notice);
        assert_eq!(draft.notice, Some(Notice::Storage(StoreError::Full)));
        assert!(draft.unsaved);
        assert_eq!(draft.data.get("mentee.name"), "Bo");
        assert_eq!(draft.update(Msg::Saved(Ok(9.0))), Effect::Notice, "the full-storage notice goes once saving works");
        assert_eq!(draft.notice, Some(Notice::SavedAgain));
    }

    fn stored(pairs: &[(&str, &str)]) -> Values {
        pairs.iter().copied().collect()
    }

    #[test]
    fn another_tab_s_edits_are_merged_field_by_field() {
        let mut a = Draft::restore(STEPS, Ok(Some(saved("", 1.0))), blank);
        a.update(edit("mentee.name", "Amara"));
        // Tab B, restored from the same draft, typed the mentor's name and saved.
        let effect = a.update(Msg::Stored(stored(&[("mentor.name", "Jonas")])));
        assert_eq!(effect, Effect::Replaced);
        assert_eq!((a.data.get("mentee.name"), a.data.get("mentor.name")), ("Amara", "Jonas"));
        assert!(a.unsaved, "this tab's edit still has to be saved");
        assert_eq!(a.notice, Some(Notice::Merged));
        assert_eq!(a.update(Msg::Stored(stored(&[("mentor.name", "Jonas")]))), Effect::None, "nothing new");
    }

    #[test]
    fn both_tabs_changing_a_field_keeps_this_tab_s_text_and_the_other_s_too() {
        let mut a = Draft::restore(STEPS, Ok(Some(saved("Ana", 1.0))), blank);
        a.update(edit("mentee.name", "Ana María"));
        a.update(Msg::Stored(stored(&[("mentee.name", "Anna"), ("mentor.name", "Jo")])));
        assert_eq!((a.data.get("mentee.name"), a.data.get("mentor.name")), ("Ana María", "Jo"));
        assert_eq!(a.notice, Some(Notice::Conflict(stored(&[("mentee.name", "Anna")]))));
        assert_eq!(a.update(Msg::UseTheirs), Effect::Replaced);
        assert_eq!(a.data.get("mentee.name"), "Anna");
        assert!(!a.unsaved, "now the same as what is stored");
    }

    #[test]
    fn a_storage_error_at_load_is_a_notice_over_a_fresh_form() {
        let error = StoreError::Unusable { why: crate::store::Unusable::Corrupt, kept_as: Some("k".into()) };
        let draft = Draft::restore(STEPS, Err(error.clone()), blank);
        assert_eq!(draft.notice, Some(Notice::Storage(error)));
        assert_eq!(draft.data, Values::default());
    }
}
