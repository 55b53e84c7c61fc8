//! Keeping what a person typed, whatever the browser and other tabs do.
//!
//! - Every write of the draft, the history and the outbox first reads what is
//!   stored and merges with it (field by field for a draft, by record id and
//!   version for the history, by record for the outbox), so one tab never
//!   writes its copy over another's.
//! - Another tab's writes arrive as `storage` events, and another widget's on
//!   the same page through [`announce`]; both are merged in at once.
//! - A stored value that cannot be used and cannot be moved aside (storage
//!   full) is never written over: the widget writes beside it
//!   ([`store::side_key`]) and offers it for download.
//! - While storage is full, what could not be saved stays in memory, is shown
//!   as not saved yet, can be downloaded, and is saved by itself once there is
//!   room again (a retry every few seconds).
//! - Everything kept under the namespace can be taken as one file or erased
//!   (the second module does both, see [`crate::widgets::device`]); once it
//!   is erased, every widget of the namespace, here or in another tab,
//!   starts afresh and says why: the erasure's marker going tells them.

use super::{finish, Intent, Outgoing, Shell, State};
use crate::dom;
use crate::model::envelope::{self, Opened, ReadData, Schema};
use crate::model::form::Values;
use crate::model::outbox::{self, Entry};
use crate::store::{self, StoreError};
use crate::widgets::device;
use crate::widgets::draft::{self, Notice};
#[cfg(feature = "feedback")]
use crate::model::feedback::{self as fmodel, Record};
#[cfg(feature = "feedback")]
use crate::widgets::feedback as fb;
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::{Rc, Weak};

/// How long to wait before trying storage again while it is full.
const RETRY_MS: u32 = 4_000;

thread_local! {
    /// Every widget of this module on the page, so one that writes can tell
    /// the others that share its namespace (a page's own writes fire no
    /// `storage` event).
    static LIVE: RefCell<Vec<Weak<RefCell<Shell>>>> = const { RefCell::new(Vec::new()) };
    /// This module's name among the page's widget modules, and its ear for
    /// what the others write.
    static MODULE: (String, RefCell<Option<dom::Listener>>) = (dom::module_name(), RefCell::new(None));
}

/// Puts a widget in the page's list.
pub(super) fn register(view: &Rc<RefCell<Shell>>) {
    LIVE.with(|live| {
        let mut live = live.borrow_mut();
        live.retain(|w| w.strong_count() > 0);
        live.push(Rc::downgrade(view));
    });
    // Another module's widget (the agreement for the feedback form) writes
    // keys this one reads.
    MODULE.with(|(me, ear)| {
        if ear.borrow().is_none() {
            let me = me.clone();
            *ear.borrow_mut() = dom::on_stored(move |from, key| {
                if from != me {
                    tell(None, key.to_owned());
                }
            });
        }
    });
}

/// Takes gone widgets off the page's list; with none left, this module stops
/// listening to the others (a page that removed every widget keeps no
/// listener of ours).
pub(super) fn forget_gone() {
    let none_left = LIVE.with(|live| {
        let Ok(mut live) = live.try_borrow_mut() else { return false };
        live.retain(|w| w.strong_count() > 0);
        live.is_empty()
    });
    if none_left {
        MODULE.with(|(_, ear)| {
            if let Ok(mut ear) = ear.try_borrow_mut() {
                *ear = None;
            }
        });
    }
}

/// Tells the page's other widgets that `key` was written, once this one is
/// no longer borrowed.
fn announce(from: &Weak<RefCell<Shell>>, key: String) {
    MODULE.with(|(me, _)| dom::tell_stored(me, &key));
    tell(Some(from), key);
}

/// Has this module's widgets (but `except`) look at `key` again.
fn tell(except: Option<&Weak<RefCell<Shell>>>, key: String) {
    let others: Vec<Rc<RefCell<Shell>>> =
        LIVE.with(|live| live.borrow().iter().filter(|w| except.is_none_or(|e| !w.ptr_eq(e))).filter_map(Weak::upgrade).collect());
    if others.is_empty() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        for other in others {
            Shell::storage_changed(&other, &key);
        }
    });
}

