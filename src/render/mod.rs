//! Turning an agreement into documents: one [`doc::Block`] list, written out
//! as Markdown, standalone HTML or plain text, each escaping people's text for
//! its format; and the meeting schedule as iCalendar.
//!
//! Plain Rust: dates arrive already formatted through a function the caller
//! gives (the browser passes one backed by `Intl`; tests pass the identity).

pub mod chart;
pub mod csv;
pub mod doc;
// Charts of many pairs, for the programme's server; no widget draws them.
#[cfg(not(target_arch = "wasm32"))]
pub mod figures;
pub mod history;
pub mod ics;

pub use doc::{agreement, html, markdown, text, Block};
