//! One shell per element: it owns the host element, its shadow root, the
//! store, delivery, listeners and timers, and is the only code that borrows
//! a widget's state.
//!
//! Every call into the shell (from the element script, a listener, a timer or
//! an answer that arrived) goes the same way:
//! 1. what the host gave is parsed before anything is borrowed;
//! 2. the state is borrowed, the widget's `update` runs, and what it asked
//!    for is drawn (the widget's pure `view`, parsed once by [`crate::dom`]);
//! 3. once the borrow has ended, [`finish`] does what runs the page's own
//!    code (moving focus, clicking, downloading, firing events) and any call
//!    that arrived while the shell was busy.
//!
//! Saving and merging with other tabs is in [`keeping`], sending in
//! [`delivery`], turning what the person does into messages in [`events`].

mod delivery;
mod events;
mod keeping;

use crate::dom;
use crate::i18n::{self, Key, Locale};
use crate::markup::{Markup, H};
use crate::model::config::{self, ConfigError, Programme};
#[cfg(feature = "feedback")]
use crate::model::envelope;
use crate::model::envelope::Schema;
#[cfg(feature = "feedback")]
use crate::model::form::Reader;
use crate::model::form::{Step, Values};
use crate::model::json;
use crate::store::{self, LocalStore, MemoryStore, Store, StoreError, Stored};
use crate::widgets::action::Action;
#[cfg(feature = "agreement")]
use crate::widgets::action::Format;
use crate::widgets::common::{self, Draw, Shown};
use crate::widgets::draft::{self, Draft, Notice};
use crate::widgets::{Ctx, Effect, Focus, Out, Redraw, Reply};
use delivery::{flush_outbox, Delivery};
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::JsValue;
use web_sys::{Element, HtmlElement, ShadowRoot};

#[cfg(feature = "agreement")]
use crate::widgets::agreement::{self as agreement_widget, later::Ask as DocumentAsk, Builder};
#[cfg(feature = "feedback")]
use crate::widgets::feedback::{self as feedback_widget, later::Ask, Feedback};

/// The widget's styles: what both widgets share, then this module's own.
/// The history's own (`history.css`) come with its module, where that is a
/// second module.
#[cfg(all(feature = "agreement", feature = "feedback", feature = "history"))]
const STYLE: &str = concat!(include_str!("style.css"), include_str!("agreement.css"), include_str!("feedback.css"), include_str!("history.css"));
#[cfg(all(feature = "agreement", feature = "feedback", not(feature = "history")))]
const STYLE: &str = concat!(include_str!("style.css"), include_str!("agreement.css"), include_str!("feedback.css"));
#[cfg(all(feature = "agreement", not(feature = "feedback")))]
const STYLE: &str = concat!(include_str!("style.css"), include_str!("agreement.css"));
#[cfg(all(feature = "feedback", not(feature = "agreement"), feature = "history"))]
const STYLE: &str = concat!(include_str!("style.css"), include_str!("feedback.css"), include_str!("history.css"));
#[cfg(all(feature = "feedback", not(feature = "agreement"), not(feature = "history")))]
const STYLE: &str = concat!(include_str!("style.css"), include_str!("feedback.css"));

const AUTOSAVE_MS: u32 = 400;

/// Which widget an element is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The agreement builder.
    Agreement,
    /// Session feedback.
    Feedback,
}

/// What the shell needs to know about a widget before it has one.
pub(crate) struct Spec {
    /// Which widget.
    pub kind: Kind,
    /// Its name in storage keys, e.g. `agreement`.
    pub widget: &'static str,
    /// Its heading.
    pub title: Key,
    /// Its form.
    pub steps: &'static [Step],
    /// Schema of its stored draft.
    pub schema: Schema,
    /// What a programme configuration is checked against.
    pub config: &'static config::Schema,
}

/// The widget an element draws.
pub(crate) enum State {
    /// The agreement builder.
    #[cfg(feature = "agreement")]
    Agreement(Builder),
    /// Session feedback.
    #[cfg(feature = "feedback")]
    Feedback(Feedback),
}

impl State {
    fn draft(&self) -> &Draft {
        match self {
            #[cfg(feature = "agreement")]
            State::Agreement(b) => &b.draft,
            #[cfg(feature = "feedback")]
            State::Feedback(f) => &f.draft,
        }
    }

    fn draft_mut(&mut self) -> &mut Draft {
        match self {
            #[cfg(feature = "agreement")]
            State::Agreement(b) => &mut b.draft,
            #[cfg(feature = "feedback")]
            State::Feedback(f) => &mut f.draft,
        }
    }
}

/// A message for whichever widget the element is.
pub(crate) enum Intent {
    /// For the agreement builder.
    #[cfg(feature = "agreement")]
    Agreement(agreement_widget::Msg),
    /// For the feedback widget.
    #[cfg(feature = "feedback")]
    Feedback(feedback_widget::Msg),
    /// For the draft either widget keeps.
    Draft(draft::Msg),
}

/// The live regions the shell keeps across drawings, so that screen readers
/// hear what changes in them.
struct Regions {
    notice: Element,
    status: Element,
    delivery: Element,
}

impl Regions {
    fn new() -> Regions {
        let make = |h: H| dom::element(&h.done());
        Regions {
            notice: make(H::new("div").class("notice").attr("part", "notice").attr("role", "status").attr("data-focus", "notice").attr("tabindex", "-1").attr("hidden", "")),
            status: make(H::new("p").class("status").attr("part", "status")),
            delivery: make(H::new("div").class("delivery").attr("part", "delivery").attr("role", "status").attr("aria-live", "polite")),
        }
    }
}

