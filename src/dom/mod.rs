//! The only module that calls `web_sys` for building and reading the page.
//!
//! Elements are made with [`H`], a small builder that writes escaped markup
//! and has the browser parse it once; callers never write markup. Events for hosts go through
//! [`fire`], so every one bubbles and crosses the shadow boundary the same way.

use crate::model::outbox::{self, Outcome};
use crate::render::doc::escape_html_into;
use gloo_timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::{Document, Element, HtmlElement};

/// The page's document.
pub fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect_throw("mentorkit runs in a page with a document")
}

/// An element under construction: its markup, written as it is built and
/// parsed once by [`H::done`], so drawing a form is one call into the browser
/// rather than one per element, attribute and text. Text and attribute values
/// are always escaped here; no caller writes markup.
pub struct H {
    tag: &'static str,
    attrs: Vec<(&'static str, String)>,
    inner: String,
    /// Existing nodes to put where the markup has a placeholder, in order.
    nodes: Vec<web_sys::Node>,
}

/// The placeholder for an existing node.
const SLOT: &str = "mk-slot";

/// Elements with no end tag.
const VOID: [&str; 6] = ["input", "br", "hr", "img", "col", "wbr"];

impl H {
    /// A new `tag` element.
    pub fn new(tag: &'static str) -> H {
        H { tag, attrs: Vec::new(), inner: String::new(), nodes: Vec::new() }
    }

    /// Sets an attribute (again: the last value counts, as with `setAttribute`).
    pub fn attr(mut self, name: &'static str, value: &str) -> H {
        match self.attrs.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => value.clone_into(v),
            None => self.attrs.push((name, value.to_owned())),
        }
        self
    }

    /// Sets an attribute when `on`.
    pub fn flag(self, name: &'static str, on: bool) -> H {
        if on { self.attr(name, "") } else { self }
    }

    /// Sets `class`.
    pub fn class(self, class: &str) -> H {
        self.attr("class", class)
    }

    /// Appends text.
    pub fn text(mut self, text: &str) -> H {
        escape_html_into(&mut self.inner, text);
        self
    }

    /// Appends a child.
    pub fn add(mut self, child: H) -> H {
        child.write(&mut self.inner);
        self.nodes.extend(child.nodes);
        self
    }

    /// Appends a child when there is one.
    pub fn add_some(self, child: Option<H>) -> H {
        match child {
            Some(child) => self.add(child),
            None => self,
        }
    }

    /// Appends an SVG chart made by [`crate::render::chart`], which escapes
    /// every text it puts in; nothing else may come in as markup.
    pub fn chart(mut self, svg: &str) -> H {
        self.inner.push_str(svg);
        self
    }

    /// Appends an element (or other node) that already exists.
    pub fn node(mut self, node: &web_sys::Node) -> H {
        self.inner.push_str("<mk-slot></mk-slot>");
        self.nodes.push(node.clone());
        self
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(self.tag);
        for (name, value) in &self.attrs {
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            escape_html_into(out, value);
            out.push('"');
        }
        out.push('>');
        if !VOID.contains(&self.tag) {
            // The parser drops one newline at the very start of a textarea.
            if self.tag == "textarea" && self.inner.starts_with('\n') {
                out.push('\n');
            }
            out.push_str(&self.inner);
            out.push_str("</");
            out.push_str(self.tag);
            out.push('>');
        }
    }

    /// The element. Where the page will not let it be made (a host that
    /// breaks the DOM's own functions), an empty `div` stands in and
    /// [`failed`] says so afterwards.
    pub fn done(self) -> Element {
        // Plain text inside (no element, nothing escaped): made directly,
        // which is quicker than parsing.
        if !self.inner.contains(['<', '&']) {
            if let Ok(el) = document().create_element(self.tag) {
                for (name, value) in &self.attrs {
                    let _ = el.set_attribute(name, value);
                }
                if !self.inner.is_empty() {
                    el.set_text_content(Some(&self.inner));
                }
                return el;
            }
        }
        let mut markup = String::with_capacity(self.inner.len() + 64);
        self.write(&mut markup);
        match parse(&markup).and_then(|fragment| {
            fill_slots(&fragment, &self.nodes);
            fragment.first_element_child()
        }) {
            Some(el) => el,
            None => stand_in(),
        }
    }

