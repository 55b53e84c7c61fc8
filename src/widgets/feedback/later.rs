//! The feedback history in its own module. A feedback page downloads the
//! form first; the history (its alerts, charts, entries and files) is a
//! second module, fetched once the form is on screen. The two share no
//! memory: the feedback module hands over the history's data (the
//! programme's configuration, every record, the linked agreement, the host's
//! respondent) when it changes, and then asks for what it needs drawn or
//! written, each as JSON. Pure, both halves: tested natively.

use super::Feedback;
use crate::model::json::Writer;
use crate::widgets::Ctx;
#[cfg(feature = "history")]
use crate::{
    i18n::Locale,
    model::json::{self, FromJson},
};

/// How a request for the history begins.
pub const FOR: &str = r#"{"for":"history""#;

/// A request that asks for nothing: the module keeps the data handed with
/// it, for what is asked next.
pub const KEEP: &str = r#"{"for":"history"}"#;

/// What the feedback module asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Ask {
    /// The history tab's body (see [`super::history::body`]).
    Body,
    /// An entry's answers, by record id.
    Entry(String),
    /// The history in a format `export(format)` names; `true` for the full copy.
    File(String, bool),
}

/// The history's data as JSON: handed over whenever it differs from what
/// was handed over last.
pub fn data(f: &Feedback) -> String {
    let mut w = Writer::default();
    w.object(|w| {
        w.key("programme").str(&f.programme.source);
        w.key("records").value(&f.records);
        match &f.agreement {
            Some(a) => w.key("agreement").value(a),
            None => w.key("agreement").null(),
        }
        w.key("respondent").str(f.fixed_respondent.as_deref().unwrap_or(""));
    });
    w.finish()
}

/// A request as JSON: what is asked, in which language and on which day,
/// and how much of the history is on display.
pub fn request(f: &Feedback, ask: &Ask, ctx: &Ctx) -> String {
    let mut w = Writer::default();
    w.object(|w| {
        w.key("for").str("history");
        match ask {
            Ask::Body => w.key("ask").str("body"),
            Ask::Entry(id) => {
                w.key("ask").str("entry");
                w.key("id").str(id);
            }
            Ask::File(format, full) => {
                w.key("ask").str("file");
                w.key("format").str(format);
                w.key("full").bool(*full);
            }
        }
        crate::widgets::later::write_when(w, ctx);
        w.key("shown").int(f.shown as i64);
        w.key("allOpen").bool(f.all_open);
        w.key("unsaved").value(&f.unsaved);
    });
    w.finish()
}

/// The feedback widget's state rebuilt from [`data`], for the history to
/// draw; `None` if it is not such data.
#[cfg(feature = "history")]
pub fn state(data: &str) -> Option<Feedback> {
    use crate::model::{config::Programme, feedback::Record, values::Values};
    let (mut source, mut records, mut agreement, mut respondent) = (String::new(), Vec::new(), None, String::new());
    let mut r = json::Reader::new(data);
    json::fields(&mut r, false, |r, key| {
        match key {
            "programme" => source = String::read(r)?,
            "records" => records = Vec::<Record>::read(r)?,
            "agreement" if r.null() => agreement = None,
            "agreement" => agreement = Some(Values::read(r)?),
            "respondent" => respondent = String::read(r)?,
            _ => return Ok(false),
        }
        Ok(true)
    })
    .ok()?;
    // The feedback module read it already; what it could use is used here.
    let programme = if source.is_empty() { Programme::default() } else { Programme::from_json(&source, &crate::model::feedback::SCHEMA).unwrap_or_default() };
    let draft = crate::widgets::draft::Draft::restore(crate::model::feedback::STEPS, Ok(None), Values::default);
    Some(Feedback::new(draft, programme, records, agreement, (!respondent.is_empty()).then_some(respondent)))
}