/// Something done once the shell is no longer borrowed, because the page's
/// own code runs during it.
pub(crate) enum Later {
    /// Move focus here, and put a text field's selection back.
    Focus(Element, Option<(u32, u32)>),
    /// Click this, after the event under way (the file chooser).
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

/// An event for the host, fired once the shell is no longer borrowed.
pub(crate) type Outgoing = (&'static str, JsValue);

/// A widget on the page.
pub(crate) struct Shell {
    spec: &'static Spec,
    host: HtmlElement,
    root: ShadowRoot,
    locale: Locale,
    /// The checked namespace every storage key is made from.
    namespace: String,
    store: Box<dyn Store>,
    store_error: Option<StoreError>,
    /// The agreement the host linked to the feedback widget.
    agreement: Option<Values>,
    programme: Programme,
    state: Option<State>,
    config_error: Option<ConfigError>,
    regions: Regions,
    autosave: Option<Timeout>,
    /// A host's call is being handled: focus is not moved.
    quiet: bool,
    /// The shared stylesheet is adopted by the shadow root, so drawing adds
    /// no `<style>`.
    styled: bool,
    listeners: Vec<dom::Listener>,
    delivery: Delivery,
    later: Vec<Later>,
    /// Keys holding an unusable value that could not be moved aside: nothing
    /// is written there (see [`keeping`]).
    stuck: Vec<String>,
    /// Trying storage again while it is full.
    retry: Option<Timeout>,
    /// The stored draft's text as last read or written here.
    draft_text: Option<String>,
    /// What `value` answers while the shell is busy.
    snapshot: Rc<RefCell<JsValue>>,
    weak: Weak<RefCell<Shell>>,
}

impl Shell {
    /// Mounts the widget in `root`, the open shadow root of `host`, with the
    /// configuration the host set before the widget started, if any.
    pub fn mount(spec: &'static Spec, host: HtmlElement, root: ShadowRoot, programme: JsValue) -> (Rc<RefCell<Shell>>, Rc<RefCell<JsValue>>) {
        let mut outgoing = Vec::new();
        // What the host gave is read before anything is borrowed.
        let programme = (!programme.is_undefined() && !programme.is_null()).then(|| programme_from_js(spec, programme));
        let (store, store_error, full): (Box<dyn Store>, _, _) = match LocalStore::open() {
            Ok((local, full)) => (Box::new(local), None, full),
            Err(error) => (Box::new(MemoryStore::default()), Some(error), false),
        };
        let namespace = checked_namespace(&dom::attribute(&host, "namespace").unwrap_or_default(), &mut outgoing);
        let locale = locale_of(&host);
        let snapshot = Rc::new(RefCell::new(JsValue::NULL));
        let shell = Rc::new_cyclic(|weak| {
            RefCell::new(Shell {
                spec,
                host,
                root,
                locale,
                namespace,
                store,
                store_error,
                agreement: None,
                programme: Programme::default(),
                state: None,
                config_error: None,
                regions: Regions::new(),
                autosave: None,
                quiet: false,
                styled: false,
                listeners: Vec::new(),
                delivery: Delivery::default(),
                later: Vec::new(),
                stuck: Vec::new(),
                retry: None,
                draft_text: None,
                snapshot: snapshot.clone(),
                weak: weak.clone(),
            })
        });
        keeping::register(&shell);
        {
            let mut s = shell.borrow_mut();
            s.styled = dom::adopt_style(&s.root, STYLE);
            s.listeners = events::listen(&s.root, &s.weak);
            match programme {
                Some(programme) => s.configure(programme, &mut outgoing),
                None => s.configure_from(None, &mut outgoing),
            }
            if full {
                // Storage was full before anything was typed: said at once,
                // and saving starts by itself once there is room.
                s.storage_full_at_open(&mut outgoing);
            }
            s.check_endpoint(&mut outgoing);
        }
        finish(&shell, outgoing);
        // Whatever an earlier visit left in the outbox goes now.
        flush_outbox(&shell, false);
        (shell, snapshot)
    }

    /// The context a view or an update works in: the language, today, now,
    /// and dates written by the browser's `Intl`.
    fn with_ctx<R>(&self, f: impl FnOnce(&Ctx) -> R) -> R {
        let tag = self.locale.tag();
        let date = |d: &str| dom::format_date(tag, d);
        let today = dom::today();
        f(&Ctx { locale: self.locale, today: &today, now: dom::now(), date: &date })
    }

    fn storage_full_at_open(&mut self, outgoing: &mut Vec<Outgoing>) {
        if let Some(state) = &mut self.state {
            state.draft_mut().notice = Some(Notice::Storage(StoreError::Full));
        }
        outgoing.push(("mentorkit-error", error_detail(&StoreError::Full, Stored::Draft)));
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
                .and_then(|text| config::Programme::from_json(&text, schema));
            Shell::set_programme_parsed(&this, Some(parsed), Vec::new());
        });
    }

    /// Applies a programme given by the host, or, with none, the `config`
    /// attribute's (fetched) or the defaults.
    fn configure_from(&mut self, parsed: Option<Result<Programme, ConfigError>>, outgoing: &mut Vec<Outgoing>) {
        match parsed {
            Some(programme) => self.configure(programme, outgoing),
            None => match dom::attribute(&self.host, "config").filter(|u| !u.trim().is_empty()) {
                Some(url) => {
                    self.render();
                    self.fetch_config(url);
                }
                None => self.configure(Ok(Programme::default()), outgoing),
            },
        }
    }

