//! The agreement as a document.

use crate::i18n::{self, Key, Locale};
use crate::model::agreement::{signers, Agreement, STEPS};
use crate::model::config::Programme;
use crate::model::form::{item_path, place, shown, Field, FieldKind};
use crate::model::signing::{self, Signature};
use crate::model::validate::term_end;

/// A piece of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// The document's title.
    Title(String),
    /// The line under it.
    Subtitle(String),
    /// A section heading.
    Heading(String),
    /// A heading within a section.
    Subheading(String),
    /// A labelled value; the value may hold line breaks.
    Field(String, String),
    /// A paragraph; may hold line breaks.
    Text(String),
    /// A small print line.
    Note(String),
    /// A picture drawn by this crate as SVG (`.0`), with its text
    /// alternative (`.1`), which formats without pictures write instead.
    Figure(String, String),
    /// A line to sign on paper, in printed and written-out copies.
    #[cfg(any(feature = "agreement", feature = "document"))]
    SignLine(String),
}

/// The agreement as blocks, in `locale`, with dates written by `date`: what
/// has a shape (the meetings, the term, reviews, money, who does what) as
/// sentences; what people wrote under its label.
pub fn agreement(values: &Agreement, programme: &Programme, locale: Locale, date: &dyn Fn(&str) -> String) -> Vec<Block> {
    let t = |key| programme.text(locale, key);
    let get = |path: &str| values.get(path);
    let mut doc = vec![Block::Title(t(Key::AgreementTitle).to_owned())];
    let names = [("mentee", get("mentee.name")), ("mentor", get("mentor.name"))];
    if names.iter().all(|(_, n)| !n.is_empty()) {
        doc.push(Block::Subtitle(i18n::fill(t(Key::Between), &[("mentee", names[0].1), ("mentor", names[1].1)])));
    }
    if !get("programme.name").is_empty() {
        doc.push(Block::Subtitle(i18n::fill(t(Key::DocWithin), &[("programme", get("programme.name"))])));
    }
    if !get("programme.contact").is_empty() {
        doc.push(Block::Subtitle(i18n::fill(t(Key::DocProgrammeContact), &[("contact", get("programme.contact"))])));
    }
    let who = |path: &str| {
        t(match get(path) {
            "mentor" => Key::DocTheMentor,
            "both" => Key::DocEitherOfUs,
            _ => Key::DocTheMentee,
        })
    };
    for step in STEPS.iter().filter(|s| programme.shows(s.id) && !s.groups.is_empty()) {
        let mut section = Vec::new();
        for group in step.groups {
            let count = group.repeat.map_or(1, |r| values.count(&r));
            for n in 1..=count {
                let mut items = Vec::new();
                for field in group.fields.iter().filter(|f| shown(f, values) && programme.shows(f.path)) {
                    let path = if group.repeat.is_some() { item_path(field.path, n) } else { field.path.to_owned() };
                    let value = get(&path);
                    let say = |key, args: &[(&str, &str)]| Some(i18n::fill(t(key), args));
                    let sentence = match field.path {
                        "mentee.minor" if value == "yes" => say(Key::DocMinor, &[]),
                        "programme.name" | "programme.contact" | "mentee.minor" | "goal.#.what" | "meet.every" | "meet.unit" | "meet.minutes"
                        | "meet.format" | "meet.time" | "paid.fees" | "term.length" | "term.end" | "review.2" | "review.3" => continue,
                        "meet.cadence" => crate::model::agreement::rhythm(values).map(|(freq, every, minutes)| {
                            let rhythm = match (freq == "WEEKLY", every) {
                                (true, 1) => t(Key::DocEveryWeek).to_owned(),
                                (true, n) => i18n::fill(t(Key::DocEveryWeeks), &[("n", &n.to_string())]),
                                (false, 1) => t(Key::DocEveryMonth).to_owned(),
                                (false, n) => i18n::fill(t(Key::DocEveryMonths), &[("n", &n.to_string())]),
                            };
                            let format = match get("meet.format") {
                                "in-person" => Some(Key::DocInPerson),
                                "phone" => Some(Key::DocByPhone),
                                "mixed" => Some(Key::DocMixed),
                                "video" => Some(Key::DocByVideo),
                                _ => None,
                            };
                            let minutes = minutes.to_string();
                            let args = [("minutes", minutes.as_str()), ("rhythm", &rhythm), ("format", format.map_or("", t))];
                            i18n::fill(t(if format.is_some() { Key::DocMeet } else { Key::DocMeetPlain }), &args)
                        }),
                        "meet.first" => match (value, get("meet.time")) {
                            ("", "") => continue,
                            ("", time) => say(Key::DocUsualTime, &[("time", time)]),
                            (day, "") => say(Key::DocFirst, &[("date", &date(day))]),
                            (day, time) => say(Key::DocFirstAt, &[("date", &date(day)), ("time", time)]),
                        },
                        "meet.scheduler" if !value.is_empty() => say(Key::DocArranges, &[("who", who(&path))]),
                        "meet.notes" if !value.is_empty() => say(Key::DocWritesUp, &[("who", who(&path))]),
                        "meet.agendaDays" => match value.parse::<u32>().unwrap_or(0) {
                            0 => continue,
                            1 => say(Key::DocAgendaOne, &[]),
                            _ => say(Key::DocAgenda, &[("days", value)]),
                        },
                        "meet.nextDate" if value == "yes" => say(Key::DocNextDate, &[]),
                        "meet.nextDate" => continue,
                        "paid.kind" if value == "paid" => say(Key::DocPaid, &[("fees", get("paid.fees"))]),
                        "paid.kind" if value == "unpaid" => say(Key::DocUnpaid, &[]),
                        "paid.kind" => continue,
                        "term.start" if !value.is_empty() => match (get("term.length"), term_end(values)) {
                            (_, Some(end)) => say(Key::DocRuns, &[("start", &date(value)), ("end", &date(&end))]),
                            ("goals", None) => say(Key::DocUntilGoals, &[("start", &date(value))]),
                            _ => None,
                        },
                        "review.1" => {
                            let dates: Vec<String> = ["review.1", "review.2", "review.3"].iter().map(|p| get(p)).filter(|d| !d.is_empty()).map(|d| date(d)).collect();
                            if dates.is_empty() {
                                continue;
                            }
                            say(Key::DocReviews, &[("dates", &dates.join(if locale.is_rtl() { "، " } else { ", " }))])
                        }
                        _ => None,
                    };
                    if let Some(sentence) = sentence {
                        items.push(Block::Text(sentence));
                        continue;
                    }
                    let shown = display(field, value, programme, locale, date);
                    if !shown.trim().is_empty() {
                        let label = if field.path == "goal.#.measure" { t(Key::DocKnowIt) } else { programme.field_label(locale, field) };
                        items.push(Block::Field(label.to_owned(), shown));
                    }
                }
                let goal = group.repeat.is_some().then(|| get(&item_path("goal.#.what", n))).filter(|g| !g.is_empty());
                if items.is_empty() && goal.is_none() {
                    continue;
                }
                match (group.repeat, group.legend) {
                    (Some(r), _) => section.push(Block::Subheading(match goal {
                        Some(what) => i18n::fill(t(Key::DocGoal), &[("n", &n.to_string()), ("what", what)]),
                        None => i18n::fill(t(r.item), &[("n", &n.to_string())]),
                    })),
                    (None, Some(legend)) if legend != Key::Programme => section.push(Block::Subheading(t(legend).to_owned())),
                    _ => {}
                }
                section.extend(items);
            }
        }
        if !section.is_empty() {
            doc.push(Block::Heading(t(step.title).to_owned()));
            doc.extend(section);
        }
    }
    let clauses: Vec<_> = programme
        .clauses
        .iter()
        .filter(|c| programme.shows("clauses") && (c.required || get(&format!("clause.{}", c.id)) == "yes"))
        .collect();
    if !clauses.is_empty() {
        doc.push(Block::Heading(t(Key::StepClauses).to_owned()));
        for clause in clauses {
            doc.push(Block::Subheading(clause.title.clone()));
            doc.push(Block::Text(clause.text.clone()));
        }
    }
    let fingerprint = signing::fingerprint(values);
    doc.push(Block::Heading(t(Key::Signatures).to_owned()));
    let parties = signers(values);
    for (party, label) in &parties {
        let line = match signing::signature(values, party, &fingerprint) {
            Signature::Missing => t(Key::NotSigned).to_owned(),
            Signature::Valid { name, at } => i18n::fill(t(Key::SignedBy), &[("name", &name), ("date", &date(&at))]),
            Signature::Void { name, at } => i18n::fill(t(Key::SignedThenChanged), &[("name", &name), ("date", &date(&at))]),
        };
        doc.push(Block::Field(t(*label).to_owned(), line));
    }
    doc.push(Block::Note(i18n::fill(t(Key::FingerprintNote), &[("fingerprint", &signing::short(&fingerprint))])));
    // Lines to sign by hand on paper.
    #[cfg(any(feature = "agreement", feature = "document"))]
    for (_, label) in &parties {
        doc.push(Block::SignLine(i18n::fill(t(Key::DocSignHere), &[("party", t(*label))])));
    }
    doc
}

