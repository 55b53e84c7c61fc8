//! The domain: agreements, session feedback, the form descriptions both widgets
//! are drawn from, and the versioned envelope everything is stored in.
//!
//! Plain Rust: nothing here touches the DOM, so it all compiles and is tested
//! natively.

pub mod agreement;
pub mod config;
pub mod date;
pub mod delivery;
pub mod envelope;
pub mod feedback;
pub mod form;
pub mod insights;
pub mod json;
pub mod num;
pub mod order;
pub mod outbox;
#[cfg(not(target_arch = "wasm32"))]
pub mod schema;
pub mod signing;
pub mod texts;
pub mod validate;
pub mod values;
