//! [`Values`]: the data of a form, a map from path to text.
//!
//! A stored history holds thousands of records of a dozen or more answers
//! each. Kept as a tree of separately allocated strings, reading one meant tens
//! of thousands of allocations; here each record's paths and answers share
//! one buffer, with a sorted index into it.

use super::json::{self, FromJson, Reader, ToJson, Writer};
use std::fmt;

/// The data of a form: a map from path to text, in path order. Empty values
/// are not kept.
#[derive(Clone, Default)]
pub struct Values {
    /// Every path followed by its value.
    text: String,
    /// For each entry, sorted by path: where its path starts, where its value
    /// starts (the path's end) and where the value ends.
    index: Vec<(u32, u32, u32)>,
}

impl Values {
    /// The value at `path`, or `""`.
    pub fn get(&self, path: &str) -> &str {
        match self.find(path) {
            Ok(i) => self.value_at(i),
            Err(_) => "",
        }
    }

    /// Sets `path` to `value`; an empty value removes it.
    pub fn set(&mut self, path: &str, value: String) {
        let found = self.find(path);
        if value.is_empty() && found.is_err() {
            return;
        }
        let mut next = Values { text: String::with_capacity(self.text.len() + path.len() + value.len()), index: Vec::with_capacity(self.index.len() + 1) };
        let at = match found {
            Ok(i) | Err(i) => i,
        };
        for (p, v) in self.iter().take(at) {
            next.push(p, v);
        }
        if !value.is_empty() {
            next.push(path, &value);
        }
        let skip = at + usize::from(found.is_ok());
        for (p, v) in self.iter().skip(skip) {
            next.push(p, v);
        }
        *self = next;
    }