/// One difference between two versions of an agreement, as it reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The field or clause.
    pub what: String,
    /// Its value in the earlier version (empty when it had none).
    pub before: String,
    /// Its value now (empty when it has none).
    pub after: String,
}

/// What the content of `after` changes from `before` (signatures and
/// bookkeeping aside), field by field in the order of the form, then the
/// programme's clauses.
pub fn changes(before: &Agreement, after: &Agreement, programme: &Programme, locale: Locale, date: &dyn Fn(&str) -> String) -> Vec<Change> {
    let step_of = |path: &str| place(STEPS, path).and_then(|at| STEPS.iter().position(|s| s.id == at.step.id));
    let mut paths: Vec<(usize, &str)> = before
        .iter()
        .chain(after.iter())
        .filter(|(path, _)| before.get(path) != after.get(path))
        .filter_map(|(path, _)| match step_of(path) {
            Some(step) => Some((step, path)),
            None => path.starts_with("clause.").then_some((STEPS.len(), path)),
        })
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let t = |key| programme.text(locale, key);
    paths
        .into_iter()
        .map(|(_, path)| match place(STEPS, path) {
            Some(at) => {
                let label = programme.field_label(locale, at.field);
                let what = match at.group.repeat {
                    Some(r) => [&i18n::fill(t(r.item), &[("n", &at.item.to_string())]), " – ", label].concat(),
                    None => label.to_owned(),
                };
                let value = |v: &Agreement| display(at.field, v.get(path), programme, locale, date);
                Change { what, before: value(before), after: value(after) }
            }
            None => {
                let id = &path["clause.".len()..];
                let what = programme.clauses.iter().find(|c| c.id == id).map_or(id, |c| c.title.as_str()).to_owned();
                let value = |v: &Agreement| if v.get(path) == "yes" { t(Key::Yes) } else { t(Key::No) }.to_owned();
                Change { what, before: value(before), after: value(after) }
            }
        })
        .collect()
}

