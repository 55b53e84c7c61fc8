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
use crate::model::envelope::{self, Envelope, EnvelopeError, Opened, ReadData, Schema};
use crate::model::json::{FromJson, ToJson};
use crate::model::num::Digits;

/// Why a stored value cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unusable {
    /// Unreadable: not JSON, or not the shape its schema promises.
    Corrupt,
    /// Written by a newer version of mentorkit (the version found).
    Newer(u32),
    /// Something that is not this widget's data.
    Foreign,
}

/// Which of a widget's stored values something concerns, so a person is told
/// about the right one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    /// The form being filled in.
    Draft,
    /// The feedback history: every submitted record.
    History,
    /// Records waiting to be sent to the programme.
    Outbox,
}

/// Why the store could not do what was asked.
#[derive(Clone, Debug, PartialEq)]
pub enum StoreError {
    /// The browser refuses storage (disabled, sandboxed, private mode).
    Unavailable,
    /// The storage quota is used up.
    Full,
    /// The stored value cannot be used. It was moved to `kept_as`, or, when
    /// there was no room to move it (`None`), left where it was: then nothing
    /// is ever written over it.
    Unusable {
        /// Why.
        why: Unusable,
        /// Where the value now is, if it could be moved.
        kept_as: Option<String>,
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
            StoreError::Unusable { why: Unusable::Corrupt, .. } => "storage-corrupt",
            StoreError::Unusable { why: Unusable::Newer(_), .. } => "storage-newer-version",
            StoreError::Unusable { why: Unusable::Foreign, .. } => "storage-foreign",
        }
    }

    /// The message a person is shown about `what`, and the words for why,
    /// to fill its `{why}`.
    pub fn message(&self, what: Stored) -> (Key, Option<Key>) {
        match self {
            StoreError::Unavailable => (Key::StorageUnavailable, None),
            StoreError::Full => (Key::StorageFull, None),
            StoreError::Unusable { why, kept_as } => {
                let moved = kept_as.is_some();
                let key = match (what, moved) {
                    (Stored::Draft, true) => Key::DraftSetAside,
                    (Stored::Draft, false) => Key::DraftLeftAlone,
                    (Stored::History, true) => Key::HistorySetAside,
                    (Stored::History, false) => Key::HistoryLeftAlone,
                    (Stored::Outbox, true) => Key::OutboxSetAside,
                    (Stored::Outbox, false) => Key::OutboxLeftAlone,
                };
                let why = match why {
                    Unusable::Corrupt => Key::WhyCorrupt,
                    Unusable::Newer(_) => Key::WhyNewer,
                    Unusable::Foreign => Key::WhyForeign,
                };
                (key, Some(why))
            }
        }
    }

    /// Whether the value was left where it was, unusable, because there was
    /// no room to move it: nothing may be written at its key.
    pub fn left_in_place(&self) -> bool {
        matches!(self, StoreError::Unusable { kept_as: None, .. })
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

/// The namespace a widget uses for the one its host gives: that one if it
/// is valid, else `default`.
pub fn namespace_or_default(given: &str) -> &str {
    if valid_namespace(given) { given } else { "default" }
}

/// The storage key of `name` for `widget` in `namespace`.
pub fn key(namespace: &str, widget: &str, name: &str) -> String {
    ["mentorkit", namespace, widget, name].join(":")
}

/// The beginning of every key of `namespace` (see [`key`]).
pub fn prefix(namespace: &str) -> String {
    ["mentorkit:", namespace, ":"].concat()
}

/// Removes every one of `keys`, writing `marker` first and removing it
/// last, so that whoever sees the marker go knows the rest is gone.
pub fn erase(store: &dyn Store, keys: &[String], marker: &str) {
    let _ = store.set(marker, "1");
    for key in keys.iter().filter(|k| *k != marker) {
        let _ = store.remove(key);
    }
    let _ = store.remove(marker);
}

/// Reads the value at `key` written under `schema`.
///
/// A value that cannot be used is moved aside to `{key}:set-aside:{now}`,
/// never overwritten, and the error says where it went. When there is no
/// room to move it, it stays where it is and the error says so
/// ([`StoreError::left_in_place`]): the caller then writes to [`side_key`]
/// instead, so neither the old value nor new work is lost.
pub fn load<T: FromJson>(
    store: &dyn Store,
    key: &str,
    schema: Schema,
    now: f64,
) -> Result<Option<Envelope<T>>> {
    let mut data = None;
    let opened = load_with(store, key, schema, now, &mut envelope::keep_in(&mut data))?;
    Ok(opened.and_then(|opened| opened.holding(data)))
}

/// [`load`], with the data read by `read_data`, which keeps it.
pub fn load_with(store: &dyn Store, key: &str, schema: Schema, now: f64, read_data: ReadData) -> Result<Option<Opened>> {
    let Some(text) = store.get(key)? else { return Ok(None) };
    let why = match envelope::open_with(schema, &text, read_data) {
        Ok(opened) => return Ok(Some(opened)),
        Err(EnvelopeError::Corrupt(_)) => Unusable::Corrupt,
        Err(EnvelopeError::Newer { found, .. }) => Unusable::Newer(found),
        Err(EnvelopeError::Foreign(_)) => Unusable::Foreign,
    };
    // Whole milliseconds: formatting an f64 would pull float printing into the download.
    let kept_as = aside_key(key, now);
    let moved = store.set(&kept_as, &text).is_ok() && store.remove(key).is_ok();
    if !moved {
        let _ = store.remove(&kept_as);
    }
    Err(StoreError::Unusable { why, kept_as: moved.then_some(kept_as) })
}

/// Where a value once at `key` is set aside at `now` (see [`load`]).
#[inline(always)]
pub fn aside_key(key: &str, now: f64) -> String {
    [key, "set-aside", &(now.max(0.0) as u64).digits()].join(":")
}

/// Where a widget keeps what it would write at `key` while an unusable value
/// stays there (see [`load`]).
pub fn side_key(key: &str) -> String {
    [key, "while-set-aside-failed"].join(":")
}

/// Whether `key` holds a value [`load`] set aside, or what was kept beside
/// one ([`side_key`]).
pub fn is_set_aside(key: &str) -> bool {
    key.contains(":set-aside:") || key.ends_with(":while-set-aside-failed")
}

/// Writes `data` at `key` in an envelope of `schema`.
pub fn save<T: ToJson>(store: &dyn Store, key: &str, schema: Schema, now: f64, data: &T) -> Result<()> {
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
        assert!(key("north", "feedback", "records").starts_with(&prefix("north")));
        assert!(!key("northwind", "feedback", "records").starts_with(&prefix("north")));
        assert!(is_set_aside(&side_key(KEY)) && is_set_aside(&format!("{KEY}:set-aside:3")) && !is_set_aside(KEY));
    }

    /// A store that also writes down what was done to it, in order.
    #[derive(Default)]
    struct Logged(MemoryStore, std::cell::RefCell<Vec<String>>);

    impl Store for Logged {
        fn get(&self, key: &str) -> Result<Option<String>> {
            self.0.get(key)
        }
        fn set(&self, key: &str, value: &str) -> Result<()> {
            self.1.borrow_mut().push(format!("set {key}"));
            self.0.set(key, value)
        }
        fn remove(&self, key: &str) -> Result<()> {
            self.1.borrow_mut().push(format!("remove {key}"));
            self.0.remove(key)
        }
    }

    #[test]
    fn erasing_writes_the_marker_first_and_removes_it_last() {
        let store = Logged::default();
        let keys: Vec<String> = ["a:draft", "a:records", "m"].map(String::from).to_vec();
        for k in &keys {
            store.0.set(k, "x").unwrap();
        }
        store.1.borrow_mut().clear();
        erase(&store, &keys, "m");
        assert_eq!(*store.1.borrow(), ["set m", "remove a:draft", "remove a:records", "remove m"]);
        assert!(keys.iter().all(|k| store.get(k).unwrap().is_none()));
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
        assert_eq!(err, StoreError::Unusable { why: Unusable::Corrupt, kept_as: Some(kept_as.clone()) });
        assert_eq!(store.get(&kept_as).unwrap().unwrap(), "{\"schema\":\"mentorkit.agreement\",\"version\":1,\"data\":");
        assert_eq!(store.get(KEY).unwrap(), None);
    }

    #[test]
    fn wrong_data_under_right_header_is_corrupt() {
        let store = MemoryStore::default();
        let text = r#"{"schema":"mentorkit.agreement","version":1,"savedAt":1,"data":{"mentee":7}}"#;
        store.set(KEY, text).unwrap();
        let err = load::<Agreement>(&store, KEY, AGREEMENT_DRAFT, 3.0).unwrap_err();
        assert_eq!(err, StoreError::Unusable { why: Unusable::Corrupt, kept_as: Some(format!("{KEY}:set-aside:3")) });
        assert_eq!(store.get(&format!("{KEY}:set-aside:3")).unwrap().unwrap(), text);
    }

    #[test]
    fn newer_version_is_kept_aside() {
        let store = MemoryStore::default();
        let text = r#"{"schema":"mentorkit.agreement","version":9,"savedAt":1,"data":{}}"#;
        store.set(KEY, text).unwrap();
        let err = load::<Agreement>(&store, KEY, AGREEMENT_DRAFT, 5.0).unwrap_err();
        assert_eq!(err, StoreError::Unusable { why: Unusable::Newer(9), kept_as: Some(format!("{KEY}:set-aside:5")) });
        assert_eq!(err.code(), "storage-newer-version");
        assert_eq!(store.get(&format!("{KEY}:set-aside:5")).unwrap().unwrap(), text);
    }

    #[test]
    fn a_value_that_cannot_be_moved_aside_is_left_untouched() {
        let text = format!(r#"{{"schema":"mentorkit.agreement","version":9,"savedAt":1,"data":"{}"}}"#, "x".repeat(2000));
        let store = MemoryStore::with_capacity(text.len() + KEY.len() + 10);
        store.set(KEY, &text).unwrap();
        let err = load::<Agreement>(&store, KEY, AGREEMENT_DRAFT, 5.0).unwrap_err();
        assert_eq!(err, StoreError::Unusable { why: Unusable::Newer(9), kept_as: None });
        assert!(err.left_in_place());
        assert_eq!(store.get(KEY).unwrap().as_deref(), Some(text.as_str()), "untouched");
        assert_eq!(store.get(&format!("{KEY}:set-aside:5")).unwrap(), None, "no half-made copy");
    }

    #[test]
    fn a_full_store_reports_full() {
        let store = MemoryStore::with_capacity(10);
        assert_eq!(save(&store, KEY, AGREEMENT_DRAFT, 1.0, &Agreement::default()), Err(StoreError::Full));
    }
}