impl Shell {
    /// Where the value of `key` is read and written: beside it while an
    /// unusable value there could not be moved aside.
    pub(super) fn place_of(&self, key: &str) -> String {
        if self.stuck.iter().any(|k| k == key) { store::side_key(key) } else { key.to_owned() }
    }

    /// Loads `key`. An unusable value that has to stay where it is makes the
    /// key stuck: what was written beside it is read instead, and from then on
    /// written there. The error is answered once, when it is found.
    pub(super) fn load_kept<T: crate::model::json::FromJson>(&mut self, key: &str, schema: Schema) -> (Option<envelope::Envelope<T>>, Option<StoreError>) {
        let mut data = None;
        let (opened, error) = self.load_kept_with(key, schema, &mut envelope::keep_in(&mut data));
        (opened.and_then(|opened| opened.holding(data)), error)
    }

    /// [`Shell::load_kept`], with the data read by `read_data`, which keeps
    /// the last it read: that of the envelope answered.
    fn load_kept_with(&mut self, key: &str, schema: Schema, read_data: ReadData) -> (Option<Opened>, Option<StoreError>) {
        if self.stuck.iter().any(|k| k == key) {
            return (store::load_with(&*self.store, &store::side_key(key), schema, dom::now(), read_data).ok().flatten(), None);
        }
        match store::load_with(&*self.store, key, schema, dom::now(), &mut *read_data) {
            Ok(found) => (found, None),
            Err(error) if error.left_in_place() => {
                self.stuck.push(key.to_owned());
                self.schedule_retry();
                (store::load_with(&*self.store, &store::side_key(key), schema, dom::now(), read_data).ok().flatten(), Some(error))
            }
            Err(error) => (None, Some(error)),
        }
    }

    /// Tries again to move a stuck key's value aside (it is read as what it
    /// holds, so a value of the right shape is never mistaken for
    /// unreadable). Once it is moved, what was kept beside it goes back.
    fn unstick<T: crate::model::json::FromJson>(&mut self, key: &str, schema: Schema) {
        self.unstick_with(key, schema, &mut envelope::keep_in(&mut None::<T>));
    }

    fn unstick_with(&mut self, key: &str, schema: Schema, read_data: ReadData) {
        let side = store::side_key(key);
        match store::load_with(&*self.store, key, schema, dom::now(), read_data) {
            Err(error) if error.left_in_place() => {}
            Err(StoreError::Unavailable | StoreError::Full) => {}
            // Moved aside now, or gone: the key is free again.
            Err(StoreError::Unusable { .. }) | Ok(None) => {
                if let Ok(Some(text)) = self.store.get(&side) {
                    if self.store.set(key, &text).is_err() {
                        return;
                    }
                    let _ = self.store.remove(&side);
                }
                self.stuck.retain(|k| k != key);
            }
            // Another tab wrote a usable value there: what is beside it stays.
            Ok(Some(_)) => self.stuck.retain(|k| k != key),
        }
    }

    /// Writes `data` at `key` (or beside it), then tells the page's other
    /// widgets.
    fn write<T: crate::model::json::ToJson>(&mut self, key: &str, schema: Schema, data: &T) -> Result<(), StoreError> {
        let at = self.place_of(key);
        store::save(&*self.store, &at, schema, dom::now(), data)?;
        announce(&self.weak, key.to_owned());
        Ok(())
    }

