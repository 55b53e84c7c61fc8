//! The only module that calls `web_sys` for building and reading the page.
//!
//! Elements are made with [`H`](crate::markup::H), a small builder that writes escaped markup
//! and has the browser parse it once; callers never write markup. Events for hosts go through
//! [`fire`], so every one bubbles and crosses the shadow boundary the same way.

use crate::markup::Markup;
use crate::model::outbox::{self, Outcome};
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::{Document, Element, HtmlElement};

/// The page's window, if there is one (not in a worker).
pub fn window() -> Option<web_sys::Window> {
    page_js()
}

/// The page's document.
pub fn document() -> Document {
    window()
        .and_then(|w| w.document())
        .expect_throw("mentorkit runs in a page with a document")
}

/// The first element `markup` describes (an empty `div` where the page will
/// not let it be made; [`failed`] then says so).
pub fn element(markup: &Markup) -> Element {
    parse(markup.as_str()).and_then(|f| f.first_element_child()).unwrap_or_else(stand_in)
}

/// Replaces the children of `el` with what `markup` describes.
pub fn fill(el: &Element, markup: &Markup) {
    if let Some(fragment) = parse(markup.as_str()) {
        el.replace_children_with_node_1(&fragment);
    }
}

/// Appends what `markup` describes to `el`.
#[cfg(any(feature = "feedback", feature = "history"))]
pub fn append(el: &Element, markup: &Markup) {
    if let Some(fragment) = parse(markup.as_str()) {
        let _ = el.append_child(&fragment);
    }
}

/// Draws `markup` as the whole content of `root`, putting each kept live
/// region where the markup has its placeholder ([`crate::markup::REGION`]),
/// so a screen reader hears what changes in it. `style` is a stylesheet's
/// text to put first, where the browser cannot share one.
pub fn draw(root: &web_sys::ShadowRoot, markup: &Markup, regions: &[(&str, &Element)], style: Option<&str>) {
    let Some(fragment) = parse(markup.as_str()) else { return };
    for (name, region) in regions {
        let selector = ["[", crate::markup::REGION, "=\"", name, "\"]"].concat();
        if let Ok(Some(placeholder)) = fragment.query_selector(&selector) {
            let _ = placeholder.replace_with_with_node_1(region);
        }
    }
    match style.and_then(|css| document().create_element("style").ok().map(|el| (el, css))) {
        Some((el, css)) => {
            el.set_text_content(Some(css));
            root.replace_children_with_node_2(&el, &fragment);
        }
        None => root.replace_children_with_node_1(&fragment),
    }
}

/// Shows the problems on display: each field's message in its slot, with
/// the field marked `aria-invalid`, and the summary. What was shown before is
/// cleared first, so the work grows with the problems, not the form.
pub fn show_problems(root: &web_sys::ShadowRoot, shown: &crate::widgets::common::Shown) {
    for slot in all(root, "[data-error-for]:not([hidden])") {
        slot.set_text_content(None);
        let _ = slot.set_attribute("hidden", "");
        let path = slot.get_attribute("data-error-for").unwrap_or_default();
        for control in all(root, &["[name=\"", &path, "\"]"].concat()) {
            let _ = control.remove_attribute("aria-invalid");
        }
    }
    for (path, message) in &shown.fields {
        if let Ok(Some(slot)) = root.query_selector(&["[data-error-for=\"", path, "\"]"].concat()) {
            slot.set_text_content(Some(message));
            let _ = slot.remove_attribute("hidden");
            for control in all(root, &["[name=\"", path, "\"]"].concat()) {
                let _ = control.set_attribute("aria-invalid", "true");
            }
        }
    }
    let Ok(Some(summary)) = root.query_selector(".summary") else { return };
    match &shown.summary {
        Some(content) => {
            fill(&summary, content);
            let _ = summary.remove_attribute("hidden");
        }
        None => {
            summary.replace_children_with_node_0();
            let _ = summary.set_attribute("hidden", "");
        }
    }
}

