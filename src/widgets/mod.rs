//! The widgets.
//!
//! Each widget is a state with `update(msg)`, written in plain Rust and tested
//! natively, and a view (browser only) that draws the state into a shadow root
//! and turns the person's actions back into messages.

pub mod agreement;
pub mod draft;
pub mod feedback;

#[cfg(target_arch = "wasm32")]
pub(crate) mod view;
