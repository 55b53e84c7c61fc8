//! A store in memory: for tests, and as the fallback when the browser refuses
//! storage, so a person can still finish in the open tab.

use super::{Result, Store, StoreError};
use std::cell::RefCell;
use crate::model::texts::Map;

/// A [`Store`] held in memory, with an optional capacity in bytes.
#[derive(Debug, Default)]
pub struct MemoryStore {
    values: RefCell<Map<String>>,
    capacity: Option<usize>,
}

impl MemoryStore {
    /// A store that refuses writes past `bytes` in total.
    pub fn with_capacity(bytes: usize) -> MemoryStore {
        MemoryStore { values: RefCell::default(), capacity: Some(bytes) }
    }
}

impl Store for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>> {
        Ok(self.values.borrow().get(key).cloned())
    }

    fn set(&self, key: &str, value: &str) -> Result<()> {
        let mut values = self.values.borrow_mut();
        if let Some(capacity) = self.capacity {
            let used: usize = values.iter().filter(|(k, _)| *k != key).map(|(k, v)| k.len() + v.len()).sum();
            if used + key.len() + value.len() > capacity {
                return Err(StoreError::Full);
            }
        }
        values.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<()> {
        self.values.borrow_mut().remove(key);
        Ok(())
    }
}
