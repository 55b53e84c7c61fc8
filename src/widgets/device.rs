//! What mentorkit keeps on this device for a programme: every value stored
//! under the widget's namespace, named for the person, taken as one file,
//! or erased. All of it is the second module's (the feedback history's, the
//! agreement document's): it draws the section, hears its buttons, reads
//! and erases the values itself, and redraws the section; the widget only
//! starts afresh once everything is erased (see [`marker`]). Pure: tested
//! natively.

use crate::i18n::{self, Key};
use crate::markup::H;
use crate::model::envelope::{self, FEEDBACK_RECORDS, OUTBOX};
use crate::model::feedback::Record;
use crate::model::json::{self, Writer};
use crate::model::num::Digits;
use crate::model::outbox::{Entry, Status};
use crate::widgets::common::Draw;

/// Where the section goes in the agreement's review; the document's module
/// fills it (the history's draws it at the end of the history).
pub const PLACE: &str = "[data-device]";

/// The sections a second module draws and hears the buttons of (this one,
/// the link's), in the widget's markup; `data-for` names the module.
pub const SECTION: &str = "section[data-for]";

/// What an act asks of the widget afterwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    /// Draw the section again: what it shows changed.
    Draw,
    /// Everything is erased: every widget of the namespace starts afresh.
    Erased,
}

/// Carries out `act` on what this device keeps under `namespace`, read
/// with `entries` and erased with `erase` (which answers how many values
/// are left), and says what is to be done next; nothing when the file,
/// exported `now`, was offered with `offer` (the section stays as it is).
pub fn act(
    section: &mut Section,
    namespace: &str,
    act: Act,
    now: &str,
    entries: &dyn Fn() -> Vec<(String, String)>,
    erase: &dyn Fn() -> usize,
    offer: &dyn Fn(&str, &str),
) -> Option<Done> {
    section.focus = true;
    // "Yes" erases what the question named: the question of another
    // namespace (one module draws the section of every widget on the page),
    // or none, is asked again for this one.
    let asked_here = matches!(section.shows, Shows::Asking(_)) && section.asked == namespace;
    if act == Act::Erase || (act == Act::EraseYes && !asked_here) {
        section.asked = namespace.to_owned();
        section.shows = Shows::Asking(Kept::of(namespace, &entries()));
        return Some(Done::Draw);
    }
    section.shows = match act {
        Act::EraseNo | Act::Erase => Shows::Plain,
        Act::Download => {
            offer(&file_name(namespace), &everything(namespace, &entries(), now));
            section.focus = false;
            return None;
        }
        Act::EraseYes => match erase() {
            0 => {
                *section = Section::default();
                return Some(Done::Erased);
            }
            left => Shows::Failed(left),
        },
    };
    Some(Done::Draw)
}

/// The name of the value written while an erasure runs (for the widget
/// `device`, see [`marker`]), and removed last:
/// a widget that sees it go (in this tab or another) starts afresh.
pub const ERASING: &str = "erasing";

/// What the section's buttons ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    /// Offer everything kept as one file.
    Download,
    /// Ask whether to erase everything, naming what would go.
    Erase,
    /// Erase everything.
    EraseYes,
    /// Keep it.
    EraseNo,
}

impl Act {
    /// Every act, for the round trip.
    pub const ALL: [Act; 4] = [Act::Download, Act::Erase, Act::EraseYes, Act::EraseNo];

    /// The act as its button's [`ACT`] attribute names it.
    pub fn name(self) -> &'static str {
        match self {
            Act::Download => "download",
            Act::Erase => "erase",
            Act::EraseYes => "erase-yes",
            Act::EraseNo => "erase-no",
        }
    }

    /// The act named `name`, if it is one.
    pub fn from_name(name: &str) -> Option<Act> {
        Act::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// The attribute that names a button's act.
pub const ACT: &str = "data-device-act";

/// A button of the section.
fn button(d: &Draw, act: Act, label: Key) -> H {
    H::new("button").attr("type", "button").attr("part", "button").attr(ACT, act.name()).text(d.t(label))
}

/// The key of [`ERASING`] in `namespace`.
pub fn marker(namespace: &str) -> String {
    crate::store::key(namespace, "device", ERASING)
}

/// What the values kept under a namespace hold, for the person to read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kept {
    /// The agreement's draft (or signed version).
    pub agreement: bool,
    /// A session form not yet submitted.
    pub form: bool,
    /// Feedback records, every version counted.
    pub versions: usize,
    /// Feedback records (each counted once).
    pub records: usize,
    /// Records the programme has not received yet.
    pub unsent: usize,
    /// Values set aside because they could not be read.
    pub aside: usize,
    /// Anything else (preferences).
    pub other: usize,
}