    /// The entries, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        (0..self.index.len()).map(|i| (self.path_at(i), self.value_at(i)))
    }

    /// The entries whose path starts with `prefix`, in order.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let text = self.text.as_bytes();
        let first = self.index.partition_point(|&(start, end, _)| &text[start as usize..end as usize] < prefix.as_bytes());
        (first..self.index.len()).map(|i| (self.path_at(i), self.value_at(i))).take_while(move |(p, _)| p.starts_with(prefix))
    }

    /// The paths, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.index.len()).map(|i| self.path_at(i))
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The entries whose path passes `keep`.
    pub fn filtered(&self, keep: impl Fn(&str) -> bool) -> Values {
        let mut out = Values::default();
        for (p, v) in self.iter().filter(|(p, _)| keep(p)) {
            out.push(p, v);
        }
        out
    }

    fn path_at(&self, i: usize) -> &str {
        let (start, end, _) = self.index[i];
        &self.text[start as usize..end as usize]
    }

    fn value_at(&self, i: usize) -> &str {
        let (_, start, end) = self.index[i];
        &self.text[start as usize..end as usize]
    }

    fn find(&self, path: &str) -> Result<usize, usize> {
        let text = self.text.as_bytes();
        self.index.binary_search_by(|&(start, end, _)| text[start as usize..end as usize].cmp(path.as_bytes()))
    }

    /// Appends an entry; the caller keeps paths in order (or calls [`Values::settle`]).
    fn push(&mut self, path: &str, value: &str) {
        let start = self.text.len() as u32;
        self.text.push_str(path);
        let middle = self.text.len() as u32;
        self.text.push_str(value);
        self.index.push((start, middle, self.text.len() as u32));
    }

    /// Sorts entries appended out of order, keeping the last of equal paths.
    fn settle(&mut self) {
        // Bytes order as the text does, without checks of character boundaries.
        let text = self.text.as_bytes();
        let path = |&(s, e, _): &(u32, u32, u32)| &text[s as usize..e as usize];
        if self.index.windows(2).all(|w| path(&w[0]) < path(&w[1])) {
            return;
        }
        // Stable, so among equal paths the one appended last stays last.
        super::order::sort_by(&mut self.index, |a, b| path(a).cmp(path(b)));
        let mut kept: Vec<(u32, u32, u32)> = Vec::with_capacity(self.index.len());
        for entry in self.index.drain(..) {
            match kept.last_mut() {
                Some(last) if path(last) == path(&entry) => *last = entry,
                _ => kept.push(entry),
            }
        }
        self.index = kept;
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for Values {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Values {
        let mut out = Values::default();
        for (p, v) in entries {
            if !v.as_ref().is_empty() {
                out.push(p.as_ref(), v.as_ref());
            }
        }
        out.settle();
        out
    }
}

impl PartialEq for Values {
    fn eq(&self, other: &Values) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Values {}

impl fmt::Debug for Values {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl ToJson for Values {
    fn write(&self, w: &mut Writer) {
        w.object(|w| {
            for (p, v) in self.iter() {
                w.key(p).str(v);
            }
        });
    }
}

thread_local! {
    static SCRATCH: std::cell::Cell<Values> = std::cell::Cell::new(Values { text: String::new(), index: Vec::new() });
}

impl FromJson for Values {
    /// Reads an object of texts. Paths and values are read in place where
    /// the input allows and gathered in a buffer reused from record to
    /// record, so a record costs two allocations of exactly the right size.
    fn read(r: &mut Reader) -> json::Result<Values> {
        SCRATCH.with(|scratch| {
            let mut out = scratch.take();
            out.text.clear();
            out.index.clear();
            let read = r.object(|r, path| {
                if r.peek() != Some(b'"') {
                    return Err(r.wrong(&["a text at \"", &path, "\""].concat()));
                }
                let value = r.string()?;
                if !value.is_empty() {
                    out.push(&path, &value);
                }
                Ok(())
            });
            let exact = read.map(|()| {
                out.settle();
                Values { text: out.text.as_str().into(), index: out.index.as_slice().into() }
            });
            scratch.set(out);
            exact
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(pairs: &[(&str, &str)]) -> Values {
        pairs.iter().copied().collect()
    }

    #[test]
    fn with_prefix_finds_the_run_of_paths_that_start_so() {
        let v = of(&[("action.1.what", "a"), ("open.1.1", "done"), ("open.2.1", "carry"), ("openly", "x"), ("rating", "4")]);
        assert_eq!(v.with_prefix("open.").collect::<Vec<_>>(), [("open.1.1", "done"), ("open.2.1", "carry")]);
        assert_eq!(v.with_prefix("zzz").count(), 0);
        assert_eq!(v.with_prefix("").count(), 5);
    }

    #[test]
    fn set_keeps_order_replaces_and_removes() {
        let mut v = Values::default();
        v.set("b", "2".into());
        v.set("a", "1".into());
        v.set("c", "3".into());
        v.set("b", "two".into());
        assert_eq!(v.iter().collect::<Vec<_>>(), [("a", "1"), ("b", "two"), ("c", "3")]);
        v.set("a", String::new());
        v.set("zz", String::new());
        assert_eq!(v.keys().collect::<Vec<_>>(), ["b", "c"]);
        assert_eq!((v.get("c"), v.get("a"), v.len()), ("3", "", 2));
    }

    #[test]
    fn reads_any_order_the_last_duplicate_wins_and_empties_are_dropped() {
        let v: Values = json::parse(r#"{"z":"1","a":"x","m":"","a":"y","q\"uote":"line\nbreak"}"#).unwrap();
        assert_eq!(v.iter().collect::<Vec<_>>(), [("a", "y"), ("q\"uote", "line\nbreak"), ("z", "1")]);
        assert_eq!(json::stringify(&v), r#"{"a":"y","q\"uote":"line\nbreak","z":"1"}"#);
    }

    #[test]
    fn refuses_what_is_not_an_object_of_texts() {
        assert!(json::parse::<Values>(r#"{"a":1}"#).unwrap_err().0.contains("a text at \"a\""));
        assert!(json::parse::<Values>(r#"["a"]"#).is_err());
    }

    #[test]
    fn equality_is_by_entries() {
        assert_eq!(of(&[("a", "1"), ("b", "2")]), of(&[("b", "2"), ("a", "1")]));
        assert_ne!(of(&[("a", "1")]), of(&[("a", "2")]));
    }
}
