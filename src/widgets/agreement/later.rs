//! The agreement written out, in its own module. An agreement page
//! downloads the builder first; the document (the preview, the review's
//! copy, what changed since the signed version, the files and the calendar)
//! is a second module, fetched once the first step is on screen. The two
//! share no memory: the builder hands over the agreement (the programme's
//! configuration, the answers, the signed version being amended) when it
//! changes, and then asks for what it needs drawn or written, each as JSON.
//! Pure, both halves: tested natively.

use super::Builder;
use crate::model::json::Writer;
use crate::widgets::action::Format;
use crate::widgets::Ctx;
#[cfg(feature = "document")]
use crate::{
    i18n::Locale,
    model::config::Programme,
    model::form::Values,
    model::json::{self, FromJson},
};

/// How a request for the document begins.
pub const FOR: &str = r#"{"for":"document""#;

/// What the builder asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    /// The agreement as a document, drawn (the preview, the review's copy).
    Document,
    /// What changed since the signed version being amended, drawn.
    Changes,
    /// The agreement as a file.
    File(Format),
    /// The section about what this device keeps, drawn.
    Device,
}

/// The agreement's data as JSON: handed over whenever it differs from what
/// was handed over last.
pub fn data(b: &Builder) -> String {
    let mut w = Writer::default();
    w.object(|w| {
        w.key("programme").str(&b.programme.source);
        w.key("values").value(b.values());
        match &b.before {
            Some(before) => w.key("before").value(before),
            None => w.key("before").null(),
        }
    });
    w.finish()
}

/// A request as JSON: what is asked, in which language and at what time,
/// and the page the calendar's feedback reminder links to.
pub fn request(b: &Builder, ask: Ask, ctx: &Ctx) -> String {
    let mut w = Writer::default();
    w.object(|w| {
        w.key("for").str("document");
        match ask {
            Ask::Document => w.key("ask").str("document"),
            Ask::Changes => w.key("ask").str("changes"),
            Ask::Device => w.key("ask").str("device"),
            Ask::File(format) => {
                w.key("ask").str("file");
                w.key("format").str(format.name());
            }
        }
        crate::widgets::later::write_when(w, ctx);
        w.key("page").str(&b.page);
    });
    w.finish()
}

/// What the document's module keeps of an agreement.
#[cfg(feature = "document")]
#[derive(Clone, Debug, Default)]
pub struct Held {
    /// The programme's configuration.
    pub programme: Programme,
    /// The answers.
    pub values: Values,
    /// The signed version being amended, if this device has it.
    pub before: Option<Values>,
    /// What the module's own sections show (this device, the link).
    pub own: Own,
}

/// What the document's module keeps of its own sections, whichever
/// agreement is handed over.
#[cfg(feature = "document")]
#[derive(Clone, Debug, Default)]
pub struct Own {
    /// What the section about this device shows.
    pub device: crate::widgets::device::Section,
    /// The link, and a link's draft that differs from this device's.
    pub share: crate::widgets::share::Share,
}

/// The agreement rebuilt from [`data`]; `None` if it is not such data.
#[cfg(feature = "document")]
pub fn state(data: &str) -> Option<Held> {
    let (mut source, mut held) = (String::new(), Held::default());
    let mut r = json::Reader::new(data);
    json::fields(&mut r, false, |r, key| {
        match key {
            "programme" => source = String::read(r)?,
            "values" => held.values = Values::read(r)?,
            "before" if r.null() => held.before = None,
            "before" => held.before = Some(Values::read(r)?),
            _ => return Ok(false),
        }
        Ok(true)
    })
    .ok()?;
    // The builder read it already; what it could use is used here.
    if !source.is_empty() {
        held.programme = Programme::from_json(&source, &crate::model::agreement::SCHEMA).unwrap_or_default();
    }
    Some(held)
}