/// How a field's value reads in the document.
pub fn display(field: &Field, value: &str, programme: &Programme, locale: Locale, date: &dyn Fn(&str) -> String) -> String {
    let option = |options: &[(&str, Key)], value: &str| {
        options.iter().find(|(o, _)| *o == value).map_or_else(|| value.to_owned(), |(_, k)| programme.text(locale, *k).to_owned())
    };
    match field.kind {
        _ if value.is_empty() => String::new(),
        FieldKind::Choice(options) => option(options, value),
        FieldKind::Multi(options) => {
            value.split(crate::model::form::MULTI_SEPARATOR).map(|v| option(options, v)).collect::<Vec<_>>().join(", ")
        }
        FieldKind::Date => date(value),
        _ => value.to_owned(),
    }
}

/// The punctuation after a field's label: none when the label is a question.
pub fn colon(label: &str) -> &'static str {
    if label.ends_with(['?', ':', '؟']) { "" } else { ":" }
}

/// Text as every export writes it: line breaks as `\n` (a `\r\n` or a lone
/// `\r` is one), and control characters other than tab and line break
/// dropped (no format shows them, and some forbid them).
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let clean = |c: char| c == '\t' || c == '\n' || !(c.is_control() && (c as u32) < 0xa0);
    if text.chars().all(clean) && !text.contains('\r') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                out.push('\n');
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
            }
            c if clean(c) => out.push(c),
            _ => {}
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Escapes text for Markdown so that it reads back as exactly itself (after
/// [`printable`]) and stays readable in a text editor: only what could start
/// markup is escaped (emphasis, links, code, HTML, entities, tables), block
/// markers only at the start of a line (`#`, `-`, `+`, `=`, `>`, `1.`), and
/// spaces at either end of a line, which Markdown would drop, are written as
/// character references. Line breaks are hard breaks.
pub fn escape_markdown(text: &str) -> String {
    let text = printable(text);
    let mut out = String::with_capacity(text.len() + 8);
    let lines: Vec<&str> = text.split('\n').collect();
    // A break at the very end of a paragraph is not a break in Markdown:
    // those are written as references.
    let last = lines.iter().rposition(|l| !l.is_empty()).unwrap_or(0);
    for (i, line) in lines.iter().enumerate() {
        if i > last {
            out.push_str("&#10;");
        } else if i > 0 {
            out.push_str("\\\n");
        }
        let start = line.len() - line.trim_start().len();
        let end = line.trim_end().len().max(start);
        let space = |out: &mut String, s: &str| {
            for c in s.chars() {
                out.push_str("&#");
                out.push_str(&u32::from(c).to_string());
                out.push(';');
            }
        };
        space(&mut out, &line[..start]);
        let body = &line[start..end];
        // A line that starts with a block marker: the marker is escaped. (After
        // leading spaces written as references, nothing starts a block.)
        let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let marker = start == 0
            && (body.starts_with(['#', '-', '+', '=', '>']) || (digits > 0 && digits < 10 && body[digits..].starts_with(['.', ')'])));
        for (at, c) in body.char_indices() {
            let block = marker && (at == 0 && digits == 0 || at == digits && digits > 0);
            if block || matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '#' | '{' | '}') {
                out.push('\\');
            }
            out.push(c);
        }
        space(&mut out, &line[end..]);
    }
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_html_into(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as [`escape_html`] does.
pub fn escape_html_into(out: &mut String, text: &str) {
    let mut from = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // These are ASCII, so `i` is on a character boundary.
        out.push_str(&text[from..i]);
        out.push_str(entity);
        from = i + 1;
    }
    out.push_str(&text[from..]);
}

/// The document as Markdown.
pub fn markdown(doc: &[Block]) -> String {
    let mut out = String::new();
    for block in doc {
        let (prefix, body) = match block {
            Block::Title(s) => ("# ", escape_markdown(s)),
            Block::Subtitle(s) => ("", escape_markdown(s)),
            Block::Heading(s) => ("## ", escape_markdown(s)),
            Block::Subheading(s) => ("### ", escape_markdown(s)),
            Block::Field(label, value) if value.contains('\n') => ("", ["**", &escape_markdown(label), "**  \n", &escape_markdown(value)].concat()),
            Block::Field(label, value) => ("", ["**", &escape_markdown(label), colon(label), "** ", &escape_markdown(value)].concat()),
            Block::Text(s) => ("", escape_markdown(s)),
            Block::Note(s) => ("", ["*", &escape_markdown(s), "*"].concat()),
            Block::Figure(_, alt) => ("", escape_markdown(alt)),
            #[cfg(any(feature = "agreement", feature = "document"))]
            Block::SignLine(s) => ("", escape_markdown(s)),
        };
        out.push_str(prefix);
        out.push_str(&body);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The document as plain text.
pub fn text(doc: &[Block]) -> String {
    let mut out = String::new();
    for block in doc {
        match block {
            Block::Title(s) | Block::Heading(s) => {
                let rule = if matches!(block, Block::Title(_)) { '=' } else { '-' };
                out.push_str(s);
                out.push('\n');
                out.extend(std::iter::repeat_n(rule, s.chars().count()));
            }
            Block::Field(label, value) if value.contains('\n') => {
                out.push_str(label);
                out.push_str(":\n");
                out.push_str(value);
            }
            Block::Field(label, value) => {
                out.push_str(label);
                out.push_str(colon(label));
                out.push(' ');
                out.push_str(value);
            }
            Block::Subtitle(s) | Block::Subheading(s) | Block::Text(s) | Block::Note(s) | Block::Figure(_, s) => out.push_str(s),
            #[cfg(any(feature = "agreement", feature = "document"))]
            Block::SignLine(s) => out.push_str(s),
        }
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

const PRINT_CSS: &str = "body{font:12pt/1.5 Georgia,'Times New Roman',serif;color:#111;max-width:42em;margin:2em auto;padding:0 1em}\
h1{font-size:1.8em;margin:0 0 .2em}h2{font-size:1.25em;margin:1.6em 0 .4em;border-bottom:1px solid #999;break-after:avoid}\
h3{font-size:1.05em;margin:1em 0 .3em;break-after:avoid}p{margin:.3em 0 .6em}.f{break-inside:avoid}.l{font-weight:bold}\
.s{font-size:1.1em;color:#333}.n{font-size:.85em;color:#444;margin-top:2em}\
.sign{margin-top:2.5em;break-inside:avoid;white-space:pre-wrap}figure{margin:1em 0;break-inside:avoid}svg{max-width:100%;height:auto}figcaption{font-size:.85em;color:#333}\
@media print{body{margin:0;max-width:none}@page{margin:2cm}}";

/// The document as a standalone HTML page with a print stylesheet.
pub fn html(doc: &[Block], locale: Locale) -> String {
    let title = doc.iter().find_map(|b| if let Block::Title(s) = b { Some(s.as_str()) } else { None }).unwrap_or("");
    let mut out = format!(
        "<!doctype html>\n<html lang=\"{}\" dir=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{PRINT_CSS}</style>\n</head>\n<body>\n",
        locale.tag(),
        if locale.is_rtl() { "rtl" } else { "ltr" },
        escape_html(title),
    );
    let lines = |s: &str| escape_html(&printable(s)).replace('\n', "<br>\n");
    for block in doc {
        let (open, text, close) = match block {
            Block::Title(s) => ("<h1>", lines(s), "</h1>"),
            Block::Subtitle(s) => ("<p class=\"s\">", lines(s), "</p>"),
            Block::Heading(s) => ("<h2>", lines(s), "</h2>"),
            Block::Subheading(s) => ("<h3>", lines(s), "</h3>"),
            Block::Field(label, value) if value.contains('\n') => {
                ("<div class=\"f\"><p class=\"l\">", [lines(label).as_str(), "</p><p>", &lines(value)].concat(), "</p></div>")
            }
            Block::Field(label, value) => {
                ("<p class=\"f\"><span class=\"l\">", [lines(label).as_str(), colon(label), "</span> ", &lines(value)].concat(), "</p>")
            }
            Block::Text(s) => ("<p>", lines(s), "</p>"),
            Block::Note(s) => ("<p class=\"n\">", lines(s), "</p>"),
            // The SVG comes from `chart`, which escapes every text it holds.
            Block::Figure(svg, alt) => ("<figure>", [svg.as_str(), "<figcaption>", &lines(alt)].concat(), "</figcaption></figure>"),
            #[cfg(any(feature = "agreement", feature = "document"))]
            Block::SignLine(s) => ("<p class=\"sign\">", lines(s), "</p>"),
        };
        for part in [open, &text, close, "\n"] {
            out.push_str(part);
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::form::Values;

    #[test]
    fn a_programmes_label_reads_the_same_in_the_document() {
        let programme = Programme::from_json(r#"{"labels":{"en":{"purpose.text":"What we are here for"}}}"#, &crate::model::agreement::SCHEMA).unwrap();
        let mut v = Values::default();
        v.set("purpose.text", "Grow".into());
        let doc = agreement(&v, &programme, Locale::En, &|d| d.to_owned());
        assert!(doc.contains(&Block::Field("What we are here for".into(), "Grow".into())));
        let doc = agreement(&v, &Programme::default(), Locale::En, &|d| d.to_owned());
        assert!(doc.contains(&Block::Field("Purpose".into(), "Grow".into())));
    }

    #[test]
    fn the_document_says_nothing_nobody_chose() {
        let mut v = Values::default();
        v.set("meet.cadence", "60-monthly".into());
        let text = format!("{:?}", agreement(&v, &Programme::default(), Locale::En, &|d| d.to_owned()));
        assert!(text.contains("We will meet for 60 minutes every month.") && !text.contains("video"), "no format given, none said: {text}");
        assert!(!text.contains("unpaid") && !text.contains("paid:") && !text.contains("arranges"), "{text}");
    }

    #[test]
    fn a_programmes_wording_of_a_message_reads_the_same_in_the_document() {
        let programme = Programme::from_json(r#"{"labels":{"es":{"StepPurpose":"Nuestro propósito","DocTheMentor":"Nuestra mentora"}}}"#, &crate::model::agreement::SCHEMA).unwrap();
        let mut v = Values::default();
        v.set("purpose.text", "Crecer".into());
        v.set("meet.scheduler", "mentor".into());
        let text = format!("{:?}", agreement(&v, &programme, Locale::Es, &|d| d.to_owned()));
        assert!(text.contains("Nuestro propósito") && !text.contains("Para qué es esta mentoría"), "{text}");
        assert!(text.contains("Nuestra mentora organiza las reuniones."), "the sentences' parts follow the programme too: {text}");
    }

}
