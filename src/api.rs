//! The JS API's shared edge: the `MentorkitError` every call throws, the
//! answer of `validate()`, the agreement as text, and the helpers that need no
//! element. Each takes plain objects, returns plain values, and throws a
//! `MentorkitError` (with a stable `code`) for input it cannot use.

use crate::dom;
use crate::i18n::Locale;
use crate::model::config::Programme;
use crate::model::form::Step;
#[cfg(any(feature = "agreement", feature = "document"))]
use crate::model::json;
use crate::model::validate::{self, Problem};
use wasm_bindgen::prelude::*;

/// An `Error` for the host with a stable `code`, thrown by the API.
pub(crate) fn error(code: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(&["mentorkit: ", message].concat());
    error.set_name("MentorkitError");
    let _ = js_sys::Reflect::set(&error, &"code".into(), &code.into());
    error.into()
}

/// `{valid, problems: [{path, step, code, label, message}]}`, the label and
/// message in `locale`, as `validate()` answers.
pub(crate) fn problems_js(problems: &[Problem], steps: &[Step], programme: &Programme, locale: Locale) -> JsValue {
    let date = |d: &str| dom::format_date(locale.tag(), d);
    let list = js_sys::Array::new();
    for p in problems {
        let item = js_sys::Object::new();
        let label = validate::label(p, steps, programme, locale);
        let message = validate::message(p, programme, locale, &date);
        for (k, v) in [("path", p.path.as_str()), ("step", p.step), ("code", p.message.name()), ("label", &label), ("message", &message)] {
            let _ = js_sys::Reflect::set(&item, &k.into(), &v.into());
        }
        list.push(&item);
    }
    let result = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&result, &"valid".into(), &problems.is_empty().into());
    let _ = js_sys::Reflect::set(&result, &"problems".into(), &list);
    result.into()
}

/// Installs the texts of the language `tag` (`es`, `fr`, `de`, `ar`) from its
/// catalogue file, which the element script fetches when a widget needs it.
#[wasm_bindgen(js_name = installCatalogue)]
pub fn install_catalogue(tag: &str, file: &str) -> Result<(), JsValue> {
    crate::i18n::install(Locale::from_tag(tag), file).map_err(|e| error("catalogue-invalid", &["the catalogue for \"", tag, "\" could not be read: ", &e].concat()))
}

#[cfg(any(feature = "agreement", feature = "document"))]
mod helpers {
    use super::*;
    use crate::model::agreement::Agreement;

    fn agreement_from(data: &JsValue) -> Result<Agreement, JsValue> {
        json::from_js(data).map_err(|e| error("value-invalid", &["the agreement must be a flat object of texts: ", &e.0].concat()))
    }

    fn programme_from(programme: JsValue) -> Result<Programme, JsValue> {
        if programme.is_undefined() || programme.is_null() {
            return Ok(Programme::default());
        }
        let text = json::text_of_js(&programme).map_err(|e| error("config-invalid", &crate::model::config::ConfigError { key: "(programme)".into(), reason: e.0 }.message()))?;
        Programme::from_json(&text, &crate::model::agreement::SCHEMA).map_err(|e| error("config-invalid", &e.message()))
    }

    /// Checks an agreement's data (a flat object from field path to text) under
    /// the programme's configuration: `{valid, problems}`, as an element's
    /// `validate()` answers.
    #[cfg(feature = "agreement")]
    #[wasm_bindgen(js_name = validateAgreement)]
    pub fn validate_agreement(data: JsValue, programme: JsValue, locale: Option<String>) -> Result<JsValue, JsValue> {
        let values = agreement_from(&data)?;
        let programme = programme_from(programme)?;
        let locale = Locale::from_tag(locale.as_deref().unwrap_or("en"));
        Ok(problems_js(&crate::model::validate::validate(&values, &programme), crate::model::agreement::STEPS, &programme, locale))
    }

    /// Writes an agreement's data as `md`, `html`, `txt`, `ics` or `json` (the
    /// draft file the agreement builder opens). In the document's module.
    #[cfg(feature = "document")]
    #[wasm_bindgen(js_name = renderAgreement)]
    pub fn render_agreement(data: JsValue, format: &str, programme: JsValue, locale: Option<String>) -> Result<String, JsValue> {
        let values = agreement_from(&data)?;
        let programme = programme_from(programme)?;
        let locale = Locale::from_tag(locale.as_deref().unwrap_or("en"));
        let format = crate::widgets::action::Format::from_name(format)
            .ok_or_else(|| error("format-unknown", &["renderAgreement: \"", format, "\" is not a format; use md, html, txt, ics or json"].concat()))?;
        let date = |d: &str| dom::format_date(locale.tag(), d);
        let today = dom::today();
        let ctx = crate::widgets::Ctx { locale, today: &today, now: dom::now(), date: &date };
        Ok(crate::widgets::agreement::text(&values, &programme, &ctx, format, ""))
    }
}