    /// Replaces the children of `el` with this builder's children (its own
    /// tag and attributes are left out).
    pub fn fill(self, el: &Element) {
        if let Some(fragment) = parse(&self.inner) {
            fill_slots(&fragment, &self.nodes);
            el.replace_children_with_node_1(&fragment);
        }
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

/// Parses markup made by [`H`] in the page's document: through a range, or,
/// where a host has broken that, a `DOMParser` document whose nodes are
/// adopted. `None` (and [`failed`]) when neither works.
fn parse(markup: &str) -> Option<web_sys::DocumentFragment> {
    let document = document();
    let through_range = document.create_range().ok().and_then(|range| range.create_contextual_fragment(markup).ok());
    if through_range.is_some() {
        return through_range;
    }
    let parsed = (|| {
        let parser = web_sys::DomParser::new().ok()?;
        let page = parser.parse_from_string(&["<!doctype html><body>", markup].concat(), web_sys::SupportedType::TextHtml).ok()?;
        let fragment = document.create_document_fragment();
        let body = page.body()?;
        while let Some(child) = body.first_child() {
            let adopted = document.adopt_node(&child).ok()?;
            fragment.append_child(&adopted).ok()?;
        }
        Some(fragment)
    })();
    if parsed.is_none() {
        FAILED.with(|f| f.set(true));
    }
    parsed
}

fn fill_slots(fragment: &web_sys::DocumentFragment, nodes: &[web_sys::Node]) {
    if nodes.is_empty() {
        return;
    }
    let Ok(slots) = fragment.query_selector_all(SLOT) else { return };
    for (i, node) in nodes.iter().enumerate() {
        if let Some(slot) = slots.item(i as u32).and_then(|s| s.dyn_into::<Element>().ok()) {
            let _ = slot.replace_with_with_node_1(node);
        }
    }
}

/// Removes every child of `node`.
pub fn clear(node: &Element) {
    node.replace_children_with_node_0();
}

/// Dispatches a `CustomEvent` named `name` from `host` that bubbles, crosses
/// shadow roots and carries `detail`.
pub fn fire(host: &HtmlElement, name: &str, detail: &JsValue) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    let event = web_sys::CustomEvent::new_with_event_init_dict(name, &init).expect_throw("event names here are valid");
    let _ = host.dispatch_event(&event);
}

/// Milliseconds since the epoch.
pub fn now() -> f64 {
    js_sys::Date::now()
}

/// Today's local date as `YYYY-MM-DD`.
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    let days = crate::model::date::from_civil(d.get_full_year() as i64, d.get_month() + 1, d.get_date());
    crate::model::date::format(days)
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
    let url = ["data:", mime, ";charset=utf-8,", &String::from(js_sys::encode_uri_component(text))].concat();
    let link: web_sys::HtmlAnchorElement = H::new("a").attr("href", &url).attr("download", name).done().unchecked_into();
    link.click();
}

/// Prints `html` (a whole document) through a hidden frame, so the person gets
/// the browser's print dialog, with "Save as PDF", for just the document. The
/// returned listener must be kept until the frame has loaded.
pub fn print_html(html: &str) -> Option<gloo_events::EventListener> {
    let frame: web_sys::HtmlIFrameElement = H::new("iframe")
        .attr("title", "print")
        .attr("aria-hidden", "true")
        .attr("style", "position:fixed;width:0;height:0;border:0;visibility:hidden")
        .done()
        .unchecked_into();
    frame.set_srcdoc(html);
    let body = document().body()?;
    let _ = body.append_child(&frame);
    let target = frame.clone();
    Some(gloo_events::EventListener::once(&frame, "load", move |_| {
        if let Some(window) = target.content_window() {
            let _ = window.print();
        }
        // print() returns once the dialog has closed.
        target.remove();
    }))
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
    let el = root.active_element()?;
    let name = el.get_attribute("name").or_else(|| el.get_attribute("data-focus"))?;
    let selection = if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        input.selection_start().ok().flatten().zip(input.selection_end().ok().flatten())
    } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.selection_start().ok().flatten().zip(area.selection_end().ok().flatten())
    } else {
        None
    };
    Some((name, selection))
}

/// Puts a text field's selection back, as [`focused`] read it.
pub fn select(el: &Element, (start, end): (u32, u32)) {
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        let _ = input.set_selection_range(start, end);
    } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        let _ = area.set_selection_range(start, end);
    }
}

/// Fetches `url` and returns its body as text.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| "the request failed".to_owned())?;
    let response: web_sys::Response = response.unchecked_into();
    if !response.ok() {
        return Err(["the server answered ", &response.status().to_string()].concat());
    }
    let text = response.text().map_err(|_| "the body could not be read".to_owned())?;
    let text = wasm_bindgen_futures::JsFuture::from(text).await.map_err(|_| "the body could not be read".to_owned())?;
    Ok(text.as_string().unwrap_or_default())
}

/// Reads a file the person chose as text.
pub async fn read_file(file: &web_sys::File) -> Result<String, String> {
    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.map_err(|_| "it could not be read".to_owned())?;
    Ok(text.as_string().unwrap_or_default())
}

/// The current time as an ISO 8601 timestamp (UTC).
pub fn now_iso() -> String {
    iso(now())
}

