//! JSON text in and out, through serde_json everywhere.
//!
//! In the browser, values cross to and from JavaScript as one JSON string
//! ([`to_js`], [`from_js`]): one crossing per value instead of one per field,
//! which keeps a history of thousands of records fast to load and save.

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
    serde_json::from_str(text).map_err(|e| JsonError(e.to_string()))
}

/// Writes `value` as compact JSON.
pub fn stringify<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A plain JS object for `value`.
#[cfg(target_arch = "wasm32")]
pub fn to_js<T: Serialize>(value: &T) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(&stringify(value)).unwrap_or(wasm_bindgen::JsValue::NULL)
}

/// A JS value from the host as JSON text. `undefined`, functions and
/// symbols have none; a cycle, a BigInt or a getter that throws fails.
#[cfg(target_arch = "wasm32")]
pub fn text_of_js(value: &wasm_bindgen::JsValue) -> Result<String, JsonError> {
    if value.is_undefined() {
        return Err(JsonError("it is undefined".into()));
    }
    let text = js_sys::JSON::stringify(value).map_err(|_| JsonError("it cannot be written as JSON (a cycle, a BigInt, or a property that throws)".into()))?;
    text.as_string().ok_or_else(|| JsonError("it cannot be written as JSON (a function or a symbol)".into()))
}

/// Reads a JS value (a plain object from the host) as a `T`.
#[cfg(target_arch = "wasm32")]
pub fn from_js<T: DeserializeOwned>(value: &wasm_bindgen::JsValue) -> Result<T, JsonError> {
    parse(&text_of_js(value)?)
}