    /// Saves the draft now if it has unsaved edits, first merging in what
    /// another tab stored since this one last looked.
    pub(super) fn save_now(&mut self, outgoing: &mut Vec<Outgoing>) {
        self.autosave = None;
        if !self.state.as_ref().is_some_and(|s| s.draft().unsaved) {
            return;
        }
        // The agreement makes its pair when it is first saved.
        #[cfg(feature = "agreement")]
        if let Some(State::Agreement(b)) = &mut self.state {
            b.pair(self.delivery.invitation.as_ref().map(|i| i.pair.as_str()), crate::dom::random_id);
        }
        let key = self.key(self.spec.widget, "draft");
        self.merge_stored_draft(&key, outgoing);
        #[cfg(feature = "agreement")]
        if let Some(State::Agreement(b)) = &mut self.state {
            b.mark_signed();
        }
        let Some(state) = &mut self.state else { return };
        let now = dom::now();
        let data = state.draft().data.clone();
        let at = self.place_of(&key);
        let text = envelope::seal(self.spec.schema, now, &data);
        let result = self.store.set(&at, &text).map(|_| now);
        match &result {
            Ok(_) => {
                self.draft_text = Some(text);
                announce(&self.weak, key);
                outgoing.push(("mentorkit-change", crate::model::json::to_js(&self.for_host(&data))));
            }
            Err(error) => {
                outgoing.push(("mentorkit-error", super::error_detail(error, store::Stored::Draft)));
                self.schedule_retry();
            }
        }
        let Some(state) = &mut self.state else { return };
        if state.draft_mut().update(draft::Msg::Saved(result)) == draft::Effect::Notice {
            self.render_notice();
        }
        self.render_status();
        self.render_preview();
    }

    /// Merges the stored draft into this one when another tab changed it.
    fn merge_stored_draft(&mut self, key: &str, outgoing: &mut Vec<Outgoing>) {
        let at = self.place_of(key);
        let Ok(Some(text)) = self.store.get(&at) else { return };
        if self.draft_text.as_deref() == Some(text.as_str()) {
            return;
        }
        self.draft_text = Some(text.clone());
        let Ok(env) = envelope::open::<Values>(self.spec.schema, &text) else { return };
        if self.state.as_ref().is_some_and(|s| s.draft().base == env.data) {
            return;
        }
        self.apply_draft_msg(draft::Msg::Stored(env.data), outgoing);
    }

    /// Hands a draft message to whichever widget this is and redraws.
    fn apply_draft_msg(&mut self, msg: draft::Msg, outgoing: &mut Vec<Outgoing>) {
        self.update(Intent::Draft(msg), outgoing);
    }

    /// Stores the feedback records merged with what is stored, and answers
    /// the merged list. Endpoint-only widgets keep no records here.
    #[cfg(feature = "feedback")]
    pub(super) fn persist_records(&mut self, records: &[Record]) -> Result<Vec<Record>, StoreError> {
        if self.mode() == super::delivery::Mode::Endpoint {
            return Ok(records.to_vec());
        }
        let key = self.records_key();
        let stored = match self.load_kept::<Vec<Record>>(&key, envelope::FEEDBACK_RECORDS) {
            (Some(found), _) => found.data,
            (None, Some(error @ (StoreError::Unavailable | StoreError::Full))) => return Err(error),
            // An unusable history was set aside, or stays and is written
            // beside: reported when it was found.
            (None, _) => Vec::new(),
        };
        let merged = if stored.is_empty() { records.to_vec() } else { fmodel::merge(records, &stored) };
        match self.write(&key, envelope::FEEDBACK_RECORDS, &merged) {
            Ok(()) => Ok(merged),
            Err(error) => {
                self.schedule_retry();
                Err(error)
            }
        }
    }

    /// The outbox: what is stored merged with what this tab holds (including
    /// entries storage could not take). A damaged one is set aside (and
    /// reported), never overwritten.
    pub(crate) fn read_outbox(&mut self, outgoing: &mut Vec<Outgoing>) -> Vec<Entry> {
        let key = self.outbox_key();
        let stored = match self.load_kept::<Vec<Entry>>(&key, envelope::OUTBOX) {
            (found, None | Some(StoreError::Unavailable)) => found.map(|e| e.data).unwrap_or_default(),
            (found, Some(error)) => {
                if !matches!(error, StoreError::Full) {
                    outgoing.push(("mentorkit-error", super::error_detail(&error, store::Stored::Outbox)));
                }
                found.map(|e| e.data).unwrap_or_default()
            }
        };
        outbox::merge(&self.delivery.outbox, &stored)
    }

