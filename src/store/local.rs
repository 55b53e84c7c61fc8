//! `localStorage`, behind [`Store`].

use super::{Result, Store, StoreError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `Storage`, whose `getItem` answers without converting to a Rust string in glue code.
    type RawStorage;
    #[wasm_bindgen(method, catch, js_name = getItem)]
    fn get_item(this: &RawStorage, key: &str) -> core::result::Result<Option<js_sys::JsString>, JsValue>;

    type Utf8;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> Utf8;
    #[wasm_bindgen(method, js_class = "TextEncoder")]
    fn encode(this: &Utf8, text: &js_sys::JsString) -> js_sys::Uint8Array;
}

/// The origin's `localStorage`.
pub struct LocalStore(web_sys::Storage);

impl LocalStore {
    /// Opens `localStorage`, and says whether it is already full; fails
    /// when the browser refuses it.
    pub fn open() -> Result<(LocalStore, bool)> {
        let window = crate::dom::window().ok_or(StoreError::Unavailable)?;
        let storage = window.local_storage().ok().flatten().ok_or(StoreError::Unavailable)?;
        // Some browsers hand out a storage object that throws on every write;
        // a full one refuses the write too, but still reads and frees space.
        let full = match storage.set_item("mentorkit:probe", "1") {
            Ok(()) => false,
            Err(error) => match write_error(error) {
                StoreError::Full => true,
                other => return Err(other),
            },
        };
        let _ = storage.remove_item("mentorkit:probe");
        Ok((LocalStore(storage), full))
    }
}

#[cfg(any(feature = "history", feature = "document"))]
impl LocalStore {
    /// Every key beginning with `prefix`, in order.
    pub fn keys(&self, prefix: &str) -> Vec<String> {
        let count = self.0.length().unwrap_or(0);
        let mut keys: Vec<String> = (0..count).filter_map(|i| self.0.key(i).ok().flatten()).filter(|k| k.starts_with(prefix)).collect();
        crate::model::order::sort_by(&mut keys, |a, b| a.cmp(b));
        keys
    }

    /// Every key beginning with `prefix`, in order, with its value.
    pub fn entries(&self, prefix: &str) -> Vec<(String, String)> {
        self.keys(prefix).into_iter().filter_map(|k| Some((k.clone(), self.get(&k).ok().flatten()?))).collect()
    }
}

/// What a refused write means: full (every name and code browsers use for
/// it), or storage not usable at all.
fn write_error(error: wasm_bindgen::JsValue) -> StoreError {
    let read = |k: &str| js_sys::Reflect::get(&error, &k.into()).ok();
    let name = read("name").and_then(|n| n.as_string()).unwrap_or_default();
    let code = read("code").and_then(|c| c.as_f64()).unwrap_or(0.0);
    // 22 is QUOTA_EXCEEDED_ERR; 1014 is an old Firefox's.
    if matches!(name.as_str(), "QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED") || code == 22.0 || code == 1014.0 {
        StoreError::Full
    } else {
        StoreError::Unavailable
    }
}

impl Store for LocalStore {
    fn get(&self, key: &str) -> Result<Option<String>> {
        let Some(text) = self.0.unchecked_ref::<RawStorage>().get_item(key).map_err(|_| StoreError::Unavailable)? else { return Ok(None) };
        // A stored history can be megabytes: the browser's own encoder and one
        // copy into memory are many times faster than converting it character
        // by character.
        let encoded = Utf8::new().encode(&text);
        // What is read is then parsed into records needing about three times
        // its size. Growing the module's memory once for all of it, rather than
        // step by step as the parse goes, saves the browser a dozen costly
        // grow operations on a long history; the freed block is reused at once.
        let len = encoded.length() as usize;
        if len > 64 * 1024 {
            drop(std::hint::black_box(Vec::<u8>::with_capacity(len * 4)));
        }
        let bytes = encoded.to_vec();
        // `TextEncoder` writes nothing but UTF-8 (a lone surrogate becomes
        // U+FFFD), so this error is never met.
        String::from_utf8(bytes).map(Some).map_err(|_| StoreError::Unavailable)
    }

    fn set(&self, key: &str, value: &str) -> Result<()> {
        self.0.set_item(key, value).map_err(write_error)
    }

    fn remove(&self, key: &str) -> Result<()> {
        self.0.remove_item(key).map_err(|_| StoreError::Unavailable)
    }
}
