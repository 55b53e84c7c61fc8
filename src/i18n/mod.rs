//! Message catalogues and lookup.
//!
//! Every string a person sees comes from here. Keys are an enum declared with
//! the English text (`en.rs`), and [`Key::ALL`] lets tests and hosts walk every
//! message by its stable name. Each other language is a list of key and text
//! (`es.rs`, `fr.rs`, `de.rs`, `ar.rs`): a misspelt key does not compile, and
//! a test fails while any language misses a key or changes a placeholder. At
//! run time a missing text falls back to English. Dates and numbers are not
//! formatted here: the browser's `Intl` does that in the DOM layer.

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

/// A language's texts by key; keys it lacks answer `None`.
#[cfg(not(target_arch = "wasm32"))]
macro_rules! translation {
    ($name:ident; $($key:ident => $text:expr),* $(,)?) => {
        use super::Key;

        pub(super) fn $name(key: Key) -> Option<&'static str> {
            #[allow(unreachable_patterns)]
            Some(match key { $(Key::$key => $text,)* _ => return None })
        }
    };
}

#[macro_use]
mod en;
pub use en::Key;

// In the browser only English is built in; the other languages are files
// fetched when a widget needs one (see [`install`]), made from these.
#[cfg(not(target_arch = "wasm32"))]
mod ar;
#[cfg(not(target_arch = "wasm32"))]
mod de;
#[cfg(not(target_arch = "wasm32"))]
mod es;
#[cfg(not(target_arch = "wasm32"))]
mod fr;

/// A language the widgets speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Spanish.
    Es,
    /// French.
    Fr,
    /// German.
    De,
    /// Arabic, written right to left.
    Ar,
}

impl Locale {
    /// Every supported locale.
    pub const ALL: &'static [Locale] = &[Locale::En, Locale::Es, Locale::Fr, Locale::De, Locale::Ar];

    /// Picks the catalogue for a BCP 47 tag such as `es-MX`; unknown tags fall
    /// back to English.
    pub fn from_tag(tag: &str) -> Locale {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        Locale::ALL.iter().copied().find(|l| l.tag() == primary).unwrap_or(Locale::En)
    }

    /// The BCP 47 tag handed to `Intl` and to the document's `lang`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Es => "es",
            Locale::Fr => "fr",
            Locale::De => "de",
            Locale::Ar => "ar",
        }
    }

    /// The decimal separator.
    pub fn decimal(self) -> char {
        match self {
            Locale::Es | Locale::Fr | Locale::De => ',',
            Locale::En | Locale::Ar => '.',
        }
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(self) -> bool {
        self == Locale::Ar
    }

    /// The language's own text for `key`, if it has one.
    #[cfg(not(target_arch = "wasm32"))]
    fn own(self, key: Key) -> Option<&'static str> {
        match self {
            Locale::En => Some(key.english()),
            Locale::Es => es::spanish(key),
            Locale::Fr => fr::french(key),
            Locale::De => de::german(key),
            Locale::Ar => ar::arabic(key),
        }
    }

    /// The language's own text for `key`, if its catalogue is installed.
    #[cfg(target_arch = "wasm32")]
    fn own(self, key: Key) -> Option<&'static str> {
        if self == Locale::En {
            return Some(key.english());
        }
        // Keys are declared in the order of `Key::ALL`.
        let at = key as usize;
        LOADED.with(|loaded| loaded.borrow()[self.index()].and_then(|texts| texts.get(at).copied().flatten()))
    }

    #[cfg(target_arch = "wasm32")]
    fn index(self) -> usize {
        Locale::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    /// The catalogues installed in this page, by locale: each text by the
    /// position of its key in [`Key::ALL`].
    static LOADED: std::cell::RefCell<[Option<&'static [Option<&'static str>]>; 5]> = const { std::cell::RefCell::new([None; 5]) };
}

