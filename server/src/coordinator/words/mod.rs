//! The coordinator pages' own wording, in the widgets' five languages.
//!
//! As in the widgets' catalogues, messages are an enum declared with their
//! English text (`en.rs`); each other language is a list of message and
//! text (`es.rs`, `fr.rs`, `de.rs`, `ar.rs`), a misspelt name does not
//! compile, and a test fails while a language misses a message or changes a
//! placeholder. A programme may reword any message per language by its name
//! ([`Labels`]). Answers, options and the names of kinds of record come from
//! the widgets' catalogues, through the programme's widget configuration, so
//! they read here exactly as they read in the widget.
//!
//! Dates are written out here (the browser's `Intl` is not at hand on the
//! server): "5 March 2027" in the language's own order and month names.

use mentorkit::i18n::{fill, Locale};
use std::collections::BTreeMap;

macro_rules! words {
    ($($key:ident => $en:expr),* $(,)?) => {
        /// A message of the coordinator pages.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Word { $(#[allow(missing_docs)] $key),* }

        impl Word {
            /// Every message, in catalogue order.
            pub const ALL: &'static [Word] = &[$(Word::$key),*];

            /// Its stable name, as a programme's wording overrides it.
            pub fn name(self) -> &'static str {
                match self { $(Word::$key => stringify!($key)),* }
            }

            /// Its English text.
            pub fn english(self) -> &'static str {
                match self { $(Word::$key => $en),* }
            }
        }
    };
}

macro_rules! translation {
    ($name:ident; $($key:ident => $text:expr),* $(,)?) => {
        use super::Word;

        pub(super) fn $name(word: Word) -> Option<&'static str> {
            #[allow(unreachable_patterns)]
            Some(match word { $(Word::$key => $text,)* _ => return None })
        }
    };
}

mod en;
pub use en::Word;

mod ar;
mod de;
mod es;
mod fr;

fn own(locale: Locale, word: Word) -> Option<&'static str> {
    match locale {
        Locale::En => Some(word.english()),
        Locale::Es => es::spanish(word),
        Locale::Fr => fr::french(word),
        Locale::De => de::german(word),
        Locale::Ar => ar::arabic(word),
    }
}

/// A programme's wording of the pages: language, then message name, then text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Labels(BTreeMap<String, BTreeMap<String, String>>);

/// The `{name}` placeholders of a text, sorted.
fn placeholders(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> = text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
    names.sort_unstable();
    names
}

impl Labels {
    /// Reads a programme's wording (`{"en": {"PairsTitle": "Our pairs"}}`),
    /// saying what is wrong with it: an unknown language or message, an
    /// empty text, or placeholders that are not the message's own.
    pub fn parse(text: &str) -> Result<Labels, String> {
        let map: BTreeMap<String, BTreeMap<String, String>> =
            serde_json::from_str(text).map_err(|e| format!("the wording is not an object of languages, each an object of message names and texts: {e}"))?;
        for (language, texts) in &map {
            if !Locale::ALL.iter().any(|l| l.tag() == language) {
                return Err(format!("{language}: not one of the languages en, es, fr, de, ar"));
            }
            for (name, text) in texts {
                let Some(word) = Word::ALL.iter().find(|w| w.name() == name) else {
                    return Err(format!("{language}.{name}: there is no message of this name"));
                };
                if text.trim().is_empty() {
                    return Err(format!("{language}.{name}: the text is empty"));
                }
                if placeholders(text) != placeholders(word.english()) {
                    return Err(format!("{language}.{name}: write the placeholders {:?}, as the message has them", placeholders(word.english())));
                }
            }
        }
        Ok(Labels(map))
    }

    fn get(&self, locale: Locale, word: Word) -> Option<&str> {
        self.0.get(locale.tag())?.get(word.name()).map(String::as_str)
    }
}

/// Months by number (1 = January).
const MONTHS: [Word; 12] = [
    Word::Month1, Word::Month2, Word::Month3, Word::Month4, Word::Month5, Word::Month6,
    Word::Month7, Word::Month8, Word::Month9, Word::Month10, Word::Month11, Word::Month12,
];

/// The pages' wording in one language, with a programme's changes.
#[derive(Clone, Copy, Debug)]
pub struct Words<'a> {
    /// The language.
    pub locale: Locale,
    labels: Option<&'a Labels>,
}

impl<'a> Words<'a> {
    /// The wording in `locale`, as `labels` (if any) change it.
    pub fn new(locale: Locale, labels: Option<&'a Labels>) -> Words<'a> {
        Words { locale, labels }
    }

    /// The text of `word`.
    pub fn t(&self, word: Word) -> &'a str {
        if let Some(text) = self.labels.and_then(|l| l.get(self.locale, word)) {
            return text;
        }
        own(self.locale, word).unwrap_or_else(|| word.english())
    }

    /// The text of `word` with its placeholders filled.
    pub fn f(&self, word: Word, args: &[(&str, &str)]) -> String {
        fill(self.t(word), args)
    }