/// Takes the widget's second module (the feedback history's, the agreement
/// document's) once the element script has started it: its `laterAnswer`
/// function (anything else if it could not be had, so the widget says so).
#[cfg(any(all(feature = "feedback", not(feature = "history")), all(feature = "agreement", not(feature = "document"))))]
#[wasm_bindgen(js_name = provideLater)]
pub fn provide_later(answer: JsValue) {
    dom::provide_later(&answer);
}

/// A widget's second module: keeps `data` (the history's or the
/// document's, as its widget hands it over) when given, then answers
/// `request` about what it keeps, as the request says whose it is: markup
/// or a file's text. A request marked for printing is printed instead, and
/// one marked for download offered as a file.
#[cfg(any(feature = "history", feature = "document"))]
#[wasm_bindgen(js_name = laterAnswer)]
pub fn later_answer(data: Option<String>, request: &str) -> Option<String> {
    if let Some(request) = request.strip_prefix(dom::PRINT) {
        let html = later_answer(data, request)?;
        dom::print_html(&html);
        return Some(String::new());
    }
    #[cfg(feature = "history")]
    if let Some(request) = request.strip_prefix(dom::DOWNLOAD) {
        let text = later_answer(data, request)?;
        let (name, mime) = crate::widgets::feedback::later::file_name(request)?;
        dom::download(&name, mime, &text);
        return Some(String::new());
    }
    #[cfg(feature = "history")]
    if request.starts_with(crate::widgets::feedback::later::FOR) {
        return history::answer(data, request);
    }
    #[cfg(feature = "document")]
    if request.starts_with(crate::widgets::agreement::later::FOR) {
        return document::answer(data, request);
    }
    None
}

/// The module that draws the device section here, and hears its buttons.
#[cfg(feature = "history")]
const WHOSE: &str = "history";
#[cfg(all(feature = "document", not(feature = "history")))]
const WHOSE: &str = "document";

/// A widget's second module, once it is here, takes its place in each
/// widget's shadow root `root`: adds its own styles (what only it draws is
/// styled once it has arrived: the feedback history's alerts, charts and
/// entries), and hears the buttons of the device section it draws there.
#[cfg(any(feature = "history", feature = "document"))]
#[wasm_bindgen]
pub fn hear(root: JsValue) {
    #[cfg(feature = "history")]
    dom::adopt_more_style(&root, include_str!("shell/history.css"));
    #[cfg(all(feature = "document", not(feature = "history")))]
    dom::adopt_more_style(&root, include_str!("shell/share.css"));
    dom::hear_device(&root, WHOSE, device);
    #[cfg(feature = "document")]
    link::heard(&root);
}

/// A button of the device section was pressed: carries out its act on what
/// this device keeps under the widget's namespace, and redraws the section,
/// in its language, with focus where it says; once everything is erased,
/// the widgets of the page start afresh.
#[cfg(any(feature = "history", feature = "document"))]
fn device(pressed: dom::DeviceAct) {
    use crate::store::LocalStore;
    use crate::widgets::device::{self, Act, Section};
    #[cfg(feature = "document")]
    if let Some(act) = crate::widgets::share::Act::from_name(&pressed.act) {
        return link::act(act, pressed);
    }
    let Some(act) = Act::from_name(&pressed.act) else { return };
    let namespace = crate::store::namespace_or_default(&pressed.namespace);
    let prefix = crate::store::prefix(namespace);
    // Storage refused: nothing is kept on this device.
    let store = LocalStore::open().ok().map(|(store, _)| store);
    let entries = || store.as_ref().map(|s| s.entries(&prefix)).unwrap_or_default();
    let erase = || {
        let Some(store) = &store else { return 0 };
        // Every widget of the namespace, in this tab or another, starts
        // afresh when the marker goes.
        crate::store::erase(store, &store.keys(&prefix), &device::marker(namespace));
        store.keys(&prefix).len()
    };
    let offer = |name: &str, text: &str| dom::download(name, "application/json", text);
    let locale = Locale::from_tag(&pressed.lang);
    let today = dom::today();
    let date = |d: &str| dom::format_date(locale.tag(), d);
    let ctx = crate::widgets::Ctx { locale, today: &today, now: dom::now(), date: &date };
    let redraw = |state: &mut Section, programme: &Programme| {
        match device::act(state, namespace, act, &ctx.now_iso(), &entries, &erase, &offer)? {
            device::Done::Erased => dom::tell_stored("device", &device::marker(namespace)),
            device::Done::Draw => {
                let d = crate::widgets::common::Draw::new(programme, &ctx);
                dom::fill(&pressed.section, &device::section(&d, state, WHOSE).children());
                state.focus = false;
                dom::focus_in(&pressed.section, "[data-focus-now]");
            }
        }
        Some(())
    };
    #[cfg(feature = "history")]
    history::with_held(None, |f| redraw(&mut f.device, &f.programme));
    #[cfg(not(feature = "history"))]
    document::with_held(None, |h| redraw(&mut h.own.device, &h.programme));
}

