//! What every widget's second module shares with its widget: a request
//! carries the language, the day and the time it is asked in, written and
//! read here, and the module keeps the data last handed over.

use crate::model::json::Writer;
use crate::widgets::Ctx;
#[cfg(any(feature = "history", feature = "document"))]
use crate::{
    i18n::Locale,
    model::json::{self, FromJson},
};

/// A number no state handed to a second module here had before.
pub fn revision() -> u64 {
    use core::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A checksum of `data` (FNV-1a, and its length), as the identity of data
/// that has no revision of its own.
pub fn checksum(data: &str) -> u64 {
    data.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)) ^ data.len() as u64
}

/// Writes the language, day and time of `ctx` into a request.
pub fn write_when(w: &mut Writer, ctx: &Ctx) {
    w.key("locale").str(ctx.locale.tag());
    w.key("today").str(ctx.today);
    w.key("now").ms(ctx.now);
}

/// The language, day and time a request was made in.
#[cfg(any(feature = "history", feature = "document"))]
#[derive(Default)]
pub struct When {
    /// The widget's language.
    pub locale: Locale,
    /// Today, `YYYY-MM-DD`.
    pub today: String,
    /// Now, in milliseconds since the epoch.
    pub now: f64,
}

#[cfg(any(feature = "history", feature = "document"))]
impl When {
    /// Reads the field `key` if it is one of these (`Ok(false)` if not).
    pub fn read(&mut self, r: &mut json::Reader, key: &str) -> json::Result<bool> {
        match key {
            "locale" => self.locale = Locale::from_tag(&String::read(r)?),
            "today" => self.today = String::read(r)?,
            "now" => self.now = r.number()?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The context it describes, with dates written by `date`.
    pub fn ctx<'a>(&'a self, date: &'a dyn Fn(&str) -> String) -> Ctx<'a> {
        Ctx { locale: self.locale, today: &self.today, now: self.now, date }
    }
}

/// Keeps what `state` makes of `data` in `held` when data is given, then
/// answers with `answer` about what is kept (nothing if nothing is).
#[cfg(any(feature = "history", feature = "document"))]
pub fn keep_and_answer<T, R>(held: &mut Option<T>, data: Option<String>, state: fn(&str) -> Option<T>, answer: impl FnOnce(&mut T) -> Option<R>) -> Option<R> {
    if let Some(data) = data {
        *held = state(&data);
    }
    answer(held.as_mut()?)
}

/// [`keep_and_answer`], where what `section` picks of the kept state (what
/// the module's own sections show) is the module's own, not the widget's:
/// it stays as it was when new data replaces the rest.
#[cfg(any(feature = "history", feature = "document"))]
pub fn keep_and_answer_keeping<T, S: Default, R>(
    held: &mut Option<T>,
    data: Option<String>,
    state: fn(&str) -> Option<T>,
    section: fn(&mut T) -> &mut S,
    answer: impl FnOnce(&mut T) -> Option<R>,
) -> Option<R> {
    let kept = held.as_mut().map(|h| std::mem::take(section(h))).unwrap_or_default();
    keep_and_answer(held, data, state, |h| {
        *section(h) = kept;
        answer(h)
    })
}
