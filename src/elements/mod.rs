//! The Rust side of the custom elements.
//!
//! `mentorkit-elements.js` defines `<mentorkit-agreement>` and
//! `<mentorkit-feedback>`; on connect it creates one of the classes below with
//! the element and its open shadow root, forwards attribute changes, and calls
//! `free()` on disconnect, which drops the view and everything it owns.

use crate::model::{agreement, envelope, feedback};
use crate::widgets::view::{self, Spec, View};
use crate::i18n::Key;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

static AGREEMENT: Spec<agreement::Agreement> = Spec {
    widget: "agreement",
    title: Key::AgreementTitle,
    steps: agreement::STEPS,
    schema: envelope::AGREEMENT_DRAFT,
    fresh: |_| {},
};

static FEEDBACK: Spec<feedback::Feedback> = Spec {
    widget: "feedback",
    title: Key::FeedbackTitle,
    steps: feedback::STEPS,
    schema: envelope::FEEDBACK_DRAFT,
    fresh: |f| f.date = crate::dom::today(),
};

macro_rules! element {
    ($(#[$doc:meta])* $name:ident, $js:literal, $data:ty, $spec:expr) => {
        $(#[$doc])*
        #[wasm_bindgen(js_name = $js)]
        pub struct $name(Rc<RefCell<View<$data>>>);

        #[wasm_bindgen(js_class = $js)]
        impl $name {
            /// Draws the widget into `root`, the open shadow root of `host`.
            #[wasm_bindgen(constructor)]
            pub fn new(host: HtmlElement, root: ShadowRoot) -> $name {
                $name(View::mount(&$spec, host, root))
            }

            /// Called when an observed attribute of the host changes.
            #[wasm_bindgen(js_name = attributeChanged)]
            pub fn attribute_changed(&self, name: &str) {
                View::attribute_changed(&self.0, name);
            }

            /// The current data as a plain object.
            #[wasm_bindgen(getter)]
            pub fn value(&self) -> JsValue {
                self.0.borrow().value()
            }

            /// Writes unsaved edits now.
            pub fn flush(&self) {
                view::flush(&self.0);
            }
        }
    };
}

element!(
    /// `<mentorkit-agreement>`.
    AgreementElement, "AgreementElement", agreement::Agreement, AGREEMENT
);
element!(
    /// `<mentorkit-feedback>`.
    FeedbackElement, "FeedbackElement", feedback::Feedback, FEEDBACK
);