/// The feedback history's own module.
#[cfg(feature = "history")]
mod history {
    use super::*;
    use crate::widgets::feedback::{later, Feedback};
    use std::cell::RefCell;

    thread_local! {
        /// The history last handed over.
        static HELD: RefCell<Option<Feedback>> = const { RefCell::new(None) };
    }

    pub fn answer(data: Option<String>, request: &str) -> Option<String> {
        with_held(data, |f| later::answer(f, request, &|locale, d| dom::format_date(locale.tag(), d)))
    }

    /// Keeps `data` when given (what the device section shows stays as it
    /// was), then answers with `answer` about what is kept.
    pub fn with_held<R>(data: Option<String>, answer: impl FnOnce(&mut Feedback) -> Option<R>) -> Option<R> {
        HELD.with(|held| crate::widgets::later::keep_and_answer_keeping(&mut held.borrow_mut(), data, later::state, |f| &mut f.device, answer))
    }
}

/// The agreement document's own module.
#[cfg(feature = "document")]
mod document {
    use super::*;
    use crate::widgets::agreement::later::{self, Held};
    use std::cell::RefCell;

    thread_local! {
        /// The agreement last handed over.
        static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
    }

    pub fn answer(data: Option<String>, request: &str) -> Option<String> {
        with_held(data, |h| later::answer(h, request, &|locale, d| dom::format_date(locale.tag(), d)))
    }

    /// Keeps `data` when given (what the device section shows stays as it
    /// was), then answers with `answer` about what is kept.
    #[cfg_attr(feature = "history", allow(dead_code))]
    pub fn with_held<R>(data: Option<String>, answer: impl FnOnce(&mut Held) -> Option<R>) -> Option<R> {
        HELD.with(|held| crate::widgets::later::keep_and_answer_keeping(&mut held.borrow_mut(), data, later::state, |h| &mut h.own, answer))
    }

    /// What the module keeps about links, whether or not an agreement was
    /// handed over yet.
    pub fn with_share<R>(f: impl FnOnce(&mut crate::widgets::share::Share) -> R) -> R {
        HELD.with(|held| f(&mut held.borrow_mut().get_or_insert_with(Held::default).own.share))
    }
}

/// Links that carry a draft: made, copied, and opened (see
/// [`crate::widgets::share`]).
#[cfg(feature = "document")]
mod link {
    use super::*;
    use crate::model::envelope::{self, AGREEMENT_DRAFT};
    use crate::model::form::Values;
    use crate::store::Store;
    use crate::widgets::share::{self, Act, Arrived, Say};

    /// A widget's shadow root `root` is heard: if it is an agreement
    /// builder's, a link the page was opened with (or one pasted later) goes
    /// to the first such builder still on the page.
    pub fn heard(root: &JsValue) {
        let Some(root) = dom::link::builder(root) else { return };
        dom::link::hear(&root, came);
    }

    /// The address may carry a link, for the builder of `root`: it is taken
    /// out of the address, opened, and given to the builder.
    fn came(root: web_sys::ShadowRoot) {
        let Some(hash) = dom::link::take(share::HASH) else { return };
        wasm_bindgen_futures::spawn_local(open(root, hash));
    }

    /// The key the builder of `root` keeps its draft under.
    fn draft_key(root: &web_sys::ShadowRoot) -> String {
        crate::store::key(crate::store::namespace_or_default(&dom::link::namespace(root)), "agreement", "draft")
    }