/// The first element under `root` matching `selector`.
pub fn find(root: &web_sys::ShadowRoot, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

/// The values of the ticked boxes named `name` under `root`, with
/// `separator` between them.
pub fn ticked(root: &web_sys::ShadowRoot, name: &str, separator: char) -> String {
    ticked_js(root, name, separator.encode_utf8(&mut [0; 4]))
}

/// The text of the field named `name` under `root`, and whether the box
/// named `confirm` is ticked.
#[cfg(any(feature = "agreement", feature = "document"))]
pub fn typed_and_ticked(root: &web_sys::ShadowRoot, name: &str, confirm: &str) -> (String, bool) {
    let found: js_sys::Array = typed_and_ticked_js(root, name, confirm).unchecked_into();
    (found.get(0).as_string().unwrap_or_default(), found.get(1).is_truthy())
}

/// The `data-action` of the element an event happened in, if any.
pub fn action_of(event: &web_sys::Event) -> Option<String> {
    target::<Element>(event)?.closest("[data-action]").ok().flatten()?.get_attribute("data-action")
}

/// The edited control's name, value, and for a checkbox whether it is ticked.
pub fn edited(event: &web_sys::Event) -> Option<(String, String, Option<bool>)> {
    let found: js_sys::Array = edited_js(event).dyn_into().ok()?;
    Some((found.get(0).as_string()?, found.get(1).as_string()?, found.get(2).as_bool()))
}

/// The file chosen in the file input an event came from, and clears the
/// input so the same file can be chosen again.
pub fn chosen_file(event: &web_sys::Event, name: &str) -> Option<web_sys::File> {
    chosen_file_js(event, name)
}

/// Writes `text(id)` into every `[data-delivery=id]` marker under `root`.
pub fn mark_deliveries(root: &web_sys::ShadowRoot, text: impl Fn(&str) -> String) {
    for marker in all(root, "[data-delivery]") {
        let id = marker.get_attribute("data-delivery").unwrap_or_default();
        marker.set_text_content(Some(&text(&id)));
    }
}

thread_local! {
    /// Set when the page would not let markup be made into elements.
    static FAILED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether making elements failed since the last call (and clears it).
pub fn failed() -> bool {
    FAILED.with(|f| f.replace(false))
}

/// An empty element standing in for one the page would not let be made.
fn stand_in() -> Element {
    FAILED.with(|f| f.set(true));
    document().create_element("div").unwrap_or_else(|_| js_sys::Object::new().unchecked_into())
}

/// Parses markup made by [`H`] in the page's document (see `page.js`).
/// `None` (and [`failed`]) where the page would not let it.
fn parse(markup: &str) -> Option<web_sys::DocumentFragment> {
    let parsed = parse_js(markup);
    if parsed.is_none() {
        FAILED.with(|f| f.set(true));
    }
    parsed
}

/// Removes every child of `node`.
pub fn clear(node: &Element) {
    node.replace_children_with_node_0();
}

/// The window event by which each widget module tells the page's other
/// modules (each its own instance, with its own memory) that it wrote a key:
/// a page's own writes fire no `storage` event.
const STORED: &str = "mentorkit-stored";

/// A name for this module among the page's others: not a secret, only
/// different from theirs.
pub fn module_name() -> String {
    let bits = js_sys::Math::random().to_bits();
    (0..16).map(|i| char::from(b"0123456789abcdef"[((bits >> (i * 4)) & 15) as usize])).collect()
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/dom/page.js")]
extern "C" {
    /// Dispatches a bubbling, composed `CustomEvent` from `target` (the
    /// window if `undefined`).
    #[wasm_bindgen(js_name = fire)]
    fn fire_js(target: &JsValue, name: &str, detail: &JsValue);
    /// Today's local date, as days since 1970-01-01.
    #[wasm_bindgen(js_name = today)]
    fn today_js() -> f64;
    /// A date written by `Intl` (see `page.js`).
    #[wasm_bindgen(js_name = formatDate)]
    fn format_date_js(locale: &str, iso: &str) -> String;
    /// A random version 4 UUID.
    #[wasm_bindgen(js_name = randomId)]
    fn random_id_js() -> String;
    /// `[name, start, end]` of the control with focus, if any.
    #[wasm_bindgen(js_name = focused)]
    fn focused_js(root: &web_sys::ShadowRoot) -> JsValue;
    /// Sets a text field's selection.
    #[wasm_bindgen(js_name = select)]
    fn select_js(el: &Element, start: u32, end: u32);
    /// A URL resolved against the page, if it is `http:` or `https:`.
    #[wasm_bindgen(js_name = httpUrl)]
    fn http_url_js(url: &str) -> Option<String>;
    /// The page's window, if any.
    #[wasm_bindgen(js_name = page)]
    fn page_js() -> Option<web_sys::Window>;
    /// Markup made into a fragment, or `null` where the page will not.
    #[wasm_bindgen(js_name = parse)]
    fn parse_js(markup: &str) -> Option<web_sys::DocumentFragment>;
    /// `[name, value, ticked]` of the edited control.
    #[wasm_bindgen(js_name = edited)]
    fn edited_js(event: &web_sys::Event) -> JsValue;
    /// Offers a file.
    #[wasm_bindgen(js_name = download)]
    fn download_js(name: &str, mime: &str, text: &str);
    /// Adopts the stylesheet made from `css` (see `page.js`).
    #[wasm_bindgen(js_name = adopt)]
    fn adopt_js(root: &web_sys::ShadowRoot, css: &str, first: bool) -> bool;
    /// The values of the ticked boxes named `name`, `separator` between.
    #[wasm_bindgen(js_name = ticked)]
    fn ticked_js(root: &web_sys::ShadowRoot, name: &str, separator: &str) -> String;
    /// `[text, ticked]`: the text of the field `name`, whether box `confirm` is ticked.
    #[cfg(any(feature = "agreement", feature = "document"))]
    #[wasm_bindgen(js_name = typedAndTicked)]
    fn typed_and_ticked_js(root: &web_sys::ShadowRoot, name: &str, confirm: &str) -> JsValue;
    /// The file chosen in the input named `name` an event came from.
    #[wasm_bindgen(js_name = chosenFile)]
    fn chosen_file_js(event: &web_sys::Event, name: &str) -> Option<web_sys::File>;
    /// Whether `el` is an open `<details>`.
    #[cfg(any(feature = "feedback", feature = "history"))]
    #[wasm_bindgen(js_name = isOpen)]
    fn is_open_js(el: &Element) -> bool;
    /// `[record, open]` of a toggled history entry or preview.
    #[wasm_bindgen(js_name = toggled)]
    fn toggled_js(event: &web_sys::Event) -> JsValue;
    /// Adds `handler` as a listener; returns what removes it.
    #[wasm_bindgen(js_name = listen)]
    fn listen_js(target: &JsValue, event: &str, handler: &JsValue, capture: bool) -> js_sys::Function;
    /// `[key, id]` of a key pressed on a tab.
    #[cfg(any(feature = "feedback", feature = "history"))]
    #[wasm_bindgen(js_name = keyOnTab)]
    fn key_on_tab_js(event: &web_sys::Event) -> JsValue;
}

/// Tells the page's other widget modules that module `from` wrote `key`.
pub fn tell_stored(from: &str, key: &str) {
    fire_js(&JsValue::UNDEFINED, STORED, &[from, "\n", key].concat().into());
}

/// Listens for [`tell_stored`]: `f(from, key)`. Anything else under that
/// name is ignored.
pub fn on_stored(f: impl Fn(&str, &str) + 'static) -> Option<Listener> {
    let window = window()?;
    Some(listen(&window, STORED, false, move |event| {
        let detail = event.dyn_ref::<web_sys::CustomEvent>().and_then(|e| e.detail().as_string());
        if let Some((from, key)) = detail.as_deref().and_then(|d| d.split_once('\n')) {
            f(from, key);
        }
    }))
}

/// Dispatches a `CustomEvent` named `name` from `host` that bubbles, crosses
/// shadow roots and carries `detail`.
pub fn fire(host: &HtmlElement, name: &str, detail: &JsValue) {
    fire_js(host, name, detail);
}

/// Milliseconds since the epoch.
pub fn now() -> f64 {
    js_sys::Date::now()
}

/// Today's local date as `YYYY-MM-DD`.
pub fn today() -> String {
    crate::model::date::format(today_js() as crate::model::date::Days)
}

/// An ISO 8601 timestamp (UTC) for milliseconds since the epoch; a time no
/// `Date` can hold (from stored data) is held at the nearest one it can.
pub fn iso(ms: f64) -> String {
    let ms = if ms.is_nan() { 0.0 } else { ms.clamp(-crate::model::envelope::MAX_TIME, crate::model::envelope::MAX_TIME) };
    js_sys::Date::new(&JsValue::from_f64(ms)).to_iso_string().into()
}

/// The element an event started at (inside the shadow root, events are not
/// retargeted, so this is the control itself).
pub fn target<T: JsCast>(event: &web_sys::Event) -> Option<T> {
    event.target()?.dyn_into::<T>().ok()
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, mime: &str, text: &str) {
    download_js(name, mime, text);
}

/// Prints `html` (a whole document) through a hidden frame, so the person gets
/// the browser's print dialog, with "Save as PDF", for just the document.
/// One print at a time: a new one takes the place of a frame still loading.
#[cfg(any(feature = "history", feature = "document"))]
pub fn print_html(html: &str) {
    thread_local! {
        /// The frame being printed waits for its load with this listener.
        static PRINTING: std::cell::RefCell<Option<Listener>> = const { std::cell::RefCell::new(None) };
    }
    let waiting = print_frame(html);
    PRINTING.with(|p| *p.borrow_mut() = waiting);
}

#[cfg(any(feature = "history", feature = "document"))]
fn print_frame(html: &str) -> Option<Listener> {
    let frame: web_sys::HtmlIFrameElement = document().create_element("iframe").ok()?.unchecked_into();
    let _ = frame.set_attribute("title", "print");
    let _ = frame.set_attribute("aria-hidden", "true");
    // Out of sight through the CSSOM, which a strict policy allows (a style
    // attribute it would refuse).
    if let Ok(style) = js_sys::Reflect::get(&frame, &"style".into()) {
        let _ = js_sys::Reflect::set(&style, &"cssText".into(), &"position:fixed;width:0;height:0;border:0;visibility:hidden".into());
    }
    // The document's own <style> would be refused by a strict policy (and
    // reported): its rules go in as a constructed sheet instead.
    let (html, css) = match (html.find("<style>"), html.find("</style>")) {
        (Some(start), Some(end)) if start < end => ([&html[..start], &html[end + "</style>".len()..]].concat(), html[start + "<style>".len()..end].to_owned()),
        _ => (html.to_owned(), String::new()),
    };
    frame.set_srcdoc(&html);
    let body = document().body()?;
    let _ = body.append_child(&frame);
    let target = frame.clone();
    Some(listen(&frame, "load", false, move |_| {
        if let (Some(window), Some(doc)) = (target.content_window(), target.content_document()) {
            adopt_styles(&window, &doc, &css);
            let _ = window.print();
        }
        // print() returns once the dialog has closed.
        target.remove();
    }))
}

/// Put before a request to the second module, asks it to print the
/// document the request would be answered with, rather than answer it.
pub const PRINT: &str = "print:";

/// Put before a request to the second module for a file, asks it to offer
/// the file as a download, rather than answer with its text.
#[cfg(any(feature = "feedback", feature = "history"))]
pub const DOWNLOAD: &str = "download:";

/// What a press on a button of a device section carries: its act, the
/// section, the widget's `namespace` attribute and the section's language.
#[cfg(any(feature = "history", feature = "document"))]
pub struct DeviceAct {
    /// The button's act.
    pub act: String,
    /// The section, to redraw.
    pub section: Element,
    /// The host's `namespace` attribute.
    pub namespace: String,
    /// The nearest `lang` around the section.
    pub lang: String,
}

/// Listens on `root` (a widget's shadow root, once: the same listener is
/// added once however often this is called, and goes with the root) for a
/// press on a button of a device section that the module `whose` drew (see
/// [`crate::widgets::device`]).
#[cfg(any(feature = "history", feature = "document"))]
pub fn hear_device(root: &JsValue, whose: &'static str, f: fn(DeviceAct)) {
    thread_local! {
        static HEARD: std::cell::OnceCell<wasm_bindgen::closure::Closure<dyn FnMut(web_sys::Event)>> = const { std::cell::OnceCell::new() };
    }
    let Some(root) = root.dyn_ref::<web_sys::ShadowRoot>() else { return };
    HEARD.with(|heard| {
        let handler = heard.get_or_init(|| wasm_bindgen::closure::Closure::new(move |event: web_sys::Event| device_pressed(&event, whose, f)));
        let _ = root.add_event_listener_with_callback("click", handler.as_ref().unchecked_ref());
    });
}

/// A click in a widget: `f` hears it if it pressed a device button.
#[cfg(any(feature = "history", feature = "document"))]
fn device_pressed(event: &web_sys::Event, whose: &str, f: fn(DeviceAct)) {
    use crate::widgets::device::{ACT, SECTION};
    {
        // The path runs from the button out to the widget's shadow root.
        let (mut act, mut section): (Option<String>, Option<Element>) = (None, None);
        for item in event.composed_path().iter() {
            if let Some(root) = item.dyn_ref::<web_sys::ShadowRoot>() {
                if let (Some(act), Some(section)) = (act, section) {
                    let lang = section.closest("[lang]").ok().flatten().and_then(|el| el.get_attribute("lang")).unwrap_or_default();
                    f(DeviceAct { act, section, namespace: root.host().get_attribute("namespace").unwrap_or_default(), lang });
                }
                return;
            }
            let Some(el) = item.dyn_ref::<Element>() else { continue };
            if act.is_none() {
                act = el.get_attribute(ACT);
            } else if section.is_none() && el.matches(SECTION).unwrap_or(false) && el.get_attribute("data-for").as_deref() == Some(whose) {
                section = Some(el.clone());
            }
        }
    }
}

/// Gives a document `css` as a constructed stylesheet, which a page's
/// policy without `'unsafe-inline'` allows where it refuses a `<style>`. The
/// sheet is made in the document's own window, the only one that may adopt
/// it.
#[cfg(any(feature = "history", feature = "document"))]
fn adopt_styles(window: &web_sys::Window, doc: &Document, css: &str) {
    let make = || -> Option<()> {
        let class = js_sys::Reflect::get(window, &"CSSStyleSheet".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
        let sheet = js_sys::Reflect::construct(&class, &js_sys::Array::new()).ok()?;
        let replace = js_sys::Reflect::get(&sheet, &"replaceSync".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
        replace.call1(&sheet, &css.into()).ok()?;
        js_sys::Reflect::set(doc, &"adoptedStyleSheets".into(), &js_sys::Array::of1(&sheet)).ok()?;
        Some(())
    };
    let _ = make();
}

/// Moves focus to `el`. The page's focus listeners run during this call, so
/// the caller holds no borrow of a widget's state.
pub fn focus(el: &Element) {
    if let Some(el) = el.dyn_ref::<HtmlElement>() {
        let _ = el.focus();
    }
}

/// The name of the control that has focus in `root`, with its selection (for
/// a text field), so a redraw can put both back.
pub fn focused(root: &web_sys::ShadowRoot) -> Option<(String, Option<(u32, u32)>)> {
    let found: js_sys::Array = focused_js(root).dyn_into().ok()?;
    let name = found.get(0).as_string()?;
    let at = |i| found.get(i).as_f64().map(|n| n as u32);
    Some((name, at(1).zip(at(2))))
}

/// Moves focus to the first element in `el` that matches `selector`.
#[cfg(any(feature = "history", feature = "document"))]
pub fn focus_in(el: &Element, selector: &str) {
    if let Ok(Some(found)) = el.query_selector(selector) {
        focus(&found);
    }
}

/// Whether a control of `root` that [`focused`] would name has focus.
pub fn has_focus(root: &web_sys::ShadowRoot) -> bool {
    !focused_js(root).is_undefined()
}

/// Puts a text field's selection back, as [`focused`] read it.
pub fn select(el: &Element, (start, end): (u32, u32)) {
    select_js(el, start, end);
}

/// Fetches `url` and returns its body as text.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let answer = wasm_bindgen_futures::JsFuture::from(fetch_text_js(url)).await;
    answer.map(|t| t.as_string().unwrap_or_default()).map_err(|why| why.as_string().unwrap_or_default())
}

/// Reads a file the person chose as text.
#[cfg(any(feature = "agreement", feature = "document"))]
pub async fn read_file(file: &web_sys::File) -> Result<String, String> {
    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.map_err(|_| "it could not be read".to_owned())?;
    Ok(text.as_string().unwrap_or_default())
}

/// The current time as an ISO 8601 timestamp (UTC).
pub fn now_iso() -> String {
    iso(now())
}

/// A calendar date (`YYYY-MM-DD`) or timestamp formatted by `Intl` for
/// `locale`; what is not a date comes back as it was.
pub fn format_date(locale: &str, iso: &str) -> String {
    format_date_js(locale, iso)
}

/// A random id in the form of a version 4 UUID, from the browser's
/// cryptographic random numbers (available outside secure contexts too).
pub fn random_id() -> String {
    random_id_js()
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/dom/net.js")]
extern "C" {
    /// Sends one record (see `net.js`): resolves, never rejects, with
    /// `[status, retryAfter, text, fromBody]`.
    #[wasm_bindgen(js_name = send)]
    fn send_js(to: &JsValue, headers: &js_sys::Array, credentials: &str, key: &str, body: &str, keepalive: bool, timeout_ms: u32) -> js_sys::Promise;
    /// Takes a Web Lock if it is free: resolves with its release, or null.
    #[wasm_bindgen(js_name = lock)]
    fn lock_js(name: &str) -> js_sys::Promise;
    /// The name of the first header the browser would refuse, if any.
    #[wasm_bindgen(js_name = badHeader)]
    fn bad_header_js(headers: &js_sys::Array) -> Option<String>;
    /// Fetches a text: resolves with it, or rejects with why it cannot be had.
    #[wasm_bindgen(js_name = fetchText)]
    fn fetch_text_js(url: &str) -> js_sys::Promise;
}

/// How a record is sent: to a URL, or through a function the host gave.
pub enum Transport {
    /// `POST` to this URL.
    Endpoint {
        /// The URL, already resolved against the page.
        url: String,
        /// Extra headers the host set through the `headers` property.
        headers: Vec<(String, String)>,
        /// `omit`, `same-origin` or `include`.
        credentials: String,
    },
    /// The host's `deliver(record)` function.
    Function(js_sys::Function),
}

/// The name of the first of `headers` the browser would refuse to send: a
/// name that is not an HTTP token, or a value it cannot carry.
pub fn bad_header(headers: &[(String, String)]) -> Option<String> {
    bad_header_js(&pairs(headers))
}

/// Names and values in turn, as `net.js` takes them.
fn pairs(headers: &[(String, String)]) -> js_sys::Array {
    let list = js_sys::Array::new();
    for (name, value) in headers {
        list.push(&name.into());
        list.push(&value.into());
    }
    list
}

/// Starts sending one record now and returns what came of it once known.
/// The request starts before the first `.await`, so several can be under
/// way at once (as when the page is being hidden).
pub fn send(transport: &Transport, key: &str, body: &str, keepalive: bool) -> impl std::future::Future<Output = Outcome> {
    let (to, headers, credentials): (JsValue, _, &str) = match transport {
        Transport::Endpoint { url, headers, credentials } => (url.into(), pairs(headers), credentials),
        Transport::Function(deliver) => (deliver.into(), js_sys::Array::new(), ""),
    };
    let answer = send_js(&to, &headers, credentials, key, body, keepalive, outbox::TIMEOUT_MS);
    async move {
        let answer: js_sys::Array = wasm_bindgen_futures::JsFuture::from(answer).await.map_or_else(|_| js_sys::Array::new(), JsCast::unchecked_into);
        let status = answer.get(0).as_f64().unwrap_or(0.0);
        let text = answer.get(2).as_string().unwrap_or_default();
        if status < 0.0 {
            return Outcome::Timeout;
        }
        if status < 1.0 {
            return Outcome::Network(text);
        }
        let status = status as u16;
        let retry = answer.get(1);
        if !answer.get(3).is_truthy() {
            return Outcome::Answer { status, retry_after_ms: retry.as_f64(), reason: text };
        }
        // An HTTP date is read by the browser's date parser.
        let retry_after_ms = retry.as_string().and_then(|v| {
            outbox::retry_after_seconds(&v).or_else(|| {
                let at = js_sys::Date::new(&JsValue::from_str(&v)).get_time();
                (!at.is_nan()).then(|| (at - now()).max(0.0))
            })
        });
        Outcome::Answer { status, retry_after_ms, reason: outbox::reason_of(status, &text) }
    }
}

/// Runs `work` holding the page-wide Web Lock `name`, if no other tab or
/// widget holds it; returns `false` without running it otherwise. Where the
/// browser has no Web Locks, `work` simply runs.
pub async fn with_lock(name: &str, work: impl std::future::Future<Output = ()>) -> bool {
    let release = wasm_bindgen_futures::JsFuture::from(lock_js(name)).await.unwrap_or_default();
    let Some(release) = release.dyn_ref::<js_sys::Function>() else { return false };
    work.await;
    let _ = release.call0(&JsValue::UNDEFINED);
    true
}

/// Whether the browser believes it is online.
pub fn online() -> bool {
    window().is_none_or(|w| w.navigator().on_line())
}

/// A URL resolved against the page, if it is `http:` or `https:`.
pub fn http_url(url: &str) -> Option<String> {
    http_url_js(url)
}

/// A random number in 0–1.
pub fn random() -> f64 {
    js_sys::Math::random()
}

/// The elements under `root` matching `selector`.
pub fn all(root: &web_sys::ShadowRoot, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into().ok()).collect()
}

/// An attribute of `el`, if it has it.
pub fn attribute(el: &Element, name: &str) -> Option<String> {
    el.get_attribute(name)
}

/// Whether `el` has the attribute `name`.
#[cfg(any(feature = "feedback", feature = "history"))]
pub fn has_attribute(el: &Element, name: &str) -> bool {
    el.has_attribute(name)
}

/// Sets an attribute of `el`.
pub fn set_attribute(el: &Element, name: &str, value: &str) {
    let _ = el.set_attribute(name, value);
}

/// Removes an attribute of `el`.
pub fn remove_attribute(el: &Element, name: &str) {
    let _ = el.remove_attribute(name);
}

/// Replaces the text of `el`.
pub fn set_text(el: &Element, text: &str) {
    el.set_text_content(Some(text));
}

/// Replaces everything in `root` with a line of text.
pub fn set_root_text(root: &web_sys::ShadowRoot, text: &str) {
    root.set_text_content(Some(text));
}

/// The nearest `lang` of `el` or an ancestor.
pub fn nearest_lang(el: &Element) -> Option<String> {
    el.closest("[lang]").ok().flatten().and_then(|el| el.get_attribute("lang"))
}

/// Whether the host element holds a property `name` that is not
/// `undefined` or `null`.
pub fn has_property(host: &HtmlElement, name: &str) -> bool {
    js_sys::Reflect::get(host, &name.into()).is_ok_and(|p| !p.is_undefined() && !p.is_null())
}

/// Sets a property of a plain object made here.
pub fn set_property(object: &js_sys::Object, name: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(object, &name.into(), value);
}

/// `value` as a function, if it is one.
pub fn function(value: &JsValue) -> Option<js_sys::Function> {
    value.clone().dyn_into::<js_sys::Function>().ok()
}

/// `el` as an HTML element, if it is one.
pub fn html(el: Element) -> Option<HtmlElement> {
    el.dyn_into::<HtmlElement>().ok()
}

/// Whether a `<details>` is open.
#[cfg(any(feature = "feedback", feature = "history"))]
pub fn is_open(el: &Element) -> bool {
    is_open_js(el)
}

/// Clicks `el` once the event under way is over (a click on a file input
/// from a click listener would run into that listener again).
pub fn click_soon(el: HtmlElement) {
    wasm_bindgen_futures::spawn_local(async move { el.click() });
}

/// Writes a line to the console's errors, for the site's owner.
pub fn log_error(message: &str) {
    web_sys::console::error_1(&message.into());
}

/// Whether the page is hidden.
pub fn hidden() -> bool {
    document().hidden()
}

/// Stops the browser's own handling of `event`.
pub fn prevent_default(event: &web_sys::Event) {
    event.prevent_default();
}

/// The key a `storage` event is about (`None` when storage was cleared).
pub fn storage_key(event: &web_sys::Event) -> Option<String> {
    js_sys::Reflect::get(event, &"key".into()).ok().and_then(|k| k.as_string())
}

/// For a `toggle` event of a `<details>`: the record it shows, if it is a
/// history entry, and whether it is now open.
pub fn toggled(event: &web_sys::Event) -> Option<(Option<String>, bool)> {
    let found: js_sys::Array = toggled_js(event).dyn_into().ok()?;
    Some((found.get(0).as_string(), found.get(1).is_truthy()))
}

/// For a key pressed on a tab: the key, and the tab's id.
#[cfg(any(feature = "feedback", feature = "history"))]
pub fn key_on_tab(event: &web_sys::Event) -> Option<(String, String)> {
    let found: js_sys::Array = key_on_tab_js(event).dyn_into().ok()?;
    Some((found.get(0).as_string()?, found.get(1).as_string()?))
}

/// A chosen file's name.
#[cfg(any(feature = "agreement", feature = "document"))]
pub fn file_name(file: &web_sys::File) -> String {
    file.name()
}

/// A chosen file's size in bytes.
#[cfg(any(feature = "agreement", feature = "document"))]
pub fn file_size(file: &web_sys::File) -> f64 {
    file.size()
}

/// An event listener, removed when dropped.
pub struct Listener {
    /// Takes the listener off its target (made by `page.js`).
    remove: js_sys::Function,
    /// What it calls.
    _handler: wasm_bindgen::closure::Closure<dyn FnMut(&web_sys::Event)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.remove.call0(&JsValue::UNDEFINED);
    }
}

/// Listens for `event` on `target` (in the capture phase if `capture`), in
/// a way that lets `handler` prevent the default.
fn listen(target: &JsValue, event: &str, capture: bool, handler: impl FnMut(&web_sys::Event) + 'static) -> Listener {
    let handler = wasm_bindgen::closure::Closure::<dyn FnMut(&web_sys::Event)>::new(handler);
    Listener { remove: listen_js(target, event, handler.as_ref(), capture), _handler: handler }
}

/// Listens for `event` on a shadow root (in the bubbling phase, where the
/// listener may prevent the default; `toggle`, which does not bubble, in the
/// capture phase).
pub fn on_root(root: &web_sys::ShadowRoot, event: &'static str, handler: impl FnMut(&web_sys::Event) + 'static) -> Listener {
    listen(root, event, event == "toggle", handler)
}

/// Listens for `event` on the document.
pub fn on_document(event: &'static str, handler: impl FnMut(&web_sys::Event) + 'static) -> Listener {
    listen(&document(), event, false, handler)
}

/// Listens for `event` on the window.
pub fn on_window(event: &'static str, handler: impl FnMut(&web_sys::Event) + 'static) -> Listener {
    let window = window().expect_throw("mentorkit runs in a page with a window");
    listen(&window, event, false, handler)
}

/// Gives `root` the shared stylesheet made from `css` (made once); false
/// where the browser cannot, and each drawing then carries its own `<style>`.
pub fn adopt_style(root: &web_sys::ShadowRoot, css: &str) -> bool {
    adopt_js(root, css, true)
}

#[cfg(any(all(feature = "feedback", not(feature = "history")), all(feature = "agreement", not(feature = "document"))))]
thread_local! {
    /// The widget's second module's `laterAnswer` (the feedback history's,
    /// the agreement document's), once the element script has started it
    /// (`Some(None)` if it could not), and the key of the data it was last
    /// handed, which it keeps until handed other data (see [`ask_later`]).
    static LATER: std::cell::RefCell<(Option<Option<js_sys::Function>>, u64)> = const { std::cell::RefCell::new((None, 0)) };
}

/// Adds `css` (a second module's own styles) to those of `root`, a
/// widget's shadow root, where the browser has constructable stylesheets.
#[cfg(any(feature = "history", feature = "document"))]
pub fn adopt_more_style(root: &JsValue, css: &str) {
    if let Some(root) = root.dyn_ref::<web_sys::ShadowRoot>() {
        adopt_js(root, css, false);
    }
}

/// Takes the second module's `laterAnswer` function, or anything else for
/// a module that could not be had.
#[cfg(any(all(feature = "feedback", not(feature = "history")), all(feature = "agreement", not(feature = "document"))))]
pub fn provide_later(answer: &JsValue) {
    LATER.with(|h| *h.borrow_mut() = (Some(function(answer)), 0));
}

/// Asks the second module for `request` about the data that `key`
/// identifies, handing it over (made by `data`) only when the module holds
/// other data.
#[cfg(any(all(feature = "feedback", not(feature = "history")), all(feature = "agreement", not(feature = "document"))))]
pub fn ask_later(key: u64, data: impl FnOnce() -> String, request: &str) -> crate::widgets::Reply {
    use crate::widgets::Reply;
    let (answer, held) = LATER.with(|h| {
        let h = h.borrow();
        (h.0.clone(), h.1)
    });
    let Some(answer) = answer else { return Reply::Loading };
    let Some(answer) = answer else { return Reply::Failed };
    let given = if held == key { JsValue::UNDEFINED } else { JsValue::from_str(&data()) };
    match answer.call2(&JsValue::UNDEFINED, &given, &JsValue::from_str(request)) {
        Ok(text) => {
            LATER.with(|h| h.borrow_mut().1 = key);
            Reply::Given(text.as_string())
        }
        Err(_) => Reply::Failed,
    }
}

/// What a link that carries a draft needs of the page (see `link.js`).
#[cfg(feature = "document")]
pub mod link {
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Element, ShadowRoot};

    /// `root` if it is the shadow root of an agreement builder (it has the
    /// builder's way in for a draft file).
    pub fn builder(root: &JsValue) -> Option<ShadowRoot> {
        let root = root.dyn_ref::<ShadowRoot>()?;
        root.query_selector("input[name=import]").ok().flatten().map(|_| root.clone())
    }

    /// The widget's language, as its markup says.
    pub fn lang(root: &ShadowRoot) -> String {
        root.query_selector("[lang]").ok().flatten().and_then(|el| el.get_attribute("lang")).unwrap_or_default()
    }

    /// The host's `namespace` attribute.
    pub fn namespace(root: &ShadowRoot) -> String {
        root.host().get_attribute("namespace").unwrap_or_default()
    }

    /// The shadow root `el` is in.
    pub fn root_of(el: &Element) -> Option<ShadowRoot> {
        el.get_root_node().dyn_into().ok()
    }

    /// Whether `el` matches `selector`.
    pub fn is(el: &Element, selector: &str) -> bool {
        el.matches(selector).unwrap_or(false)
    }

    #[wasm_bindgen::prelude::wasm_bindgen(module = "/src/dom/link.js")]
    extern "C" {
        #[wasm_bindgen(js_name = sealLink)]
        fn seal_js(text: &str) -> js_sys::Promise;
        #[wasm_bindgen(js_name = openLink)]
        fn open_js(sealed: &str, most: f64) -> js_sys::Promise;
        #[wasm_bindgen(js_name = takeLink)]
        fn take_js(prefix: &str) -> Option<String>;
        #[wasm_bindgen(js_name = hearLinks)]
        fn hear_js(root: &ShadowRoot, f: &js_sys::Function);
        #[wasm_bindgen(js_name = handOver)]
        fn hand_over_js(root: &JsValue, name: &str, text: &str) -> bool;
        #[wasm_bindgen(js_name = hostValue)]
        fn host_value_js(root: &JsValue) -> String;
        #[wasm_bindgen(js_name = copyText)]
        fn copy_js(text: &str) -> js_sys::Promise;
        #[wasm_bindgen(js_name = focusWhenThere)]
        fn focus_when_there_js(root: &JsValue, selector: &str);
        #[wasm_bindgen(js_name = pageAddress)]
        fn page_address_js() -> String;
    }

    /// `text` compressed and encrypted with a fresh key that goes with it;
    /// `None` where the browser cannot (no secure context, an old browser).
    pub async fn seal(text: &str) -> Option<String> {
        JsFuture::from(seal_js(text)).await.ok()?.as_string()
    }

    /// What [`seal`] made of a text, at most `most` bytes of it; `None` if
    /// it was altered, cut short or is not such a thing.
    pub async fn open(sealed: &str, most: usize) -> Option<String> {
        JsFuture::from(open_js(sealed, most as f64)).await.ok()?.as_string()
    }

    /// The page address's fragment if it begins with `prefix`, taken out of
    /// the address so that a reload does not open it again.
    pub fn take(prefix: &str) -> Option<String> {
        take_js(prefix)
    }

    /// Hears links for the builder of `root`: calls `f` with the first
    /// builder on the page now, and whenever the fragment changes while one
    /// is there (the listener goes once none is).
    pub fn hear(root: &ShadowRoot, f: fn(ShadowRoot)) {
        thread_local! {
            static HEARD: std::cell::OnceCell<wasm_bindgen::closure::Closure<dyn Fn(ShadowRoot)>> = const { std::cell::OnceCell::new() };
        }
        HEARD.with(|heard| {
            let f = heard.get_or_init(|| wasm_bindgen::closure::Closure::new(f));
            hear_js(root, wasm_bindgen::JsCast::unchecked_ref(f.as_ref()));
        });
    }

    /// Gives the agreement builder in `root` the draft file `text` named
    /// `name`, the way a chosen file comes; false if it has no way in.
    pub fn hand_over(root: &JsValue, name: &str, text: &str) -> bool {
        hand_over_js(root, name, text)
    }

    /// The current data of the widget whose shadow root is `root`, as JSON.
    pub fn host_value(root: &JsValue) -> String {
        host_value_js(root)
    }

    /// Copies `text` to the clipboard; false where the page may not.
    pub async fn copy(text: &str) -> bool {
        JsFuture::from(copy_js(text)).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
    }

    /// Focuses what matches `selector` in `root` once it is drawn there.
    pub fn focus_when_there(root: &JsValue, selector: &str) {
        focus_when_there_js(root, selector);
    }

    /// The page's address.
    pub fn page() -> String {
        page_address_js()
    }
}
