//! Where drafts and records live.
//!
//! Everything goes through [`Store`], a key–value interface over text, so the
//! rules about keys, envelopes and damaged values are written once here and
//! tested natively against [`MemoryStore`]. In the browser the same rules run
//! over `localStorage` (`LocalStore`).
//!
//! Keys are `mentorkit:{namespace}:{widget}:{name}`, so two widgets on one
//! page, or two programmes on one origin, never read each other's data.

mod memory;
pub use memory::MemoryStore;

#[cfg(target_arch = "wasm32")]
mod local;
#[cfg(target_arch = "wasm32")]
pub use local::LocalStore;

use crate::i18n::Key;
use crate::model::envelope::{self, Envelope, EnvelopeError, Schema};
use serde::{de::DeserializeOwned, Serialize};

/// Why the store could not do what was asked.
#[derive(Clone, Debug, PartialEq)]
pub enum StoreError {
    /// The browser refuses storage (disabled, sandboxed, private mode).
    Unavailable,
    /// The storage quota is used up.
    Full,
    /// The stored value was unreadable; it was moved to `kept_as`.
    Corrupt {
        /// Where the unreadable value now is.
        kept_as: String,
    },
    /// The stored value is from a newer version; it was moved to `kept_as`.
    Newer {
        /// The version found.
        found: u32,
        /// Where the value now is.
        kept_as: String,
    },
    /// Something that is not this widget's data was stored under its key; it
    /// was moved to `kept_as`.
    Foreign {
        /// Where the value now is.
        kept_as: String,
    },
}

/// The result of a store operation.
pub type Result<T> = core::result::Result<T, StoreError>;

impl StoreError {
    /// A stable code for hosts and logs.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Unavailable => "storage-unavailable",
            StoreError::Full => "storage-full",
            StoreError::Corrupt { .. } => "storage-corrupt",
            StoreError::Newer { .. } => "storage-newer-version",
            StoreError::Foreign { .. } => "storage-foreign",
        }
    }

    /// The message a person is shown.
    pub fn message(&self) -> Key {
        match self {
            StoreError::Unavailable => Key::StorageUnavailable,
            StoreError::Full => Key::StorageFull,
            StoreError::Corrupt { .. } => Key::StorageCorrupt,
            StoreError::Newer { .. } => Key::StorageNewer,
            StoreError::Foreign { .. } => Key::StorageForeign,
        }
    }
}

/// A key–value store of text.
pub trait Store {
    /// The value at `key`, if any.
    fn get(&self, key: &str) -> Result<Option<String>>;
    /// Writes `value` at `key`.
    fn set(&self, key: &str, value: &str) -> Result<()>;
    /// Removes `key`.
    fn remove(&self, key: &str) -> Result<()>;
}