/// The agreement's meetings as an iCalendar file, stamped now.
pub fn calendar(values: &crate::model::agreement::Agreement, programme: &crate::model::config::Programme, locale: crate::i18n::Locale) -> String {
    let stamp: String = now_iso().chars().filter(|c| c.is_ascii_digit() || *c == 'T').take(15).collect();
    let uid = &crate::model::signing::fingerprint(values)[..16];
    crate::render::ics::calendar(values, programme, locale, &[&stamp, "Z"].concat(), uid)
}

thread_local! {
    /// `Intl.DateTimeFormat`s already made, by locale and kind: making one is
    /// far slower than using it, and a history formats hundreds of dates.
    static FORMATS: std::cell::RefCell<Vec<(String, bool, js_sys::Function)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A calendar date (`YYYY-MM-DD`) or timestamp formatted by `Intl` for `locale`.
pub fn format_date(locale: &str, iso: &str) -> String {
    let date_only = iso.len() == 10;
    // A bare date is read as UTC midnight; formatting it in UTC keeps its day.
    let d = js_sys::Date::new(&JsValue::from_str(iso));
    if d.get_time().is_nan() {
        return iso.to_owned();
    }
    let format = FORMATS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, _, f)) = cache.iter().find(|(l, kind, _)| l == locale && *kind == date_only) {
            return f.clone();
        }
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"long".into());
        if date_only {
            let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &"UTC".into());
        } else {
            let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
        }
        let locales = js_sys::Array::of1(&locale.into());
        let f = js_sys::Intl::DateTimeFormat::new(&locales, &options).format();
        cache.push((locale.to_owned(), date_only, f.clone()));
        f
    });
    format.call1(&JsValue::UNDEFINED, &d).ok().and_then(|s| s.as_string()).unwrap_or_else(|| iso.to_owned())
}

/// A random id in the form of a version 4 UUID, from the browser's
/// cryptographic random numbers (available outside secure contexts too).
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No cryptographic numbers here: the time, a count of ids made in
        // this page and the page's own random numbers still keep ids apart.
        let count = COUNT.with(|c| {
            c.set(c.get().wrapping_add(1));
            c.get()
        });
        let mix = [now().to_bits(), count, (random() * 2f64.powi(53)) as u64, (random() * 2f64.powi(53)) as u64];
        for (i, b) in bytes.iter_mut().enumerate() {
            let word = mix[i / 4] ^ mix[(i + 1) % 4].rotate_left(i as u32 * 7);
            *b = (word >> ((i % 8) * 8)) as u8;
        }
        bytes[..8].copy_from_slice(&count.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_le_bytes());
        for (b, t) in bytes[8..].iter_mut().zip(now().to_bits().to_le_bytes()) {
            *b ^= t;
        }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        for nibble in [b >> 4, b & 15] {
            out.push(char::from_digit(nibble as u32, 16).unwrap_or('0'));
        }
    }
    out
}

