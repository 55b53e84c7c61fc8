//! What the person does, as messages: typing and ticking, buttons (their
//! typed [`Action`]), submitting the form, arrow keys on the tabs, opening a
//! preview or a history entry, choosing a draft file; and what the page and
//! other tabs do: hiding the page, going online, writing to storage.
//!
//! The listeners belong to the shell and are dropped with it.

#[cfg(feature = "agreement")]
use super::Kind;
use super::{act, dispatch, flush, Intent, Shell};
use crate::dom;
#[cfg(feature = "agreement")]
use crate::model::{envelope, form::Values};
use crate::model::form::MULTI_SEPARATOR;
use crate::widgets::action::Action;
#[cfg(feature = "feedback")]
use crate::widgets::action::Tab;
use crate::widgets::draft;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
#[cfg(feature = "feedback")]
use wasm_bindgen::JsValue;
use web_sys::{Event, ShadowRoot};

#[cfg(feature = "agreement")]
use crate::widgets::agreement::Msg as AgreementMsg;

/// Every listener a shell needs, on its root, the document and the window.
pub(super) fn listen(root: &ShadowRoot, weak: &Weak<RefCell<Shell>>) -> Vec<dom::Listener> {
    let on = |event: &'static str, handler: fn(&Rc<RefCell<Shell>>, &Event)| {
        let weak = weak.clone();
        dom::on_root(root, event, move |e| {
            if let Some(this) = weak.upgrade() {
                handler(&this, e);
            }
        })
    };
    let weak_hide = weak.clone();
    let weak_online = weak.clone();
    let weak_storage = weak.clone();
    vec![
        on("toggle", on_toggle),
        on("input", on_input),
        on("change", on_change),
        on("click", on_click),
        on("submit", |this, e| {
            dom::prevent_default(e);
            Shell::submit(this);
        }),
        #[cfg(feature = "feedback")]
        on("keydown", on_keydown),
        dom::on_document("visibilitychange", move |_| {
            if let (Some(this), true) = (weak_hide.upgrade(), dom::hidden()) {
                flush(&this);
                super::flush_outbox(&this, true);
            }
        }),
        // Back online: what waited for the network goes now.
        dom::on_window("online", move |_| {
            if let Some(this) = weak_online.upgrade() {
                if let Ok(mut s) = this.try_borrow_mut() {
                    s.delivery.catch_up = true;
                }
                super::flush_outbox(&this, false);
            }
        }),
        // Another tab or window of this origin wrote to storage.
        dom::on_window("storage", move |e| {
            let Some(this) = weak_storage.upgrade() else { return };
            match dom::storage_key(e) {
                Some(key) if key.starts_with("mentorkit:") => Shell::storage_changed(&this, &key),
                // Storage cleared: nothing to merge, but there may be room now.
                None => Shell::retry_storage(&this),
                _ => {}
            }
        }),
    ]
}

/// A preview or a history entry was opened or closed.
fn on_toggle(this: &Rc<RefCell<Shell>>, event: &Event) {
    let Some((record, open)) = dom::toggled(event) else { return };
    match record {
        Some(id) => {
            if let Ok(s) = this.try_borrow() {
                s.fill_entry(&id);
            }
        }
        #[cfg(feature = "agreement")]
        None => dispatch(this, Intent::Agreement(AgreementMsg::Preview(open))),
        #[cfg(not(feature = "agreement"))]
        None => {
            let _ = open;
        }
    }
}

fn on_input(this: &Rc<RefCell<Shell>>, event: &Event) {
    let Some((path, value, checkbox)) = dom::edited(event) else { return };
    if path.starts_with("sign.") || path == "import" {
        return;
    }
    let Ok((kind, root)) = this.try_borrow().map(|s| (s.spec.kind, s.root.clone())) else { return };
    let intent = match path.strip_prefix("clause.") {
        #[cfg(feature = "agreement")]
        Some(id) if kind == Kind::Agreement => Intent::Agreement(AgreementMsg::Clause { id: id.to_owned(), on: checkbox == Some(true) }),
        Some(_) => return,
        // A set of checkboxes: its value is every ticked option.
        None if checkbox.is_some() => Intent::Draft(draft::Msg::Edit { value: dom::ticked(&root, &path, MULTI_SEPARATOR), path }),
        None => Intent::Draft(draft::Msg::Edit { path, value }),
    };
    let _ = kind;
    dispatch(this, intent);
}

/// A draft file was chosen: read, checked, and opened on the review step.
fn on_change(this: &Rc<RefCell<Shell>>, event: &Event) {
    let Some(file) = dom::chosen_file(event, "import") else { return };
    #[cfg(feature = "agreement")]
    {
        let weak = Rc::downgrade(this);
        let Ok((schema, programme, locale)) = this.try_borrow().map(|s| (s.spec.schema, s.programme.clone(), s.locale)) else { return };
        let t = move |key| programme.text(locale, key).to_owned();
        wasm_bindgen_futures::spawn_local(async move {
            use crate::i18n::Key;
            let name = dom::file_name(&file);
            // Far larger than any draft: refused before it is read.
            let data = if dom::file_size(&file) > draft::MAX_FILE_BYTES as f64 {
                Err(t(Key::ImportTooBig))
            } else {
                dom::read_file(&file).await.map_err(|_| t(Key::ImportDamaged)).and_then(|text| {
                    envelope::open::<Values>(schema, &text).map(|e| e.data).map_err(|e| match e {
                        envelope::EnvelopeError::Newer { .. } => t(Key::ImportNewer),
                        envelope::EnvelopeError::Foreign(_) => t(Key::ImportForeign),
                        envelope::EnvelopeError::Corrupt(_) => t(Key::ImportDamaged),
                    })
                })
            };
            if let Some(this) = weak.upgrade() {
                dispatch(&this, Intent::Agreement(AgreementMsg::Import { file: name, data }));
            }
        });
    }
    #[cfg(not(feature = "agreement"))]
    let _ = (this, file);
}

fn on_click(this: &Rc<RefCell<Shell>>, event: &Event) {
    if let Some(action) = dom::action_of(event).and_then(|a| Action::decode(&a)) {
        act(this, action);
    }
}

/// Arrow keys, Home and End move between the tabs.
#[cfg(feature = "feedback")]
fn on_keydown(this: &Rc<RefCell<Shell>>, event: &Event) {
    let Some((key, on_tab)) = dom::key_on_tab(event) else { return };
    // With two tabs, either arrow moves to the other one, in either direction of writing.
    let next = match key.as_str() {
        "Home" => Tab::Form,
        "End" => Tab::History,
        "ArrowRight" | "ArrowLeft" => {
            if on_tab == "mk-tab-form" { Tab::History } else { Tab::Form }
        }
        _ => return,
    };
    dom::prevent_default(event);
    act(this, Action::Tab(next));
}

/// The detail of `mentorkit-submit` for a feedback record: its envelope,
/// with what the programme may read of it.
#[cfg(feature = "feedback")]
pub(super) fn record_detail(record: &crate::model::feedback::Record, programme: &crate::model::config::Programme) -> JsValue {
    use crate::model::envelope::FEEDBACK_RECORD;
    use crate::model::feedback::{self as fmodel, Record};
    let sent = Record { data: fmodel::for_reader(&record.data, programme, crate::model::form::Reader::Programme), ..record.clone() };
    let detail = js_sys::Object::new();
    dom::set_property(&detail, "schema", &FEEDBACK_RECORD.name.into());
    dom::set_property(&detail, "version", &FEEDBACK_RECORD.version.into());
    dom::set_property(&detail, "record", &crate::model::json::to_js(&sent));
    detail.into()
}