    /// Applies a programme configuration, or shows why it cannot be used.
    fn configure(&mut self, programme: Result<Programme, ConfigError>, outgoing: &mut Vec<Outgoing>) {
        let programme = match programme {
            Ok(programme) => programme,
            Err(error) => {
                outgoing.push(("mentorkit-error", detail("config-invalid", &error.message())));
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

    /// The widget's state over `kept`, or over what is stored.
    fn load(&mut self, kept: Option<Draft>, outgoing: &mut Vec<Outgoing>) -> State {
        self.delivery.outbox = self.read_outbox(outgoing);
        let draft_key = self.key(self.spec.widget, "draft");
        let loaded = match (&self.store_error, &kept) {
            (_, Some(_)) => (Ok(None), None),
            (Some(error), None) => (Err(error.clone()), None),
            (None, None) => match self.load_kept::<Values>(&draft_key, self.spec.schema) {
                // Left in place: what was kept beside it is the one to go on
                // with, and the notice says why.
                (beside, Some(error)) if error.left_in_place() => (Ok(beside), Some(error)),
                (_, Some(error)) => (Err(error), None),
                (found, None) => (Ok(found), None),
            },
        };
        let restore = |fresh: &dyn Fn() -> Values| {
            let (loaded, left) = loaded;
            let mut draft = Draft::restore(self.spec.steps, loaded, fresh);
            if let Some(error) = left {
                draft.notice = Some(Notice::Storage(error));
            }
            draft
        };
        match self.spec.kind {
            #[cfg(feature = "agreement")]
            Kind::Agreement => {
                let (programme, locale) = (&self.programme, self.locale);
                let draft = kept.unwrap_or_else(|| restore(&|| crate::model::agreement::fresh(programme, &dom::today(), locale)));
                let mut builder = Builder::new(draft, self.programme.clone());
                if let Some(invitation) = &self.delivery.invitation {
                    builder.pair(Some(&invitation.pair), dom::random_id);
                }
                builder.sends = self.sends();
                // The calendar's feedback reminders link to the host's page
                // for it, else this one (without its query or fragment).
                builder.page = match dom::attribute(&self.host, "feedback-page") {
                    Some(page) => dom::http_url(&page),
                    None => dom::http_url("").map(|here| here.split(['?', '#']).next().unwrap_or_default().to_owned()),
                }
                .unwrap_or_default();
                self.recall(&mut builder);
                State::Agreement(builder)
            }
            #[cfg(feature = "feedback")]
            Kind::Feedback => {
                let records_key = self.records_key();
                let (records, problem) = match self.store_error {
                    Some(_) => (Vec::new(), None),
                    None => match self.load_kept::<Vec<crate::model::feedback::Record>>(&records_key, envelope::FEEDBACK_RECORDS) {
                        (found, problem) => (found.map(|e| e.data).unwrap_or_default(), problem),
                    },
                };
                if let Some(error) = &problem {
                    outgoing.push(("mentorkit-error", error_detail(error, Stored::History)));
                }
                let agreement = self.linked_agreement();
                // Who answers: the host's attribute, else the invited person.
                let fixed = dom::attribute(&self.host, "respondent")
                    .filter(|r| matches!(r.as_str(), "mentee" | "mentor"))
                    .or_else(|| self.delivery.invitation.as_ref().map(|i| i.role.clone()));
                let draft = kept.unwrap_or_else(|| {
                    let today = dom::today();
                    let blank = || feedback_widget::blank(&today, fixed.as_deref(), &records, agreement.as_ref(), &self.programme);
                    let mut draft = restore(&blank);
                    feedback_widget::refresh_untouched(&mut draft, &today, fixed.as_deref(), &records, agreement.as_ref(), &self.programme);
                    draft
                });
                let pair = self.delivery.invitation.as_ref().map(|i| i.pair.clone()).or_else(|| agreement.as_ref().map(|a| a.get("meta.pair").to_owned())).unwrap_or_default();
                let sends = self.sends().then_some(pair);
                let mut f = Feedback::new(draft, self.programme.clone(), records, agreement, fixed);
                f.all_questions = self.store.get(&self.key(self.spec.widget, "questions")).ok().flatten().as_deref() == Some("all");
                f.records_problem = problem;
                f.sends = sends;
                State::Feedback(f)
            }
            #[allow(unreachable_patterns)]
            _ => unreachable_widget(),
        }
    }

    /// Tells the widget again whether its records go to the programme (the
    /// endpoint, the storage mode or the deliver function changed).
    fn refresh_sends(&mut self) {
        let sends = self.sends();
        match &mut self.state {
            #[cfg(feature = "agreement")]
            Some(State::Agreement(b)) => b.sends = sends,
            #[cfg(feature = "feedback")]
            Some(State::Feedback(f)) => {
                let pair = self.delivery.invitation.as_ref().map(|i| i.pair.clone()).or_else(|| f.agreement.as_ref().map(|a| a.get("meta.pair").to_owned())).unwrap_or_default();
                f.sends = sends.then_some(pair);
            }
            None => return,
        }
        self.render();
    }

    /// Whether submitted records go to the programme.
    fn sends(&self) -> bool {
        self.mode() != delivery::Mode::Local && (self.delivery.deliver.is_some() || dom::attribute(&self.host, "endpoint").is_some())
    }

    /// Where the feedback records are kept: beside the draft.
    fn records_key(&self) -> String {
        self.key("feedback", "records")
    }

    /// The storage key of `name` for `widget` in this widget's namespace.
    fn key(&self, widget: &str, name: &str) -> String {
        store::key(&self.namespace, widget, name)
    }

    /// The storage key of a widget's stored value.
    fn key_of(&self, what: Stored) -> String {
        match what {
            Stored::Draft => self.key(self.spec.widget, "draft"),
            Stored::History => self.records_key(),
            Stored::Outbox => self.outbox_key(),
        }
    }

    /// The agreement the feedback widget links: the host's, else the one
    /// saved under the same namespace, read without moving anything aside.
    #[cfg(feature = "feedback")]
    pub(super) fn linked_agreement(&self) -> Option<Values> {
        if let Some(given) = &self.agreement {
            return Some(given.clone());
        }
        let text = self.store.get(&self.key("agreement", "draft")).ok().flatten()?;
        envelope::open::<Values>(envelope::AGREEMENT_DRAFT, &text).ok().map(|e| e.data)
    }

    /// Sets the programme configuration from a JS value. `null` means none
    /// (the `config` attribute, or the defaults, apply); `undefined`, which a
    /// framework sets for a property it was not given, is the same and is
    /// reported, so a host that meant to give one finds out.
    pub fn set_programme(this: &Rc<RefCell<Shell>>, spec: &'static Spec, value: JsValue) {
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
        Shell::set_programme_parsed(this, parsed, outgoing);
    }

    fn set_programme_parsed(this: &Rc<RefCell<Shell>>, parsed: Option<Result<Programme, ConfigError>>, mut outgoing: Vec<Outgoing>) {
        {
            let Ok(mut s) = this.try_borrow_mut() else { return later(this, move |this| Shell::set_programme_parsed(this, parsed, outgoing)) };
            s.configure_from(parsed, &mut outgoing);
        }
        finish(this, outgoing);
    }

    /// Links the feedback widget to an agreement the host gives (its data, a
    /// flat object from field path to text) instead of the one saved here.
    pub fn set_agreement(this: &Rc<RefCell<Shell>>, value: JsValue) {
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
        Shell::link_agreement(this, agreement, outgoing);
    }

    fn link_agreement(this: &Rc<RefCell<Shell>>, agreement: Option<Values>, mut outgoing: Vec<Outgoing>) {
        {
            let Ok(mut s) = this.try_borrow_mut() else { return later(this, move |this| Shell::link_agreement(this, agreement, outgoing)) };
            if s.spec.kind != Kind::Feedback {
                return;
            }
            s.agreement = agreement;
            if s.state.is_some() {
                let kept = s.state.take().map(|st| st.draft().clone()).filter(|d| d.saved_at.is_some() || d.unsaved);
                let state = s.load(kept, &mut outgoing);
                s.state = Some(state);
                s.render();
            }
        }
        finish(this, outgoing);
    }

    /// Reacts to a change of one of the host's observed attributes.
    pub fn attribute_changed(this: &Rc<RefCell<Shell>>, name: &str) {
        let mut outgoing = Vec::new();
        {
            let Ok(mut s) = this.try_borrow_mut() else {
                let name = name.to_owned();
                return later(this, move |this| Shell::attribute_changed(this, &name));
            };
            match name {
                "locale" => {
                    s.locale = locale_of(&s.host);
                    s.render();
                }
                // A `programme` property takes precedence over the attribute.
                "config" if !dom::has_property(&s.host, "programme") => {
                    if let Some(url) = dom::attribute(&s.host, "config").filter(|u| !u.trim().is_empty()) {
                        s.fetch_config(url);
                    }
                }
                "endpoint" | "storage" | "credentials" => {
                    s.refresh_sends();
                    s.check_endpoint(&mut outgoing);
                    s.delivery.pending = true;
                }
                "namespace" | "respondent" => {
                    s.save_now(&mut outgoing);
                    let namespace = checked_namespace(&dom::attribute(&s.host, "namespace").unwrap_or_default(), &mut outgoing);
                    if (namespace != s.namespace || name == "respondent") && s.state.is_some() {
                        s.namespace = namespace;
                        s.reload(None, &mut outgoing);
                    }
                }
                _ => {}
            }
        }
        finish_and_send(this, outgoing);
    }

    /// The current data, as a plain JS object (never the private note).
    pub fn value(&self) -> JsValue {
        self.state.as_ref().map_or(JsValue::NULL, |s| json::to_js(&self.for_host(&s.draft().data)))
    }

    /// Replaces the current data with `value`, a flat object from field path
    /// to text, as the host's `value` setter does. What is not such an object
    /// (`null`, `undefined`, a number) changes nothing and throws a
    /// `MentorkitError` with the code `value-invalid`.
    pub fn set_value(this: &Rc<RefCell<Shell>>, value: JsValue) -> Result<(), JsValue> {
        let what = if value.is_null() { Some("null") } else if value.is_undefined() { Some("undefined") } else { None };
        if let Some(what) = what {
            return Err(crate::api::error("value-invalid", &["value must be a flat object of texts, not ", what, "; nothing was changed"].concat()));
        }
        let values: Values = json::from_js(&value).map_err(|e| crate::api::error("value-invalid", &["value must be a flat object of texts: ", &e.0, "; nothing was changed"].concat()))?;
        quietly(this, Intent::Draft(draft::Msg::Replace(values)));
        Ok(())
    }

    /// `{valid, problems: [{path, step, code, label, message}]}` for the
    /// current data, without showing anything.
    pub fn validate(&self) -> JsValue {
        let problems = match &self.state {
            #[cfg(feature = "agreement")]
            Some(State::Agreement(b)) => crate::model::validate::validate(b.values(), &self.programme),
            #[cfg(feature = "feedback")]
            Some(State::Feedback(f)) => crate::model::feedback::validate(f.values(), &self.programme),
            None => Vec::new(),
        };
        crate::api::problems_js(&problems, self.spec.steps, &self.programme, self.locale)
    }

    /// What the widget's own submit button does: the agreement checks the
    /// step and goes on; the feedback form checks and saves the entry.
    pub fn submit(this: &Rc<RefCell<Shell>>) {
        let Ok(kind) = this.try_borrow().map(|s| s.spec.kind) else { return later(this, Shell::submit) };
        match kind {
            #[cfg(feature = "agreement")]
            Kind::Agreement => dispatch(this, Intent::Agreement(agreement_widget::Msg::Next)),
            #[cfg(feature = "feedback")]
            Kind::Feedback => {
                dispatch(this, Intent::Feedback(feedback_widget::Msg::Submit { at: dom::now_iso(), id: dom::random_id(), today: dom::today() }))
            }
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }

    /// Starts again with a fresh form, without asking (the host asked).
    pub fn reset(this: &Rc<RefCell<Shell>>) {
        let Ok(intent) = this.try_borrow().map(|s| s.start_afresh()) else { return later(this, Shell::reset) };
        quietly(this, intent);
    }

    /// The intent that replaces the form with a fresh one.
    fn start_afresh(&self) -> Intent {
        match self.spec.kind {
            #[cfg(feature = "agreement")]
            Kind::Agreement => Intent::Agreement(agreement_widget::Msg::Reset),
            #[cfg(feature = "feedback")]
            Kind::Feedback => Intent::Feedback(feedback_widget::Msg::CancelAmend { today: dom::today() }),
            #[allow(unreachable_patterns)]
            _ => unreachable_widget(),
        }
    }

    /// The current data (agreement) or history (feedback) as text in
    /// `format`; `full` picks the feedback's full copy.
    pub fn export_text(&self, format: &str, full: bool) -> Result<String, JsValue> {
        #[allow(unused_variables)]
        let found: Result<(Option<String>, &str), JsValue> = self.with_ctx(|ctx| match &self.state {
            #[cfg(feature = "agreement")]
            Some(State::Agreement(b)) => match Format::from_name(format).map(|f| self.agreement_file(b, f)) {
                Some(Reply::Loading) => Err(crate::api::error("document-loading", "export(): await element.ready first")),
                Some(Reply::Failed) => Err(crate::api::error("document-unavailable", "export(): mentorkit_document_bg.wasm did not load")),
                Some(Reply::Given(text)) => Ok((text, "md, html, txt, ics or json")),
                None => Ok((None, "md, html, txt, ics or json")),
            },
            #[cfg(feature = "feedback")]
            Some(State::Feedback(f)) => match self.history(f, Ask::File(format.to_owned(), full)) {
                Reply::Given(text) => Ok((text, "csv, json, md, html or txt")),
                Reply::Loading => Err(crate::api::error("history-loading", "export(): await element.ready first")),
                Reply::Failed => Err(crate::api::error("history-unavailable", "export(): mentorkit_history_bg.wasm did not load")),
            },
            None => Ok((None, "none until the widget has started")),
        });
        let (text, formats) = found?;
        let _ = full;
        text.ok_or_else(|| crate::api::error("format-unknown", &["export(format): \"", format, "\" is not a format of this widget; use ", formats].concat()))
    }

    /// What the host may see of `values`: never what is only the person's.
    fn for_host(&self, values: &Values) -> Values {
        match self.spec.kind {
            #[cfg(feature = "feedback")]
            Kind::Feedback => crate::model::feedback::for_reader(values, &self.programme, Reader::Programme),
            _ => values.clone(),
        }
    }

    /// A message in the widget's language, or the programme's wording for it.
    fn t(&self, key: Key) -> &str {
        self.programme.text(self.locale, key)
    }

    /// Draws the whole widget again. The control that had focus gets it back,
    /// with its selection, unless the update moves focus elsewhere.
    fn render(&mut self) {
        let focused = dom::focused(&self.root);
        let markup = self.with_ctx(|ctx| self.view(ctx));
        let style = (!self.styled).then_some(STYLE);
        let regions = [("notice", &self.regions.notice), ("delivery", &self.regions.delivery), ("status", &self.regions.status)];
        dom::draw(&self.root, &markup, &regions, style);
        self.render_history();
        self.render_document();
        self.render_delivery();
        self.render_notice();
        self.render_status();
        self.render_problems();
        if let Some((name, selection)) = focused {
            if let Some(el) = dom::find(&self.root, &["[name=\"", &name, "\"],[data-focus=\"", &name, "\"]"].concat()) {
                self.later.insert(0, Later::Focus(el, selection));
            }
        }
    }

    /// The widget as markup: its view, or why it cannot start, or (while its
    /// configuration is fetched) its heading.
    fn view(&self, ctx: &Ctx) -> Markup {
        let header = || H::new("header").add(H::new("h2").attr("id", "mk-title").attr("part", "title").text(self.t(self.spec.title)));
        if let Some(error) = &self.config_error {
            let text = i18n::fill(self.t(Key::ConfigProblem), &[("detail", &error.message())]);
            return common::base(ctx).add(header()).add(H::new("p").class("error").attr("role", "alert").attr("part", "error").text(&text)).done();
        }
        match &self.state {
            #[cfg(feature = "agreement")]
            Some(State::Agreement(b)) => agreement_widget::view::view(b, ctx),
            #[cfg(feature = "feedback")]
            Some(State::Feedback(f)) => feedback_widget::view::view(f, ctx),
            None => common::base(ctx).add(header()).done(),
        }
    }

    fn render_notice(&self) {
        let area = &self.regions.notice;
        let Some(notice) = self.state.as_ref().and_then(|s| s.draft().notice.as_ref()) else {
            dom::clear(area);
            dom::set_attribute(area, "hidden", "");
            return;
        };
        let (kind, content) = self.with_ctx(|ctx| Draw::new(&self.programme, ctx).notice(notice, self.spec.steps));
        dom::remove_attribute(area, "hidden");
        dom::set_attribute(area, "data-kind", kind);
        dom::fill(area, &content);
    }

    fn render_status(&self) {
        let saved = self.state.as_ref().is_some_and(|s| s.draft().saved_at.is_some() && !s.draft().unsaved);
        dom::set_text(&self.regions.status, if saved { self.t(Key::DraftSaved) } else { "" });
    }

    fn render_problems(&self) {
        let shown: Option<Shown> = self.with_ctx(|ctx| match &self.state {
            #[cfg(feature = "agreement")]
            Some(State::Agreement(b)) => Some(agreement_widget::view::problems(b, ctx)),
            #[cfg(feature = "feedback")]
            Some(State::Feedback(f)) if f.tab == crate::widgets::action::Tab::Form => Some(feedback_widget::view::problems(f, ctx)),
            _ => None,
        });
        if let Some(shown) = shown {
            dom::show_problems(&self.root, &shown);
        }
    }

    /// Draws the live preview under a step again, when it is open.
    fn render_preview(&self) {
        #[cfg(feature = "agreement")]
        if let Some(State::Agreement(b)) = &self.state {
            if b.preview_open {
                self.render_document();
            }
        }
    }

    /// What the document answers `ask` with: written by this module when it
    /// has the document, else by the document's own module.
    #[cfg(feature = "agreement")]
    fn document(&self, b: &Builder, ask: DocumentAsk) -> Reply {
        #[cfg(feature = "document")]
        return Reply::Given(self.with_ctx(|ctx| agreement_widget::later::reply(b.values(), b.before.as_ref(), &b.programme, ask, ctx, &b.page, &Default::default())));
        #[cfg(not(feature = "document"))]
        return self.with_ctx(|ctx| ask_document(b, &agreement_widget::later::request(b, ask, ctx)));
    }

    /// Asks the document's module to print the agreement.
    #[cfg(all(feature = "agreement", not(feature = "document")))]
    fn document_print(&self, b: &Builder) {
        let _ = self.with_ctx(|ctx| ask_document(b, &[dom::PRINT, &agreement_widget::later::request(b, DocumentAsk::File(Format::Html), ctx)].concat()));
    }

    /// The agreement as a file in `format`: the draft file written here,
    /// every other by the document.
    #[cfg(feature = "agreement")]
    fn agreement_file(&self, b: &Builder, format: Format) -> Reply {
        match format {
            Format::Json => Reply::Given(Some(self.with_ctx(|ctx| agreement_widget::draft_file(b.values(), ctx)))),
            _ => self.document(b, DocumentAsk::File(format)),
        }
    }

    /// Fills the agreement's document where the step shows it, and what
    /// changed since the signed version, or says that they are on their way
    /// or could not be had.
    fn render_document(&self) {
        #[cfg(feature = "agreement")]
        if let Some(State::Agreement(b)) = &self.state {
            for (place, ask) in [(agreement_widget::view::DOCUMENT, DocumentAsk::Document), (agreement_widget::view::CHANGES, DocumentAsk::Changes), (crate::widgets::device::PLACE, DocumentAsk::Device)] {
                // A closed preview is drawn when it is opened.
                if ask == DocumentAsk::Document && !b.shows_document() {
                    continue;
                }
                let Some(el) = dom::find(&self.root, place) else { continue };
                let reply = self.document(b, ask);
                self.fill_later(&el, reply, Key::DocumentLoading, Key::DocumentUnavailable);
            }
        }
    }

    /// Fills `el` with what a second module gave, or says that it is on its
    /// way (`loading`) or could not be had (`failed`).
    fn fill_later(&self, el: &Element, reply: Reply, loading: Key, failed: Key) {
        let (markup, busy) = match reply {
            Reply::Given(markup) => (Markup::drawn(markup.unwrap_or_default()), false),
            Reply::Loading => (H::new("p").class("loading").attr("role", "status").text(self.t(loading)).done(), true),
            Reply::Failed => (H::new("p").class("error").attr("role", "alert").attr("part", "error").text(self.t(failed)).done(), false),
        };
        dom::fill(el, &markup);
        if busy {
            dom::set_attribute(el, "aria-busy", "true");
        } else {
            dom::remove_attribute(el, "aria-busy");
        }
    }

    /// Draws an opened history entry's answers, the first time.
    fn fill_entry(&self, id: &str) {
        #[cfg(feature = "feedback")]
        if let Some(State::Feedback(f)) = &self.state {
            let Some(details) = dom::find(&self.root, &["details[data-record=\"", id, "\"]"].concat()) else { return };
            if !dom::is_open(&details) || dom::has_attribute(&details, "data-filled") {
                return;
            }
            if let Reply::Given(Some(answers)) = self.history(f, Ask::Entry(id.to_owned())) {
                dom::append(&details, &Markup::drawn(answers));
                dom::set_attribute(&details, "data-filled", "");
            }
        }
        let _ = id;
    }

    /// What the history answers `ask` with: drawn by this module when it
    /// has the history, else by the history's own module.
    #[cfg(feature = "feedback")]
    fn history(&self, f: &Feedback, ask: Ask) -> Reply {
        #[cfg(feature = "history")]
        return Reply::Given(self.with_ctx(|ctx| feedback_widget::later::reply(f, &ask, ctx)));
        #[cfg(not(feature = "history"))]
        self.history_does(f, "", &ask)
    }

    /// Has the history's module do what `how` asks ([`dom::PRINT`],
    /// [`dom::DOWNLOAD`]) with what `ask` gets.
    #[cfg(all(feature = "feedback", not(feature = "history")))]
    fn history_does(&self, f: &Feedback, how: &str, ask: &Ask) -> Reply {
        self.with_ctx(|ctx| ask_history(f, &[how, &feedback_widget::later::request(f, ask, ctx)].concat()))
    }

    /// Fills the history tab's body, or says that it is on its way or could
    /// not be had.
    fn render_history(&self) {
        #[cfg(feature = "feedback")]
        if let Some(State::Feedback(f)) = &self.state {
            let Some(body) = dom::find(&self.root, feedback_widget::history::BODY) else { return };
            let reply = self.history(f, Ask::Body);
            self.fill_later(&body, reply, Key::HistoryLoading, Key::HistoryUnavailable);
        }
    }

    /// The widget's second module has arrived (or could not be had): what
    /// it draws is drawn with it (the history tab, if open; the document and
    /// the changes, where the step shows them).
    #[cfg_attr(not(feature = "feedback"), allow(unused_mut))]
    pub fn later_arrived(this: &Rc<RefCell<Shell>>) {
        let Ok(mut s) = this.try_borrow_mut() else { return later(this, Shell::later_arrived) };
        match &s.state {
            #[cfg(feature = "feedback")]
            Some(State::Feedback(f)) if f.tab == crate::widgets::action::Tab::History => s.render(),
            // Handing a long history over takes a while: done now, as the
            // module arrives after the form is on screen, not when the
            // person opens the tab.
            #[cfg(all(feature = "feedback", not(feature = "history")))]
            Some(State::Feedback(f)) => {
                let _ = dom::ask_later(f.revision(), || feedback_widget::later::data(f), feedback_widget::later::KEEP);
                return;
            }
            #[cfg(feature = "agreement")]
            Some(State::Agreement(_)) => s.render_document(),
            _ => return,
        }
        drop(s);
        finish(this, Vec::new());
    }

    /// Moves focus as an update asked (unless the host called).
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
            Focus::Control(name) => dom::find(&self.root, &["[name=\"", name, "\"]:checked:not([disabled])"].concat()),
            _ => None,
        };
        if let Some(el) = checked.or_else(|| dom::find(&self.root, &selector)) {
            // Focus listeners are the page's code: they run once the shell is free.
            self.later.push(Later::Focus(el, None));
        }
    }

    /// Carries out what an update asked.
    fn apply(&mut self, out: Out, outgoing: &mut Vec<Outgoing>) {
        if out.save {
            let weak = self.weak.clone();
            self.autosave = Some(Timeout::new(AUTOSAVE_MS, move || {
                if let Some(this) = weak.upgrade() {
                    flush(&this);
                }
            }));
        }
        match out.redraw {
            Redraw::Nothing => self.render_status(),
            Redraw::Notice => self.render_notice(),
            Redraw::Problems => {
                self.render_status();
                self.render_problems();
            }
            Redraw::Preview => self.render_preview(),
            Redraw::Step => self.render(),
        }
        self.focus(&out.focus);
        for effect in out.effects {
            self.effect(effect, outgoing);
        }
    }

    fn effect(&mut self, effect: Effect, outgoing: &mut Vec<Outgoing>) {
        match effect {
            #[cfg(feature = "agreement")]
            Effect::DocumentFile(format) => {
                if let Some(State::Agreement(b)) = &self.state {
                    if let Reply::Given(Some(text)) = self.agreement_file(b, format) {
                        let name = agreement_widget::file_name(b.values(), format.name());
                        self.later.push(Later::Download { name, mime: format.mime(), text });
                    }
                }
            }
            #[cfg(feature = "agreement")]
            Effect::PrintDocument => {
                if let Some(State::Agreement(b)) = &self.state {
                    #[cfg(feature = "document")]
                    if let Reply::Given(Some(html)) = self.agreement_file(b, Format::Html) {
                        dom::print_html(&html);
                    }
                    // The document's module writes it, and prints it.
                    #[cfg(not(feature = "document"))]
                    self.document_print(b);
                }
            }
            Effect::ChooseFile => {
                if let Some(input) = dom::find(&self.root, "input[name=import]").and_then(dom::html) {
                    self.later.push(Later::Click(input));
                }
            }
            Effect::Signed => self.signed(outgoing),
            // Records are stored by the update itself, through `persist`.
            Effect::StoreRecords => {}
            #[cfg(feature = "feedback")]
            Effect::HistoryFile(file, full) => {
                if let Some(State::Feedback(f)) = &self.state {
                    let ask = Ask::File(file.format().to_owned(), full);
                    #[cfg(feature = "history")]
                    if let (Reply::Given(Some(text)), Some((name, mime))) = (self.history(f, ask), feedback_widget::history::file_name(file.format(), full)) {
                        self.later.push(Later::Download { name, mime, text });
                    }
                    // The history's module writes the file, and offers it.
                    #[cfg(not(feature = "history"))]
                    let _ = self.history_does(f, dom::DOWNLOAD, &ask);
                }
            }
            #[cfg(feature = "feedback")]
            Effect::PrintHistory => {
                if let Some(State::Feedback(f)) = &self.state {
                    let ask = Ask::File("html".to_owned(), false);
                    #[cfg(feature = "history")]
                    if let Reply::Given(Some(html)) = self.history(f, ask) {
                        dom::print_html(&html);
                    }
                    // The history's module writes the summary, and prints it.
                    #[cfg(not(feature = "history"))]
                    let _ = self.history_does(f, dom::PRINT, &ask);
                }
            }
            // A preference, not the person's words: kept if it can be.
            Effect::AllQuestions(all) => {
                let key = self.key(self.spec.widget, "questions");
                let _ = if all { self.store.set(&key, "all") } else { self.store.remove(&key) };
            }
            #[cfg(feature = "feedback")]
            Effect::Submitted(record) => {
                self.save_now(outgoing);
                let invited = self.delivery.invitation.as_ref().map(|i| i.pair.as_str());
                let agreement = match &self.state {
                    Some(State::Feedback(f)) => f.agreement.clone(),
                    #[allow(unreachable_patterns)]
                    _ => None,
                };
                let about = feedback_widget::about(record.data.get("respondent"), agreement.as_ref(), invited);
                self.enqueue(crate::model::delivery::Payload::from_record(&record, &self.programme).concerning(about), outgoing);
                outgoing.push(("mentorkit-submit", events::record_detail(&record, &self.programme)));
            }
        }
    }

    /// A newly signed agreement: saved, kept under its fingerprint, sent,
    /// and told to the host.
    fn signed(&mut self, outgoing: &mut Vec<Outgoing>) {
        self.save_now(outgoing);
        #[cfg(feature = "agreement")]
        if let Some(State::Agreement(b)) = &self.state {
            let values = b.values().clone();
            let fingerprint = crate::model::signing::fingerprint(&values);
            let key = self.key(self.spec.widget, &["signed:", &fingerprint].concat());
            if let Err(error) = store::save(&*self.store, &key, self.spec.schema, dom::now(), &values) {
                outgoing.push(("mentorkit-error", error_detail(&error, Stored::Draft)));
            }
            let payload = b.payload(&dom::now_iso());
            let detail = js_sys::Object::new();
            dom::set_property(&detail, "schema", &self.spec.schema.name.into());
            dom::set_property(&detail, "version", &self.spec.schema.version.into());
            dom::set_property(&detail, "fingerprint", &fingerprint.as_str().into());
            dom::set_property(&detail, "data", &json::to_js(&values));
            outgoing.push(("mentorkit-submit", detail.into()));
            self.enqueue(payload, outgoing);
        }
    }

    /// While an agreement is amended, finds the version all signed, which
    /// [`Shell::signed`] kept on this device.
    #[cfg(feature = "agreement")]
    fn recall(&self, b: &mut Builder) {
        let Some(fingerprint) = b.wanted().map(str::to_owned) else { return };
        let key = self.key(self.spec.widget, &["signed:", &fingerprint].concat());
        let found = store::load::<Values>(&*self.store, &key, self.spec.schema, dom::now()).ok().flatten();
        b.before = found.map(|e| e.data).filter(|v| crate::model::signing::fingerprint(v) == fingerprint);
    }

    fn report_notice(&self, outgoing: &mut Vec<Outgoing>) {
        if let Some(Notice::Storage(error)) = self.state.as_ref().and_then(|s| s.draft().notice.as_ref()) {
            outgoing.push(("mentorkit-error", error_detail(error, Stored::Draft)));
        }
    }

    /// Runs one message through the widget and carries out what it asked.
    fn update(&mut self, intent: Intent, outgoing: &mut Vec<Outgoing>) {
        let Some(state) = self.state.take() else { return };
        let (state, out) = match (state, intent) {
            #[cfg(feature = "agreement")]
            (State::Agreement(mut b), intent) => {
                let msg = match intent {
                    Intent::Agreement(msg) => msg,
                    Intent::Draft(msg) => agreement_widget::Msg::Draft(msg),
                    #[allow(unreachable_patterns)]
                    _ => {
                        self.state = Some(State::Agreement(b));
                        return;
                    }
                };
                let out = self.with_ctx(|ctx| b.update(msg, ctx));
                // Only a drawn step shows the signed version, and only what
                // redraws it (amending, a file, another tab) can bring one.
                if out.redraw == Redraw::Step {
                    self.recall(&mut b);
                }
                (State::Agreement(b), out)
            }
            #[cfg(feature = "feedback")]
            (State::Feedback(mut f), intent) => {
                let msg = match intent {
                    Intent::Feedback(msg) => msg,
                    Intent::Draft(msg) => feedback_widget::Msg::Draft(msg),
                    #[allow(unreachable_patterns)]
                    _ => {
                        self.state = Some(State::Feedback(f));
                        return;
                    }
                };
                let tag = self.locale.tag();
                let date = |d: &str| dom::format_date(tag, d);
                let today = dom::today();
                let ctx = Ctx { locale: self.locale, today: &today, now: dom::now(), date: &date };
                let out = f.update(msg, &ctx, &mut |records| self.persist_records(records));
                (State::Feedback(f), out)
            }
        };
        self.state = Some(state);
        self.apply(out, outgoing);
    }
}

impl Drop for Shell {
    fn drop(&mut self) {
        // Unsaved edits are written by `flush` before an element is freed;
        // here only the owned listeners and timers go, by being dropped.
        self.autosave = None;
        self.retry = None;
        self.listeners.clear();
        keeping::forget_gone();
    }
}

/// For a build that has neither widget: there is nothing to draw.
#[allow(dead_code)]
fn unreachable_widget() -> ! {
    unreachable!("a build has at least one widget")
}

/// Writes unsaved edits now (page hidden, element removed).
pub(crate) fn flush(this: &Rc<RefCell<Shell>>) {
    let mut outgoing = Vec::new();
    {
        let Ok(mut s) = this.try_borrow_mut() else { return later(this, flush) };
        s.save_now(&mut outgoing);
    }
    finish(this, outgoing);
}

/// Runs `intent` through the widget, as the person's action does.
pub(crate) fn dispatch(this: &Rc<RefCell<Shell>>, intent: Intent) {
    let mut outgoing = Vec::new();
    {
        let Ok(mut s) = this.try_borrow_mut() else { return later(this, move |this| dispatch(this, intent)) };
        s.update(intent, &mut outgoing);
    }
    finish_and_send(this, outgoing);
}

/// Runs a host's call: as the person's action would, but focus stays where
/// it is.
fn quietly(this: &Rc<RefCell<Shell>>, intent: Intent) {
    let Ok(mut s) = this.try_borrow_mut() else { return later(this, move |this| quietly(this, intent)) };
    s.quiet = true;
    drop(s);
    dispatch(this, intent);
    if let Ok(mut s) = this.try_borrow_mut() {
        s.quiet = false;
    }
}

/// What a button asks for: the shell's own actions, or the widget's message.
pub(crate) fn act(this: &Rc<RefCell<Shell>>, action: Action) {
    let mut outgoing = Vec::new();
    let intent = {
        let Ok(mut s) = this.try_borrow_mut() else { return };
        match action {
            Action::DeliverRetry(key) => {
                s.retry(&key, &mut outgoing);
                None
            }
            Action::DeliverDownload(key) => {
                s.download_record(&key);
                None
            }
            Action::DownloadCopy => {
                s.download_copy();
                None
            }
            Action::DownloadLeft(what) => {
                let key = s.key_of(what);
                s.download_left(&key);
                None
            }
            action => s.intent_of(action),
        }
    };
    match intent {
        Some(intent) => {
            finish(this, outgoing);
            dispatch(this, intent);
        }
        None => finish_and_send(this, outgoing),
    }
}

impl Shell {
    /// The widget's message for a button's action.
    fn intent_of(&self, action: Action) -> Option<Intent> {
        match self.spec.kind {
            #[cfg(feature = "agreement")]
            Kind::Agreement => {
                let root = &self.root;
                let sign = |party: &str| dom::typed_and_ticked(root, &["sign.", party, ".typed"].concat(), &["sign.", party, ".confirm"].concat());
                agreement_widget::Builder::msg_of(action, sign, dom::now_iso(), dom::random_id()).map(Intent::Agreement)
            }
            #[cfg(feature = "feedback")]
            Kind::Feedback => feedback_widget::Feedback::msg_of(action, dom::today()).map(Intent::Feedback),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

thread_local! {
    /// Calls into a shell that came while it was busy, each run once the
    /// shell is free again.
    static DEFERRED: RefCell<Vec<(Weak<RefCell<Shell>>, Box<dyn FnOnce(&Rc<RefCell<Shell>>)>)>> = const { RefCell::new(Vec::new()) };
}

/// Runs `call` once `this` is no longer borrowed: at the end of whatever call
/// of the shell is under way (a host listener that the shell's own call into
/// the page woke, say).
fn later(this: &Rc<RefCell<Shell>>, call: impl FnOnce(&Rc<RefCell<Shell>>) + 'static) {
    DEFERRED.with(|d| d.borrow_mut().push((Rc::downgrade(this), Box::new(call))));
}

/// The end of every call into a shell: with nothing borrowed, does what can
/// run the page's own code (focus, clicks, downloads), fires the events,
/// keeps the snapshot `value` answers while busy, and runs the calls that
/// came meanwhile.
fn finish(this: &Rc<RefCell<Shell>>, outgoing: Vec<Outgoing>) {
    let Ok(mut s) = this.try_borrow_mut() else {
        // Called from inside another call of this shell: that one finishes.
        let mut outgoing = Some(outgoing);
        return later(this, move |this| finish(this, outgoing.take().unwrap_or_default()));
    };
    let later_effects = std::mem::take(&mut s.later);
    let host = s.host.clone();
    let value = s.value();
    *s.snapshot.borrow_mut() = value;
    let failed = dom::failed();
    drop(s);
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
            Later::Click(el) => dom::click_soon(el),
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

/// Finishes, then sends whatever the update put in the outbox.
fn finish_and_send(this: &Rc<RefCell<Shell>>, outgoing: Vec<Outgoing>) {
    finish(this, outgoing);
    if this.try_borrow().is_ok_and(|s| s.delivery.pending) {
        flush_outbox(this, false);
    }
}

/// The page would not let the widget make its elements: says so in plain
/// text and tells the host.
fn show_failure(this: &Rc<RefCell<Shell>>) {
    let Ok(s) = this.try_borrow() else { return };
    dom::set_root_text(&s.root, "This form cannot be shown in this page, so nothing typed here could be kept. Please tell the site's owner: the browser console has the cause.");
    let host = s.host.clone();
    drop(s);
    dom::log_error("mentorkit: the page would not let the widget make its elements (createContextualFragment and DOMParser both failed)");
    dom::fire(&host, "mentorkit-error", &detail("render-failed", "the page would not let the widget make its elements: a script on the page has replaced or broken createContextualFragment and DOMParser"));
}

/// A programme configuration the host gave as a JS value.
pub(crate) fn programme_from_js(spec: &Spec, value: JsValue) -> Result<Programme, ConfigError> {
    let text = json::text_of_js(&value).map_err(|e| ConfigError { key: "(programme)".into(), reason: e.0 })?;
    Programme::from_json(&text, spec.config)
}

/// The host's namespace when it is valid, else `default` (saying why).
fn checked_namespace(namespace: &str, outgoing: &mut Vec<Outgoing>) -> String {
    if !namespace.is_empty() && !store::valid_namespace(namespace) {
        outgoing.push(("mentorkit-error", detail("bad-namespace", i18n::text(Locale::En, Key::BadNamespace))));
    }
    store::namespace_or_default(namespace).into()
}

/// The widget's locale: its `locale` attribute, else the nearest `lang`.
fn locale_of(host: &HtmlElement) -> Locale {
    Locale::from_tag(&dom::attribute(host, "locale").or_else(|| dom::nearest_lang(host)).unwrap_or_default())
}

/// What the history's module answers `request` with, handed the history
/// first if it has not had this revision.
#[cfg(all(feature = "feedback", not(feature = "history")))]
fn ask_history(f: &Feedback, request: &str) -> Reply {
    dom::ask_later(f.revision(), || feedback_widget::later::data(f), request)
}

/// What the document's module answers `request` with, handed the agreement
/// first if it has not had it as it is.
#[cfg(all(feature = "agreement", not(feature = "document")))]
fn ask_document(b: &Builder, request: &str) -> Reply {
    let data = agreement_widget::later::data(b);
    dom::ask_later(crate::widgets::later::checksum(&data), move || data, request)
}

/// `{code, message}` for a storage error about `what`, in English for the
/// host's logs.
fn error_detail(error: &StoreError, what: Stored) -> JsValue {
    detail(error.code(), &common::storage_message(error, what, &Programme::default(), Locale::En))
}

/// `{code, message}` for a `mentorkit-error` event.
fn detail(code: &str, message: &str) -> JsValue {
    let object = js_sys::Object::new();
    dom::set_property(&object, "code", &code.into());
    dom::set_property(&object, "message", &message.into());
    object.into()
}