    /// Writes the outbox; what storage cannot take stays in memory and is
    /// written by the retry.
    pub(crate) fn write_outbox(&mut self, outbox: Vec<Entry>, outgoing: &mut Vec<Outgoing>) {
        let key = self.outbox_key();
        match self.write(&key, envelope::OUTBOX, &outbox) {
            Ok(()) => self.delivery.unstored = false,
            Err(error) => {
                if !self.delivery.unstored {
                    outgoing.push(("mentorkit-error", super::error_detail(&error, store::Stored::Outbox)));
                }
                self.delivery.unstored = true;
                self.schedule_retry();
            }
        }
        self.delivery.outbox = outbox;
    }

    /// Tries storage again in a few seconds.
    pub(super) fn schedule_retry(&mut self) {
        if self.retry.is_some() {
            return;
        }
        let weak = self.weak.clone();
        self.retry = Some(Timeout::new(RETRY_MS, move || {
            if let Some(this) = weak.upgrade() {
                Shell::retry_storage(&this);
            }
        }));
    }

    /// Whether anything waits for storage: unsaved edits or records, an
    /// outbox not stored, a value that could not be moved aside, or the
    /// notice that storage is full.
    fn waiting_for_storage(&self) -> bool {
        let draft = self.state.as_ref().map(|s| s.draft());
        let failed = draft.is_some_and(|d| matches!(d.notice, Some(draft::Notice::Storage(StoreError::Full))));
        #[cfg(feature = "feedback")]
        let records = matches!(&self.state, Some(State::Feedback(f)) if !f.unsaved.is_empty());
        #[cfg(not(feature = "feedback"))]
        let records = false;
        failed || records || self.delivery.unstored || !self.stuck.is_empty()
    }

    /// Saves whatever storage could not take, now that there may be room.
    pub(super) fn retry_storage(this: &Rc<RefCell<Shell>>) {
        let mut outgoing = Vec::new();
        {
            let Ok(mut v) = this.try_borrow_mut() else { return };
            v.retry = None;
            let (draft, records, outbox) = (v.key(v.spec.widget, "draft"), v.records_key(), v.outbox_key());
            for key in v.stuck.clone() {
                if key == draft {
                    let schema = v.spec.schema;
                    v.unstick::<Values>(&key, schema);
                } else if key == records {
                    #[cfg(feature = "feedback")]
                    v.unstick::<Vec<Record>>(&key, envelope::FEEDBACK_RECORDS);
                } else if key == outbox {
                    v.unstick::<Vec<Entry>>(&key, envelope::OUTBOX);
                }
            }
            let unsaved = v.state.as_ref().is_some_and(|s| s.draft().unsaved);
            if unsaved {
                v.save_now(&mut outgoing);
            } else if v.state.as_ref().is_some_and(|s| matches!(s.draft().notice, Some(draft::Notice::Storage(StoreError::Full)))) && v.probe() {
                // Full when the page opened, with nothing to save: room again.
                v.apply_draft_msg(draft::Msg::Saved(Ok(dom::now())), &mut outgoing);
            }
            #[cfg(feature = "feedback")]
            if matches!(&v.state, Some(State::Feedback(f)) if !f.unsaved.is_empty()) {
                v.update(Intent::Feedback(fb::Msg::Retry), &mut outgoing);
            }
            if v.delivery.unstored {
                let outbox = v.delivery.outbox.clone();
                v.write_outbox(outbox, &mut outgoing);
            }
            if v.waiting_for_storage() {
                v.schedule_retry();
            }
        }
        finish(this, outgoing);
    }

    /// Whether storage takes a small write now.
    fn probe(&self) -> bool {
        let key = self.key(self.spec.widget, "probe");
        let ok = self.store.set(&key, "1").is_ok();
        let _ = self.store.remove(&key);
        ok
    }