    /// A date (`YYYY-MM-DD`) in words: "5 March 2027". Anything else is
    /// written as it is.
    pub fn date(&self, day: &str) -> String {
        let Some(days) = mentorkit::model::date::parse(day) else { return day.to_owned() };
        let (y, m, d) = mentorkit::model::date::to_civil(days);
        self.f(Word::DateFormat, &[("day", &d.to_string()), ("month", self.t(MONTHS[m as usize - 1])), ("year", &y.to_string())])
    }

    /// A month (`YYYY-MM`) in words: "March 2027".
    pub fn month(&self, month: &str) -> String {
        let parsed = month.split_once('-').and_then(|(y, m)| Some((y.parse::<i64>().ok()?, m.parse::<usize>().ok().filter(|m| (1..=12).contains(m))?)));
        match parsed {
            Some((y, m)) => self.f(Word::MonthFormat, &[("month", self.t(MONTHS[m - 1])), ("year", &y.to_string())]),
            None => month.to_owned(),
        }
    }

    /// A number in tenths (38 = 3.8) with the language's decimal sign.
    pub fn tenths(&self, tenths: u32) -> String {
        mentorkit::render::history::tenths(tenths, self.locale)
    }

    /// "Mentee" or "Mentor".
    pub fn role(&self, role: &str) -> &'a str {
        self.t(if role == "mentor" { Word::Mentor } else { Word::Mentee })
    }

    /// A kind of record in words (`agreement`, `session`, `checkin`,
    /// `closing`), if it is one.
    pub fn record_kind(&self, kind: &str) -> Option<&'a str> {
        Some(self.t(match kind {
            "agreement" => Word::RecordAgreement,
            "session" => Word::EntrySession,
            "checkin" => Word::EntryCheckin,
            "closing" => Word::EntryClosing,
            _ => return None,
        }))
    }

    /// A table's row of column headings.
    pub fn heads(&self, words: &[Word]) -> String {
        words.iter().map(|w| ["<th scope=\"col\">", &super::super::http::html::esc(self.t(*w)), "</th>"].concat()).collect()
    }

    /// A count with its noun: "1 day", "5 days" (`one` and `many` take `{n}`).
    pub fn count(&self, n: i64, one: Word, many: Word) -> String {
        self.f(if n == 1 { one } else { many }, &[("n", &n.to_string())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_message_with_the_same_placeholders() {
        let mut problems = Vec::new();
        for &locale in Locale::ALL {
            for &word in Word::ALL {
                match own(locale, word) {
                    None => problems.push(format!("{}: {} is missing", locale.tag(), word.name())),
                    Some(text) if text.trim().is_empty() => problems.push(format!("{}: {} is empty", locale.tag(), word.name())),
                    Some(text) if placeholders(text) != placeholders(word.english()) => problems.push(format!(
                        "{}: {} has {:?}, not {:?}",
                        locale.tag(),
                        word.name(),
                        placeholders(text),
                        placeholders(word.english())
                    )),
                    Some(_) => {}
                }
            }
        }
        assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    }

    #[test]
    fn message_names_are_unique() {
        let mut names: Vec<&str> = Word::ALL.iter().map(|w| w.name()).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n);
    }

    #[test]
    fn dates_and_months_read_in_each_language() {
        let w = |tag| Words::new(Locale::from_tag(tag), None);
        assert_eq!(w("en").date("2027-03-05"), "5 March 2027");
        assert_eq!(w("es").date("2027-03-05"), "5 de marzo de 2027");
        assert_eq!(w("fr").date("2027-03-05"), "5 mars 2027");
        assert_eq!(w("de").date("2027-03-05"), "5. März 2027");
        assert_eq!(w("ar").date("2027-03-05"), "5 مارس 2027");
        assert_eq!(w("de").month("2027-12"), "Dezember 2027");
        assert_eq!(w("en").date("soon"), "soon", "what is not a date stays as it is");
        assert_eq!(w("fr").tenths(38), "3,8");
    }

    #[test]
    fn a_programme_rewords_a_message_and_is_told_what_is_wrong_with_its_wording() {
        let labels = Labels::parse(r#"{"en": {"PairsTitle": "Our pairs"}, "es": {"PairsTitle": "Nuestras parejas"}}"#).expect("valid");
        assert_eq!(Words::new(Locale::En, Some(&labels)).t(Word::PairsTitle), "Our pairs");
        assert_eq!(Words::new(Locale::Es, Some(&labels)).t(Word::PairsTitle), "Nuestras parejas");
        assert_eq!(Words::new(Locale::Fr, Some(&labels)).t(Word::PairsTitle), own(Locale::Fr, Word::PairsTitle).unwrap());
        for (bad, said) in [
            (r#"{"xx": {}}"#, "xx"),
            (r#"{"en": {"Nope": "x"}}"#, "en.Nope"),
            (r#"{"en": {"PairsTitle": " "}}"#, "empty"),
            (r#"{"en": {"OverdueBy": "late"}}"#, "placeholders"),
            (r#"[]"#, "not an object"),
        ] {
            assert!(Labels::parse(bad).unwrap_err().contains(said), "{bad}");
        }
    }
}
