//! The only module that calls `web_sys` for building and reading the page.
//!
//! Elements are made with [`H`], a small builder; text always goes in as text
//! nodes or attribute values, never as markup. Events for hosts go through
//! [`fire`], so every one bubbles and crosses the shadow boundary the same way.

use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::{Document, Element, HtmlElement};

/// The page's document.
pub fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect_throw("mentorkit runs in a page with a document")
}

/// An element under construction.
pub struct H(pub Element);

impl H {
    /// A new `tag` element.
    pub fn new(tag: &str) -> H {
        H(document().create_element(tag).expect_throw("tag names here are valid"))
    }

    /// Sets an attribute.
    pub fn attr(self, name: &str, value: &str) -> H {
        self.0.set_attribute(name, value).expect_throw("attribute names here are valid");
        self
    }

    /// Sets an attribute when `on`.
    pub fn flag(self, name: &str, on: bool) -> H {
        if on { self.attr(name, "") } else { self }
    }

    /// Sets `class`.
    pub fn class(self, class: &str) -> H {
        self.attr("class", class)
    }

    /// Appends text.
    pub fn text(self, text: &str) -> H {
        if !text.is_empty() {
            let node = document().create_text_node(text);
            self.0.append_child(&node).expect_throw("text nodes can always be appended");
        }
        self
    }

    /// Appends a child.
    pub fn add(self, child: H) -> H {
        self.0.append_child(&child.0).expect_throw("a new element can always be appended");
        self
    }

    /// Appends a child when there is one.
    pub fn add_some(self, child: Option<H>) -> H {
        match child {
            Some(child) => self.add(child),
            None => self,
        }
    }

    /// The element.
    pub fn done(self) -> Element {
        self.0
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
    let (y, m, day) = (d.get_full_year(), d.get_month() + 1, d.get_date());
    let mut s = y.to_string();
    for part in [m, day] {
        s.push('-');
        if part < 10 {
            s.push('0');
        }
        s.push_str(&part.to_string());
    }
    s
}

/// A date and time formatted by the browser's `Intl` for `locale`.
pub fn format_date_time(locale: &str, ms: f64) -> String {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"long".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    js_sys::Date::new(&JsValue::from_f64(ms)).to_locale_string(locale, &options).into()
}

/// The element an event started at (inside the shadow root, events are not
/// retargeted, so this is the control itself).
pub fn target<T: JsCast>(event: &web_sys::Event) -> Option<T> {
    event.target()?.dyn_into::<T>().ok()
}