impl Kept {
    /// What `entries` (key and value, each under `namespace`) hold.
    pub fn of(namespace: &str, entries: &[(String, String)]) -> Kept {
        let prefix = crate::store::prefix(namespace);
        let mut kept = Kept::default();
        for (key, value) in entries {
            let name = key.strip_prefix(&prefix).unwrap_or(key);
            match name {
                "agreement:draft" => kept.agreement = true,
                "feedback:draft" => kept.form = true,
                "feedback:records" => match envelope::open::<Vec<Record>>(FEEDBACK_RECORDS, value) {
                    Ok(env) => {
                        kept.versions += env.data.len();
                        kept.records += crate::model::feedback::latest_indexes(&env.data).len();
                    }
                    Err(_) => kept.aside += 1,
                },
                "delivery:outbox" => match envelope::open::<Vec<Entry>>(OUTBOX, value) {
                    // What the endpoint accepted is kept without its data.
                    Ok(env) => kept.unsent += env.data.iter().filter(|e| e.status != Status::Sent).count(),
                    Err(_) => kept.aside += 1,
                },
                _ if crate::store::is_set_aside(key) => kept.aside += 1,
                _ => kept.other += 1,
            }
        }
        kept
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        *self == Kept::default()
    }

    /// Each thing kept, in words.
    pub fn lines(&self, d: &Draw) -> Vec<String> {
        let count = |key: Key, n: usize| i18n::fill(d.t(key), &[("n", &n.digits())]);
        let mut lines = Vec::new();
        if self.agreement {
            lines.push(d.t(Key::KeptAgreement).to_owned());
        }
        if self.form {
            lines.push(d.t(Key::KeptForm).to_owned());
        }
        if self.records > 0 {
            lines.push(i18n::fill(d.t(Key::KeptRecords), &[("n", &self.records.digits()), ("versions", &self.versions.digits())]));
        }
        if self.unsent > 0 {
            lines.push(count(Key::KeptUnsent, self.unsent));
        }
        if self.aside > 0 {
            lines.push(count(Key::KeptAside, self.aside));
        }
        if self.other > 0 {
            lines.push(count(Key::KeptOther, self.other));
        }
        lines
    }
}

/// What the section shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Shows {
    /// What it is for, and its two buttons.
    #[default]
    Plain,
    /// The question: what would go, with a warning about what the
    /// programme has not had yet.
    Asking(Kept),
    /// This many values could not be erased.
    Failed(usize),
}

/// The section's state, kept by the second module between drawings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Section {
    /// What it shows.
    pub shows: Shows,
    /// Whether the next drawing marks where focus goes (after an act, not
    /// at every drawing): the safe answer to the question, else the erase
    /// button.
    pub focus: bool,
    /// The namespace the question was asked for.
    pub asked: String,
}

/// The section as `section` says, drawn by the module `whose` (`history`,
/// `document`), which hears its buttons. The control to focus carries
/// `data-focus-now`.
pub fn section(d: &Draw, section: &Section, whose: &str) -> H {
    let out = d.section("mk-device", Key::Device).class("device").attr("data-for", whose);
    let focus = section.focus;
    let kept = match &section.shows {
        Shows::Plain => return out.add(H::new("p").class("help").text(d.t(Key::DeviceHelp))).add(buttons(d, focus)),
        Shows::Failed(n) => {
            let text = i18n::fill(d.t(Key::EraseFailed), &[("n", &n.digits())]);
            return out.add(H::new("p").class("error").attr("role", "alert").attr("part", "error").text(&text)).add(buttons(d, focus));
        }
        Shows::Asking(kept) if kept.is_empty() => {
            let nothing = H::new("p").attr("role", "status").attr("tabindex", "-1").text(d.t(Key::NothingKept));
            return out.add(if focus { nothing.attr("data-focus-now", "") } else { nothing }).add(buttons(d, false));
        }
        Shows::Asking(kept) => kept,
    };
    let list = kept.lines(d).iter().fold(H::new("ul"), |list, line| list.add(H::new("li").text(line)));
    let mut confirm = H::new("div")
        .class("confirm")
        .attr("role", "group")
        .attr("aria-labelledby", "mk-erase-q")
        .add(H::new("p").attr("id", "mk-erase-q").text(d.t(Key::EraseAsk)))
        .add(list);
    if kept.unsent > 0 {
        let text = i18n::fill(d.t(Key::EraseUnsent), &[("n", &kept.unsent.digits())]);
        confirm = confirm.add(H::new("p").class("warning").attr("part", "warning").text(&text));
    }
    confirm = confirm.add(H::new("p").text(d.t(Key::EraseFinal)));
    let no = button(d, Act::EraseNo, Key::EraseNo);
    // Named, so the widget knows focus was in it when everything goes.
    let row = H::new("div")
        .class("buttons")
        .add(button(d, Act::Download, Key::DownloadAll))
        .add(button(d, Act::EraseYes, Key::EraseYes).attr("data-focus", "erase-yes"))
        .add(if focus { no.attr("data-focus-now", "") } else { no });
    out.add(confirm.add(row))
}

