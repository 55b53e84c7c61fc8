//! mentorkit: mentoring agreements and session feedback as web components.
//!
//! The crate reads from the inside out:
//!
//! - [`model`]: agreements, feedback, form descriptions and the versioned
//!   envelope. Plain Rust, tested natively.
//! - [`i18n`]: every string a person sees, per language.
//! - [`render`]: the agreement as Markdown, HTML, text and iCalendar.
//! - [`store`]: where drafts and records live, behind one trait.
//! - [`widgets`]: each widget's state and its `Msg` → `update`; the view half
//!   is compiled for the browser only.
//! - `dom` (browser only): the one layer that calls `web_sys`.
//! - `elements` and `api` (browser only): the custom elements and the
//!   `#[wasm_bindgen]` surface hosts use.
#![deny(missing_docs)]

pub mod i18n;
pub mod model;
pub mod render;
pub mod store;
pub mod widgets;

#[cfg(target_arch = "wasm32")]
mod dom;

#[cfg(target_arch = "wasm32")]
pub mod elements;

#[cfg(target_arch = "wasm32")]
pub mod api;