/// What `request` asks of the history in `f`, with dates written by `date`;
/// `None` if the request cannot be read or asks for nothing there is.
#[cfg(feature = "history")]
pub fn answer(f: &mut Feedback, request: &str, date: &dyn Fn(Locale, &str) -> String) -> Option<String> {
    let (mut ask, mut id, mut format, mut full) = (String::new(), String::new(), String::new(), false);
    let mut when = crate::widgets::later::When::default();
    let mut r = json::Reader::new(request);
    json::fields(&mut r, false, |r, key| {
        match key {
            "ask" => ask = String::read(r)?,
            "id" => id = String::read(r)?,
            "format" => format = String::read(r)?,
            "full" => full = r.bool()?,
            "shown" => f.shown = r.u32()? as usize,
            "allOpen" => f.all_open = r.bool()?,
            "unsaved" => f.unsaved = Vec::<String>::read(r)?,
            _ => return when.read(r, key),
        }
        Ok(true)
    })
    .ok()?;
    let ask = match ask.as_str() {
        "body" => Ask::Body,
        "entry" => Ask::Entry(id),
        "file" => Ask::File(format, full),
        _ => return None,
    };
    let locale = when.locale;
    let written = move |d: &str| date(locale, d);
    let answer = reply(f, &ask, &when.ctx(&written));
    // Focus goes where the section says once, after what changed it.
    if ask == Ask::Body {
        f.device.focus = false;
    }
    answer
}

/// The name and media type of the file a request asks for, if it asks for
/// one (see [`super::history::file_name`]).
#[cfg(feature = "history")]
pub fn file_name(request: &str) -> Option<(String, &'static str)> {
    let (mut format, mut full) = (String::new(), false);
    let mut r = json::Reader::new(request);
    json::fields(&mut r, false, |r, key| {
        match key {
            "format" => format = String::read(r)?,
            "full" => full = r.bool()?,
            _ => return Ok(false),
        }
        Ok(true)
    })
    .ok()?;
    super::history::file_name(&format, full)
}

