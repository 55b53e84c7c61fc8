//! mentorkit: mentoring agreements and session feedback as web components.
//!
//! The crate reads from the inside out:
//!
//! - [`model`]: agreements, feedback, form descriptions and the versioned
//!   envelope. Plain Rust, tested natively.
//! - [`i18n`]: every string a person sees, per language.
//! - [`render`]: the agreement as Markdown, HTML, text and iCalendar.
//! - [`store`]: where drafts and records live, behind one trait.
//! - [`markup`]: escaped HTML as text, what views return.
//! - [`widgets`]: each widget's state, its `Msg` → `update` and its pure
//!   `view`, tested natively.
//! - `shell` (browser only): one per element; owns the page side (DOM,
//!   storage, delivery, listeners, timers) and is the only code that borrows
//!   a widget's state.
//! - `dom` (browser only): the one layer that calls `web_sys`.
//! - `elements` and `api` (browser only): the custom elements and the
//!   `#[wasm_bindgen]` surface hosts use, and the feedback history's own
//!   module (the feature `history` alone), which a feedback page fetches
//!   once its form is on screen.
#![deny(missing_docs)]
// The history's own module uses a part of what the widgets share.
#![cfg_attr(not(any(feature = "agreement", feature = "feedback")), allow(dead_code, unused_imports))]

pub mod i18n;
pub mod markup;
pub mod model;
pub mod render;
pub mod store;
pub mod widgets;

#[cfg(not(any(feature = "agreement", feature = "document", feature = "feedback", feature = "history")))]
compile_error!("build with the feature `agreement`, `feedback`, `document` (the agreement's written form, its own module) or `history` (the feedback history's), or several");

#[cfg(target_arch = "wasm32")]
mod dom;

#[cfg(all(target_arch = "wasm32", any(feature = "agreement", feature = "feedback")))]
mod shell;

#[cfg(all(target_arch = "wasm32", any(feature = "agreement", feature = "feedback")))]
pub mod elements;

#[cfg(target_arch = "wasm32")]
pub mod api;

/// The allocator in the browser: talc, about 1 KB (compressed) smaller in
/// each module than the standard library's dlmalloc, and as quick.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };
