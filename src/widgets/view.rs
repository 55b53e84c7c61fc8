//! Draws a widget's state into its shadow root and turns what the person does
//! into messages. One view serves both widgets; [`Spec`] says which.
//!
//! The view owns everything it sets up (listeners, the autosave timer, a print
//! frame's listener), so dropping it removes them all. Unsaved edits are
//! written when the page is hidden and before the element is freed.

use super::agreement::{Builder, Focus, Msg, Out, Redraw};
use super::draft::{self, Draft, Notice};
use super::feedback::{self as fb, Feedback, Tab};
use crate::api;
use crate::dom::{self, H};
use crate::i18n::{self, Key, Locale};
use crate::model::agreement::{self as model, signers, STEPS as AGREEMENT_STEPS};
use crate::model::config::{self, ConfigError, Programme};
use crate::model::envelope::{self, Schema};
use crate::model::feedback::{self as fmodel, Record};
use crate::model::form::{item_path, shown, Field, FieldKind, Group, Reader, Step, Values, MULTI_SEPARATOR};
use crate::model::json;
use crate::model::signing::{self, Signature};
use crate::model::validate::{validate, Problem};
use crate::render::{self, doc::Block};
use crate::store::{self, LocalStore, MemoryStore, Store, StoreError};
use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement, ShadowRoot};

mod delivery_view;
mod feedback_view;
mod keeping;

use delivery_view::{flush_outbox, Delivery};

const STYLE: &str = include_str!("style.css");
const AUTOSAVE_MS: u32 = 400;

/// Which widget a view draws.
pub(crate) struct Spec {
    /// Storage name, e.g. `agreement`.
    pub widget: &'static str,
    /// Heading.
    pub title: Key,
    /// The steps.
    pub steps: &'static [Step],
    /// Schema of the stored draft.
    pub schema: Schema,
    /// Whether this is the agreement builder.
    pub agreement: bool,
    /// What a programme configuration is checked against.
    pub config: &'static config::Schema,
}

enum State {
    Agreement(Builder),
    Feedback(Feedback),
}

impl State {
    fn draft(&self) -> &Draft {
        match self {
            State::Agreement(b) => &b.draft,
            State::Feedback(f) => &f.draft,
        }
    }

    fn draft_mut(&mut self) -> &mut Draft {
        match self {
            State::Agreement(b) => &mut b.draft,
            State::Feedback(f) => &mut f.draft,
        }
    }
}

/// A message for whichever widget the view draws.
enum Intent {
    Agreement(Msg),
    Feedback(fb::Msg),
}

impl From<Msg> for Intent {
    fn from(msg: Msg) -> Intent {
        Intent::Agreement(msg)
    }
}

impl From<fb::Msg> for Intent {
    fn from(msg: fb::Msg) -> Intent {
        Intent::Feedback(msg)
    }
}

/// A widget on the page.
pub(crate) struct View {
    spec: &'static Spec,
    host: HtmlElement,
    root: ShadowRoot,
    locale: Locale,
    /// The checked namespace every storage key is made from.
    namespace: String,
    store: Box<dyn Store>,
    store_error: Option<StoreError>,
    records_error: Option<StoreError>,
    agreement: Option<Values>,
    programme: Programme,
    state: Option<State>,
    config_error: Option<ConfigError>,
    notice: Option<Element>,
    status: Option<Element>,
    autosave: Option<Timeout>,
    printing: Option<EventListener>,
    preview_open: bool,
    /// A host's call is being handled: focus is not moved.
    quiet: bool,
    /// The shared stylesheet is adopted by the shadow root, so drawing adds
    /// no `<style>`.
    styled: bool,
    listeners: Vec<EventListener>,
    /// Sending records to the programme.
    delivery: Delivery,
    /// What can run the page's own code (moving focus, clicking, downloads),
    /// done once the view is no longer borrowed.
    later: Vec<Later>,
    /// Keys holding an unusable value that could not be moved aside: nothing
    /// is written there (see `keeping`).
    stuck: Vec<String>,
    /// Trying storage again while it is full.
    retry: Option<Timeout>,
    /// The stored draft's text as last read or written here, so an unchanged
    /// one is not read again.
    draft_text: Option<String>,
    /// Why the outbox in storage could not be used, if it could not.
    outbox_error: Option<StoreError>,
    /// What `value` answers while the view is busy (a host listener called
    /// during one of the view's own calls into the page).
    snapshot: Rc<RefCell<JsValue>>,
    weak: Weak<RefCell<View>>,
}

/// Something the view does once it is no longer borrowed, because the page's
/// own code runs during it.
pub(crate) enum Later {
    /// Move focus here, and put a text field's selection back.
    Focus(Element, Option<(u32, u32)>),
    /// Click this (after the current event: the file chooser).
    Click(HtmlElement),
    /// Offer a file.
    Download {
        /// Its name.
        name: String,
        /// Its media type.
        mime: &'static str,
        /// Its text.
        text: String,
    },
}

/// Whether a control offers options, and how many may be chosen.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Choices {
    None,
    One,
    Many,
}

/// What [`View::control`] draws.
struct Control<'a> {
    path: &'a str,
    label: &'a str,
    help: Option<&'a str>,
    kind: FieldKind,
    choices: Choices,
    options: Vec<(&'a str, &'a str)>,
    max_len: usize,
    required: bool,
    locked: bool,
    autocomplete: Option<&'static str>,
    value: &'a str,
}

