//! The history tab drawn as markup, and the history as files: what was just
//! saved, problems with what is stored, alerts, the picture so far with its
//! charts, open action points, every entry (each opens to its answers), and
//! the shared and full copies. Pure: tested natively.

use super::Feedback;
use crate::i18n::{self, Key};
use crate::markup::H;
use crate::model::feedback::KINDS;
use crate::store::{StoreError, Stored};
use crate::widgets::action::Action;
use crate::widgets::common::Draw;
#[cfg(feature = "history")]
use crate::{
    markup::Markup,
    model::envelope::{self, FEEDBACK_RECORDS},
    model::feedback::{self, Record},
    render::{self, history},
    widgets::{action::HistoryFile, common, Ctx},
};
#[cfg(feature = "history")]
use crate::model::num::Digits;

/// The history tab: what this tab knows of itself (its heading, what was
/// just saved, problems with what is stored) and, in [`BODY`], the rest,
/// which [`body`] draws. A feedback module built without the feature
/// `history` leaves that empty, for the shell to fill from the history's own
/// module.
pub fn view(d: &Draw, f: &Feedback) -> H {
    let container = H::new("div").attr("data-history", "");
    #[cfg(feature = "history")]
    let container = body(d, f, container);
    head(d, f).add(container)
}

/// Where [`body`]'s part of the history tab goes.
pub const BODY: &str = "[data-history]";

/// The history tab's own part: its heading, what was just saved, and
/// problems with what is stored.
pub fn head(d: &Draw, f: &Feedback) -> H {
    let mut out = H::new("div")
        .class("history")
        .add(H::new("h3").attr("id", "mk-step").attr("tabindex", "-1").attr("part", "step-title").text(d.t(Key::History)));
    if let Some(r) = &f.saved {
        let what = KINDS.iter().find(|(k, _)| *k == r.kind).map_or("", |(_, key)| d.t(*key));
        let text = i18n::fill(d.t(Key::Submitted), &[("what", what), ("date", &d.date(r.data.get("date")))]);
        out = out.add(H::new("p").class("done saved").attr("role", "status").attr("data-focus", "saved").attr("tabindex", "-1").text(&text));
    }
    if let Some(error) = &f.records_problem {
        let mut problem = H::new("div").class("stored-problem").add(H::new("p").class("error").attr("part", "error").text(&d.storage_message(error, Stored::History)));
        if error.left_in_place() {
            problem = problem.add(d.buttons(&[(Action::DownloadLeft(Stored::History), Key::DownloadLeftAlone)]));
        }
        out = out.add(problem);
    }
    if !f.unsaved.is_empty() {
        let text = d.storage_message(&StoreError::Full, Stored::History);
        let problem = H::new("div").class("stored-problem").attr("data-unsaved", "").add(H::new("p").class("warning").text(&text));
        out = out.add(problem.add(d.buttons(&[(Action::DownloadCopy, Key::DownloadCopy)])));
    }
    out
}