/// What `request` asks of the agreement in `held`, with dates written by
/// `date`; `None` if the request cannot be read or asks for nothing there is.
#[cfg(feature = "document")]
pub fn answer(held: &mut Held, request: &str, date: &dyn Fn(Locale, &str) -> String) -> Option<String> {
    let (mut ask, mut format, mut page) = (String::new(), String::new(), String::new());
    let mut when = crate::widgets::later::When::default();
    let mut r = json::Reader::new(request);
    json::fields(&mut r, false, |r, key| {
        match key {
            "ask" => ask = String::read(r)?,
            "format" => format = String::read(r)?,
            "page" => page = String::read(r)?,
            _ => return when.read(r, key),
        }
        Ok(true)
    })
    .ok()?;
    let ask = match ask.as_str() {
        "document" => Ask::Document,
        "changes" => Ask::Changes,
        "device" => Ask::Device,
        "file" => Ask::File(Format::from_name(&format)?),
        _ => return None,
    };
    let locale = when.locale;
    let written = move |d: &str| date(locale, d);
    let answer = reply(&held.values, held.before.as_ref(), &held.programme, ask, &when.ctx(&written), &page, &held.own);
    // Focus goes where a section says once, after what changed it.
    if ask == Ask::Device {
        held.own.device.focus = false;
        held.own.share.focus = false;
    }
    answer
}