/// An event for the host, fired once the view is no longer borrowed.
type Outgoing = (&'static str, JsValue);

impl View {
    /// Mounts the widget in `root`, the open shadow root of `host`.
    /// `programme` is the configuration the host set before the widget
    /// started, if any.
    pub fn mount(spec: &'static Spec, host: HtmlElement, root: ShadowRoot, programme: JsValue) -> (Rc<RefCell<View>>, Rc<RefCell<JsValue>>) {
        let mut outgoing = Vec::new();
        // The host's configuration is read before anything is borrowed.
        let programme = (!programme.is_undefined() && !programme.is_null()).then(|| programme_from_js(spec, programme));
        let (store, store_error, full): (Box<dyn Store>, _, _) = match LocalStore::open() {
            Ok((local, full)) => (Box::new(local), None, full),
            Err(error) => (Box::new(MemoryStore::default()), Some(error), false),
        };
        let snapshot = Rc::new(RefCell::new(JsValue::NULL));
        let namespace = host.get_attribute("namespace").unwrap_or_default();
        let namespace = checked_namespace(&namespace, &mut outgoing);
        let locale = locale_of(&host);
        let view = Rc::new_cyclic(|weak| {
            RefCell::new(View {
                spec,
                host,
                root,
                locale,
                namespace,
                store,
                store_error,
                records_error: None,
                agreement: None,
                programme: Programme::default(),
                state: None,
                config_error: None,
                notice: None,
                status: None,
                autosave: None,
                printing: None,
                preview_open: false,
                quiet: false,
                styled: false,
                listeners: Vec::new(),
                delivery: Delivery::default(),
                later: Vec::new(),
                stuck: Vec::new(),
                retry: None,
                draft_text: None,
                outbox_error: None,
                snapshot: snapshot.clone(),
                weak: weak.clone(),
            })
        });
        keeping::register(&view);
        {
            let mut v = view.borrow_mut();
            v.styled = adopt_style(&v.root);
            v.listen();
            let url = v.host.get_attribute("config").filter(|u| !u.trim().is_empty());
            if let Some(programme) = programme {
                v.configure(programme, &mut outgoing);
            } else if let Some(url) = url {
                v.render();
                v.fetch_config(url);
            } else {
                v.configure(Ok(Programme::default()), &mut outgoing);
            }
            if full {
                // Storage was full before anything was typed: said at once,
                // and saving starts by itself once there is room.
                v.storage_full_at_open(&mut outgoing);
            }
            v.check_endpoint(&mut outgoing);
        }
        fire_all(&view, outgoing);
        // Whatever an earlier visit left in the outbox goes now.
        flush_outbox(&view, false);
        (view, snapshot)
    }

    /// Says that storage is full and keeps trying it.
    fn storage_full_at_open(&mut self, outgoing: &mut Vec<Outgoing>) {
        if let Some(state) = &mut self.state {
            state.draft_mut().notice = Some(Notice::Storage(StoreError::Full));
        }
        outgoing.push(("mentorkit-error", error_detail(&StoreError::Full, store::Stored::Draft)));
        self.schedule_retry();
        self.render_notice();
    }

    /// Fetches the programme configuration at `url`, then applies it.
    fn fetch_config(&self, url: String) {
        let weak = self.weak.clone();
        let schema = self.spec.config;
        wasm_bindgen_futures::spawn_local(async move {
            let result = dom::fetch_text(&url).await;
            let Some(this) = weak.upgrade() else { return };
            let parsed = result
                .map_err(|reason| ConfigError { key: "config".into(), reason: [&url, ": ", &reason].concat() })
                .and_then(|text| Programme::from_json(&text, schema));
            View::set_programme_parsed(&this, Some(parsed), Vec::new());
        });
    }

    /// Applies a programme configuration, or shows why it cannot be used.
    fn configure(&mut self, programme: Result<Programme, ConfigError>, outgoing: &mut Vec<Outgoing>) {
        let programme = match programme {
            Ok(programme) => programme,
            Err(error) => {
                outgoing.push(("mentorkit-error", detail("config-invalid", &error.to_string())));
                self.config_error = Some(error);
                self.render();
                return;
            }
        };
        self.config_error = None;
        self.programme = programme;
        // Untouched drafts start again with the programme's defaults.
        let kept = self.state.take().map(|s| s.draft().clone()).filter(|d| d.saved_at.is_some() || d.unsaved);
        self.state = Some(self.load(kept, outgoing));
        self.render();
        self.report_notice(outgoing);
    }

    /// The widget's state over `kept`, or over the stored draft.
    fn load(&mut self, kept: Option<Draft>, outgoing: &mut Vec<Outgoing>) -> State {
        self.delivery.outbox = self.read_outbox(outgoing);
        let draft_key = self.key(self.spec.widget, "draft");
        let loaded = match (&self.store_error, &kept) {
            (_, Some(_)) => Ok(None),
            (Some(error), None) => Err(error.clone()),
            (None, None) => match self.load_kept::<Values>(&draft_key, self.spec.schema) {
                (_, Some(error)) => Err(error),
                (found, None) => Ok(found),
            },
        };
        // A draft left in place beside which this one was kept: that is the
        // one to go on with, the notice says why.
        let beside = match &loaded {
            Err(error) if error.left_in_place() => self.load_kept::<Values>(&draft_key, self.spec.schema).0,
            _ => None,
        };
        let loaded = move || match (loaded, beside) {
            (Err(error), Some(env)) => (Ok(Some(env)), Some(error)),
            (loaded, _) => (loaded, None),
        };
        let restore = |steps, loaded: (store::Result<Option<envelope::Envelope<Values>>>, Option<StoreError>), fresh: &dyn Fn() -> Values| {
            let (loaded, left) = loaded;
            let mut draft = Draft::restore(steps, loaded, fresh);
            if let Some(error) = left {
                draft.notice = Some(Notice::Storage(error));
            }
            draft
        };
        if self.spec.agreement {
            let (programme, locale) = (&self.programme, self.locale);
            let draft = kept.unwrap_or_else(|| restore(self.spec.steps, loaded(), &|| model::fresh(programme, &dom::today(), locale)));
            return State::Agreement(Builder::new(draft, self.programme.clone()));
        }
        let records_key = self.records_key();
        let records = match self.store_error.clone() {
            Some(_) => Vec::new(),
            None => match self.load_kept::<Vec<Record>>(&records_key, envelope::FEEDBACK_RECORDS) {
                (found, None) => {
                    self.records_error = None;
                    found.map(|e| e.data).unwrap_or_default()
                }
                (found, Some(error)) => {
                    outgoing.push(("mentorkit-error", error_detail(&error, store::Stored::History)));
                    self.records_error = Some(error);
                    found.map(|e| e.data).unwrap_or_default()
                }
            },
        };
        let agreement = self.linked_agreement();
        let fixed = self.host.get_attribute("respondent").filter(|r| matches!(r.as_str(), "mentee" | "mentor"));
        let draft = kept.unwrap_or_else(|| {
            let blank = || fb::blank(&dom::today(), fixed.as_deref(), &records, agreement.as_ref(), &self.programme);
            restore(self.spec.steps, loaded(), &blank)
        });
        State::Feedback(Feedback::new(draft, self.programme.clone(), records, agreement, fixed))
    }

    /// Where the feedback records are kept: beside the draft.
    fn records_key(&self) -> String {
        self.key("feedback", "records")
    }

    /// The storage key of `name` for `widget` in this widget's namespace.
    fn key(&self, widget: &str, name: &str) -> String {
        store::key(&self.namespace, widget, name)
    }

    /// The agreement saved under the same namespace, read without moving
    /// anything aside (the agreement widget looks after its own data).
    fn linked_agreement(&self) -> Option<Values> {
        if let Some(given) = &self.agreement {
            return Some(given.clone());
        }
        let key = self.key("agreement", "draft");
        let text = self.store.get(&key).ok().flatten()?;
        envelope::open::<Values>(envelope::AGREEMENT_DRAFT, &text).ok().map(|e| e.data)
    }

    /// Sets the programme configuration from a JS value. `null` means none
    /// (the `config` attribute, or the defaults, apply); `undefined`, which a
    /// framework sets for a property it was not given, is the same and is
    /// reported, so a host that meant to give one finds out.
    pub fn set_programme(this: &Rc<RefCell<View>>, spec: &'static Spec, value: JsValue) {
        let mut outgoing = Vec::new();
        // Read before anything is borrowed: reading runs the host's getters.
        let parsed = if value.is_undefined() || value.is_null() {
            if value.is_undefined() {
                outgoing.push(("mentorkit-error", detail("config-invalid", "the programme property was set to undefined; the config attribute, or the defaults, apply until it is set to an object")));
            }
            None
        } else {
            Some(programme_from_js(spec, value))
        };
        View::set_programme_parsed(this, parsed, outgoing);
    }

    fn set_programme_parsed(this: &Rc<RefCell<View>>, parsed: Option<Result<Programme, ConfigError>>, mut outgoing: Vec<Outgoing>) {
        {
            let Ok(mut v) = this.try_borrow_mut() else { return later(this, move |this| View::set_programme_parsed(this, parsed, outgoing)) };
            v.configure_from(parsed, &mut outgoing);
        }
        fire_all(this, outgoing);
    }

    /// Applies a programme given by the host, or, with none, the `config`
    /// attribute's (fetched again) or the defaults.
    fn configure_from(&mut self, parsed: Option<Result<Programme, ConfigError>>, outgoing: &mut Vec<Outgoing>) {
        match parsed {
            Some(programme) => self.configure(programme, outgoing),
            None => match self.host.get_attribute("config").filter(|u| !u.trim().is_empty()) {
                Some(url) => self.fetch_config(url),
                None => self.configure(Ok(Programme::default()), outgoing),
            },
        }
    }

    /// Links the feedback widget to an agreement the host gives (its data, a
    /// flat object from field path to text) instead of the one saved here.
    pub fn set_agreement(this: &Rc<RefCell<View>>, value: JsValue) {
        let mut outgoing = Vec::new();
        // Read before anything is borrowed.
        let agreement = if value.is_undefined() || value.is_null() {
            if value.is_undefined() {
                outgoing.push(("mentorkit-error", detail("agreement-invalid", "the agreement property was set to undefined; the agreement saved under the same namespace is used until it is set to an object")));
            }
            None
        } else {
            match json::from_js::<Values>(&value) {
                Ok(values) => Some(values),
                Err(e) => {
                    let message = ["the agreement property must be a flat object of texts: ", &e.0].concat();
                    outgoing.push(("mentorkit-error", detail("agreement-invalid", &message)));
                    None
                }
            }
        };
        View::link_agreement(this, agreement, outgoing);
    }

    fn link_agreement(this: &Rc<RefCell<View>>, agreement: Option<Values>, mut outgoing: Vec<Outgoing>) {
        {
            let Ok(mut v) = this.try_borrow_mut() else { return later(this, move |this| View::link_agreement(this, agreement, outgoing)) };
            if v.spec.agreement {
                return;
            }
            v.agreement = agreement;
            if v.state.is_some() {
                let kept = v.state.take().map(|s| s.draft().clone()).filter(|d| d.saved_at.is_some() || d.unsaved);
                let state = v.load(kept, &mut outgoing);
                v.state = Some(state);
                v.render();
            }
        }
        fire_all(this, outgoing);
    }

    /// Reacts to a change of one of the host's observed attributes.
    pub fn attribute_changed(this: &Rc<RefCell<View>>, name: &str) {
        let mut outgoing = Vec::new();
        {
            let Ok(mut v) = this.try_borrow_mut() else {
                let name = name.to_owned();
                return later(this, move |this| View::attribute_changed(this, &name));
            };
            match name {
                "locale" => {
                    v.locale = locale_of(&v.host);
                    v.render();
                }
                // A `programme` property takes precedence over the attribute.
                "config" if !has_programme(&v.host) => {
                    if let Some(url) = v.host.get_attribute("config").filter(|u| !u.trim().is_empty()) {
                        v.fetch_config(url);
                    }
                }
                "endpoint" | "storage" | "credentials" => {
                    v.render_delivery();
                    v.check_endpoint(&mut outgoing);
                    v.delivery.pending = true;
                }
                "namespace" | "respondent" => {
                    v.save_now(&mut outgoing);
                    let namespace = v.host.get_attribute("namespace").unwrap_or_default();
                    let namespace = checked_namespace(&namespace, &mut outgoing);
                    if (namespace != v.namespace || name == "respondent") && v.state.is_some() {
                        v.namespace = namespace;
                        let state = v.load(None, &mut outgoing);
                        v.state = Some(state);
                        v.render();
                        v.report_notice(&mut outgoing);
                    }
                }
                _ => {}
            }
        }
        fire_and_send(this, outgoing);
    }

    /// The current data, as a plain JS object.
    pub fn value(&self) -> JsValue {
        self.state.as_ref().map_or(JsValue::NULL, |s| json::to_js(&self.for_host(&s.draft().data)))
    }

    /// Replaces the current data with `value`, a flat object from field path
    /// to text, as the host's `value` setter does. What is not such an object
    /// (`null`, `undefined`, a number) changes nothing and throws a
    /// `MentorkitError` with the code `value-invalid`.
    pub fn set_value(this: &Rc<RefCell<View>>, value: JsValue) -> Result<(), JsValue> {
        let what = if value.is_null() { Some("null") } else if value.is_undefined() { Some("undefined") } else { None };
        if let Some(what) = what {
            return Err(api::error("value-invalid", &["value must be a flat object of texts, not ", what, "; nothing was changed"].concat()));
        }
        let values: Values = json::from_js(&value).map_err(|e| api::error("value-invalid", &["value must be a flat object of texts: ", &e.0, "; nothing was changed"].concat()))?;
        quietly(this, Msg::Draft(draft::Msg::Replace(values)));
        Ok(())
    }

    /// `{valid, problems: [{path, step, code, label, message}]}` for the
    /// current data, without showing anything.
    pub fn validate(&self) -> JsValue {
        let problems = match self.values() {
            Some(values) if self.spec.agreement => validate(values, &self.programme),
            Some(values) => fmodel::validate(values, &self.programme),
            None => Vec::new(),
        };
        api::problems_js(&problems, self.spec.steps, &self.programme, self.locale)
    }

    /// What the widget's own submit button does: the agreement checks the
    /// step and goes on; the feedback form checks and saves the entry.
    pub fn submit(this: &Rc<RefCell<View>>) {
        let Ok(agreement) = this.try_borrow().map(|v| v.spec.agreement) else { return later(this, View::submit) };
        if agreement {
            dispatch(this, Msg::Next);
        } else {
            dispatch(this, fb::Msg::Submit { at: dom::now_iso(), id: dom::random_id(), today: dom::today() });
        }
    }

    /// Starts again with a fresh form, without asking (the host asked).
    pub fn reset(this: &Rc<RefCell<View>>) {
        let Ok(v) = this.try_borrow() else { return later(this, View::reset) };
        let intent = v.start_afresh();
        drop(v);
        quietly(this, intent);
    }

    /// The intent that replaces the form with a fresh one.
    fn start_afresh(&self) -> Intent {
        if self.spec.agreement {
            Msg::Reset(model::fresh(&self.programme, &dom::today(), self.locale)).into()
        } else {
            fb::Msg::CancelAmend { today: dom::today() }.into()
        }
    }

    /// The current data (agreement) or history (feedback) as text in
    /// `format`; `full` picks the feedback's full copy.
    pub fn export_text(&self, format: &str, full: bool) -> Result<String, JsValue> {
        let exported = match self.values() {
            Some(values) if self.spec.agreement => api::agreement_text(values, &self.programme, self.locale, format),
            _ => self.history_exported(format, full),
        };
        let formats = if self.spec.agreement { "md, html, txt, ics or json" } else { "csv, json, md, html or txt" };
        exported
            .map(|(_, _, text)| text)
            .ok_or_else(|| api::error("format-unknown", &["export(format): \"", format, "\" is not a format of this widget; use ", formats].concat()))
    }

    /// What the host may see of `values`: never the private note.
    fn for_host(&self, values: &Values) -> Values {
        if self.spec.agreement { values.clone() } else { fmodel::for_reader(values, &self.programme, Reader::Programme) }
    }

    /// A message in the widget's language, or the programme's wording for it.
    fn t(&self, key: Key) -> &str {
        self.programme.text(self.locale, key)
    }

    fn values(&self) -> Option<&Values> {
        self.state.as_ref().map(|s| &s.draft().data)
    }

    fn listen(&mut self) {
        let on = |root: &ShadowRoot, weak: &Weak<RefCell<View>>, event: &'static str, handler: fn(&Rc<RefCell<View>>, &web_sys::Event)| {
            let weak = weak.clone();
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(root, event, options, move |e| {
                if let Some(this) = weak.upgrade() {
                    handler(&this, e);
                }
            })
        };
        let weak = self.weak.clone();
        let on_hide = EventListener::new(&dom::document(), "visibilitychange", move |_| {
            if let (Some(this), true) = (weak.upgrade(), dom::document().hidden()) {
                flush(&this);
                flush_outbox(&this, true);
            }
        });
        let weak = self.weak.clone();
        let window = web_sys::window().expect_throw("a window");
        let on_online = EventListener::new(&window, "online", move |_| {
            if let Some(this) = weak.upgrade() {
                flush_outbox(&this, false);
            }
        });
        // Another tab or window of this origin wrote to storage.
        let weak = self.weak.clone();
        let on_storage = EventListener::new(&window, "storage", move |e| {
            let Some(this) = weak.upgrade() else { return };
            let key = js_sys::Reflect::get(e, &"key".into()).ok().and_then(|k| k.as_string());
            match key {
                Some(key) if key.starts_with("mentorkit:") => View::storage_changed(&this, &key),
                // Storage cleared: nothing to merge, but there may be room now.
                None => View::retry_storage(&this),
                _ => {}
            }
        });
        let weak = self.weak.clone();
        let on_toggle = EventListener::new_with_options(&self.root, "toggle", EventListenerOptions::run_in_capture_phase(), move |e| {
            let Some(this) = weak.upgrade() else { return };
            let Some(details) = dom::target::<web_sys::HtmlDetailsElement>(e) else { return };
            let Ok(mut v) = this.try_borrow_mut() else { return };
            if let Some(id) = details.get_attribute("data-record") {
                v.fill_entry(&details, &id);
                return;
            }
            v.preview_open = details.open();
            v.render_preview();
        });
        self.listeners = vec![
            on_toggle,
            on(&self.root, &self.weak, "input", on_input),
            on(&self.root, &self.weak, "change", on_change),
            on(&self.root, &self.weak, "click", on_click),
            on(&self.root, &self.weak, "submit", |this, e| {
                e.prevent_default();
                View::submit(this);
            }),
            on(&self.root, &self.weak, "keydown", feedback_view::on_keydown),
            on_hide,
            on_online,
            on_storage,
        ];
    }

    fn render(&mut self) {
        // A redraw replaces every control: the one with focus gets it back,
        // with its selection, unless the update moves focus elsewhere.
        let focused = dom::focused(&self.root);
        self.draw();
        if let Some((name, selection)) = focused {
            let selector = ["[name=\"", &name, "\"],[data-focus=\"", &name, "\"]"].concat();
            if let Ok(Some(el)) = self.root.query_selector(&selector) {
                self.later.insert(0, Later::Focus(el, selection));
            }
        }
    }

    fn draw(&mut self) {
        let locale = self.locale;
        let base = H::new("section")
            .class("mk")
            .attr("part", "base")
            .attr("lang", locale.tag())
            .attr("dir", if locale.is_rtl() { "rtl" } else { "ltr" })
            .attr("aria-labelledby", "mk-title");
        let mut header = H::new("header").add(H::new("h2").attr("id", "mk-title").attr("part", "title").text(self.t(self.spec.title)));
        let notice = H::new("div").class("notice").attr("part", "notice").attr("role", "status").attr("data-focus", "notice").attr("tabindex", "-1").done();
        let status = H::new("p").class("status").attr("part", "status").done();
        let delivery = self.delivery_area();
        let base = if let Some(error) = &self.config_error {
            let text = i18n::fill(self.t(Key::ConfigProblem), &[("detail", &error.to_string())]);
            base.add(header).add(H::new("p").class("error").attr("role", "alert").attr("part", "error").text(&text))
        } else if let Some(state) = &self.state {
            let mut base = base;
            if let State::Agreement(b) = state {
                let visible = b.visible();
                let at = visible.iter().position(|&i| i == b.step).unwrap_or(0) + 1;
                let progress = i18n::fill(self.t(Key::StepOf), &[("n", &at.to_string()), ("total", &visible.len().to_string())]);
                header = header.add(H::new("p").class("progress").attr("part", "progress").text(&progress));
                base = base.add(header).add(self.steps_nav(b, &visible));
            } else if let State::Feedback(f) = state {
                base = base.add(header).add(self.tabs(f));
            }
            // Delivery near the top, where the confirmation of a submit is read.
            base = base.node(&notice).node(&delivery).add(match state {
                State::Feedback(f) => self.panel(f),
                State::Agreement(_) => self.form(state),
            });
            base = base.node(&status);
            if let State::Agreement(b) = state {
                base = base.add(self.footer(b));
            }
            base
        } else {
            base.add(header)
        };
        if self.styled {
            self.root.replace_children_with_node_1(&base.done());
        } else {
            let style = dom::document().create_element("style").expect_throw("a style element");
            style.set_text_content(Some(STYLE));
            self.root.replace_children_with_node_2(&style, &base.done());
        }
        self.notice = Some(notice);
        self.status = Some(status);
        self.delivery.area = Some(delivery);
        self.render_delivery();
        self.render_notice();
        self.render_status();
        self.render_problems();
        self.render_preview();
    }

    fn steps_nav(&self, b: &Builder, visible: &[usize]) -> H {
        let mut list = H::new("ol");
        for (n, &i) in visible.iter().enumerate() {
            let label = [&(n + 1).to_string(), ". ", self.t(AGREEMENT_STEPS[i].title)].concat();
            let button = H::new("button")
                .attr("type", "button")
                .attr("part", "step")
                .attr("data-action", &["goto:", &i.to_string()].concat())
                .text(&label);
            let button = if i == b.step { button.attr("aria-current", "step") } else { button };
            list = list.add(H::new("li").add(button));
        }
        H::new("nav").class("steps").attr("aria-label", self.t(Key::Steps)).add(list)
    }

    fn form(&self, state: &State) -> H {
        let (step, values) = match state {
            State::Agreement(b) => (&AGREEMENT_STEPS[b.step], b.values()),
            State::Feedback(f) => return self.feedback_form(f),
        };
        let mut form = H::new("form")
            .attr("novalidate", "")
            .attr("part", "form")
            .attr("aria-labelledby", "mk-step")
            .add(H::new("h3").attr("id", "mk-step").attr("tabindex", "-1").attr("part", "step-title").text(self.t(step.title)))
            .add_some(step.intro.map(|k| H::new("p").class("intro").text(self.t(k))))
            .add(H::new("div").class("summary").attr("part", "error-summary").attr("hidden", ""));
        for group in step.groups {
            form = self.group(form, group, values);
        }
        if let State::Agreement(b) = state {
            match step.id {
                "clauses" => form = self.clauses(form, b),
                "review" => form = self.review(form, b),
                _ => {}
            }
            if step.id != "review" {
                let details = H::new("details").class("preview").attr("part", "preview").flag("open", self.preview_open);
                form = form.add(details.add(H::new("summary").text(self.t(Key::Preview))).add(H::new("article").class("doc").attr("part", "document").attr("aria-label", self.t(Key::Preview))));
            }
            let visible = b.visible();
            let mut nav = H::new("div").class("nav");
            if visible.first() != Some(&b.step) {
                nav = nav.add(self.button("back", Key::Back));
            }
            if visible.last() != Some(&b.step) {
                nav = nav.add(H::new("button").attr("type", "submit").attr("part", "button primary").class("primary").text(self.t(Key::Next)));
            }
            form = form.add(nav);
        }
        form
    }

    fn button(&self, action: &str, label: Key) -> H {
        H::new("button").attr("type", "button").attr("part", "button").attr("data-action", action).text(self.t(label))
    }

    /// A row of buttons, each `(action, label)`.
    fn buttons(&self, list: &[(&str, Key)]) -> H {
        list.iter().fold(H::new("div").class("buttons"), |row, (action, label)| row.add(self.button(action, *label)))
    }

    fn group(&self, form: H, group: &Group, values: &Values) -> H {
        let Some(repeat) = group.repeat else {
            let fields: Vec<_> = group.fields.iter().filter(|f| shown(f, values) && self.programme.shows(f.path)).collect();
            if fields.is_empty() {
                return form;
            }
            let mut set = match group.legend {
                Some(legend) => H::new("fieldset").attr("part", "group").add(H::new("legend").attr("part", "legend").text(self.t(legend))),
                None => H::new("div").class("group"),
            };
            for field in fields {
                set = set.add(self.field(field, field.path, values));
            }
            return form.add(set);
        };
        let fields: Vec<_> = group.fields.iter().filter(|f| shown(f, values) && self.programme.shows(f.path)).collect();
        if fields.is_empty() {
            return form;
        }
        let count = values.count(&repeat);
        let mut form = form;
        for n in 1..=count {
            let legend = match repeat.title {
                Some(title) => values.get(&item_path(title, n)).to_owned(),
                None => i18n::fill(self.t(repeat.item), &[("n", &n.to_string())]),
            };
            let mut set = H::new("fieldset").attr("part", "group").add(H::new("legend").attr("part", "legend").text(&legend));
            for field in &fields {
                set = set.add(self.field(field, &item_path(field.path, n), values));
            }
            if count > repeat.min && !repeat.fixed {
                let label = i18n::fill(self.t(repeat.remove), &[("n", &n.to_string())]);
                set = set.add(
                    H::new("button")
                        .attr("type", "button")
                        .attr("part", "button")
                        .class("quiet")
                        .attr("data-action", &["remove:", repeat.count, ":", &n.to_string()].concat())
                        .text(&label),
                );
            }
            form = form.add(set);
        }
        if count < repeat.max && !repeat.fixed {
            let action = ["add:", repeat.count].concat();
            form = form.add(self.button(&action, repeat.add).attr("name", &action));
        }
        form
    }

    fn field(&self, field: &Field, path: &str, values: &Values) -> H {
        let locked = self.spec.agreement && self.programme.is_locked(path);
        let options = |options: &[(&'static str, Key)]| options.iter().map(|(o, k)| (*o, self.t(*k))).collect::<Vec<_>>();
        let (kind, choices) = match field.kind {
            FieldKind::Choice(o) => (Choices::One, options(o)),
            FieldKind::Multi(o) => (Choices::Many, options(o)),
            _ => (Choices::None, Vec::new()),
        };
        self.control(&Control {
            path,
            label: self.programme.field_label(self.locale, field),
            help: if locked { Some(self.t(Key::Locked)) } else { field.help.map(|k| self.t(k)) },
            kind: field.kind,
            choices: kind,
            options: choices,
            max_len: field.max_len,
            required: field.required || self.programme.required.iter().any(|p| p == path || p == field.path),
            locked,
            autocomplete: field.autocomplete,
            value: values.get(path),
        })
    }

    /// Draws one control with its label, help and error slot.
    fn control(&self, c: &Control) -> H {
        let id = ["mk-", c.path].concat();
        let help_id = [&id, "-help"].concat();
        let error_id = [&id, "-error"].concat();
        let described = match c.help {
            Some(_) => [&help_id, " ", &error_id].concat(),
            None => error_id.clone(),
        };
        let label_text = |label: H| {
            let label = label.text(c.label);
            if c.required { label.add(H::new("span").class("req").text(&[" ", self.t(Key::RequiredMark)].concat())) } else { label }
        };
        let help = c.help.map(|text| H::new("p").class("help").attr("id", &help_id).attr("part", "help").text(text));
        let error = H::new("p").class("error").attr("id", &error_id).attr("part", "error").attr("data-error-for", c.path).attr("hidden", "");
        if c.choices != Choices::None {
            let many = c.choices == Choices::Many;
            let scale = !many && c.options.len() == 5 && c.options[0].0 == "1";
            let set = H::new("fieldset")
                .class(if scale { "choice scale" } else { "choice" })
                .attr("part", "choice")
                .attr("id", &id)
                .attr("aria-describedby", &described)
                .add(label_text(H::new("legend").attr("part", "label")))
                .add_some(help);
            let mut options = H::new("div").class("options");
            for (option, option_label) in &c.options {
                let checked = if many { c.value.split(MULTI_SEPARATOR).any(|v| v == *option) } else { c.value == *option };
                let input = H::new("input")
                    .attr("type", if many { "checkbox" } else { "radio" })
                    .attr("name", c.path)
                    .attr("value", option)
                    .attr("part", if many { "checkbox" } else { "radio" })
                    .flag("checked", checked)
                    .flag("disabled", c.locked);
                options = options.add(H::new("label").class("option").add(input).add(H::new("span").text(option_label)));
            }
            return set.add(options).add(error);
        }
        let control = match c.kind {
            FieldKind::LongText => H::new("textarea").attr("rows", "4"),
            FieldKind::Date => H::new("input").attr("type", "date"),
            FieldKind::Time => H::new("input").attr("type", "time"),
            FieldKind::Number { .. } => H::new("input").attr("type", "text").attr("inputmode", "numeric"),
            FieldKind::Contact => H::new("input").attr("type", "text").attr("spellcheck", "false").attr("autocapitalize", "off"),
            _ => H::new("input").attr("type", "text"),
        }
        .attr("id", &id)
        .attr("name", c.path)
        .attr("part", "field")
        .attr("maxlength", &c.max_len.to_string())
        .attr("aria-describedby", &described)
        .flag("readonly", c.locked)
        .flag("aria-required", c.required);
        let control = match c.autocomplete {
            Some(token) => control.attr("autocomplete", token),
            None => control,
        };
        let control = if c.kind == FieldKind::LongText { control.text(c.value) } else { control.attr("value", c.value) };
        H::new("div")
            .class("row")
            .add(label_text(H::new("label").attr("for", &id).attr("part", "label")))
            .add_some(help)
            .add(control)
            .add(error)
    }

    fn clauses(&self, mut form: H, b: &Builder) -> H {
        for clause in &b.programme.clauses {
            let path = ["clause.", &clause.id].concat();
            let id = ["mk-", &path].concat();
            let check = H::new("input")
                .attr("type", "checkbox")
                .attr("id", &id)
                .attr("name", &path)
                .attr("part", "checkbox")
                .attr("aria-describedby", &[&id, "-error"].concat())
                .flag("checked", b.values().get(&path) == "yes")
                .flag("aria-required", clause.required);
            let label = if clause.required { Key::AcceptClause } else { Key::IncludeClause };
            form = form.add(
                H::new("fieldset")
                    .attr("part", "group")
                    .add(H::new("legend").attr("part", "legend").text(&clause.title))
                    .add(H::new("p").class("clause").text(&clause.text))
                    .add(H::new("label").class("option").add(check).add(H::new("span").text(self.t(label))))
                    .add(H::new("p").class("error").attr("id", &[&id, "-error"].concat()).attr("part", "error").attr("data-error-for", &path).attr("hidden", "")),
            );
        }
        form
    }

    fn review(&self, form: H, b: &Builder) -> H {
        let values = b.values();
        let locale = self.locale.tag();
        let article = self.document(H::new("article").class("doc").attr("part", "document").attr("aria-label", self.t(Key::Preview)).attr("tabindex", "0"), values);
        let problems = validate(values, &self.programme);
        let fingerprint = signing::fingerprint(values);
        let mut sigs = H::new("section").class("sigs").attr("aria-labelledby", "mk-sigs").add(H::new("h4").attr("id", "mk-sigs").text(self.t(Key::Signatures)));
        for (party, label) in signers(values) {
            let legend = i18n::fill(self.t(Key::SignAs), &[("party", self.t(label))]);
            let mut set = H::new("fieldset").attr("part", "group").add(H::new("legend").attr("part", "legend").text(&legend));
            let state = signing::signature(values, party, &fingerprint);
            let done = ["sign.", party, ".done"].concat();
            let line = match &state {
                Signature::Missing => H::new("p").text(self.t(Key::NotSigned)),
                Signature::Valid { name, at } => H::new("p")
                    .class("signed")
                    .text(&i18n::fill(self.t(Key::SignedBy), &[("name", name), ("date", &dom::format_date(locale, at))])),
                Signature::Void { name, at } => H::new("p").class("void").add(H::new("strong").text(self.t(Key::ChangedAfterSigning))).text(": ").text(
                    &i18n::fill(self.t(Key::SignedThenChanged), &[("name", name), ("date", &dom::format_date(locale, at))]),
                ),
            };
            set = set.add(line.attr("data-focus", &done).attr("tabindex", "-1"));
            if !matches!(state, Signature::Valid { .. }) && problems.is_empty() {
                let typed = ["sign.", party, ".typed"].concat();
                let confirm = ["sign.", party, ".confirm"].concat();
                let refused = b.sign_error.as_ref().filter(|r| r.party == party);
                let error = refused.map(|r| {
                    let name = values.get(&[party, ".name"].concat());
                    H::new("p").class("error").attr("id", &["mk-", &typed, "-error"].concat()).attr("part", "error").text(&i18n::fill(self.t(r.reason), &[("name", name)]))
                });
                let input = H::new("input")
                    .attr("type", "text")
                    .attr("id", &["mk-", &typed].concat())
                    .attr("name", &typed)
                    .attr("part", "field")
                    .attr("autocomplete", "off")
                    .attr("aria-describedby", &["mk-", &typed, "-error"].concat());
                let input = if error.is_some() { input.attr("aria-invalid", "true") } else { input };
                let input = input.attr("value", refused.map_or("", |r| r.typed.as_str()));
                let ticked = refused.is_some_and(|r| r.confirmed);
                set = set
                    .add(H::new("div").class("row").add(H::new("label").attr("for", &["mk-", &typed].concat()).attr("part", "label").text(self.t(Key::TypeFullName))).add(input))
                    .add(H::new("label").class("option").add(H::new("input").attr("type", "checkbox").attr("name", &confirm).attr("part", "checkbox").flag("checked", ticked)).add(H::new("span").text(self.t(Key::ConfirmAgree))))
                    .add_some(error)
                    .add(self.button(&["sign:", party].concat(), Key::Sign).class("primary"));
            }
            sigs = sigs.add(set);
        }
        if signing::fully_signed(values) {
            sigs = sigs.add(H::new("p").class("done").attr("role", "status").text(self.t(Key::FullySigned)));
        }
        let exports = H::new("section")
            .class("exports")
            .attr("aria-labelledby", "mk-copy")
            .add(H::new("h4").attr("id", "mk-copy").text(self.t(Key::KeepACopy)))
            .add(self.buttons(&[
                ("export:md", Key::ExportMarkdown),
                ("export:html", Key::ExportHtml),
                ("export:txt", Key::ExportText),
                ("export:ics", Key::ExportIcs),
                ("print", Key::Print),
            ]))
            .add(H::new("h4").attr("id", "mk-share").text(self.t(Key::ShareDraft)))
            .add(H::new("p").class("help").text(self.t(Key::ShareDraftHelp)))
            .add(
                self.buttons(&[("export:json", Key::SaveDraftFile), ("open-file", Key::OpenDraftFile)])
                    .add(H::new("input").attr("type", "file").attr("name", "import").attr("accept", ".json,application/json").attr("hidden", "").attr("tabindex", "-1")),
            );
        form.add(article).add(sigs).add(exports)
    }

    /// Appends the agreement, as a document, to `article`.
    fn document(&self, mut article: H, values: &Values) -> H {
        let locale = self.locale.tag();
        for block in &render::agreement(values, &self.programme, self.locale, &|d| dom::format_date(locale, d)) {
            article = article.add(block_node(block));
        }
        article
    }

    /// Redraws the live preview under a step, when it is open.
    fn render_preview(&self) {
        let (Some(values), true) = (self.values(), self.preview_open) else { return };
        let Ok(Some(article)) = self.root.query_selector("details.preview article") else { return };
        self.document(H::new("article"), values).fill(&article);
    }

    fn footer(&self, b: &Builder) -> H {
        let mut footer = H::new("footer").class("foot");
        if b.confirm_reset {
            footer = footer.add(
                H::new("div")
                    .class("confirm")
                    .attr("role", "group")
                    .attr("aria-labelledby", "mk-reset-q")
                    .add(H::new("p").attr("id", "mk-reset-q").text(self.t(Key::StartOverConfirm)))
                    .add(self.button("reset-yes", Key::StartOverYes).attr("name", "reset.yes"))
                    .add(self.button("reset-no", Key::StartOverNo).attr("name", "reset.no")),
            );
        } else {
            footer = footer.add(self.button("reset", Key::StartOver).class("quiet").attr("name", "reset"));
        }
        footer
    }

    fn render_notice(&self) {
        let (Some(area), Some(state)) = (&self.notice, &self.state) else { return };
        dom::clear(area);
        let Some(notice) = &state.draft().notice else {
            let _ = area.set_attribute("hidden", "");
            return;
        };
        let _ = area.remove_attribute("hidden");
        let mut actions: Vec<(String, Key)> = Vec::new();
        let (kind, text) = match notice {
            Notice::Restored { saved_at } => {
                let date = dom::format_date(self.locale.tag(), &dom::iso(*saved_at));
                ("info", i18n::fill(self.t(Key::DraftRestored), &[("date", &date)]))
            }
            Notice::Imported(file) => ("info", i18n::fill(self.t(Key::Imported), &[("file", file)])),
            Notice::ImportFailed(reason) => ("warning", i18n::fill(self.t(Key::ImportFailed), &[("reason", reason)])),
            Notice::Storage(error) => {
                if matches!(error, StoreError::Full | StoreError::Unavailable) {
                    actions.push(("download-copy".into(), Key::DownloadCopy));
                }
                if error.left_in_place() {
                    actions.push((["download-left:", &self.key(self.spec.widget, "draft")].concat(), Key::DownloadLeftAlone));
                }
                ("warning", storage_message(error, store::Stored::Draft, &self.programme, self.locale))
            }
            Notice::SavedAgain => ("info", self.t(Key::SavedAgain).to_owned()),
            Notice::ImportTooLong(path, max) => {
                let p = crate::model::validate::Problem { path: path.clone(), step: "", message: Key::Required, args: vec![] };
                let field = crate::model::validate::label(&p, self.spec.steps, &self.programme, self.locale);
                ("warning", i18n::fill(self.t(Key::ImportTooLong), &[("field", &field), ("max", &max.to_string())]))
            }
            Notice::Merged => ("info", self.t(Key::OtherTabMerged).to_owned()),
            Notice::Conflict(theirs) => {
                let steps = self.spec.steps;
                let labels: Vec<String> = theirs
                    .keys()
                    .map(|path| {
                        let p = crate::model::validate::Problem { path: path.to_owned(), step: "", message: Key::Required, args: vec![] };
                        crate::model::validate::label(&p, steps, &self.programme, self.locale)
                    })
                    .collect();
                actions.push(("use-theirs".into(), Key::UseOtherTab));
                actions.push(("dismiss".into(), Key::KeepThisTab));
                ("warning", i18n::fill(self.t(Key::OtherTabConflict), &[("fields", &labels.join(", "))]))
            }
        };
        if !matches!(notice, Notice::Conflict(_)) {
            actions.push(("dismiss".into(), Key::Dismiss));
        }
        let _ = area.set_attribute("data-kind", kind);
        let content = H::new("div").add(H::new("p").text(&text));
        let row = actions.iter().fold(H::new("div").class("buttons"), |row, (action, label)| row.add(self.button(action, *label)));
        content.add(row).fill(area);
    }

    fn render_status(&self) {
        let (Some(status), Some(state)) = (&self.status, &self.state) else { return };
        let d = state.draft();
        let saved = d.saved_at.is_some() && !d.unsaved;
        status.set_text_content(Some(if saved { self.t(Key::DraftSaved) } else { "" }));
    }

    /// Shows the problems on display next to their fields and in the summary.
    fn render_problems(&self) {
        let (problems, review) = match &self.state {
            Some(State::Agreement(b)) => (b.shown_problems(), b.step_id() == "review"),
            Some(State::Feedback(f)) if f.tab == Tab::Form => (f.shown_problems(), false),
            _ => return,
        };
        // What was shown is cleared, then each problem shown: the work grows
        // with the problems, not with the size of the form.
        for slot in dom::all(&self.root, "[data-error-for]:not([hidden])") {
            slot.set_text_content(None);
            let _ = slot.set_attribute("hidden", "");
            let path = slot.get_attribute("data-error-for").unwrap_or_default();
            for control in dom::all(&self.root, &["[name=\"", &path, "\"]"].concat()) {
                let _ = control.remove_attribute("aria-invalid");
            }
        }
        for p in &problems {
            if let Ok(Some(slot)) = self.root.query_selector(&["[data-error-for=\"", &p.path, "\"]"].concat()) {
                slot.set_text_content(Some(&self.message(p)));
                let _ = slot.remove_attribute("hidden");
                for control in dom::all(&self.root, &["[name=\"", &p.path, "\"]"].concat()) {
                    let _ = control.set_attribute("aria-invalid", "true");
                }
            }
        }
        let Ok(Some(summary)) = self.root.query_selector(".summary") else { return };
        dom::clear(&summary);
        if problems.is_empty() {
            let _ = summary.set_attribute("hidden", "");
            if review {
                let _ = summary.remove_attribute("hidden");
                let _ = summary.append_child(&H::new("p").text(self.t(Key::NoProblems)).done());
            }
            return;
        }
        let _ = summary.remove_attribute("hidden");
        let title = if review {
            i18n::fill(self.t(Key::ProblemsCount), &[("n", &problems.len().to_string())])
        } else {
            self.t(Key::ProblemsTitle).to_owned()
        };
        let mut list = H::new("ul");
        for p in &problems {
            let text = [&self.problem_label(p), ": ", &self.message(p)].concat();
            list = list.add(H::new("li").add(H::new("button").attr("type", "button").class("link").attr("data-action", &["fix:", &p.path].concat()).text(&text)));
        }
        let _ = summary.append_child(&H::new("p").class("summary-title").text(&title).done());
        let _ = summary.append_child(&list.done());
    }

    fn message(&self, p: &Problem) -> String {
        let tag = self.locale.tag();
        crate::model::validate::message(p, &self.programme, self.locale, &|d| dom::format_date(tag, d))
    }

    fn problem_label(&self, p: &Problem) -> String {
        crate::model::validate::label(p, self.spec.steps, &self.programme, self.locale)
    }

    fn focus(&mut self, focus: &Focus) {
        if self.quiet {
            return;
        }
        let selector = match focus {
            Focus::Stay => return,
            Focus::Heading => "#mk-step".to_owned(),
            // In a radio group the chosen option takes focus, as arrow keys expect.
            Focus::Control(name) => ["[name=\"", name, "\"]:checked,[name=\"", name, "\"]:not([disabled]),[data-focus=\"", name, "\"]"].concat(),
        };
        let checked = match focus {
            Focus::Control(name) => self.root.query_selector(&["[name=\"", name, "\"]:checked:not([disabled])"].concat()).ok().flatten(),
            _ => None,
        };
        if let Some(el) = checked.or_else(|| self.root.query_selector(&selector).ok().flatten()) {
            // Focus listeners are the page's code: they run once the view is free.
            self.later.push(Later::Focus(el, None));
        }
    }

    fn apply(&mut self, out: Out, outgoing: &mut Vec<Outgoing>) {
        self.after_update(out.save, out.redraw, &out.focus);
        if out.submit {
            self.number_agreement();
            self.save_now(outgoing);
            self.keep_signed(outgoing);
            if let Some(payload) = self.values().map(|v| {
                let version = v.get("meta.version").parse().unwrap_or(1);
                crate::model::delivery::Payload::from_agreement(v, v.get("meta.id"), version, v.get("meta.created"), &dom::now_iso())
            }) {
                self.enqueue(payload, outgoing);
            }
        }
    }

    fn apply_feedback(&mut self, out: fb::Out, outgoing: &mut Vec<Outgoing>) {
        self.after_update(out.save, out.redraw, &out.focus);
        if let Some(record) = out.submitted {
            self.save_now(outgoing);
            self.enqueue(crate::model::delivery::Payload::from_record(&record, &self.programme), outgoing);
            outgoing.push(("mentorkit-submit", feedback_view::record_detail(&record, &self.programme)));
        }
    }

    /// Schedules the save, redraws and moves focus as an update asked.
    fn after_update(&mut self, save: bool, redraw: Redraw, focus: &Focus) {
        if save {
            let weak = self.weak.clone();
            self.autosave = Some(Timeout::new(AUTOSAVE_MS, move || {
                if let Some(this) = weak.upgrade() {
                    flush(&this);
                }
            }));
        }
        match redraw {
            Redraw::Nothing => self.render_status(),
            Redraw::Notice => self.render_notice(),
            Redraw::Problems => {
                self.render_status();
                self.render_problems();
            }
            Redraw::Step => self.render(),
        }
        self.focus(focus);
    }

    /// Gives a newly signed agreement its record id (kept across versions)
    /// and its version number, in the draft's bookkeeping fields.
    fn number_agreement(&mut self) {
        let Some(state) = &mut self.state else { return };
        let draft = state.draft_mut();
        // An id, a time or a version that a file brought and a record
        // cannot carry is made afresh rather than refused.
        let id = draft.data.get("meta.id");
        let usable = (1..=100).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !crate::model::delivery::is_timestamp(draft.data.get("meta.created")) && usable {
            draft.data.set("meta.created", dom::now_iso());
        }
        if !usable || draft.data.get("meta.version").parse::<u32>().is_err() {
            draft.data.set("meta.id", dom::random_id());
            draft.data.set("meta.created", dom::now_iso());
            draft.data.set("meta.version", "1".into());
        } else {
            let next = draft.data.get("meta.version").parse::<u32>().unwrap_or(0).saturating_add(1);
            draft.data.set("meta.version", next.to_string());
        }
        draft.unsaved = true;
    }

    fn keep_signed(&mut self, outgoing: &mut Vec<Outgoing>) {
        let Some(values) = self.values() else { return };
        let fingerprint = signing::fingerprint(values);
        let key = self.key(self.spec.widget, &["signed:", &fingerprint].concat());
        if let Err(error) = store::save(&*self.store, &key, self.spec.schema, dom::now(), values) {
            outgoing.push(("mentorkit-error", error_detail(&error, store::Stored::Draft)));
        }
        let detail = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| {
            let _ = js_sys::Reflect::set(&detail, &k.into(), v);
        };
        set("schema", &self.spec.schema.name.into());
        set("version", &self.spec.schema.version.into());
        set("fingerprint", &fingerprint.as_str().into());
        set("data", &json::to_js(values));
        outgoing.push(("mentorkit-submit", detail.into()));
    }

    fn report_notice(&self, outgoing: &mut Vec<Outgoing>) {
        if let Some(Notice::Storage(error)) = self.state.as_ref().and_then(|s| s.draft().notice.as_ref()) {
            outgoing.push(("mentorkit-error", error_detail(error, store::Stored::Draft)));
        }
    }

    fn export(&mut self, format: &str) {
        let Some(values) = self.values() else { return };
        if format == "print" {
            if let Some((_, _, html)) = api::agreement_text(values, &self.programme, self.locale, "html") {
                self.printing = dom::print_html(&html);
            }
        } else if let Some((ext, mime, text)) = api::agreement_text(values, &self.programme, self.locale, format) {
            self.later.push(Later::Download { name: file_name(values, ext), mime, text });
        }
    }

    fn import(this: &Rc<RefCell<View>>, file: web_sys::File) {
        let weak = Rc::downgrade(this);
        let Ok((schema, programme, locale)) = this.try_borrow().map(|v| (v.spec.schema, v.programme.clone(), v.locale)) else { return };
        let t = move |key| programme.text(locale, key).to_owned();
        wasm_bindgen_futures::spawn_local(async move {
            let name = file.name();
            // Far larger than any draft: refused before it is read.
            let data = if file.size() > draft::MAX_FILE_BYTES as f64 {
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
                dispatch(&this, Msg::Import { file: name, data });
            }
        });
    }
}

impl Drop for View {
    fn drop(&mut self) {
        // Unsaved edits are written by `flush` before an element is freed;
        // here only the owned listeners and timers go, by being dropped.
        self.autosave = None;
        self.printing = None;
        self.listeners.clear();
    }
}

/// Writes unsaved edits now (page hidden, element removed).
pub(crate) fn flush(this: &Rc<RefCell<View>>) {
    let mut outgoing = Vec::new();
    {
        let Ok(mut v) = this.try_borrow_mut() else { return later(this, flush) };
        v.save_now(&mut outgoing);
    }
    fire_all(this, outgoing);
}

fn dispatch(this: &Rc<RefCell<View>>, intent: impl Into<Intent>) {
    let mut outgoing = Vec::new();
    let intent = intent.into();
    {
        let Ok(mut guard) = this.try_borrow_mut() else { return later(this, move |this| dispatch(this, intent)) };
        let v = &mut *guard;
        match (&mut v.state, intent) {
            (Some(State::Agreement(b)), Intent::Agreement(msg)) => {
                let out = b.update(msg);
                v.apply(out, &mut outgoing);
            }
            (Some(State::Feedback(_)), intent) => {
                let msg = match intent {
                    Intent::Feedback(msg) => msg,
                    Intent::Agreement(Msg::Draft(msg)) => fb::Msg::Draft(msg),
                    Intent::Agreement(_) => return,
                };
                v.dispatch_feedback(msg, &mut outgoing);
            }
            _ => return,
        }
    }
    fire_and_send(this, outgoing);
}

fn on_input(this: &Rc<RefCell<View>>, event: &web_sys::Event) {
    let Some((path, value, checkbox)) = edited(event) else { return };
    if path.starts_with("sign.") || path == "import" {
        return;
    }
    let msg = match path.strip_prefix("clause.") {
        Some(id) => Msg::Clause { id: id.to_owned(), on: checkbox == Some(true) },
        None if checkbox.is_some() => {
            // A set of checkboxes: its value is every ticked option.
            let Ok(root) = this.try_borrow().map(|v| v.root.clone()) else { return };
            let ticked = dom::all(&root, &["input[name=\"", &path, "\"]:checked"].concat());
            let chosen: Vec<String> = ticked.iter().filter_map(|el| el.dyn_ref::<HtmlInputElement>().map(|i| i.value())).collect();
            Msg::Draft(draft::Msg::Edit { path, value: chosen.join(&MULTI_SEPARATOR.to_string()) })
        }
        None => Msg::Draft(draft::Msg::Edit { path, value }),
    };
    dispatch(this, msg);
}

fn on_change(this: &Rc<RefCell<View>>, event: &web_sys::Event) {
    let Some(input) = dom::target::<HtmlInputElement>(event) else { return };
    if input.name() != "import" {
        return;
    }
    if let Some(file) = input.files().and_then(|files| files.get(0)) {
        View::import(this, file);
    }
    input.set_value("");
}

fn on_click(this: &Rc<RefCell<View>>, event: &web_sys::Event) {
    let Some(action) = dom::target::<Element>(event)
        .and_then(|el| el.closest("[data-action]").ok().flatten())
        .and_then(|el| el.get_attribute("data-action"))
    else {
        return;
    };
    let (verb, arg) = action.split_once(':').unwrap_or((&action, ""));
    let Ok(feedback) = this.try_borrow().map(|v| !v.spec.agreement) else { return };
    let number = |s: &str| s.rsplit(':').next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let msg: Intent = match verb {
        "dismiss" => Msg::Draft(draft::Msg::DismissNotice).into(),
        "back" => Msg::Back.into(),
        "goto" => Msg::Goto(arg.parse().unwrap_or(usize::MAX)).into(),
        "add" if feedback => fb::Msg::AddAction.into(),
        "add" => Msg::AddGoal.into(),
        "remove" if feedback => fb::Msg::RemoveAction(number(arg)).into(),
        "remove" => Msg::RemoveGoal(number(arg)).into(),
        "tab" => fb::Msg::Tab(if arg == "history" { Tab::History } else { Tab::Form }).into(),
        "change-respondent" => fb::Msg::ChangeRespondent.into(),
        "amend" => fb::Msg::Amend(arg.to_owned()).into(),
        "cancel-amend" => fb::Msg::CancelAmend { today: dom::today() }.into(),
        "more" => fb::Msg::ShowMore.into(),
        "all-open" => fb::Msg::AllOpen { today: dom::today() }.into(),
        "fix" if feedback => fb::Msg::Fix(arg.to_owned()).into(),
        "history" => {
            if let Ok(mut v) = this.try_borrow_mut() {
                v.export_history(arg);
            }
            fire_all(this, Vec::new());
            return;
        }
        "deliver-retry" => {
            let mut outgoing = Vec::new();
            if let Ok(mut v) = this.try_borrow_mut() {
                v.retry(arg, &mut outgoing);
            }
            fire_and_send(this, outgoing);
            return;
        }
        "deliver-download" => {
            let mut outgoing = Vec::new();
            if let Ok(mut v) = this.try_borrow_mut() {
                v.download_record(arg);
            }
            fire_all(this, std::mem::take(&mut outgoing));
            return;
        }
        "download-copy" | "download-left" => {
            if let Ok(mut v) = this.try_borrow_mut() {
                if verb == "download-copy" { v.download_copy() } else { v.download_left(arg) }
            }
            fire_all(this, Vec::new());
            return;
        }
        "use-theirs" => Msg::Draft(draft::Msg::UseTheirs).into(),
        "reset" => Msg::AskReset.into(),
        "reset-no" => Msg::CancelReset.into(),
        "reset-yes" => match this.try_borrow() {
            Ok(v) => v.start_afresh(),
            Err(_) => return,
        },
        "sign" => {
            let Ok(v) = this.try_borrow() else { return };
            let read = |name: &str| {
                v.root
                    .query_selector(&["[name=\"sign.", arg, ".", name, "\"]"].concat())
                    .ok()
                    .flatten()
                    .and_then(|el| el.dyn_into::<HtmlInputElement>().ok())
            };
            Msg::Sign {
                party: arg.to_owned(),
                typed: read("typed").map(|i| i.value()).unwrap_or_default(),
                confirmed: read("confirm").is_some_and(|i| i.checked()),
                at: dom::now_iso(),
            }
            .into()
        }
        "fix" => Msg::Fix(arg.to_owned()).into(),
        "export" | "print" => {
            if let Ok(mut v) = this.try_borrow_mut() {
                v.export(if verb == "print" { "print" } else { arg });
            }
            fire_all(this, Vec::new());
            return;
        }
        "open-file" => {
            if let Ok(mut v) = this.try_borrow_mut() {
                if let Some(input) = v.root.query_selector("input[name=import]").ok().flatten().and_then(|i| i.dyn_into::<HtmlElement>().ok()) {
                    v.later.push(Later::Click(input));
                }
            }
            fire_all(this, Vec::new());
            return;
        }
        _ => return,
    };
    dispatch(this, msg);
}

/// Whether the host element holds a `programme` property.
fn has_programme(host: &HtmlElement) -> bool {
    js_sys::Reflect::get(host, &"programme".into()).is_ok_and(|p| !p.is_undefined() && !p.is_null())
}

/// Dispatches a host's call: as the person's action would, but focus stays
/// where it is.
fn quietly(this: &Rc<RefCell<View>>, intent: impl Into<Intent>) {
    let intent = intent.into();
    let Ok(mut v) = this.try_borrow_mut() else { return later(this, move |this| quietly(this, intent)) };
    v.quiet = true;
    drop(v);
    dispatch(this, intent);
    if let Ok(mut v) = this.try_borrow_mut() {
        v.quiet = false;
    }
}

thread_local! {
    /// Calls into a view that came while it was busy, each run once the view
    /// is free again.
    static DEFERRED: RefCell<Vec<(Weak<RefCell<View>>, Box<dyn FnOnce(&Rc<RefCell<View>>)>)>> = const { RefCell::new(Vec::new()) };
}

/// Runs `call` once `this` is no longer borrowed: at the end of whatever call
/// of the view is under way (a host listener that the view's own call into
/// the page woke, say).
fn later(this: &Rc<RefCell<View>>, call: impl FnOnce(&Rc<RefCell<View>>) + 'static) {
    DEFERRED.with(|d| d.borrow_mut().push((Rc::downgrade(this), Box::new(call))));
}

/// The end of every call into a view: with the view no longer borrowed, does
/// what can run the page's own code (focus, clicks, downloads), fires the
/// events, keeps the snapshot `value` answers while busy, and runs the calls
/// that came meanwhile.
fn fire_all(this: &Rc<RefCell<View>>, outgoing: Vec<Outgoing>) {
    let Ok(mut v) = this.try_borrow_mut() else {
        // Called from inside another call of this view: that one finishes.
        let mut outgoing = Some(outgoing);
        return later(this, move |this| fire_all(this, outgoing.take().unwrap_or_default()));
    };
    let later_effects = std::mem::take(&mut v.later);
    let host = v.host.clone();
    let value = v.value();
    *v.snapshot.borrow_mut() = value;
    let failed = dom::failed();
    drop(v);
    if failed {
        show_failure(this);
    }
    for effect in later_effects {
        match effect {
            Later::Focus(el, selection) => {
                dom::focus(&el);
                if let Some(selection) = selection {
                    dom::select(&el, selection);
                }
            }
            // After the event under way, which the click would otherwise
            // run into again.
            Later::Click(el) => {
                wasm_bindgen_futures::spawn_local(async move { el.click() });
            }
            Later::Download { name, mime, text } => dom::download(&name, mime, &text),
        }
    }
    for (name, detail) in outgoing {
        dom::fire(&host, name, &detail);
    }
    let weak = Rc::downgrade(this);
    while let Some(call) = DEFERRED.with(|d| {
        let mut d = d.borrow_mut();
        d.retain(|(w, _)| w.strong_count() > 0);
        let i = d.iter().position(|(w, _)| w.ptr_eq(&weak))?;
        Some(d.remove(i).1)
    }) {
        call(this);
    }
}

/// The page would not let the widget make its elements: says so in plain
/// text and tells the host.
fn show_failure(this: &Rc<RefCell<View>>) {
    let Ok(v) = this.try_borrow() else { return };
    let text = "This form cannot be shown in this page, so nothing typed here could be kept. Please tell the site's owner: the browser console has the cause.";
    v.root.set_text_content(Some(text));
    let host = v.host.clone();
    drop(v);
    web_sys::console::error_1(&"mentorkit: the page would not let the widget make its elements (createContextualFragment and DOMParser both failed)".into());
    dom::fire(&host, "mentorkit-error", &detail("render-failed", "the page would not let the widget make its elements: a script on the page has replaced or broken createContextualFragment and DOMParser"));
}

/// Fires the events, then sends whatever the update put in the outbox.
fn fire_and_send(this: &Rc<RefCell<View>>, outgoing: Vec<Outgoing>) {
    fire_all(this, outgoing);
    if this.try_borrow().is_ok_and(|v| v.delivery.pending) {
        flush_outbox(this, false);
    }
}

pub(crate) fn programme_from_js(spec: &Spec, value: JsValue) -> Result<Programme, ConfigError> {
    let text = json::text_of_js(&value).map_err(|e| ConfigError { key: "(programme)".into(), reason: e.0 })?;
    Programme::from_json(&text, spec.config)
}

/// The host's namespace when it is valid, else `default` (saying why).
fn checked_namespace(namespace: &str, outgoing: &mut Vec<Outgoing>) -> String {
    if namespace.is_empty() {
        "default".into()
    } else if store::valid_namespace(namespace) {
        namespace.into()
    } else {
        outgoing.push(("mentorkit-error", detail("bad-namespace", i18n::text(Locale::En, Key::BadNamespace))));
        "default".into()
    }
}

thread_local! {
    /// One parsed stylesheet for every widget on the page, where the browser
    /// has constructable stylesheets.
    static SHEET: Option<web_sys::CssStyleSheet> = web_sys::CssStyleSheet::new().ok().filter(|s| s.replace_sync(STYLE).is_ok());
}

/// Gives `root` the shared stylesheet; false where the browser cannot, and
/// each drawing then carries its own `<style>`.
fn adopt_style(root: &ShadowRoot) -> bool {
    SHEET.with(|sheet| match sheet {
        Some(sheet) => {
            root.set_adopted_style_sheets(&js_sys::Array::of1(sheet));
            true
        }
        None => false,
    })
}

/// The widget's locale: its `locale` attribute, else the nearest `lang`.
fn locale_of(host: &HtmlElement) -> Locale {
    let tag = host
        .get_attribute("locale")
        .or_else(|| host.closest("[lang]").ok().flatten().and_then(|el| el.get_attribute("lang")))
        .unwrap_or_default();
    Locale::from_tag(&tag)
}

/// The edited control's name, value, and for a checkbox whether it is ticked.
fn edited(event: &web_sys::Event) -> Option<(String, String, Option<bool>)> {
    if let Some(input) = dom::target::<HtmlInputElement>(event) {
        let checkbox = (input.type_() == "checkbox").then(|| input.checked());
        return Some((input.name(), input.value(), checkbox));
    }
    let area = dom::target::<HtmlTextAreaElement>(event)?;
    Some((area.name(), area.value(), None))
}

fn block_node(block: &Block) -> H {
    let lines = |el: H, text: &str| {
        let mut el = el;
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                el = el.add(H::new("br"));
            }
            el = el.text(line);
        }
        el
    };
    match block {
        Block::Title(s) => H::new("h4").text(s),
        Block::Subtitle(s) => H::new("p").class("sub").text(s),
        Block::Heading(s) => H::new("h5").text(s),
        Block::Subheading(s) => H::new("h6").text(s),
        Block::Field(label, value) => lines(H::new("p").class("f").add(H::new("span").class("l").text(&[label.as_str(), render::doc::colon(label), " "].concat())), value),
        Block::Text(s) => lines(H::new("p"), s),
        Block::Note(s) => H::new("p").class("note").text(s),
        Block::Figure(_, alt) => H::new("p").text(alt),
    }
}

