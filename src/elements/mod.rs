//! The Rust side of the custom elements.
//!
//! `mentorkit-elements.js` defines `<mentorkit-agreement>` and
//! `<mentorkit-feedback>`; on connect it creates one of the classes below with
//! the element and its open shadow root, forwards attribute changes and the
//! `programme` property, and calls `free()` on disconnect, which drops the
//! view and everything it owns.

use crate::i18n::Key;
use crate::model::envelope;
use crate::shell::{self, Kind, Shell, Spec};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

/// The agreement builder.
#[cfg(feature = "agreement")]
pub(crate) static AGREEMENT: Spec = Spec {
    kind: Kind::Agreement,
    widget: "agreement",
    title: Key::AgreementTitle,
    steps: crate::model::agreement::STEPS,
    schema: envelope::AGREEMENT_DRAFT,
    config: &crate::model::agreement::SCHEMA,
};

/// Session feedback.
#[cfg(feature = "feedback")]
static FEEDBACK: Spec = Spec {
    kind: Kind::Feedback,
    widget: "feedback",
    title: Key::FeedbackTitle,
    steps: crate::model::feedback::STEPS,
    schema: envelope::FEEDBACK_DRAFT,
    config: &crate::model::feedback::SCHEMA,
};

/// A mounted widget, driven by the element script. Every call parses what
/// the host gives before the widget's state is touched, and none leaves the
/// widget unusable: a call made while the widget is busy (from a host
/// listener the widget's own call into the page woke) runs once it is free,
/// and `value` then answers from the last finished call.
#[wasm_bindgen]
pub struct Widget {
    view: Rc<RefCell<Shell>>,
    spec: &'static Spec,
    snapshot: Rc<RefCell<JsValue>>,
}

#[wasm_bindgen]
impl Widget {
    /// Draws the widget `kind` (`agreement` or `feedback`) into `root`, the
    /// open shadow root of `host`, with the programme configuration the host
    /// gave, if any (`undefined` otherwise).
    #[wasm_bindgen(constructor)]
    pub fn new(kind: &str, host: HtmlElement, root: ShadowRoot, programme: JsValue) -> Result<Widget, JsValue> {
        let spec = spec_of(kind).ok_or_else(|| crate::api::error("kind-invalid", &["this build has no \"", kind, "\" widget"].concat()))?;
        let (view, snapshot) = Shell::mount(spec, host, root, programme);
        Ok(Widget { view, spec, snapshot })
    }

    /// Called when an observed attribute of the host changes.
    #[wasm_bindgen(js_name = attributeChanged)]
    pub fn attribute_changed(&self, name: &str) {
        Shell::attribute_changed(&self.view, name);
    }

    /// Sets the programme configuration.
    #[wasm_bindgen(js_name = setProgramme)]
    pub fn set_programme(&self, programme: JsValue) {
        Shell::set_programme(&self.view, self.spec, programme);
    }

    /// Links the feedback widget to the agreement given (its data).
    #[wasm_bindgen(js_name = setAgreement)]
    pub fn set_agreement(&self, agreement: JsValue) {
        Shell::set_agreement(&self.view, agreement);
    }

    /// Sets extra request headers (a plain object of texts), such as an API
    /// key; they are kept in memory only, never stored or drawn.
    #[wasm_bindgen(js_name = setHeaders)]
    pub fn set_headers(&self, headers: JsValue) {
        Shell::set_headers(&self.view, headers);
    }

    /// Sets the person's invitation (the text the programme gave them).
    #[wasm_bindgen(js_name = setInvitation)]
    pub fn set_invitation(&self, invitation: JsValue) {
        Shell::set_invitation(&self.view, invitation);
    }

    /// Sets the host's `deliver(record)` function, used instead of an endpoint.
    #[wasm_bindgen(js_name = setDeliver)]
    pub fn set_deliver(&self, deliver: JsValue) {
        Shell::set_deliver(&self.view, deliver);
    }

    /// The current data as a plain object.
    #[wasm_bindgen(getter)]
    pub fn value(&self) -> JsValue {
        match self.view.try_borrow() {
            Ok(v) => v.value(),
            Err(_) => self.snapshot.borrow().clone(),
        }
    }

    /// Replaces the current data (a flat object from field path to text).
    #[wasm_bindgen(js_name = setValue)]
    pub fn set_value(&self, value: JsValue) -> Result<(), JsValue> {
        Shell::set_value(&self.view, value)
    }

    /// Checks the current data without showing anything:
    /// `{valid, problems: [{path, step, code, label, message}]}`.
    pub fn validate(&self) -> Result<JsValue, JsValue> {
        self.view.try_borrow().map(|v| v.validate()).map_err(|_| busy("validate"))
    }

    /// Does what the widget's own submit button does.
    pub fn submit(&self) {
        Shell::submit(&self.view);
    }

    /// Starts a fresh form without asking.
    pub fn reset(&self) {
        Shell::reset(&self.view);
    }

    /// The agreement, or the feedback history, as text in `format`; `full`
    /// asks for the feedback's full copy, private note included.
    pub fn export(&self, format: &str, full: bool) -> Result<String, JsValue> {
        self.view.try_borrow().map_err(|_| busy("export"))?.export_text(format, full)
    }

    /// Called once the widget's second module (the feedback history, the
    /// agreement document) has started, or could not be had (see
    /// `provideLater`).
    #[wasm_bindgen(js_name = laterArrived)]
    pub fn later_arrived(&self) {
        Shell::later_arrived(&self.view);
    }

    /// Writes unsaved edits now.
    pub fn flush(&self) {
        shell::flush(&self.view);
    }
}

/// The widget of `kind` this build has.
fn spec_of(kind: &str) -> Option<&'static Spec> {
    match kind {
        #[cfg(feature = "agreement")]
        "agreement" => Some(&AGREEMENT),
        #[cfg(feature = "feedback")]
        "feedback" => Some(&FEEDBACK),
        _ => None,
    }
}

/// The error for a call that needs the widget's state while the widget is in
/// the middle of one of its own calls into the page.
fn busy(method: &str) -> JsValue {
    crate::api::error("busy", &[method, "() was called from a listener while the widget was handling an event; call it again once that event is over (after an await, say)"].concat())
}