    async fn open(root: web_sys::ShadowRoot, hash: String) {
        let name = share::say(Locale::from_tag(&dom::link::lang(&root)), Say::FromLink);
        let sealed = share::sealed_in(&hash).unwrap_or_default();
        // What cannot be opened goes in as it came: the builder says why,
        // as it does for a file.
        let Some(text) = dom::link::open(sealed, crate::widgets::draft::MAX_FILE_BYTES).await else {
            dom::link::hand_over(&root, name, "");
            return;
        };
        let Ok(incoming) = envelope::open::<Values>(AGREEMENT_DRAFT, &text) else {
            dom::link::hand_over(&root, name, &text);
            return;
        };
        // What this device had: nothing if it never saved a draft.
        let store = crate::store::LocalStore::open().ok().map(|(store, _)| store);
        let key = draft_key(&root);
        let saved = store.as_ref().is_some_and(|s| s.get(&key).ok().flatten().is_some());
        let earlier = saved.then(|| json::parse::<Values>(&dom::link::host_value(&root)).ok()).flatten();
        let arrival = share::arrive(earlier.as_ref(), incoming.data);
        let now = dom::now();
        if let (true, Some(earlier)) = (arrival.ask, earlier) {
            // Kept aside until the person chooses, so closing the page loses nothing.
            let aside = crate::store::aside_key(&key, now);
            if let Some(store) = &store {
                let _ = store.set(&aside, &envelope::seal(AGREEMENT_DRAFT, now, &earlier));
            }
            document::with_share(|s| {
                s.arrived = Some(Arrived { earlier, aside });
                s.kept = false;
                s.focus = true;
            });
            dom::link::focus_when_there(&root, "#mk-arrived");
        }
        dom::link::hand_over(&root, name, &envelope::seal(AGREEMENT_DRAFT, now, &arrival.open));
    }

    /// A button of the link's sections was pressed.
    pub fn act(act: Act, pressed: dom::DeviceAct) {
        let Some(root) = dom::link::root_of(&pressed.section) else { return };
        match act {
            Act::Make => {
                let Some(values) = document::with_held(None, |h| Some(h.values.clone())) else { return };
                wasm_bindgen_futures::spawn_local(async move {
                    let text = envelope::seal(AGREEMENT_DRAFT, dom::now(), &values);
                    let made = match dom::link::seal(&text).await {
                        Some(sealed) => share::made(share::link(&dom::link::page(), &sealed), values),
                        None => share::Link::Failed,
                    };
                    document::with_share(|s| {
                        s.link = made;
                        s.copied = None;
                    });
                    redraw(&pressed);
                });
            }
            Act::Copy => {
                let share::Link::Made { link, .. } = document::with_share(|s| s.link.clone()) else { return };
                wasm_bindgen_futures::spawn_local(async move {
                    let copied = dom::link::copy(&link).await;
                    document::with_share(|s| s.copied = Some(copied));
                    redraw(&pressed);
                });
            }
            Act::KeepLink | Act::KeepMine => {
                let Some(arrived) = document::with_share(|s| s.arrived.take()) else { return };
                if let Ok((store, _)) = crate::store::LocalStore::open() {
                    let _ = store.remove(&arrived.aside);
                }
                if act == Act::KeepMine {
                    let text = envelope::seal(AGREEMENT_DRAFT, dom::now(), &arrived.earlier);
                    dom::link::hand_over(&root, share::say(Locale::from_tag(&pressed.lang), Say::Earlier), &text);
                    return;
                }
                document::with_share(|s| s.kept = true);
                redraw(&pressed);
            }
        }
    }

    /// Draws the pressed section again as the module's state says, with
    /// focus where it says.
    fn redraw(pressed: &dom::DeviceAct) {
        let locale = Locale::from_tag(&pressed.lang);
        let today = dom::today();
        let date = |d: &str| dom::format_date(locale.tag(), d);
        let ctx = crate::widgets::Ctx { locale, today: &today, now: dom::now(), date: &date };
        document::with_held(None, |h| {
            h.own.share.focus = true;
            let d = crate::widgets::common::Draw::new(&h.programme, &ctx);
            let drawn = match dom::link::is(&pressed.section, ".arrived") {
                true => share::arrived(&d, &h.own.share, &h.values)?,
                false => share::section(&d, &h.own.share, &h.values),
            };
            dom::fill(&pressed.section, &drawn.children());
            h.own.share.focus = false;
            dom::focus_in(&pressed.section, "[data-focus-now]");
            Some(())
        });
    }
}
