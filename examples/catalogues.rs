//! Writes the catalogue of every language but English, which the browser
//! fetches when a widget needs it, as `<tag>.json` into the folder given.

use mentorkit::i18n::{catalogue, Locale};

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "pkg/i18n".into());
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot make {dir}: {e}"));
    for &locale in Locale::ALL.iter().filter(|l| **l != Locale::En) {
        let path = format!("{dir}/{}.json", locale.tag());
        std::fs::write(&path, catalogue(locale)).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
    }
}
