//! Draws a widget's state into its shadow root and turns what the person does
//! into messages. One view serves both widgets; [`Spec`] says which.
//!
//! The view owns everything it sets up (listeners, the autosave timer, a print
//! frame's listener), so dropping it removes them all. Unsaved edits are
//! written when the page is hidden and before the element is freed.

use super::agreement::{Builder, Focus, Msg, Out, Redraw};
use super::draft::{self, Draft, Notice};
use crate::dom::{self, H};
use crate::i18n::{self, Key, Locale};
use crate::model::agreement::{self as model, signers, STEPS as AGREEMENT_STEPS};
use crate::model::config::{ConfigError, Programme};
use crate::model::envelope::{self, Schema};
use crate::model::form::{item_path, shown, Field, FieldKind, Form, Group, Step, Values};
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
}

enum State {
    Agreement(Builder),
    Feedback(Draft),
}

impl State {
    fn draft(&self) -> &Draft {
        match self {
            State::Agreement(b) => &b.draft,
            State::Feedback(d) => d,
        }
    }

    fn draft_mut(&mut self) -> &mut Draft {
        match self {
            State::Agreement(b) => &mut b.draft,
            State::Feedback(d) => d,
        }
    }
}

/// A widget on the page.
pub(crate) struct View {
    spec: &'static Spec,
    host: HtmlElement,
    root: ShadowRoot,
    locale: Locale,
    key: String,
    store: Box<dyn Store>,
    store_error: Option<StoreError>,
    programme: Programme,
    state: Option<State>,
    config_error: Option<ConfigError>,
    notice: Option<Element>,
    status: Option<Element>,
    autosave: Option<Timeout>,
    printing: Option<EventListener>,
    preview_open: bool,
    listeners: Vec<EventListener>,
    weak: Weak<RefCell<View>>,
}

/// An event for the host, fired once the view is no longer borrowed.
type Outgoing = (&'static str, JsValue);

impl View {
    /// Mounts the widget in `root`, the open shadow root of `host`.
    /// `programme` is the configuration the host set before the widget
    /// started, if any.
    pub fn mount(spec: &'static Spec, host: HtmlElement, root: ShadowRoot, programme: JsValue) -> Rc<RefCell<View>> {
        let mut outgoing = Vec::new();
        let (store, store_error): (Box<dyn Store>, _) = match LocalStore::open() {
            Ok(local) => (Box::new(local), None),
            Err(error) => (Box::new(MemoryStore::default()), Some(error)),
        };
        let namespace = host.get_attribute("namespace").unwrap_or_default();
        let key = storage_key(spec, &namespace, &mut outgoing);
        let locale = locale_of(&host);
        let view = Rc::new_cyclic(|weak| {
            RefCell::new(View {
                spec,
                host,
                root,
                locale,
                key,
                store,
                store_error,
                programme: Programme::default(),
                state: None,
                config_error: None,
                notice: None,
                status: None,
                autosave: None,
                printing: None,
                preview_open: false,
                listeners: Vec::new(),
                weak: weak.clone(),
            })
        });
        {
            let mut v = view.borrow_mut();
            v.listen();
            let url = v.host.get_attribute("config").filter(|u| !u.trim().is_empty());
            if !programme.is_undefined() && !programme.is_null() {
                v.configure(programme_from_js(programme), &mut outgoing);
            } else if let (Some(url), true) = (url, spec.agreement) {
                v.render();
                let weak = v.weak.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = dom::fetch_text(&url).await;
                    let Some(this) = weak.upgrade() else { return };
                    let parsed = result
                        .map_err(|reason| ConfigError { key: "config".into(), reason: [&url, ": ", &reason].concat() })
                        .and_then(|text| Programme::from_json(&text, &model::SCHEMA));
                    let mut outgoing = Vec::new();
                    this.borrow_mut().configure(parsed, &mut outgoing);
                    fire_all(&this, outgoing);
                });
            } else {
                v.configure(Ok(Programme::default()), &mut outgoing);
            }
        }
        fire_all(&view, outgoing);
        view
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
        let state = match self.state.take() {
            // Untouched drafts start again with the programme's defaults.
            Some(state) if state.draft().saved_at.is_some() || state.draft().unsaved => state.draft().clone(),
            _ => self.load(),
        };
        self.state = Some(self.wrap(state));
        self.render();
        self.report_notice(outgoing);
    }

    fn load(&mut self) -> Draft {
        let loaded = match self.store_error.clone() {
            Some(error) => Err(error),
            None => store::load(&*self.store, &self.key, self.spec.schema, dom::now()),
        };
        let (programme, locale, agreement) = (&self.programme, self.locale, self.spec.agreement);
        Draft::restore(self.spec.steps, loaded, || {
            if agreement {
                model::fresh(programme, &dom::today(), locale)
            } else {
                let mut values = Values::default();
                values.set("date", dom::today());
                values
            }
        })
    }

    fn wrap(&self, draft: Draft) -> State {
        if self.spec.agreement {
            State::Agreement(Builder::new(draft, self.programme.clone()))
        } else {
            State::Feedback(draft)
        }
    }

    /// Sets the programme configuration from a JS value.
    pub fn set_programme(this: &Rc<RefCell<View>>, value: JsValue) {
        let mut outgoing = Vec::new();
        this.borrow_mut().configure(programme_from_js(value), &mut outgoing);
        fire_all(this, outgoing);
    }

    /// Reacts to a change of one of the host's observed attributes.
    pub fn attribute_changed(this: &Rc<RefCell<View>>, name: &str) {
        let mut outgoing = Vec::new();
        {
            let mut v = this.borrow_mut();
            match name {
                "locale" => {
                    v.locale = locale_of(&v.host);
                    v.render();
                }
                "namespace" => {
                    v.save_now(&mut outgoing);
                    let namespace = v.host.get_attribute("namespace").unwrap_or_default();
                    let key = storage_key(v.spec, &namespace, &mut outgoing);
                    if key != v.key && v.state.is_some() {
                        v.key = key;
                        let draft = v.load();
                        v.state = Some(v.wrap(draft));
                        v.render();
                        v.report_notice(&mut outgoing);
                    }
                }
                _ => {}
            }
        }
        fire_all(this, outgoing);
    }

    /// The current data, as a plain JS object.
    pub fn value(&self) -> JsValue {
        self.state.as_ref().map_or(JsValue::NULL, |s| json::to_js(&s.draft().data))
    }

    fn t(&self, key: Key) -> &'static str {
        i18n::text(self.locale, key)
    }

    fn values(&self) -> Option<&Values> {
        self.state.as_ref().map(|s| &s.draft().data)
    }

    fn builder(&self) -> Option<&Builder> {
        match &self.state {
            Some(State::Agreement(b)) => Some(b),
            _ => None,
        }
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
            }
        });
        let weak = self.weak.clone();
        let on_toggle = EventListener::new_with_options(&self.root, "toggle", EventListenerOptions::run_in_capture_phase(), move |e| {
            let Some(this) = weak.upgrade() else { return };
            let Some(details) = dom::target::<web_sys::HtmlDetailsElement>(e) else { return };
            let mut v = this.borrow_mut();
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
                dispatch(this, Msg::Next);
            }),
            on_hide,
        ];
    }

    fn render(&mut self) {
        let locale = self.locale;
        let base = H::new("section")
            .class("mk")
            .attr("part", "base")
            .attr("lang", locale.tag())
            .attr("dir", if locale.is_rtl() { "rtl" } else { "ltr" })
            .attr("aria-labelledby", "mk-title");
        let mut header = H::new("header").add(H::new("h2").attr("id", "mk-title").attr("part", "title").text(self.t(self.spec.title)));
        let notice = H::new("div").class("notice").attr("part", "notice").attr("role", "status").done();
        let status = H::new("p").class("status").attr("part", "status").done();
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
            } else {
                base = base.add(header);
            }
            let mut base = H(base.done());
            base.0.append_child(&notice).expect_throw("append to a new element");
            base = base.add(self.form(state));
            base.0.append_child(&status).expect_throw("append to a new element");
            if let State::Agreement(b) = state {
                base = base.add(self.footer(b));
            }
            base
        } else {
            base.add(header)
        };
        self.root.replace_children_with_node_2(&H::new("style").text(STYLE).done(), &base.done());
        self.notice = Some(notice);
        self.status = Some(status);
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
            State::Feedback(d) => (&self.spec.steps[0], &d.data),
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

    fn group(&self, form: H, group: &Group, values: &Values) -> H {
        let Some(repeat) = group.repeat else {
            let fields: Vec<_> = group.fields.iter().filter(|f| shown(f, values)).collect();
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
        let count = values.count(&repeat);
        let mut form = form;
        for n in 1..=count {
            let legend = i18n::fill(self.t(repeat.item), &[("n", &n.to_string())]);
            let mut set = H::new("fieldset").attr("part", "group").add(H::new("legend").attr("part", "legend").text(&legend));
            for field in group.fields {
                set = set.add(self.field(field, &item_path(field.path, n), values));
            }
            if count > repeat.min {
                let label = i18n::fill(self.t(repeat.remove), &[("n", &n.to_string())]);
                set = set.add(
                    H::new("button")
                        .attr("type", "button")
                        .attr("part", "button")
                        .class("quiet")
                        .attr("data-action", &["remove-goal:", &n.to_string()].concat())
                        .text(&label),
                );
            }
            form = form.add(set);
        }
        if count < repeat.max {
            form = form.add(self.button("add-goal", repeat.add).attr("name", "add-goal"));
        }
        form
    }

    fn field(&self, field: &Field, path: &str, values: &Values) -> H {
        let id = ["mk-", path].concat();
        let value = values.get(path);
        let locked = self.spec.agreement && self.programme.is_locked(path);
        let required = field.required || self.programme.required.iter().any(|p| p == path || p == field.path);
        let help_key = if locked { Some(Key::Locked) } else { field.help };
        let help_id = [&id, "-help"].concat();
        let error_id = [&id, "-error"].concat();
        let described = match help_key {
            Some(_) => [&help_id, " ", &error_id].concat(),
            None => error_id.clone(),
        };
        let label_text = |label: H| {
            let label = label.text(self.t(field.label));
            if required { label.add(H::new("span").class("req").text(&[" ", self.t(Key::RequiredMark)].concat())) } else { label }
        };
        let help = help_key.map(|k| H::new("p").class("help").attr("id", &help_id).attr("part", "help").text(self.t(k)));
        let error = H::new("p").class("error").attr("id", &error_id).attr("part", "error").attr("data-error-for", path).attr("hidden", "");
        if let FieldKind::Choice(options) = field.kind {
            let mut set = H::new("fieldset")
                .class("choice")
                .attr("part", "choice")
                .attr("id", &id)
                .attr("aria-describedby", &described)
                .add(label_text(H::new("legend").attr("part", "label")))
                .add_some(help);
            for (option, option_label) in options {
                let radio = H::new("input")
                    .attr("type", "radio")
                    .attr("name", path)
                    .attr("value", option)
                    .attr("part", "radio")
                    .flag("checked", value == *option)
                    .flag("disabled", locked);
                set = set.add(H::new("label").class("option").add(radio).add(H::new("span").text(self.t(*option_label))));
            }
            return set.add(error);
        }
        let control = match field.kind {
            FieldKind::LongText => H::new("textarea").attr("rows", "4"),
            FieldKind::Date => H::new("input").attr("type", "date"),
            FieldKind::Time => H::new("input").attr("type", "time"),
            FieldKind::Number { .. } => H::new("input").attr("type", "text").attr("inputmode", "numeric"),
            FieldKind::Contact => H::new("input").attr("type", "text").attr("spellcheck", "false").attr("autocapitalize", "off"),
            _ => H::new("input").attr("type", "text"),
        }
        .attr("id", &id)
        .attr("name", path)
        .attr("part", "field")
        .attr("maxlength", &field.max_len.to_string())
        .attr("aria-describedby", &described)
        .flag("readonly", locked)
        .flag("aria-required", required);
        let control = match field.autocomplete {
            Some(token) => control.attr("autocomplete", token),
            None => control,
        };
        set_value(&control.0, value);
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
                set_value(&input.0, refused.map_or("", |r| r.typed.as_str()));
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
            .add(
                H::new("div")
                    .class("buttons")
                    .add(self.button("export:md", Key::ExportMarkdown))
                    .add(self.button("export:html", Key::ExportHtml))
                    .add(self.button("export:txt", Key::ExportText))
                    .add(self.button("export:ics", Key::ExportIcs))
                    .add(self.button("print", Key::Print)),
            )
            .add(H::new("h4").attr("id", "mk-share").text(self.t(Key::ShareDraft)))
            .add(H::new("p").class("help").text(self.t(Key::ShareDraftHelp)))
            .add(
                H::new("div")
                    .class("buttons")
                    .add(self.button("export:json", Key::SaveDraftFile))
                    .add(self.button("open-file", Key::OpenDraftFile))
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
        dom::clear(&article);
        self.document(H(article), values);
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
        let (kind, text) = match notice {
            Notice::Restored { saved_at } => {
                let date = dom::format_date(self.locale.tag(), &dom::iso(*saved_at));
                ("info", i18n::fill(self.t(Key::DraftRestored), &[("date", &date)]))
            }
            Notice::Imported(file) => ("info", i18n::fill(self.t(Key::Imported), &[("file", file)])),
            Notice::ImportFailed(reason) => ("warning", i18n::fill(self.t(Key::ImportFailed), &[("reason", reason)])),
            Notice::Storage(error) => ("warning", self.t(error.message()).to_owned()),
        };
        let _ = area.set_attribute("data-kind", kind);
        let content = H::new("p").text(&text).done();
        area.replace_children_with_node_2(&content, &self.button("dismiss", Key::Dismiss).done());
    }

    fn render_status(&self) {
        let (Some(status), Some(state)) = (&self.status, &self.state) else { return };
        let d = state.draft();
        let saved = d.saved_at.is_some() && !d.unsaved;
        status.set_text_content(Some(if saved { self.t(Key::DraftSaved) } else { "" }));
    }

    /// Shows the problems on display next to their fields and in the summary.
    fn render_problems(&self) {
        let Some(b) = self.builder() else { return };
        let problems = b.shown_problems();
        let Ok(slots) = self.root.query_selector_all("[data-error-for]") else { return };
        for i in 0..slots.length() {
            let Some(slot) = slots.get(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
            let path = slot.get_attribute("data-error-for").unwrap_or_default();
            let problem = problems.iter().find(|p| p.path == path);
            slot.set_text_content(problem.map(|p| self.message(p)).as_deref());
            let _ = if problem.is_some() { slot.remove_attribute("hidden") } else { slot.set_attribute("hidden", "") };
            if let Ok(controls) = self.root.query_selector_all(&["[name=\"", &path, "\"]"].concat()) {
                for j in 0..controls.length() {
                    if let Some(control) = controls.get(j).and_then(|n| n.dyn_into::<Element>().ok()) {
                        let _ = match problem {
                            Some(_) => control.set_attribute("aria-invalid", "true"),
                            None => control.remove_attribute("aria-invalid"),
                        };
                    }
                }
            }
        }
        let Ok(Some(summary)) = self.root.query_selector(".summary") else { return };
        dom::clear(&summary);
        if problems.is_empty() {
            let _ = summary.set_attribute("hidden", "");
            if b.step_id() == "review" {
                let _ = summary.remove_attribute("hidden");
                let _ = summary.append_child(&H::new("p").text(self.t(Key::NoProblems)).done());
            }
            return;
        }
        let _ = summary.remove_attribute("hidden");
        let title = if b.step_id() == "review" {
            i18n::fill(self.t(Key::ProblemsCount), &[("n", &problems.len().to_string())])
        } else {
            self.t(Key::ProblemsTitle).to_owned()
        };
        let mut list = H::new("ul");
        for p in &problems {
            let text = [&self.problem_label(b, p), ": ", &self.message(p)].concat();
            list = list.add(H::new("li").add(H::new("button").attr("type", "button").class("link").attr("data-action", &["fix:", &p.path].concat()).text(&text)));
        }
        let _ = summary.append_child(&H::new("p").class("summary-title").text(&title).done());
        let _ = summary.append_child(&list.done());
    }

    fn message(&self, p: &Problem) -> String {
        let args: Vec<(&str, String)> = p
            .args
            .iter()
            .map(|(k, v)| (*k, if matches!(*k, "start" | "end" | "date") { dom::format_date(self.locale.tag(), v) } else { v.clone() }))
            .collect();
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        i18n::fill(self.t(p.message), &args)
    }

    fn problem_label(&self, b: &Builder, p: &Problem) -> String {
        if let Some(id) = p.path.strip_prefix("clause.") {
            return b.programme.clauses.iter().find(|c| c.id == id).map_or_else(String::new, |c| c.title.clone());
        }
        let Some(field) = b.draft.field(&p.path) else { return p.path.clone() };
        match p.path.split('.').nth(1).filter(|n| p.path.starts_with("goal.") && n.bytes().all(|c| c.is_ascii_digit())) {
            Some(n) => [&i18n::fill(self.t(Key::GoalN), &[("n", n)]), " – ", self.t(field.label)].concat(),
            None => self.t(field.label).to_owned(),
        }
    }

    fn focus(&self, focus: &Focus) {
        let selector = match focus {
            Focus::Stay => return,
            Focus::Heading => "#mk-step".to_owned(),
            Focus::Control(name) => ["[name=\"", name, "\"]:not([disabled]),[data-focus=\"", name, "\"]"].concat(),
        };
        if let Ok(Some(el)) = self.root.query_selector(&selector) {
            dom::focus(&el);
        }
    }

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
            Redraw::Step => self.render(),
        }
        self.focus(&out.focus);
        if out.submit {
            self.save_now(outgoing);
            self.keep_signed(outgoing);
        }
    }

    fn keep_signed(&mut self, outgoing: &mut Vec<Outgoing>) {
        let Some(values) = self.values() else { return };
        let fingerprint = signing::fingerprint(values);
        let key = [&self.key.trim_end_matches(":draft").to_owned(), ":signed:", &fingerprint].concat();
        if let Err(error) = store::save(&*self.store, &key, self.spec.schema, dom::now(), values) {
            outgoing.push(("mentorkit-error", error_detail(&error)));
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

    fn save_now(&mut self, outgoing: &mut Vec<Outgoing>) {
        self.autosave = None;
        let Some(state) = &mut self.state else { return };
        if !state.draft().unsaved {
            return;
        }
        let now = dom::now();
        let result = store::save(&*self.store, &self.key, self.spec.schema, now, &state.draft().data).map(|_| now);
        match &result {
            Ok(_) => outgoing.push(("mentorkit-change", json::to_js(&state.draft().data))),
            Err(error) => outgoing.push(("mentorkit-error", error_detail(error))),
        }
        if state.draft_mut().update(draft::Msg::Saved(result)) == draft::Effect::Notice {
            self.render_notice();
        }
        self.render_status();
        self.render_preview();
    }

    fn report_notice(&self, outgoing: &mut Vec<Outgoing>) {
        if let Some(Notice::Storage(error)) = self.state.as_ref().and_then(|s| s.draft().notice.as_ref()) {
            outgoing.push(("mentorkit-error", error_detail(error)));
        }
    }

    fn export(&mut self, format: &str) {
        let Some(values) = self.values() else { return };
        let locale = self.locale;
        let tag = locale.tag();
        let date = |d: &str| dom::format_date(tag, d);
        let doc = || render::agreement(values, &self.programme, locale, &date);
        let (ext, mime, text) = match format {
            "md" => ("md", "text/markdown", render::markdown(&doc())),
            "html" => ("html", "text/html", render::html(&doc(), locale)),
            "txt" => ("txt", "text/plain", render::text(&doc())),
            "ics" => {
                let stamp: String = dom::now_iso().chars().filter(|c| c.is_ascii_digit() || *c == 'T').take(15).collect();
                let uid = &signing::fingerprint(values)[..16];
                ("ics", "text/calendar", render::ics::calendar(values, locale, &[&stamp, "Z"].concat(), uid))
            }
            "json" => ("json", "application/json", envelope::seal(self.spec.schema, dom::now(), values)),
            "print" => {
                self.printing = dom::print_html(&render::html(&doc(), locale));
                return;
            }
            _ => return,
        };
        dom::download(&file_name(values, ext), mime, &text);
    }

    fn import(this: &Rc<RefCell<View>>, file: web_sys::File) {
        let weak = Rc::downgrade(this);
        let schema = this.borrow().spec.schema;
        wasm_bindgen_futures::spawn_local(async move {
            let name = file.name();
            let data = dom::read_file(&file).await.and_then(|text| {
                envelope::open::<Values>(schema, &text).map(|e| e.data).map_err(|e| match e {
                    envelope::EnvelopeError::Newer { .. } => "it comes from a newer version of this form".to_owned(),
                    envelope::EnvelopeError::Foreign(_) => "it is not a mentoring agreement draft".to_owned(),
                    envelope::EnvelopeError::Corrupt(_) => "it is damaged or not a draft file".to_owned(),
                })
            });
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
    this.borrow_mut().save_now(&mut outgoing);
    fire_all(this, outgoing);
}

fn dispatch(this: &Rc<RefCell<View>>, msg: Msg) {
    let mut outgoing = Vec::new();
    {
        let mut v = this.borrow_mut();
        let out = match &mut v.state {
            Some(State::Agreement(b)) => b.update(msg),
            Some(State::Feedback(d)) => match msg {
                Msg::Draft(m) => match d.update(m) {
                    draft::Effect::ScheduleSave => Out { save: true, redraw: Redraw::Nothing, focus: Focus::Stay, submit: false },
                    draft::Effect::Notice => Out { save: false, redraw: Redraw::Notice, focus: Focus::Stay, submit: false },
                    draft::Effect::None => return,
                },
                _ => return,
            },
            None => return,
        };
        v.apply(out, &mut outgoing);
    }
    fire_all(this, outgoing);
}

fn on_input(this: &Rc<RefCell<View>>, event: &web_sys::Event) {
    let Some((path, value, checkbox)) = edited(event) else { return };
    if path.starts_with("sign.") || path == "import" {
        return;
    }
    let msg = match path.strip_prefix("clause.") {
        Some(id) => Msg::Clause { id: id.to_owned(), on: checkbox == Some(true) },
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
    let msg = match verb {
        "dismiss" => Msg::Draft(draft::Msg::DismissNotice),
        "back" => Msg::Back,
        "goto" => Msg::Goto(arg.parse().unwrap_or(usize::MAX)),
        "add-goal" => Msg::AddGoal,
        "remove-goal" => Msg::RemoveGoal(arg.parse().unwrap_or(0)),
        "reset" => Msg::AskReset,
        "reset-no" => Msg::CancelReset,
        "reset-yes" => {
            let v = this.borrow();
            Msg::Reset(model::fresh(&v.programme, &dom::today(), v.locale))
        }
        "sign" => {
            let v = this.borrow();
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
        }
        "fix" => Msg::Fix(arg.to_owned()),
        "export" | "print" => {
            let mut v = this.borrow_mut();
            v.export(if verb == "print" { "print" } else { arg });
            return;
        }
        "open-file" => {
            if let Ok(Some(input)) = this.borrow().root.query_selector("input[name=import]") {
                if let Some(input) = input.dyn_ref::<HtmlElement>() {
                    input.click();
                }
            }
            return;
        }
        _ => return,
    };
    dispatch(this, msg);
}

fn fire_all(this: &Rc<RefCell<View>>, outgoing: Vec<Outgoing>) {
    if outgoing.is_empty() {
        return;
    }
    let host = this.borrow().host.clone();
    for (name, detail) in outgoing {
        dom::fire(&host, name, &detail);
    }
}

fn programme_from_js(value: JsValue) -> Result<Programme, ConfigError> {
    let programme: Programme = serde_wasm_bindgen::from_value(value)
        .map_err(|e| ConfigError { key: "(programme)".into(), reason: e.to_string() })?;
    programme.check(&model::SCHEMA)?;
    Ok(programme)
}

fn storage_key(spec: &Spec, namespace: &str, outgoing: &mut Vec<Outgoing>) -> String {
    let namespace = if namespace.is_empty() {
        "default"
    } else if store::valid_namespace(namespace) {
        namespace
    } else {
        outgoing.push(("mentorkit-error", detail("bad-namespace", i18n::text(Locale::En, Key::BadNamespace))));
        "default"
    };
    store::key(namespace, spec.widget, "draft")
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

fn set_value(control: &Element, value: &str) {
    if let Some(input) = control.dyn_ref::<HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(area) = control.dyn_ref::<HtmlTextAreaElement>() {
        area.set_value(value);
    }
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

fn error_detail(error: &StoreError) -> JsValue {
    detail(error.code(), i18n::text(Locale::En, error.message()))
}

/// `{code, message}` for a `mentorkit-error` event.
fn detail(code: &str, message: &str) -> JsValue {
    let object = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&object, &"code".into(), &code.into());
    let _ = js_sys::Reflect::set(&object, &"message".into(), &message.into());
    object.into()
}