/// Checks a namespace given by a host: 1–64 of `A–Z a–z 0–9 - _`.
pub fn valid_namespace(namespace: &str) -> bool {
    (1..=64).contains(&namespace.len())
        && namespace.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The storage key of `name` for `widget` in `namespace`.
pub fn key(namespace: &str, widget: &str, name: &str) -> String {
    ["mentorkit", namespace, widget, name].join(":")
}

/// Reads the value at `key` written under `schema`.
///
/// A value that cannot be used is moved aside to `{key}:set-aside:{now}`,
/// never overwritten, and the error says where it went.
pub fn load<T: DeserializeOwned>(
    store: &dyn Store,
    key: &str,
    schema: Schema,
    now: f64,
) -> Result<Option<Envelope<T>>> {
    let Some(text) = store.get(key)? else { return Ok(None) };
    let error = match envelope::open(schema, &text) {
        Ok(env) => return Ok(Some(env)),
        Err(error) => error,
    };
    // Whole milliseconds: formatting an f64 would pull float printing into the download.
    let kept_as = [key, "set-aside", &(now as u64).to_string()].join(":");
    store.set(&kept_as, &text)?;
    store.remove(key)?;
    Err(match error {
        EnvelopeError::Corrupt(_) => StoreError::Corrupt { kept_as },
        EnvelopeError::Newer { found, .. } => StoreError::Newer { found, kept_as },
        EnvelopeError::Foreign(_) => StoreError::Foreign { kept_as },
    })
}

/// Writes `data` at `key` in an envelope of `schema`.
pub fn save<T: Serialize>(store: &dyn Store, key: &str, schema: Schema, now: f64, data: &T) -> Result<()> {
    store.set(key, &envelope::seal(schema, now, data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::agreement::Agreement;
    use crate::model::envelope::AGREEMENT_DRAFT;

    const KEY: &str = "mentorkit:default:agreement:draft";

    #[test]
    fn keys_are_namespaced_per_widget() {
        assert_eq!(key("north", "agreement", "draft"), "mentorkit:north:agreement:draft");
        assert_ne!(key("a", "agreement", "draft"), key("b", "agreement", "draft"));
    }

    #[test]
    fn namespaces_are_checked() {
        assert!(valid_namespace("cohort-2026_a"));
        for bad in ["", "a:b", "a b", "ü", &"x".repeat(65)] {
            assert!(!valid_namespace(bad), "{bad:?}");
        }
    }

    #[test]
    fn saves_and_loads() {
        let store = MemoryStore::default();
        let mut a = Agreement::default();
        crate::model::form::Form::set(&mut a, "mentee.name", "Ana".into());
        save(&store, KEY, AGREEMENT_DRAFT, 10.0, &a).unwrap();
        let env = load::<Agreement>(&store, KEY, AGREEMENT_DRAFT, 11.0).unwrap().unwrap();
        assert_eq!(env.data, a);
        assert_eq!(env.saved_at, 10.0);
    }

    #[test]
    fn nothing_stored_is_not_an_error() {
        assert_eq!(load::<Agreement>(&MemoryStore::default(), KEY, AGREEMENT_DRAFT, 1.0).unwrap(), None);
    }

    #[test]
    fn corrupt_value_is_kept_aside_untouched() {
        let store = MemoryStore::default();
        store.set(KEY, "{\"schema\":\"mentorkit.agreement\",\"version\":1,\"data\":").unwrap();
        let err = load::<Agreement>(&store, KEY, AGREEMENT_DRAFT, 42.0).unwrap_err();
        let kept_as = format!("{KEY}:set-aside:42");
        assert_eq!(err.code(), "storage-corrupt");
        assert_eq!(store.get(&kept_as).unwrap().unwrap(), "{\"schema\":\"mentorkit.agreement\",\"version\":1,\"data\":");
        assert_eq!(store.get(KEY).unwrap(), None);
    }

    #[test]
    fn wrong_data_under_right_header_is_corrupt() {
        let store = MemoryStore::default();
        let text = r#"{"schema":"mentorkit.agreement","version":1,"savedAt":1,"data":{"mentee":7}}"#;
        store.set(KEY, text).unwrap();
        let err = load::<Agreement>(&store, KEY, AGREEMENT_DRAFT, 3.0).unwrap_err();
        assert_eq!(err, StoreError::Corrupt { kept_as: format!("{KEY}:set-aside:3") });
        assert_eq!(store.get(&format!("{KEY}:set-aside:3")).unwrap().unwrap(), text);
    }

    #[test]
    fn newer_version_is_kept_aside() {
        let store = MemoryStore::default();
        let text = r#"{"schema":"mentorkit.agreement","version":9,"savedAt":1,"data":{}}"#;
        store.set(KEY, text).unwrap();
        let err = load::<Agreement>(&store, KEY, AGREEMENT_DRAFT, 5.0).unwrap_err();
        assert_eq!(err, StoreError::Newer { found: 9, kept_as: format!("{KEY}:set-aside:5") });
        assert_eq!(err.code(), "storage-newer-version");
        assert_eq!(store.get(&format!("{KEY}:set-aside:5")).unwrap().unwrap(), text);
    }

    #[test]
    fn a_full_store_reports_full() {
        let store = MemoryStore::with_capacity(10);
        assert_eq!(save(&store, KEY, AGREEMENT_DRAFT, 1.0, &Agreement::default()), Err(StoreError::Full));
    }
}