    /// Another tab (a `storage` event) or another widget of this page wrote
    /// `key`: merge what it wrote.
    pub(crate) fn storage_changed(this: &Rc<RefCell<Shell>>, key: &str) {
        let mut outgoing = Vec::new();
        {
            let Ok(mut v) = this.try_borrow_mut() else {
                // Busy: look again once it is not.
                let (weak, key) = (Rc::downgrade(this), key.to_owned());
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(this) = weak.upgrade() {
                        Shell::storage_changed(&this, &key);
                    }
                });
                return;
            };
            if v.state.is_none() {
                return;
            }
            let draft = v.key(v.spec.widget, "draft");
            let records = v.records_key();
            let outbox = v.outbox_key();
            let side = |k: &str| store::side_key(k) == key;
            if key == v.key("device", device::ERASING) {
                // Gone: the erasure that wrote it is over.
                if matches!(v.store.get(key), Ok(None)) {
                    v.erased(&mut outgoing);
                }
            } else if key == draft || side(&draft) {
                v.merge_stored_draft(&draft, &mut outgoing);
            } else if v.spec.kind == super::Kind::Feedback && (key == records || side(&records)) {
                #[cfg(feature = "feedback")]
                if let (Some(env), _) = v.load_kept::<Vec<Record>>(&records, envelope::FEEDBACK_RECORDS) {
                    v.update(Intent::Feedback(fb::Msg::Stored(env.data)), &mut outgoing);
                }
            } else if v.spec.kind == super::Kind::Feedback && v.agreement.is_none() && key == v.key("agreement", "draft") {
                #[cfg(feature = "feedback")]
                {
                    let linked = v.linked_agreement();
                    v.update(Intent::Feedback(fb::Msg::Linked(linked)), &mut outgoing);
                }
            } else if key == outbox || side(&outbox) {
                let merged = v.read_outbox(&mut outgoing);
                if merged != v.delivery.outbox {
                    v.delivery.outbox = merged;
                    v.render_delivery();
                }
            }
        }
        finish(this, outgoing);
    }

    /// Offers what could not be saved as a file: the agreement's draft file,
    /// or the feedback's full history.
    pub(super) fn download_copy(&mut self) {
        let name = if self.spec.kind == super::Kind::Agreement { "mentoring-agreement-draft.json" } else { "mentoring-history-full.json" };
        let copy = self.export_text("json", true).ok().map(|t| (name, t));
        if let Some((name, text)) = copy {
            self.later.push(super::Later::Download { name: name.into(), mime: "application/json", text });
        }
    }

    /// Offers the unusable value left in place at `key` as a file, as it is.
    pub(super) fn download_left(&mut self, key: &str) {
        if !self.stuck.iter().any(|k| k == key) {
            return;
        }
        if let Ok(Some(text)) = self.store.get(key) {
            let name = ["mentorkit-", &key.replace(':', "-"), ".json"].concat();
            self.later.push(super::Later::Download { name, mime: "application/json", text });
        }
    }
}

impl Shell {
    /// Reads everything this widget keeps again and draws it, saying
    /// `notice` if given.
    pub(super) fn reload(&mut self, notice: Option<Notice>, outgoing: &mut Vec<Outgoing>) {
        let mut state = self.load(None, outgoing);
        if notice.is_some() {
            state.draft_mut().notice = notice;
        }
        self.state = Some(state);
        self.render();
        self.report_notice(outgoing);
    }

    /// Everything kept under the namespace was erased: nothing of it is
    /// held here any more, and the widget starts afresh, saying so (with
    /// focus on that, if focus was in the widget: on the button that erased).
    fn erased(&mut self, outgoing: &mut Vec<Outgoing>) {
        let focused = dom::has_focus(&self.root);
        self.stuck.clear();
        self.draft_text = None;
        // What was waiting to be sent goes too: it is never sent.
        self.delivery.outbox.clear();
        self.reload(Some(Notice::Erased), outgoing);
        if focused && !self.quiet {
            self.later.push(super::Later::Focus(self.regions.notice.clone(), None));
        }
    }
}