/// What `ask` gets from the history in `f`: markup, or a file's text.
#[cfg(feature = "history")]
pub fn reply(f: &Feedback, ask: &Ask, ctx: &Ctx) -> Option<String> {
    use super::history;
    match ask {
        Ask::Body => {
            let d = crate::widgets::common::Draw::new(&f.programme, ctx);
            let body = history::body(&d, f, crate::markup::H::new("div")).add(crate::widgets::device::section(&d, &f.device, "history"));
            Some(body.children().into_string())
        }
        Ask::Entry(id) => history::entry(f, id, ctx).map(crate::markup::Markup::into_string),
        Ask::File(format, full) => history::export(f, format, *full, ctx),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;
    use crate::model::config::Programme;
    use crate::model::feedback::{self, fresh, Linked, STEPS};
    use crate::widgets::draft::{self, Draft};
    use crate::widgets::feedback::Msg;

    /// A history with a programme's own wording and question, a linked
    /// agreement, two sessions (one amended), private and programme notes.
    fn history() -> Feedback {
        let config = r#"{"name": "Bridges", "questions": [{"id": "energy", "kind": "rating", "label": "How energised are you?"}], "labels": {"en": {"AtAGlance": "How it is going"}}}"#;
        let programme = Programme::from_json(config, &feedback::SCHEMA).expect("a programme");
        let mut agreement = crate::model::form::Values::default();
        agreement.set("goals", "1".into());
        agreement.set("goal.1.what", "Finish the portfolio".into());
        let draft = Draft::restore(STEPS, Ok(None), || fresh("2027-03-01", "", &Linked::default(), &[], &programme));
        let mut f = Feedback::new(draft, programme, Vec::new(), Some(agreement), Some("mentee".into()));
        let ctx = crate::widgets::fixed_ctx("2027-03-02");
        for (id, date, rating, note) in [("a", "2027-02-01", "2", "kept to myself"), ("b", "2027-03-01", "5", "")] {
            for (path, value) in [("date", date), ("rating", rating), ("private.note", note), ("programme.note", "for the coordinator"), ("action.1.what", "Send the draft"), ("q.energy", "4")] {
                f.update(Msg::Draft(draft::Msg::Edit { path: path.into(), value: value.into() }), &ctx, &mut |r| Ok(r.to_vec()));
            }
            if f.values().count(&feedback::ACTIONS) == 0 {
                f.update(Msg::AddAction, &ctx, &mut |r| Ok(r.to_vec()));
                f.update(Msg::Draft(draft::Msg::Edit { path: "action.1.what".into(), value: "Send the draft".into() }), &ctx, &mut |r| Ok(r.to_vec()));
            }
            f.update(Msg::Submit { at: [date, "T10:00:00Z"].concat(), id: id.into(), today: "2027-03-02".into() }, &ctx, &mut |r| Ok(r.to_vec()));
        }
        f.update(Msg::Amend("a".into()), &ctx, &mut |r| Ok(r.to_vec()));
        f.update(Msg::Draft(draft::Msg::Edit { path: "rating".into(), value: "3".into() }), &ctx, &mut |r| Ok(r.to_vec()));
        f.update(Msg::Submit { at: "2027-03-02T09:00:00Z".into(), id: "ignored".into(), today: "2027-03-02".into() }, &ctx, &mut |r| Ok(r.to_vec()));
        f.shown = 1;
        f.all_open = true;
        f.unsaved = vec!["b".into()];
        f
    }

    fn asks() -> Vec<Ask> {
        let mut asks = vec![Ask::Body, Ask::Entry("a".into()), Ask::Entry("b".into()), Ask::Entry("nobody".into())];
        for format in ["csv", "json", "md", "html", "txt", "pdf"] {
            asks.extend([Ask::File(format.into(), false), Ask::File(format.into(), true)]);
        }
        asks
    }

    #[test]
    fn the_history_module_answers_as_the_feedback_module_would_draw_it_itself() {
        let f = history();
        assert_eq!(f.count(), 2);
        let mut there = state(&data(&f)).expect("the data reads back");
        let spanish = |d: &str| ["«", d, "»"].concat();
        for (locale, date) in [(Locale::En, &crate::widgets::plain_date as &dyn Fn(&str) -> String), (Locale::Es, &spanish)] {
            let ctx = Ctx { locale, today: "2027-03-02", now: 1_795_000_000_000.0, date };
            for ask in asks() {
                let here = reply(&f, &ask, &ctx);
                let asked = request(&f, &ask, &ctx);
                assert!(asked.starts_with(FOR), "{asked}");
                let answered = answer(&mut there, &asked, &|l, d| if l == Locale::Es { spanish(d) } else { d.to_owned() });
                assert_eq!(answered, here, "{ask:?} in {locale:?}");
            }
        }
        let body = reply(&f, &Ask::Body, &crate::widgets::fixed_ctx("2027-03-02")).unwrap_or_default();
        assert!(body.contains("How it is going") && body.contains("not saved on this device yet") && body.contains("Show 1 more"), "the programme's wording, what is unsaved, how much is shown: {body}");
        let full = reply(&f, &Ask::File("csv".into(), true), &crate::widgets::fixed_ctx("2027-03-02")).unwrap_or_default();
        let shared = reply(&f, &Ask::File("csv".into(), false), &crate::widgets::fixed_ctx("2027-03-02")).unwrap_or_default();
        assert!(full.contains("kept to myself") && !shared.contains("kept to myself"), "the private note is in the full copy only");
    }

    #[test]
    fn the_history_is_handed_over_again_only_when_it_changed() {
        let mut f = history();
        let ctx = crate::widgets::fixed_ctx("2027-03-02");
        let first = f.revision();
        f.update(Msg::ShowMore, &ctx, &mut |r| Ok(r.to_vec()));
        f.update(Msg::Tab(crate::widgets::feedback::Tab::Form), &ctx, &mut |r| Ok(r.to_vec()));
        assert_eq!(f.revision(), first, "what is on display is in the request, not the data");
        f.update(Msg::Draft(draft::Msg::Edit { path: "rating".into(), value: "4".into() }), &ctx, &mut |r| Ok(r.to_vec()));
        f.update(Msg::Submit { at: "2027-03-02T11:00:00Z".into(), id: "c".into(), today: "2027-03-02".into() }, &ctx, &mut |r| Ok(r.to_vec()));
        let second = f.revision();
        assert_ne!(second, first, "a new record");
        f.update(Msg::Linked(None), &ctx, &mut |r| Ok(r.to_vec()));
        assert_ne!(f.revision(), second, "another agreement");
        assert_ne!(history().revision(), history().revision(), "no two states share a number");
        assert_eq!(crate::widgets::later::checksum("ab"), crate::widgets::later::checksum("ab"));
        assert_ne!(crate::widgets::later::checksum("ab"), crate::widgets::later::checksum("ba"));
    }

    #[test]
    fn a_request_for_nothing_keeps_the_data_for_what_is_asked_next() {
        use crate::widgets::later::keep_and_answer;
        let f = history();
        let ctx = crate::widgets::fixed_ctx("2027-03-02");
        let plain = |_: Locale, d: &str| d.to_owned();
        let mut held = None;
        assert!(KEEP.starts_with(FOR));
        assert_eq!(keep_and_answer(&mut held, Some(data(&f)), state, |h| answer(h, KEEP, &plain)), None, "nothing asked, nothing answered");
        let asked = request(&f, &Ask::Body, &ctx);
        let body = keep_and_answer(&mut held, None, state, |h| answer(h, &asked, &plain));
        assert!(body.is_some() && body == reply(&f, &Ask::Body, &ctx), "the body drawn from the data kept");
    }

    #[test]
    fn what_the_history_module_cannot_read_gets_no_answer() {
        assert!(state("").is_none() && state("[1,2]").is_none() && state(r#"{"records": [{"id": 3}]}"#).is_none());
        let mut f = state(r#"{"programme": "{not json", "records": [], "agreement": null, "respondent": ""}"#).expect("a bad configuration falls back to the defaults");
        for request in ["", "{", r#"{"ask": "draw"}"#, r#"{"ask": "body", "shown": -1}"#, r#"{"ask": "entry", "id": "x"}"#] {
            assert_eq!(answer(&mut f, request, &|_, d| d.to_owned()), None, "{request}");
        }
        assert!(answer(&mut f, r#"{"ask": "body", "locale": "zz", "today": "x"}"#, &|_, d| d.to_owned()).is_some_and(|b| b.contains("Nothing recorded yet")));
    }

    #[test]
    fn files_and_printing_are_asked_of_the_shell() {
        let mut f = history();
        let ctx = crate::widgets::fixed_ctx("2027-03-02");
        let out = f.update(Msg::Export(crate::widgets::action::HistoryFile::Csv, true), &ctx, &mut |r| Ok(r.to_vec()));
        assert_eq!(out.effects, vec![crate::widgets::Effect::HistoryFile(crate::widgets::action::HistoryFile::Csv, true)]);
        let out = f.update(Msg::PrintSummary, &ctx, &mut |r| Ok(r.to_vec()));
        assert_eq!(out.effects, vec![crate::widgets::Effect::PrintHistory]);
        let asked = |file: crate::widgets::action::HistoryFile, full| file_name(&request(&f, &Ask::File(file.format().into(), full), &ctx));
        assert_eq!(asked(crate::widgets::action::HistoryFile::Json, false), Some(("mentoring-history-shared.json".to_owned(), "application/json")));
        assert_eq!(asked(crate::widgets::action::HistoryFile::Csv, true), Some(("mentoring-history-full.csv".to_owned(), "text/csv")));
        assert_eq!(asked(crate::widgets::action::HistoryFile::Calendar, false), Some(("mentoring-next-session.ics".to_owned(), "text/calendar")));
        assert_eq!(file_name(&request(&f, &Ask::File("md".into(), false), &ctx)), None, "a summary is printed or exported, not a file here");
    }
}