/// Installs the catalogue of `locale` from its file (a JSON object from
/// message name to text, as [`catalogue`] writes it). Texts are kept for the
/// life of the page. Names the catalogue does not know are skipped; a message
/// it lacks stays in English.
#[cfg(target_arch = "wasm32")]
pub fn install(locale: Locale, file: &str) -> Result<(), String> {
    let texts: crate::model::texts::Map<String> = crate::model::json::parse(file).map_err(|e| e.0)?;
    let table: Vec<Option<&'static str>> = Key::ALL
        .iter()
        .map(|k| texts.get(k.name()).filter(|t| !t.trim().is_empty()).map(|t| &*Box::leak(t.clone().into_boxed_str())))
        .collect();
    let table: &'static [Option<&'static str>] = Box::leak(table.into_boxed_slice());
    LOADED.with(|loaded| loaded.borrow_mut()[locale.index()] = Some(table));
    Ok(())
}

/// Whether `locale`'s texts are at hand (English always is).
#[cfg(target_arch = "wasm32")]
pub fn installed(locale: Locale) -> bool {
    locale == Locale::En || LOADED.with(|loaded| loaded.borrow()[locale.index()].is_some())
}

/// The catalogue of `locale` as the file the browser fetches: a JSON object
/// from message name to text.
#[cfg(not(target_arch = "wasm32"))]
pub fn catalogue(locale: Locale) -> String {
    let texts: std::collections::BTreeMap<&str, &str> = Key::ALL.iter().filter_map(|k| locale.own(*k).map(|t| (k.name(), t))).collect();
    crate::model::json::stringify(&texts)
}

/// The message for `key` in `locale` (English where the language lacks it).
pub fn text(locale: Locale, key: Key) -> &'static str {
    locale.own(key).unwrap_or_else(|| key.english())
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_catalogue_file_holds_every_text_of_its_language() {
        let file: std::collections::BTreeMap<String, String> = crate::model::json::parse(&catalogue(Locale::De)).unwrap();
        assert_eq!(file.len(), Key::ALL.len());
        assert_eq!(file["Next"], text(Locale::De, Key::Next));
    }

    /// The `{name}` placeholders of a text, sorted.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> = text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn every_language_has_every_key_with_the_same_placeholders() {
        let mut missing = Vec::new();
        for &locale in Locale::ALL {
            for &key in Key::ALL {
                match locale.own(key) {
                    None => missing.push(format!("{}: {}", locale.tag(), key.name())),
                    Some(text) if text.trim().is_empty() => missing.push(format!("{}: {} is empty", locale.tag(), key.name())),
                    Some(text) if placeholders(text) != placeholders(key.english()) => {
                        missing.push(format!("{}: {} has placeholders {:?}, not {:?}", locale.tag(), key.name(), placeholders(text), placeholders(key.english())))
                    }
                    Some(_) => {}
                }
            }
        }
        assert!(missing.is_empty(), "{} problems:\n{}", missing.len(), missing.join("\n"));
    }

    #[test]
    fn defaults_keep_their_line_structure() {
        // Multi-line defaults become one expectation per line in the agreement.
        for &locale in Locale::ALL {
            for key in [Key::DefaultExpectMentee, Key::DefaultExpectMentor] {
                assert_eq!(text(locale, key).lines().count(), key.english().lines().count(), "{} {}", locale.tag(), key.name());
            }
        }
    }

    #[test]
    fn tags_pick_their_language_and_arabic_is_right_to_left() {
        assert_eq!(Locale::from_tag("es-MX"), Locale::Es);
        assert_eq!(Locale::from_tag("fr_CA"), Locale::Fr);
        assert_eq!(Locale::from_tag("DE"), Locale::De);
        assert_eq!(Locale::from_tag("ar-EG"), Locale::Ar);
        assert!(Locale::Ar.is_rtl() && !Locale::De.is_rtl());
        assert_eq!(text(Locale::Es, Key::Next), "Siguiente");
    }

    #[test]
    fn keys_are_numbered_in_catalogue_order() {
        assert!(Key::ALL.iter().enumerate().all(|(i, k)| *k as usize == i));
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