/// `mentoring-agreement-amara-okafor.md`: ASCII letters and digits only.
fn file_name(values: &Values, ext: &str) -> String {
    let mut name = String::from("mentoring-agreement");
    let mentee: String = values
        .get("mentee.name")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let mentee: Vec<&str> = mentee.split('-').filter(|s| !s.is_empty()).collect();
    if !mentee.is_empty() {
        name.push('-');
        name.push_str(&mentee.join("-"));
    }
    name.push('.');
    name.push_str(ext);
    name
}

/// `{code, message}` for a storage error about `what`, in English for the
/// host's logs.
fn error_detail(error: &StoreError, what: store::Stored) -> JsValue {
    detail(error.code(), &storage_message(error, what, &Programme::default(), Locale::En))
}

/// What a person is told about a storage error concerning `what`.
fn storage_message(error: &StoreError, what: store::Stored, programme: &Programme, locale: Locale) -> String {
    let (message, why) = error.message(what);
    let why = why.map_or("", |k| programme.text(locale, k));
    i18n::fill(programme.text(locale, message), &[("why", why)])
}

/// `{code, message}` for a `mentorkit-error` event.
fn detail(code: &str, message: &str) -> JsValue {
    let object = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&object, &"code".into(), &code.into());
    let _ = js_sys::Reflect::set(&object, &"message".into(), &message.into());
    object.into()
}