/// The two buttons, focus on the second when `focus_erase`.
fn buttons(d: &Draw, focus_erase: bool) -> H {
    let erase = button(d, Act::Erase, Key::EraseAll);
    let erase = if focus_erase { erase.attr("data-focus-now", "") } else { erase };
    H::new("div").class("buttons").add(button(d, Act::Download, Key::DownloadAll)).add(erase)
}

/// Everything kept under `namespace` as one JSON file, exported at
/// `exported` (ISO 8601): each key with its value as stored (the value
/// itself where it is JSON, else its text).
pub fn everything(namespace: &str, entries: &[(String, String)], exported: &str) -> String {
    let mut w = Writer::default();
    w.object(|w| {
        w.key("schema").str("mentorkit.device");
        w.key("version").int(1);
        w.key("namespace").str(namespace);
        w.key("exported").str(exported);
        w.key("values").array(|w| {
            for (key, value) in entries {
                w.object(|w| {
                    w.key("key").str(key);
                    if json::parse::<json::Skip>(value).is_ok() {
                        w.key("value").raw(value.trim());
                    } else {
                        w.key("text").str(value);
                    }
                });
            }
        });
    });
    w.finish()
}

/// The file name of [`everything`].
pub fn file_name(namespace: &str) -> String {
    ["mentorkit-", namespace, "-everything.json"].concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::Programme;
    use crate::widgets::fixed_ctx;

    fn entry(key: &str, status: Status) -> Entry {
        let (queued_at, sent_at, updated, next_at) = (1.0, 2.0, 2.0, 1.0);
        Entry { key: key.into(), id: "a".into(), kind: "session".into(), record_version: 1, body: "{}".into(), status, attempts: 1, next_at, reason: String::new(), queued_at, sent_at, updated }
    }

    pub(super) fn entries() -> Vec<(String, String)> {
        let record = |id: &str, version: u32| {
            let data: crate::model::values::Values = [("private.note", "mine alone")].into_iter().collect();
            Record { id: id.into(), seq: 1, version, kind: "session".into(), created: String::new(), submitted: String::new(), data }
        };
        let records = envelope::seal(FEEDBACK_RECORDS, 1.0, &vec![record("a", 1), record("a", 2), record("b", 1)]);
        vec![
            ("mentorkit:north:agreement:draft".into(), r#"{"schema":"mentorkit.agreement"}"#.into()),
            ("mentorkit:north:feedback:records".into(), records),
            ("mentorkit:north:delivery:outbox".into(), envelope::seal(OUTBOX, 1.0, &vec![entry("a.2", Status::Queued), entry("a.1", Status::Sent)])),
            ("mentorkit:north:feedback:draft:set-aside:5".into(), "{not json".into()),
            ("mentorkit:north:feedback:questions".into(), "all".into()),
        ]
    }

    #[test]
    fn every_act_reads_back_as_itself() {
        for act in Act::ALL {
            assert_eq!(Act::from_name(act.name()), Some(act));
        }
        assert_eq!(Act::from_name("erase-all"), None);
        assert_eq!(Act::from_name(""), None);
    }

    #[test]
    fn what_is_kept_is_counted_and_named() {
        let kept = Kept::of("north", &entries());
        assert_eq!(kept, Kept { agreement: true, form: false, versions: 3, records: 2, unsent: 1, aside: 1, other: 1 }, "what the endpoint accepted is not counted");
        let p = Programme::default();
        let ctx = fixed_ctx("2026-12-04");
        let d = Draw::new(&p, &ctx);
        let lines = kept.lines(&d);
        assert!(lines.iter().any(|l| l.contains('2') && l.contains('3')), "{lines:?}");
        assert_eq!(lines.len(), 5, "{lines:?}");
        assert!(Kept::of("north", &[]).is_empty());
    }

    #[test]
    fn the_confirmation_names_what_goes_and_warns_about_what_was_not_sent() {
        let p = Programme::default();
        let ctx = fixed_ctx("2026-12-04");
        let d = Draw::new(&p, &ctx);
        let plain = section(&d, &Section::default(), "history").done().into_string();
        assert!(plain.contains("data-device-act=\"download\"") && plain.contains("data-device-act=\"erase\"") && !plain.contains("data-focus-now"), "{plain}");
        let back = section(&d, &Section { shows: Shows::Plain, focus: true, ..Section::default() }, "history").done().into_string();
        let erase = back.find("data-device-act=\"erase\"").unwrap();
        assert!(back[erase..].find("data-focus-now").unwrap() < back[erase..].find("</button>").unwrap(), "{back}");
        let kept = Kept { agreement: true, records: 2, versions: 3, unsent: 1, ..Kept::default() };
        let asked = section(&d, &Section { shows: Shows::Asking(kept.clone()), focus: true, ..Section::default() }, "history").done().into_string();
        assert!(asked.contains("data-device-act=\"erase-yes\"") && asked.contains("data-device-act=\"erase-no\""), "{asked}");
        assert!(asked.contains(&i18n::fill(Key::EraseUnsent.english(), &[("n", "1")])), "{asked}");
        for line in kept.lines(&d) {
            assert!(asked.contains(&line), "{line} in {asked}");
        }
        // The safe answer has focus.
        let no = asked.find("data-device-act=\"erase-no\"").unwrap();
        assert!(asked[no..].find("data-focus-now").unwrap() < asked[no..].find("</button>").unwrap());
        let none = section(&d, &Section { shows: Shows::Asking(Kept::default()), focus: false, ..Section::default() }, "history").done().into_string();
        assert!(none.contains(Key::NothingKept.english()) && !none.contains("erase-yes"), "{none}");
        let failed = section(&d, &Section { shows: Shows::Failed(2), focus: false, ..Section::default() }, "history").done().into_string();
        assert!(failed.contains("role=\"alert\""), "{failed}");
    }

    #[test]
    fn acts_change_what_the_section_shows() {
        use std::cell::{Cell, RefCell};
        let (erased, offered) = (Cell::new(false), RefCell::new(String::new()));
        let left = Cell::new(2);
        let entries = || if erased.get() { Vec::new() } else { super::tests::entries() };
        let erase = || {
            erased.set(true);
            left.get()
        };
        let offer = |name: &str, _: &str| *offered.borrow_mut() = name.to_owned();
        let mut s = Section::default();
        let run = |s: &mut Section, a: Act| act(s, "north", a, "2026-12-04T10:00:00Z", &entries, &erase, &offer);
        assert_eq!(run(&mut s, Act::Erase), Some(Done::Draw));
        assert!(matches!(&s.shows, Shows::Asking(k) if k.records == 2) && s.focus);
        assert_eq!(run(&mut s, Act::Download), None, "the question stays");
        assert_eq!(*offered.borrow(), "mentorkit-north-everything.json");
        assert!(matches!(s.shows, Shows::Asking(_)));
        assert_eq!(run(&mut s, Act::EraseNo), Some(Done::Draw));
        assert_eq!(s, Section { shows: Shows::Plain, focus: true, asked: "north".into() });
        assert_eq!(run(&mut s, Act::EraseYes), Some(Done::Draw), "not asked: asked now");
        assert!(matches!(s.shows, Shows::Asking(_)) && !erased.get());
        // The question another namespace's widget opened is asked again here.
        s.asked = "south".into();
        assert_eq!(run(&mut s, Act::EraseYes), Some(Done::Draw));
        assert!(matches!(s.shows, Shows::Asking(_)) && !erased.get() && s.asked == "north");
        assert_eq!(run(&mut s, Act::EraseYes), Some(Done::Draw), "two values were left");
        assert_eq!(s.shows, Shows::Failed(2));
        left.set(0);
        assert_eq!(run(&mut s, Act::EraseYes), Some(Done::Draw), "asked again after the failure");
        assert_eq!(run(&mut s, Act::EraseYes), Some(Done::Erased));
        assert_eq!(s, Section::default());
    }

    #[test]
    fn everything_holds_every_value_as_stored() {
        let file = everything("north", &entries(), "2026-12-04T10:00:00Z");
        let value: serde_json::Value = serde_json::from_str(&file).unwrap();
        assert_eq!(value["schema"], "mentorkit.device");
        let values = value["values"].as_array().unwrap();
        assert_eq!(values.len(), 5);
        let records = &values[1]["value"]["data"];
        assert_eq!(records.as_array().unwrap().len(), 3, "every version");
        assert_eq!(records[1]["data"]["private.note"], "mine alone");
        assert_eq!(values[3]["text"], "{not json", "what is not JSON is kept as its text");
        assert_eq!(values[4]["value"], serde_json::Value::Null);
        assert_eq!(values[4]["text"], "all");
    }
}
