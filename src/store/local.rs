//! `localStorage`, behind [`Store`].

use super::{Result, Store, StoreError};
use wasm_bindgen::JsCast;

/// The origin's `localStorage`.
pub struct LocalStore(web_sys::Storage);

impl LocalStore {
    /// Opens `localStorage`; fails when the browser refuses it.
    pub fn open() -> Result<LocalStore> {
        let window = web_sys::window().ok_or(StoreError::Unavailable)?;
        let storage = window.local_storage().ok().flatten().ok_or(StoreError::Unavailable)?;
        // Some browsers hand out a storage object that throws on every write.
        storage.set_item("mentorkit:probe", "1").map_err(|_| StoreError::Unavailable)?;
        let _ = storage.remove_item("mentorkit:probe");
        Ok(LocalStore(storage))
    }
}

fn write_error(error: wasm_bindgen::JsValue) -> StoreError {
    let name = error.dyn_ref::<js_sys::Error>().map(|e| String::from(e.name()));
    match name.as_deref() {
        Some("QuotaExceededError") | Some("NS_ERROR_DOM_QUOTA_REACHED") => StoreError::Full,
        _ => StoreError::Unavailable,
    }
}

impl Store for LocalStore {
    fn get(&self, key: &str) -> Result<Option<String>> {
        self.0.get_item(key).map_err(|_| StoreError::Unavailable)
    }

    fn set(&self, key: &str, value: &str) -> Result<()> {
        self.0.set_item(key, value).map_err(write_error)
    }

    fn remove(&self, key: &str) -> Result<()> {
        self.0.remove_item(key).map_err(|_| StoreError::Unavailable)
    }
}
