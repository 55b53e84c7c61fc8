//! The widgets, each plain Rust and tested natively: a state, a typed `Msg`,
//! an `update` that returns what to do as data ([`Out`], [`Effect`]), and a
//! pure `view` that returns [`Markup`](crate::markup::Markup). The shell
//! (browser only) owns the page: it draws the markup, turns what the person
//! does into messages, and carries out the effects.
//!
//! - [`draft`]: a form filled in over time and kept as a draft, shared by both;
//! - [`action`]: what a button asks for, with one encoding;
//! - [`common`]: drawing shared by both: controls, notices, problems,
//!   delivery status, documents;
//! - [`device`]: what this device keeps, taken as one file or erased;
//! - [`agreement`] and [`feedback`]: the two widgets.

pub mod action;
pub mod common;
pub mod device;
pub mod draft;
pub mod later;
#[cfg(feature = "document")]
pub mod share;

#[cfg(any(feature = "agreement", feature = "document"))]
pub mod agreement;
#[cfg(any(feature = "feedback", feature = "history"))]
pub mod feedback;

use crate::i18n::Locale;

/// What a view or an update needs from around it.
pub struct Ctx<'a> {
    /// The widget's language.
    pub locale: Locale,
    /// Today, `YYYY-MM-DD`.
    pub today: &'a str,
    /// Now, in milliseconds since the epoch.
    pub now: f64,
    /// How a date or a timestamp is written in the widget's language.
    pub date: &'a dyn Fn(&str) -> String,
}

impl Ctx<'_> {
    /// Now as an ISO 8601 timestamp (whole seconds).
    pub fn now_iso(&self) -> String {
        common::iso_of(self.now)
    }
}

/// Dates as they are stored: what tests draw with.
pub fn plain_date(iso: &str) -> String {
    iso.to_owned()
}

/// A context for tests and tools: English, a fixed day, dates as stored.
pub fn fixed_ctx(today: &str) -> Ctx<'_> {
    Ctx { locale: Locale::En, today, now: 1_795_000_000_000.0, date: &plain_date }
}

/// What a widget's second module (the feedback history, the agreement
/// document, fetched once the first field is on screen) gives the widget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// It is still being fetched.
    Loading,
    /// It could not be had.
    Failed,
    /// Its answer: markup or a file's text (nothing if there is none).
    Given(Option<String>),
}

/// What must be drawn again after an update.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Redraw {
    /// Nothing.
    Nothing,
    /// The notice area.
    Notice,
    /// The problem messages on display.
    Problems,
    /// The live preview of the agreement.
    Preview,
    /// The whole widget.
    Step,
}

/// Where focus goes after the update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Focus {
    /// Stays where it is.
    Stay,
    /// The heading of the step or tab (after moving to another).
    Heading,
    /// The control with this name (or `data-focus`).
    Control(String),
}

/// Something only the shell can do, asked for by an update.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Offer the agreement as a file. The document's own code writes it
    /// (see [`agreement::later`]).
    #[cfg(any(feature = "agreement", feature = "document"))]
    DocumentFile(action::Format),
    /// Print the agreement.
    #[cfg(any(feature = "agreement", feature = "document"))]
    PrintDocument,
    /// Open the file chooser for a draft file.
    ChooseFile,
    /// The agreement has just become fully signed: keep this version, send
    /// it to the programme, tell the host.
    Signed,
    /// Store the feedback records, merged with what is stored; the result
    /// comes back as a message.
    StoreRecords,
    /// A feedback record was just made: send it and tell the host.
    #[cfg(any(feature = "feedback", feature = "history"))]
    Submitted(crate::model::feedback::Record),
    /// Remember on this device whether the person wants every question of
    /// a session (`true`) or the quick part.
    AllQuestions(bool),
    /// Offer the feedback history as a file; `true` for the person's full
    /// copy. The history's own code writes it (see
    /// [`feedback::history`]).
    #[cfg(any(feature = "feedback", feature = "history"))]
    HistoryFile(action::HistoryFile, bool),
    /// Print the feedback history's summary.
    #[cfg(any(feature = "feedback", feature = "history"))]
    PrintHistory,
}

/// What the shell must do after an update.
#[derive(Clone, Debug, PartialEq)]
pub struct Out {
    /// Save the draft soon.
    pub save: bool,
    /// Draw again.
    pub redraw: Redraw,
    /// Move focus.
    pub focus: Focus,
    /// Anything else.
    pub effects: Vec<Effect>,
}

impl Out {
    /// Nothing to do.
    pub fn none() -> Out {
        Out { save: false, redraw: Redraw::Nothing, focus: Focus::Stay, effects: Vec::new() }
    }

    /// Draw everything again and move focus.
    pub fn step(focus: Focus) -> Out {
        Out { redraw: Redraw::Step, focus, ..Out::none() }
    }

    /// Draw everything again, move focus, and save soon.
    pub fn saved_step(focus: Focus) -> Out {
        Out { save: true, ..Out::step(focus) }
    }

    /// Only this effect.
    pub fn effect(effect: Effect) -> Out {
        Out { effects: vec![effect], ..Out::none() }
    }
}

/// Compares a drawing with its golden file in `tests/golden/` (one tag a
/// line, to read in a diff); `UPDATE_GOLDEN=1` rewrites it.
#[cfg(test)]
pub(crate) fn golden(name: &str, markup: &crate::markup::Markup) {
    let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    let pretty = markup.as_str().replace("><", ">\n<");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &pretty).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{path} missing: run with UPDATE_GOLDEN=1"));
    assert!(expected == pretty, "the markup differs from {path}; rerun with UPDATE_GOLDEN=1 and review the diff");
}