thread_local! {
    /// Ids made in this page without cryptographic random numbers.
    static COUNT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `fetch`, which a host may have replaced with one that throws at once
    /// instead of rejecting: caught here, as a failure like a network's.
    #[wasm_bindgen(catch, js_namespace = globalThis, js_name = fetch)]
    fn fetch_caught(url: &str, init: &web_sys::RequestInit) -> Result<js_sys::Promise, JsValue>;
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

/// Starts sending one record now and returns what came of it once known.
/// The request starts before the first `.await`, so several can be under
/// way at once (as when the page is being hidden).
pub fn send(transport: &Transport, key: &str, body: &str, keepalive: bool) -> impl std::future::Future<Output = Outcome> {
    use wasm_bindgen_futures::JsFuture;
    let started: Result<(js_sys::Promise, Option<Timeout>), Outcome> = match transport {
        Transport::Endpoint { url, headers, credentials } => (|| {
            let list = web_sys::Headers::new().map_err(|_| Outcome::Network("headers could not be made".into()))?;
            for (name, value) in headers {
                let lower = name.to_ascii_lowercase();
                if lower != "content-type" && lower != "idempotency-key" {
                    list.append(name, value).map_err(|_| Outcome::Network(["the header ", name, " is not valid"].concat()))?;
                }
            }
            let _ = list.append("Content-Type", "application/json");
            let _ = list.append("Idempotency-Key", key);
            let init = web_sys::RequestInit::new();
            init.set_method("POST");
            init.set_body(&JsValue::from_str(body));
            init.set_headers(&list);
            // Not in web-sys's RequestInit; set as a plain property, which fetch reads.
            let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::from_bool(keepalive));
            init.set_credentials(match credentials.as_str() {
                "include" => web_sys::RequestCredentials::Include,
                "same-origin" => web_sys::RequestCredentials::SameOrigin,
                _ => web_sys::RequestCredentials::Omit,
            });
            let controller = web_sys::AbortController::new().ok();
            init.set_signal(controller.as_ref().map(|c| c.signal()).as_ref());
            let timer = controller.map(|c| Timeout::new(outbox::TIMEOUT_MS, move || c.abort()));
            let promise = fetch_caught(url, &init).map_err(|error| rejected(&error))?;
            Ok((promise, timer))
        })(),
        Transport::Function(deliver) => {
            let record = js_sys::JSON::parse(body).unwrap_or(JsValue::NULL);
            match deliver.call1(&JsValue::UNDEFINED, &record) {
                Ok(answer) => Ok((js_sys::Promise::resolve(&answer), None)),
                Err(error) => Err(rejected(&error)),
            }
        }
    };
    let by_function = matches!(transport, Transport::Function(_));
    async move {
        let (promise, timer) = match started {
            Ok(started) => started,
            Err(outcome) => return outcome,
        };
        let answer = JsFuture::from(promise).await;
        drop(timer);
        let answer = match answer {
            Ok(answer) => answer,
            // Only the timer aborts a request.
            Err(error) if error.dyn_ref::<js_sys::Error>().is_some_and(|e| e.name() == "AbortError") => return Outcome::Timeout,
            Err(error) => return rejected(&error),
        };
        if by_function {
            return Outcome::Answer { status: 200, retry_after_ms: None, reason: String::new() };
        }
        let response: web_sys::Response = answer.unchecked_into();
        let status = response.status();
        if response.ok() {
            return Outcome::Answer { status, retry_after_ms: None, reason: String::new() };
        }
        let retry_after = response.headers().get("Retry-After").ok().flatten().and_then(|v| {
            outbox::retry_after_seconds(&v).or_else(|| {
                let at = js_sys::Date::parse(&v);
                (!at.is_nan()).then(|| (at - now()).max(0.0))
            })
        });
        let text = match response.text() {
            Ok(text) => JsFuture::from(text).await.ok().and_then(|t| t.as_string()).unwrap_or_default(),
            Err(_) => String::new(),
        };
        Outcome::Answer { status, retry_after_ms: retry_after, reason: outbox::reason_of(status, &text) }
    }
}

/// What a failed request or a rejected `deliver` promise means: an object
/// with a numeric `status` is an answer (so a host function can say "refused"
/// with 422, or "try later" with 503); anything else is a network failure.
fn rejected(error: &JsValue) -> Outcome {
    let get = |k: &str| js_sys::Reflect::get(error, &k.into()).ok().filter(|v| !v.is_undefined() && !v.is_null());
    let message = get("message").and_then(|m| m.as_string()).or_else(|| error.as_string()).unwrap_or_else(|| "the request failed".into());
    match get("status").and_then(|s| s.as_f64()) {
        Some(status) if (100.0..600.0).contains(&status) => Outcome::Answer {
            status: status as u16,
            retry_after_ms: get("retryAfter").and_then(|s| s.as_f64()).map(|s| s * 1000.0),
            reason: [&message, " (", &(status as u16).to_string(), ")"].concat(),
        },
        _ => Outcome::Network(message),
    }
}

/// Runs `work` holding the page-wide Web Lock `name`, if no other tab or
/// widget holds it; returns `false` without running it otherwise. Where the
/// browser has no Web Locks, `work` simply runs.
pub async fn with_lock<F: std::future::Future<Output = ()> + 'static>(name: &str, work: F) -> bool {
    use wasm_bindgen_futures::JsFuture;
    let locks = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"locks".into()).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let Some(locks) = locks else {
        work.await;
        return true;
    };
    let request = js_sys::Reflect::get(&locks, &"request".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(request) = request else {
        work.await;
        return true;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    // The lock is held until the promise the callback returns settles: the
    // promise of the work itself.
    let work = std::cell::RefCell::new(Some(work));
    let ran = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = ran.clone();
    let callback = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        match work.borrow_mut().take() {
            Some(work) if !lock.is_null() => {
                flag.set(true);
                wasm_bindgen_futures::future_to_promise(async move {
                    work.await;
                    Ok(JsValue::UNDEFINED)
                })
                .into()
            }
            _ => JsValue::UNDEFINED,
        }
    });
    match request.call3(&locks, &name.into(), &options, &callback) {
        Ok(promise) => {
            let _ = JsFuture::from(js_sys::Promise::resolve(&promise)).await;
            ran.get()
        }
        Err(_) => false,
    }
}

/// Whether the browser believes it is online.
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// A URL resolved against the page, if it is `http:` or `https:`.
pub fn http_url(url: &str) -> Option<String> {
    let base = document().base_uri().ok().flatten()?;
    let resolved = web_sys::Url::new_with_base(url.trim(), &base).ok()?;
    matches!(resolved.protocol().as_str(), "http:" | "https:").then(|| resolved.href())
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