/// The rest of the history tab, added to `out`: alerts, the picture so far
/// with its charts, open action points, every entry, and the files.
#[cfg(feature = "history")]
pub fn body(d: &Draw, f: &Feedback, mut out: H) -> H {
    let p = &f.programme;
    let (locale, date) = (d.ctx.locale, d.ctx.date);
    let latest = f.latest();
    if latest.is_empty() {
        return out.add(H::new("p").text(d.t(Key::NoHistory)));
    }
    let ins = f.insights(d.ctx.today);
    if !ins.alerts.is_empty() {
        let list = ins.alerts.iter().fold(H::new("ul"), |list, a| list.add(H::new("li").text(&history::alert(a, p, locale, date))));
        out = out.add(d.section("mk-alerts", Key::Alerts).class("alerts").attr("part", "alerts").add(list));
    }
    if let Some((_, day)) = feedback::next_session(&latest, d.ctx.today) {
        let next = d.section("mk-next", Key::NextSessionDate).class("next").add(H::new("p").text(&date(day)));
        out = out.add(next.add(d.buttons(&[(Action::History(HistoryFile::Calendar, false), Key::ExportIcs)])));
    }
    let mut glance = d.section("mk-glance", Key::AtAGlance);
    if let Some(closed) = &ins.closed {
        glance = glance.add(H::new("p").class("closed").text(&i18n::fill(d.t(Key::ClosedOn), &[("date", &date(closed))])));
    }
    if let Some(c) = &ins.cadence {
        glance = glance.add(H::new("p").class("cadence").text(&history::cadence(c, p, locale, date)));
    }
    for line in history::glance(&ins, p, locale) {
        glance = glance.add(H::new("p").text(&line));
    }
    for (svg, alt) in [history::ratings_chart(&ins, p, locale, date), history::talking_chart(&ins, p, locale, date)].into_iter().flatten() {
        glance = glance.add(H::new("figure").attr("part", "chart").chart(&svg).add(H::new("figcaption").text(&alt)));
    }
    out = out.add(glance);
    let mut open = d.section("mk-open", Key::OpenActions);
    if ins.open.is_empty() {
        open = open.add(H::new("p").text(d.t(Key::NoOpenActions)));
    } else {
        // As in the form: the newest, and the older ones when asked for.
        let older = f.older_hidden(ins.open.len());
        open = open.add_some(super::view::show_older(d, older));
        let mut list = H::new("ul").class("actions");
        for (i, a) in ins.open.iter().enumerate().skip(older) {
            let who = [("mentee", Key::Mentee), ("mentor", Key::Mentor), ("both", Key::BothOfUs)].iter().find(|(w, _)| *w == a.who).map_or("", |(_, k)| d.t(*k));
            let mut parts = vec![a.what.clone()];
            if !who.is_empty() {
                parts.push(who.to_owned());
            }
            if !a.due.is_empty() {
                // Overdue is said in words, not by colour alone.
                let key = if a.overdue { Key::OpenActionOverdue } else { Key::OpenActionDue };
                parts.push(i18n::fill(d.t(key), &[("date", &d.date(&a.due))]));
            }
            parts.push(i18n::fill(d.t(Key::OpenActionFrom), &[("date", &d.date(&a.from))]));
            let item = H::new("li").text(&parts.join(" · "));
            // Where focus goes once the older ones are shown.
            let item = if i == 0 && f.all_open { item.attr("data-focus", &a.path).attr("tabindex", "-1") } else { item };
            list = list.add(if a.overdue { item.class("overdue") } else { item });
        }
        open = open.add(list);
    }
    out = out.add(open);
    let mut entries = H::new("ol").class("entries");
    for (i, r) in latest.iter().take(f.shown).enumerate() {
        let mut summary = H::new("summary")
            .attr("data-focus", &["entry-", &i.digits()].concat())
            .text(&history::title(r, p, locale, date))
            .add(H::new("span").class("sent").attr("data-delivery", &r.id));
        if f.unsaved.contains(&r.id) {
            summary = summary.add(H::new("span").class("unsaved").text(&[" · ", d.t(Key::NotSavedYet)].concat()));
        }
        entries = entries.add(H::new("li").add(H::new("details").attr("data-record", &r.id).add(summary)));
    }
    let mut list = d.section("mk-entries", Key::Sessions).add(entries);
    if latest.len() > f.shown {
        let more = (latest.len() - f.shown).min(super::PAGE);
        let label = i18n::fill(d.t(Key::ShowMore), &[("n", &more.digits())]);
        list = list.add(H::new("button").attr("type", "button").attr("part", "button").attr("data-action", &Action::More.encode()).text(&label));
    }
    out = out.add(list);
    let exports = d
        .section("mk-export", Key::ExportHistory)
        .add(H::new("p").class("help").text(d.t(Key::ExportHistoryHelp)))
        .add(d.buttons(&[
            (Action::History(HistoryFile::Csv, false), Key::SharedCsv),
            (Action::History(HistoryFile::Json, false), Key::SharedJson),
            (Action::History(HistoryFile::Csv, true), Key::FullCsv),
            (Action::History(HistoryFile::Json, true), Key::FullJson),
            (Action::PrintSummary, Key::PrintSummary),
        ]));
    out.add(exports)
}

