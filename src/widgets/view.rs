//! Draws a [`Draft`] into a shadow root and turns what the person does into
//! [`Msg`]s. Shared by both widgets; [`Spec`] says which form it is.
//!
//! The view owns everything it sets up (listeners, the autosave timer), so
//! dropping it removes them all. Unsaved edits are written when the page is
//! hidden and when the view is dropped.

use super::draft::{Draft, Effect, Msg, Notice};
use crate::dom::{self, H};
use crate::i18n::{self, Key, Locale};
use crate::model::envelope::Schema;
use crate::model::form::{Field, FieldKind, Form, Step};
use crate::model::json;
use crate::store::{self, LocalStore, MemoryStore, Store, StoreError};
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use serde::{de::DeserializeOwned, Serialize};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement, ShadowRoot};

const STYLE: &str = include_str!("style.css");
const AUTOSAVE_MS: u32 = 400;

/// Which form a view draws.
pub(crate) struct Spec<T> {
    /// Storage name, e.g. `agreement`.
    pub widget: &'static str,
    /// Heading.
    pub title: Key,
    /// The steps.
    pub steps: &'static [Step],
    /// Schema of the stored draft.
    pub schema: Schema,
    /// Prepares a new draft.
    pub fresh: fn(&mut T),
}

/// A widget on the page.
pub(crate) struct View<T: 'static> {
    spec: &'static Spec<T>,
    host: HtmlElement,
    root: ShadowRoot,
    locale: Locale,
    key: String,
    store: Box<dyn Store>,
    state: Draft<T>,
    notice: Option<Element>,
    status: Option<Element>,
    autosave: Option<Timeout>,
    listeners: Vec<EventListener>,
    weak: Weak<RefCell<View<T>>>,
}

