//! Message catalogues and lookup.
//!
//! Every string a person sees comes from here. Keys are an enum, so a catalogue
//! that misses a key does not compile, and [`Key::ALL`] lets tests and hosts
//! walk every message by its stable name. Dates and numbers are not formatted
//! here: the browser's `Intl` does that in the DOM layer.

macro_rules! catalogue {
    ($($key:ident => $en:expr),* $(,)?) => {
        /// A message in the catalogue.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Key { $(#[allow(missing_docs)] $key),* }

        impl Key {
            /// Every key, in catalogue order.
            pub const ALL: &'static [Key] = &[$(Key::$key),*];

            /// The key's stable name, as hosts use it to override a message.
            pub fn name(self) -> &'static str {
                match self { $(Key::$key => stringify!($key)),* }
            }

            /// The English text, which every other language starts from.
            pub(crate) fn english(self) -> &'static str {
                match self { $(Key::$key => $en),* }
            }
        }
    };
}

#[macro_use]
mod en;
pub use en::Key;

/// A language the widgets speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Locale {
    /// English.
    #[default]
    En,
}

impl Locale {
    /// Every supported locale.
    pub const ALL: &'static [Locale] = &[Locale::En];

    /// Picks the catalogue for a BCP 47 tag such as `en-GB`; unknown tags fall
    /// back to English.
    pub fn from_tag(tag: &str) -> Locale {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            _ => Locale::En,
        }
    }

    /// The BCP 47 tag handed to `Intl` and to the document's `lang`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
        }
    }

    /// The decimal separator.
    pub fn decimal(self) -> char {
        '.'
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(self) -> bool {
        false
    }
}

/// The message for `key` in `locale`.
pub fn text(locale: Locale, key: Key) -> &'static str {
    match locale {
        Locale::En => key.english(),
    }
}

/// Replaces each `{name}` in `template` with its value.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_text_in_every_locale() {
        for &locale in Locale::ALL {
            for &key in Key::ALL {
                assert!(!text(locale, key).trim().is_empty(), "{locale:?} lacks {}", key.name());
            }
        }
    }

    #[test]
    fn key_names_are_unique() {
        let mut names: Vec<_> = Key::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Key::ALL.len());
    }

    #[test]
    fn fill_replaces_known_placeholders_and_keeps_others() {
        assert_eq!(fill("Step {n} of {total}", &[("n", "1"), ("total", "9")]), "Step 1 of 9");
        assert_eq!(fill("{unknown} and {", &[]), "{unknown} and {");
    }

    #[test]
    fn unknown_locale_falls_back_to_english() {
        assert_eq!(Locale::from_tag("xx-YY"), Locale::En);
        assert_eq!(Locale::from_tag("en-GB"), Locale::En);
    }
}