/// An entry's answers, drawn the first time it is opened, with the button
/// that amends it.
#[cfg(feature = "history")]
pub fn entry(f: &Feedback, id: &str, ctx: &Ctx) -> Option<Markup> {
    let record = f.latest().into_iter().find(|r| r.id == id)?;
    let d = Draw::new(&f.programme, ctx);
    let mut body = H::new("div").class("doc answers");
    for block in history::answers(record, &f.programme, ctx.locale, ctx.date, true) {
        body = body.add(common::block(&block));
    }
    Some(body.add(d.button(&Action::Amend(id.to_owned()), Key::Amend)).done())
}

/// What the printable summary is written as.
#[cfg(feature = "history")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SummaryAs {
    /// Markdown.
    Md,
    /// A standalone web page.
    Html,
    /// Plain text.
    Txt,
}

/// The printable summary: the shared copy (newest versions, without
/// either note) or the `full` one.
#[cfg(feature = "history")]
pub fn summary(f: &Feedback, full: bool, ctx: &Ctx, to: SummaryAs) -> String {
    let latest = f.latest();
    let ins = f.insights(ctx.today);
    let blocks = history::summary(&latest, &ins, &f.programme, ctx.locale, ctx.date, full);
    match to {
        SummaryAs::Md => render::markdown(&blocks),
        SummaryAs::Html => render::html(&blocks, ctx.locale),
        SummaryAs::Txt => render::text(&blocks),
    }
}

/// The name and media type of the file in `format` (see [`HistoryFile::format`]):
/// the history (a full copy or a shared one), or the next session agreed;
/// `None` for a format no file is in.
#[cfg(feature = "history")]
pub fn file_name(format: &str, full: bool) -> Option<(String, &'static str)> {
    let mime = match format {
        "csv" => "text/csv",
        "json" => "application/json",
        "ics" => return Some(("mentoring-next-session.ics".into(), "text/calendar")),
        _ => return None,
    };
    Some((["mentoring-history-", if full { "full" } else { "shared" }, ".", format].concat(), mime))
}

/// The history as a file. A full copy keeps every version and both notes;
/// a shared one the newest version of each record, without either note.
#[cfg(feature = "history")]
pub fn file(f: &Feedback, file: HistoryFile, full: bool, ctx: &Ctx) -> String {
    let latest = f.latest();
    match file {
        HistoryFile::Csv => history::csv(&latest, &f.programme, full),
        HistoryFile::Json => {
            let records: Vec<Record> = if full {
                f.records.clone()
            } else {
                latest.iter().map(|r| Record { data: history::copy(&r.data, &f.programme, false), ..(*r).clone() }).collect()
            };
            envelope::seal(FEEDBACK_RECORDS, ctx.now, &records)
        }
        HistoryFile::Calendar => {
            // With no session ahead (another tab's entry since), a calendar of none.
            let (id, day) = feedback::next_session(&latest, ctx.today).map_or(("", ""), |(r, day)| (r.id.as_str(), day));
            render::ics::one_meeting(day, f.agreement.as_ref(), &f.programme, ctx.locale, &render::ics::stamp(&ctx.now_iso()), id)
        }
    }
}

/// The history in a format `export(format)` names: `csv`, `json`, `md`,
/// `html` or `txt`; or the next session agreed, `ics`.
#[cfg(feature = "history")]
pub fn export(f: &Feedback, format: &str, full: bool, ctx: &Ctx) -> Option<String> {
    Some(match format {
        "csv" => file(f, HistoryFile::Csv, full, ctx),
        "json" => file(f, HistoryFile::Json, full, ctx),
        "ics" => file(f, HistoryFile::Calendar, full, ctx),
        "md" => summary(f, full, ctx, SummaryAs::Md),
        "html" => summary(f, full, ctx, SummaryAs::Html),
        "txt" => summary(f, full, ctx, SummaryAs::Txt),
        _ => return None,
    })
}
