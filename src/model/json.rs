//! JSON text in and out.
//!
//! In the browser this goes through the browser's own `JSON` and
//! serde-wasm-bindgen, which keeps a JSON library out of the download; natively
//! (tests, the demo server) it goes through serde_json. Callers see one API.

use serde::{de::DeserializeOwned, Serialize};

/// Why a text could not be read as the expected JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError(pub String);

impl core::fmt::Display for JsonError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses `text` as a `T`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    imp::parse(text)
}

/// Writes `value` as compact JSON.
pub fn stringify<T: Serialize>(value: &T) -> String {
    imp::stringify(value)
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::*;

    pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
        serde_json::from_str(text).map_err(|e| JsonError(e.to_string()))
    }

    pub fn stringify<T: Serialize>(value: &T) -> String {
        serde_json::to_string(value).expect("model types always serialise")
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use wasm_bindgen::{JsValue, UnwrapThrowExt};

    pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
        let value = js_sys::JSON::parse(text).map_err(|_| JsonError("not valid JSON".into()))?;
        serde_wasm_bindgen::from_value(value).map_err(|e| JsonError(e.to_string()))
    }

    pub fn stringify<T: Serialize>(value: &T) -> String {
        let value = to_js(value);
        js_sys::JSON::stringify(&value)
            .expect_throw("a plain object always stringifies")
            .into()
    }

    /// A plain JS object (never a `Map`) for `value`.
    pub fn to_js<T: Serialize>(value: &T) -> JsValue {
        value
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .expect_throw("model types always serialise")
    }
}

#[cfg(target_arch = "wasm32")]
pub use imp::to_js;