/// What `ask` gets from the agreement `values` (amending `before`, the
/// version all signed, if there is one): markup, or a file's text; `page`
/// is where the calendar's feedback reminder links to, and `own` what the
/// module's own sections show: a link's draft that differs from this
/// device's, the link, this device.
#[cfg(feature = "document")]
pub fn reply(values: &Values, before: Option<&Values>, programme: &Programme, ask: Ask, ctx: &Ctx, page: &str, own: &Own) -> Option<String> {
    match ask {
        Ask::Document => Some(super::view::document(values, programme, ctx).into_string()),
        Ask::Changes => {
            let d = crate::widgets::common::Draw::new(programme, ctx);
            Some(super::view::changes_since(&d, before?, values, programme).children().into_string())
        }
        Ask::File(format) => Some(super::text(values, programme, ctx, format, page)),
        Ask::Device => {
            use crate::widgets::{device, share};
            let d = crate::widgets::common::Draw::new(programme, ctx);
            let mut out = share::arrived(&d, &own.share, values).map(|a| a.done().into_string()).unwrap_or_default();
            out.push_str(share::section(&d, &own.share, values).done().as_str());
            out.push_str(device::section(&d, &own.device, share::FOR).done().as_str());
            Some(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;
    use crate::model::signing;
    use crate::widgets::agreement::{Msg, STEPS};
    use crate::widgets::draft::{self, Draft};
    use crate::widgets::{fixed_ctx, Effect};

    /// An agreement of a programme with its own name, clause and wording,
    /// signed by both, then being amended.
    fn amending() -> Builder {
        let config = r#"{"name": "Harbourlight", "clauses": [{"id": "photos", "title": "Photos", "text": "No photos without asking."}], "labels": {"en": {"Preview": "What we agree"}}}"#;
        let programme = Programme::from_json(config, &crate::model::agreement::SCHEMA).expect("a programme");
        let fresh = crate::model::agreement::fresh(&programme, "2026-11-22", Locale::En);
        let mut b = Builder::new(Draft::restore(STEPS, Ok(None), || fresh), programme);
        let ctx = fixed_ctx("2026-11-22");
        for (k, v) in [("mentee.name", "Amara Okafor"), ("mentor.name", "Jonas Weber"), ("purpose.text", "Find my feet <as> a set designer."), ("goal.1.what", "Build a portfolio site"), ("term.start", "2026-12-01"), ("meet.time", "18:30")] {
            b.update(Msg::Draft(draft::Msg::Edit { path: k.into(), value: v.into() }), &ctx);
        }
        b.update(Msg::Clause { id: "photos".into(), on: true }, &ctx);
        for (party, name) in [("mentee", "Amara Okafor"), ("mentor", "Jonas Weber")] {
            b.update(Msg::Sign { party: party.into(), typed: name.into(), confirmed: true, at: "2026-11-22T10:00:00Z".into(), id: "new-id".into() }, &ctx);
        }
        assert!(signing::fully_signed(b.values()));
        b.update(Msg::Amend, &ctx);
        b.update(Msg::Draft(draft::Msg::Edit { path: "purpose.text".into(), value: "Land two paid commissions.".into() }), &ctx);
        b.page = "https://example.org/feedback".into();
        b
    }

    fn asks() -> Vec<Ask> {
        let mut asks = vec![Ask::Document, Ask::Changes, Ask::Device];
        asks.extend(Format::ALL.map(Ask::File));
        asks
    }

    #[test]
    fn the_document_module_answers_as_the_builder_would_write_it_itself() {
        let b = amending();
        assert!(b.before.is_some() && b.amends().is_some());
        let mut held = state(&data(&b)).expect("the data reads back");
        let spanish = |d: &str| ["«", d, "»"].concat();
        for (locale, date) in [(Locale::En, &crate::widgets::plain_date as &dyn Fn(&str) -> String), (Locale::Es, &spanish)] {
            let ctx = Ctx { locale, today: "2026-11-22", now: 1_795_000_000_000.0, date };
            for ask in asks() {
                let asked = request(&b, ask, &ctx);
                assert!(asked.starts_with(FOR), "{asked}");
                let answered = answer(&mut held, &asked, &|l, d| if l == Locale::Es { spanish(d) } else { d.to_owned() });
                assert_eq!(answered, reply(b.values(), b.before.as_ref(), &b.programme, ask, &ctx, &b.page, &held.own), "{ask:?} in {locale:?}");
                assert!(answered.is_some(), "{ask:?}");
            }
        }
        let ctx = fixed_ctx("2026-11-22");
        let document = reply(&held.values, held.before.as_ref(), &held.programme, Ask::Document, &ctx, "", &held.own).unwrap_or_default();
        assert!(document.contains("Harbourlight") && document.contains("No photos without asking.") && document.contains("Land two paid commissions."), "{document}");
        let changes = reply(&held.values, held.before.as_ref(), &held.programme, Ask::Changes, &ctx, "", &held.own).unwrap_or_default();
        assert!(changes.contains("What changed since version 1") && changes.contains("Now: Land two paid commissions."), "{changes}");
        let calendar = reply(&held.values, held.before.as_ref(), &held.programme, Ask::File(Format::Ics), &ctx, &b.page, &held.own).unwrap_or_default();
        assert!(calendar.contains("https://example.org/feedback"), "the feedback reminder links to the page: {calendar}");
        assert_eq!(reply(&held.values, held.before.as_ref(), &held.programme, Ask::File(Format::Json), &ctx, "", &held.own), Some(crate::widgets::agreement::draft_file(b.values(), &ctx)));
    }

    #[test]
    fn what_the_document_module_cannot_read_gets_no_answer() {
        assert!(state("").is_none() && state("[]").is_none() && state(r#"{"values": 3}"#).is_none());
        let mut held = state(r#"{"programme": "{broken", "values": {}, "before": null}"#).expect("a bad configuration falls back to the defaults");
        for asked in ["", "{", r#"{"ask": "poem"}"#, r#"{"ask": "file", "format": "pdf"}"#, r#"{"ask": "changes"}"#] {
            assert_eq!(answer(&mut held, asked, &|_, d| d.to_owned()), None, "{asked}");
        }
        assert!(answer(&mut held, r#"{"ask": "document", "locale": "zz"}"#, &|_, d| d.to_owned()).is_some());
    }

    #[test]
    fn files_and_printing_are_asked_of_the_shell() {
        let mut b = amending();
        let ctx = fixed_ctx("2026-11-22");
        assert_eq!(b.update(Msg::Export(Format::Ics), &ctx).effects, vec![Effect::DocumentFile(Format::Ics)]);
        assert_eq!(b.update(Msg::Print, &ctx).effects, vec![Effect::PrintDocument]);
        assert_eq!(Format::Ics.mime(), "text/calendar");
    }
}
