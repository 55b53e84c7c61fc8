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
//!   `#[wasm_bindgen]` surface hosts use.
#![deny(missing_docs)]

pub mod i18n;
pub mod markup;
pub mod model;
pub mod render;
pub mod store;
pub mod widgets;

#[cfg(not(any(feature = "agreement", feature = "feedback")))]
compile_error!("build with the feature `agreement`, `feedback`, or both");

#[cfg(target_arch = "wasm32")]
mod dom;

#[cfg(target_arch = "wasm32")]
mod shell;

#[cfg(target_arch = "wasm32")]
pub mod elements;

#[cfg(target_arch = "wasm32")]
pub mod api;