/// An event for the host, fired once the view is no longer borrowed.
type Outgoing = (&'static str, JsValue);

impl<T> View<T>
where
    T: Form + Default + Serialize + DeserializeOwned + 'static,
{
    /// Mounts the widget in `root`, the open shadow root of `host`.
    pub fn mount(spec: &'static Spec<T>, host: HtmlElement, root: ShadowRoot) -> Rc<RefCell<View<T>>> {
        let mut outgoing = Vec::new();
        let (store, store_error): (Box<dyn Store>, _) = match LocalStore::open() {
            Ok(local) => (Box::new(local), None),
            Err(error) => (Box::new(MemoryStore::default()), Some(error)),
        };
        let namespace = host.get_attribute("namespace").unwrap_or_default();
        let key = storage_key(spec, &namespace, &mut outgoing);
        let locale = locale_of(&host);
        let state = load(spec, &*store, &key, store_error);
        let view = Rc::new_cyclic(|weak| {
            RefCell::new(View {
                spec,
                host,
                root,
                locale,
                key,
                store,
                state,
                notice: None,
                status: None,
                autosave: None,
                listeners: Vec::new(),
                weak: weak.clone(),
            })
        });
        {
            let mut v = view.borrow_mut();
            v.listen();
            v.render();
            v.report_notice(&mut outgoing);
        }
        fire_all(&view, outgoing);
        view
    }

    /// Reacts to a change of one of the host's observed attributes.
    pub fn attribute_changed(this: &Rc<RefCell<View<T>>>, name: &str) {
        let mut outgoing = Vec::new();
        {
            let mut v = this.borrow_mut();
            match name {
                "locale" | "lang" => {
                    v.locale = locale_of(&v.host);
                    v.render();
                }
                "namespace" => {
                    v.save_now(&mut outgoing);
                    let namespace = v.host.get_attribute("namespace").unwrap_or_default();
                    let key = storage_key(v.spec, &namespace, &mut outgoing);
                    if key != v.key {
                        v.state = load(v.spec, &*v.store, &key, None);
                        v.key = key;
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
        json::to_js(&self.state.data)
    }

    fn t(&self, key: Key) -> &'static str {
        i18n::text(self.locale, key)
    }

    fn listen(&mut self) {
        let weak = self.weak.clone();
        let on_input = EventListener::new(&self.root, "input", move |event| {
            let Some(this) = weak.upgrade() else { return };
            let Some((path, value)) = edited(event) else { return };
            dispatch(&this, Msg::Edit { path, value });
        });
        let weak = self.weak.clone();
        let on_click = EventListener::new(&self.root, "click", move |event| {
            let Some(this) = weak.upgrade() else { return };
            let action = dom::target::<Element>(event)
                .and_then(|el| el.closest("[data-action]").ok().flatten())
                .and_then(|el| el.get_attribute("data-action"));
            if action.as_deref() == Some("dismiss") {
                dispatch(&this, Msg::DismissNotice);
            }
        });
        let weak = self.weak.clone();
        let document = dom::document();
        let on_hide = EventListener::new(&document, "visibilitychange", move |_| {
            let Some(this) = weak.upgrade() else { return };
            if dom::document().hidden() {
                flush(&this);
            }
        });
        self.listeners = vec![on_input, on_click, on_hide];
    }

    fn render(&mut self) {
        let locale = self.locale;
        let style = H::new("style").text(STYLE);
        let notice = H::new("div").class("notice").attr("part", "notice").attr("role", "status").done();
        let status = H::new("p").class("status").attr("part", "status").done();
        let mut form = H::new("form").attr("novalidate", "").attr("part", "form");
        let step = &self.spec.steps[0];
        let heading_id = format!("mk-step-{}", step.id);
        form = form
            .attr("aria-labelledby", &heading_id)
            .add(H::new("h3").attr("id", &heading_id).attr("part", "step-title").text(self.t(step.title)))
            .add_some(step.intro.map(|k| H::new("p").class("intro").text(self.t(k))));
        for group in step.groups {
            let mut set = match group.legend {
                Some(legend) => H::new("fieldset")
                    .attr("part", "group")
                    .add(H::new("legend").attr("part", "legend").text(self.t(legend))),
                None => H::new("div").class("group"),
            };
            for field in group.fields {
                set = set.add(self.field(field));
            }
            form = form.add(set);
        }
        let total = self.spec.steps.len();
        let progress = (total > 1).then(|| {
            let text = i18n::fill(self.t(Key::StepOf), &[("n", "1"), ("total", &total.to_string())]);
            H::new("p").class("progress").attr("part", "progress").text(&text)
        });
        let base = H::new("section")
            .class("mk")
            .attr("part", "base")
            .attr("lang", locale.tag())
            .attr("dir", if locale.is_rtl() { "rtl" } else { "ltr" })
            .attr("aria-labelledby", "mk-title")
            .add(
                H::new("header")
                    .add(H::new("h2").attr("id", "mk-title").attr("part", "title").text(self.t(self.spec.title)))
                    .add_some(progress),
            )
            .done();
        base.append_child(&notice).expect_throw("append to a new element");
        let base = H(base).add(form).done();
        base.append_child(&status).expect_throw("append to a new element");
        self.root.replace_children_with_node_2(&style.done(), &base);
        self.notice = Some(notice);
        self.status = Some(status);
        self.render_notice();
        self.render_status();
    }

    fn field(&self, field: &Field) -> H {
        let id = format!("mk-{}", field.path);
        let value = self.state.data.get(field.path);
        let help = field.help.map(|k| H::new("p").class("help").attr("id", &format!("{id}-help")).attr("part", "help").text(self.t(k)));
        if let FieldKind::Choice(options) = field.kind {
            let mut set = H::new("fieldset").class("choice").attr("part", "choice").attr("id", &id);
            set = set.add(H::new("legend").attr("part", "label").text(self.t(field.label)));
            for (option, label) in options {
                let radio = H::new("input")
                    .attr("type", "radio")
                    .attr("name", field.path)
                    .attr("value", option)
                    .attr("part", "radio")
                    .flag("checked", value == *option);
                set = set.add(H::new("label").class("option").add(radio).add(H::new("span").text(self.t(*label))));
            }
            return set;
        }
        let control = match field.kind {
            FieldKind::LongText => H::new("textarea").attr("rows", "4"),
            FieldKind::Date => H::new("input").attr("type", "date"),
            FieldKind::Contact => H::new("input").attr("type", "text").attr("spellcheck", "false").attr("autocapitalize", "off"),
            _ => H::new("input").attr("type", "text"),
        }
        .attr("id", &id)
        .attr("name", field.path)
        .attr("part", "field")
        .attr("maxlength", &field.max_len.to_string());
        let control = match field.autocomplete {
            Some(token) => control.attr("autocomplete", token),
            None => control,
        };
        let control = match field.help {
            Some(_) => control.attr("aria-describedby", &format!("{id}-help")),
            None => control,
        };
        set_value(&control.0, value);
        H::new("div")
            .class("row")
            .add(H::new("label").attr("for", &id).attr("part", "label").text(self.t(field.label)))
            .add_some(help)
            .add(control)
    }

    fn render_notice(&self) {
        let Some(area) = &self.notice else { return };
        dom::clear(area);
        let Some(notice) = &self.state.notice else {
            let _ = area.set_attribute("hidden", "");
            return;
        };
        let _ = area.remove_attribute("hidden");
        let (kind, text) = match notice {
            Notice::Restored { saved_at } => {
                let date = dom::format_date_time(self.locale.tag(), *saved_at);
                ("info", i18n::fill(self.t(Key::DraftRestored), &[("date", &date)]))
            }
            Notice::Storage(error) => ("warning", self.t(error.message()).to_owned()),
        };
        let _ = area.set_attribute("data-kind", kind);
        let content = H::new("p").text(&text).done();
        let dismiss = H::new("button")
            .attr("type", "button")
            .attr("part", "button")
            .attr("data-action", "dismiss")
            .text(self.t(Key::Dismiss))
            .done();
        area.replace_children_with_node_2(&content, &dismiss);
    }

    fn render_status(&self) {
        let Some(status) = &self.status else { return };
        let saved = self.state.saved_at.is_some() && !self.state.unsaved;
        status.set_text_content(Some(if saved { self.t(Key::DraftSaved) } else { "" }));
    }

    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::None => {}
            Effect::Notice => self.render_notice(),
            Effect::ScheduleSave => {
                let weak = self.weak.clone();
                self.render_status();
                self.autosave = Some(Timeout::new(AUTOSAVE_MS, move || {
                    if let Some(this) = weak.upgrade() {
                        flush(&this);
                    }
                }));
            }
        }
    }

    fn save_now(&mut self, outgoing: &mut Vec<Outgoing>) {
        self.autosave = None;
        if !self.state.unsaved {
            return;
        }
        let now = dom::now();
        let result = store::save(&*self.store, &self.key, self.spec.schema, now, &self.state.data).map(|_| now);
        match &result {
            Ok(_) => outgoing.push(("mentorkit-change", self.value())),
            Err(error) => outgoing.push(("mentorkit-error", error_detail(error))),
        }
        let effect = self.state.update(Msg::Saved(result));
        self.apply(effect);
        self.render_status();
    }

    fn report_notice(&self, outgoing: &mut Vec<Outgoing>) {
        if let Some(Notice::Storage(error)) = &self.state.notice {
            outgoing.push(("mentorkit-error", error_detail(error)));
        }
    }
}

impl<T: 'static> Drop for View<T> {
    fn drop(&mut self) {
        // Unsaved edits are written by `flush` before an element is freed;
        // here only the owned listeners and timer go, by being dropped.
        self.autosave = None;
        self.listeners.clear();
    }
}

/// Writes unsaved edits now (page hidden, element removed).
pub(crate) fn flush<T>(this: &Rc<RefCell<View<T>>>)
where
    T: Form + Default + Serialize + DeserializeOwned + 'static,
{
    let mut outgoing = Vec::new();
    this.borrow_mut().save_now(&mut outgoing);
    fire_all(this, outgoing);
}

fn dispatch<T>(this: &Rc<RefCell<View<T>>>, msg: Msg)
where
    T: Form + Default + Serialize + DeserializeOwned + 'static,
{
    {
        let mut v = this.borrow_mut();
        let effect = v.state.update(msg);
        v.apply(effect);
    }
}

fn fire_all<T: 'static>(this: &Rc<RefCell<View<T>>>, outgoing: Vec<Outgoing>) {
    if outgoing.is_empty() {
        return;
    }
    let host = this.borrow().host.clone();
    for (name, detail) in outgoing {
        dom::fire(&host, name, &detail);
    }
}

fn load<T>(spec: &Spec<T>, store: &dyn Store, key: &str, store_error: Option<StoreError>) -> Draft<T>
where
    T: Form + Default + DeserializeOwned,
{
    let loaded = match store_error {
        Some(error) => Err(error),
        None => store::load(store, key, spec.schema, dom::now()),
    };
    Draft::restore(spec.steps, loaded, spec.fresh)
}

fn storage_key<T>(spec: &Spec<T>, namespace: &str, outgoing: &mut Vec<Outgoing>) -> String {
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

fn edited(event: &web_sys::Event) -> Option<(String, String)> {
    if let Some(input) = dom::target::<HtmlInputElement>(event) {
        return Some((input.name(), input.value()));
    }
    let area = dom::target::<HtmlTextAreaElement>(event)?;
    Some((area.name(), area.value()))
}

fn set_value(control: &Element, value: &str) {
    if let Some(input) = control.dyn_ref::<HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(area) = control.dyn_ref::<HtmlTextAreaElement>() {
        area.set_value(value);
    }
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
