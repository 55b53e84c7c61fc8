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
        /// A message in the catalogue: its stable name and English text.
        ///
        /// Each message is its own constant, so a widget's module holds the
        /// texts its code names and no others.
        #[derive(Clone, Copy)]
        pub struct Key(pub(super) &'static super::Message);

        #[allow(non_upper_case_globals, missing_docs)]
        impl Key {
            $(pub const $key: Key = Key(&super::Message::new(Key::NAMES, stringify!($key), $en));)*

            /// Every message's name, in catalogue order, each between spaces.
            pub(super) const NAMES: &'static str = concat!(" ", $(stringify!($key), " "),*);

            /// Every key, in catalogue order.
            #[cfg(not(target_arch = "wasm32"))]
            pub const ALL: &'static [Key] = &[$(Key::$key),*];
        }
    };
}

/// What a [`Key`] stands for: where its name is in the list of names (which
/// a module holds once, to check the names a programme gives), and its
/// English text.
pub struct Message {
    at: u16,
    len: u8,
    english: &'static str,
}

impl Message {
    const fn new(names: &str, name: &str, english: &'static str) -> Message {
        let (list, wanted) = (names.as_bytes(), name.as_bytes());
        let mut at = 0;
        'scan: while at + wanted.len() + 2 <= list.len() {
            if list[at] == b' ' && list[at + wanted.len() + 1] == b' ' {
                let mut i = 0;
                while i < wanted.len() {
                    if list[at + 1 + i] != wanted[i] {
                        at += 1;
                        continue 'scan;
                    }
                    i += 1;
                }
                return Message { at: (at + 1) as u16, len: wanted.len() as u8, english };
            }
            at += 1;
        }
        panic!("every message's name is in the list of names")
    }
}

impl Key {
    /// Whether `name` is the name of a message.
    pub fn exists(name: &str) -> bool {
        !name.is_empty() && Key::NAMES.split(' ').any(|n| n == name)
    }

    /// The key's stable name, as hosts use it to override a message.
    pub fn name(self) -> &'static str {
        let at = usize::from(self.0.at);
        Key::NAMES.get(at..at + usize::from(self.0.len)).unwrap_or("")
    }

    /// The English text, which every other language starts from.
    pub(crate) fn english(self) -> &'static str {
        self.0.english
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.0.at == other.0.at
    }
}

impl Eq for Key {}

impl core::fmt::Debug for Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

impl core::hash::Hash for Key {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.0.at.hash(state)
    }
}

/// A language's texts by key; keys it lacks answer `None`.
#[cfg(not(target_arch = "wasm32"))]
macro_rules! translation {
    ($name:ident; $($key:ident => $text:expr),* $(,)?) => {
        use super::Key;

        // A misspelt key does not compile.
        const _: &[Key] = &[$(Key::$key),*];

        pub(super) fn $name(key: Key) -> Option<&'static str> {
            #[allow(unreachable_patterns)]
            Some(match key.name() { $(stringify!($key) => $text,)* _ => return None })
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
        let end = tag.bytes().position(|b| b == b'-' || b == b'_').unwrap_or(tag.len());
        let primary = tag[..end].to_ascii_lowercase();
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
        LOADED.with(|loaded| loaded.borrow()[self.index()].and_then(|texts| texts.get(key.name())).map(|t| t.as_str()))
    }

    #[cfg(target_arch = "wasm32")]
    fn index(self) -> usize {
        Locale::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    /// The catalogues installed in this page, by locale: each text by its
    /// message's name.
    static LOADED: std::cell::RefCell<[Option<&'static crate::model::texts::Map<String>>; 5]> = const { std::cell::RefCell::new([None; 5]) };
}

/// Installs the catalogue of `locale` from its file (a JSON object from
/// message name to text, as [`catalogue`] writes it). Texts are kept for the
/// life of the page. Names the catalogue does not know are skipped; a message
/// it lacks stays in English.
#[cfg(target_arch = "wasm32")]
pub fn install(locale: Locale, file: &str) -> Result<(), String> {
    let mut texts: crate::model::texts::Map<String> = crate::model::json::parse(file).map_err(|e| e.0)?;
    texts.retain(|_, text| !text.trim().is_empty());
    let table: &'static crate::model::texts::Map<String> = Box::leak(Box::new(texts));
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
    fn names_list_every_key_in_catalogue_order() {
        assert!(Key::ALL.iter().map(|k| k.name()).eq(Key::NAMES.split_terminator(' ').skip(1)));
        assert!(Key::exists("Next") && !Key::exists("Nex") && !Key::exists(""));
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
