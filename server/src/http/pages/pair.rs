//! `GET /pairs/{pair}`: one pair as the coordinator sees it: its health at
//! a glance (the same phrases as its row in the list), both people's
//! ratings drawn, the open action points, the notes either person wrote for
//! the coordinator, a timeline of sessions with both people's answers side
//! by side, check-ins and the closing review, the signed agreement as its
//! document; then the people (export, invitation, erasure) and the records
//! as received.
//!
//! Private notes never leave the device they were written on, so the server
//! never has them; the page says so. Even so, only what the programme may
//! read of a record is shown (the widgets' own audience rules).

use super::super::html::{esc, Section};
use super::view::{Setup, View};
use super::{held, signed, today};
use crate::coordinator::facts::Fact;
use crate::coordinator::health::{self, Health, Rules, ROLES};
use crate::coordinator::words::Word;
use crate::http::{query, unavailable, Shared};
use crate::programmes::{self, Pair};
use crate::records::{self, Stored};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use mentorkit::model::delivery::Payload;
use mentorkit::model::feedback::{self, Record, STATUSES};
use mentorkit::model::form::{field_at, Reader};
use mentorkit::render::doc::Block;
use mentorkit::render::figures::{self, Series};
use mentorkit::render::history;

/// A record as received, parsed, with who sent it.
struct Received {
    role: String,
    received_ms: i64,
    payload: Payload,
}

fn received(list: &[Stored]) -> Vec<Received> {
    list.iter()
        .filter_map(|r| Payload::parse(&r.body).ok().map(|payload| Received { role: r.role.clone().unwrap_or_default(), received_ms: r.received_ms, payload }))
        .collect()
}

/// Blocks as HTML inside a page, headings starting at `h3`.
pub fn blocks(doc: &[Block]) -> String {
    let lines = |s: &str| esc(s).replace('\n', "<br>");
    let mut out = String::new();
    let mut in_list = false;
    for b in doc {
        let field = matches!(b, Block::Field(..));
        if field && !in_list {
            out.push_str("<dl class=\"answers\">");
            in_list = true;
        } else if !field && in_list {
            out.push_str("</dl>");
            in_list = false;
        }
        match b {
            Block::Title(s) => out.push_str(&format!("<h3>{}</h3>", lines(s))),
            Block::Subtitle(s) => out.push_str(&format!("<p class=\"sub\">{}</p>", lines(s))),
            Block::Heading(s) => out.push_str(&format!("<h4>{}</h4>", lines(s))),
            Block::Subheading(s) => out.push_str(&format!("<h5>{}</h5>", lines(s))),
            Block::Field(label, value) => out.push_str(&format!("<dt>{}</dt><dd>{}</dd>", lines(label), lines(value))),
            Block::Text(s) => out.push_str(&format!("<p>{}</p>", lines(s))),
            Block::Note(s) => out.push_str(&format!("<p class=\"small\">{}</p>", lines(s))),
            // Drawn by the crate's renderer: markup of its own, text alternative inside.
            Block::Figure(svg, _) => out.push_str(&format!("<figure>{svg}</figure>")),
            // Lines to sign by hand are for paper copies.
            Block::SignLine(_) => {}
        }
    }
    if in_list {
        out.push_str("</dl>");
    }
    out
}

/// The facts of the pair at a glance.
fn glance(v: &View, h: &Health) -> String {
    let rows = [
        (Word::Status, esc(&v.status(h))),
        (Word::ColStarted, esc(&v.started(h))),
        (Word::ColAgreement, v.agreement(h)),
        (Word::ColRhythm, v.rhythm(h)),
        (Word::ColLastSession, esc(&v.last_session(h))),
        (Word::ColRatings, v.ratings(h)),
        (Word::ColActions, h.open_actions.to_string()),
        (Word::ColDates, v.dates(h)),
        (Word::ColFit, v.fit(h)),
        (Word::ColAlerts, v.alerts(h)),
    ];
    let mut out = format!("<section aria-labelledby=\"glance\"><h2 id=\"glance\">{}</h2><dl class=\"facts\">", esc(v.t(Word::AtAGlance)));
    for (word, value) in rows {
        out.push_str(&format!("<dt>{}</dt><dd>{value}</dd>", esc(v.t(word))));
    }
    out.push_str("</dl></section>");
    out
}

/// Both people's ratings, session by session, on one chart.
fn ratings_chart(v: &View, h: &Health) -> String {
    let mut days: Vec<&str> = h.people.iter().flat_map(|p| p.insights.ratings.iter().map(|(d, _)| d.as_str())).collect();
    days.sort_unstable();
    days.dedup();
    if days.is_empty() {
        return String::new();
    }
    let days = &days[days.len().saturating_sub(history::CHART_POINTS)..];
    let points: Vec<Vec<Option<u32>>> = h.people.iter().map(|p| days.iter().map(|d| p.insights.ratings.iter().rev().find(|(x, _)| x == d).map(|(_, r)| u32::from(*r) * 10)).collect()).collect();
    let said = |i: usize| {
        let list: Vec<String> = days.iter().zip(&points[i]).filter_map(|(d, p)| p.map(|p| format!("{} {}", v.date(d), p / 10))).collect();
        if list.is_empty() { v.t(Word::NoneGiven).to_owned() } else { list.join(v.t(Word::ListSeparator)) }
    };
    let desc = v.f(Word::RatingsChartDesc, &[("mentee", &said(0)), ("mentor", &said(1))]);
    let columns: Vec<String> = days.iter().map(|d| v.date(d)).collect();
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    let svg = figures::lines(&figures::Lines {
        id: "pair-ratings",
        title: v.t(Word::RatingsChartTitle),
        desc: &desc,
        series: &[Series { name: v.t(Word::Mentee), points: &points[0] }, Series { name: v.t(Word::Mentor), points: &points[1] }],
        columns: &columns,
        range: (10, 50),
        levels: &[(10, "1"), (20, "2"), (30, "3"), (40, "4"), (50, "5")],
    });
    format!("<figure>{svg}<figcaption>{}</figcaption></figure>", esc(&desc))
}

fn actions(v: &View, h: &Health) -> String {
    let mut out = format!("<section aria-labelledby=\"actions\"><h2 id=\"actions\">{}</h2>", esc(v.t(Word::OpenActionsTitle)));
    let open: Vec<_> = h.people.iter().flat_map(|p| p.insights.open.iter()).collect();
    if open.is_empty() {
        out.push_str(&format!("<p>{}</p></section>", esc(v.t(Word::NoOpenActions))));
        return out;
    }
    out.push_str("<ul>");
    for a in open {
        let who = if a.who.is_empty() { String::new() } else { v.option("action.1.who", &a.who) };
        let mut line = v.f(Word::ActionLine, &[("what", &a.what), ("who", &who), ("from", &v.date(&a.from))]);
        if !a.due.is_empty() {
            line.push_str(&format!(", {}", v.f(Word::ActionDue, &[("date", &v.date(&a.due))])));
        }
        let overdue = if a.overdue { format!(" <strong>{}</strong>", esc(v.t(Word::ActionOverdue))) } else { String::new() };
        out.push_str(&format!("<li>{}{overdue}</li>", esc(&line)));
    }
    out.push_str("</ul></section>");
    out
}

/// Each person's feedback, newest version of each record, as their widget
/// numbers it, with only what the programme may read.
fn records_of(all: &[Received], role: &str, setup: &Setup) -> Vec<Record> {
    let mut newest: Vec<&Received> = Vec::new();
    for r in all.iter().filter(|r| r.role == role && r.payload.kind != "agreement") {
        match newest.iter_mut().find(|n| n.payload.id == r.payload.id) {
            Some(n) if (r.payload.record_version, r.received_ms) > (n.payload.record_version, n.received_ms) => *n = r,
            Some(_) => {}
            None => newest.push(r),
        }
    }
    newest.sort_by(|a, b| (&a.payload.created, a.received_ms).cmp(&(&b.payload.created, b.received_ms)));
    newest
        .iter()
        .enumerate()
        .map(|(i, r)| Record {
            id: r.payload.id.clone(),
            seq: i as u32 + 1,
            version: r.payload.record_version,
            kind: r.payload.kind.clone(),
            created: r.payload.created.clone(),
            submitted: r.payload.submitted.clone(),
            data: feedback::for_reader(&r.payload.data, &setup.feedback, Reader::Programme),
        })
        .collect()
}

fn notes(v: &View, people: &[Vec<Record>; 2]) -> String {
    let mut items: Vec<(&str, &str, &str)> = Vec::new();
    for (role, list) in ROLES.iter().zip(people) {
        for r in list {
            let note = r.data.get("coordinator.note").trim();
            if !note.is_empty() {
                items.push((r.data.get("date"), role, note));
            }
        }
    }
    items.sort_by(|a, b| b.0.cmp(a.0));
    let mut out = format!("<section aria-labelledby=\"notes\"><h2 id=\"notes\">{}</h2>", esc(v.t(Word::NotesTitle)));
    if items.is_empty() {
        out.push_str(&format!("<p>{}</p>", esc(v.t(Word::NoNotes))));
    } else {
        out.push_str("<ul class=\"notes\">");
        for (day, role, note) in items {
            out.push_str(&format!("<li><p>{}</p><blockquote>{}</blockquote></li>", esc(&v.f(Word::NoteFrom, &[("role", v.role(role)), ("date", &v.date(day))])), esc(note)));
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
    out
}

/// A role's name inside a sentence (German keeps its nouns' capitals).
fn in_sentence(v: &View, role: &str) -> String {
    if v.locale == mentorkit::i18n::Locale::De { v.role(role).to_owned() } else { v.role(role).to_lowercase() }
}

/// Sessions, check-ins and closing reviews, newest first, both people's
/// answers about the same day and kind side by side.
fn timeline(v: &View, setup: &Setup, people: &[Vec<Record>; 2]) -> String {
    let mut keys: Vec<(&str, &str)> = people.iter().flatten().map(|r| (r.data.get("date"), r.kind.as_str())).collect();
    keys.sort_unstable_by(|a, b| b.cmp(a));
    keys.dedup();
    let mut out = format!(
        "<section aria-labelledby=\"timeline\"><h2 id=\"timeline\">{}</h2><p class=\"private\">{}</p>",
        esc(v.t(Word::TimelineTitle)),
        esc(v.t(Word::PrivateNotes))
    );
    if keys.is_empty() {
        out.push_str(&format!("<p>{}</p></section>", esc(v.t(Word::TimelineEmpty))));
        return out;
    }
    let date = |d: &str| v.date(d);
    out.push_str("<ol class=\"timeline\">");
    for (day, kind) in keys {
        let kind_name = v.w.record_kind(kind).unwrap_or_else(|| v.t(Word::EntrySession));
        let mut status: Vec<&str> = Vec::new();
        let mut sides = String::new();
        for (role, list) in ROLES.iter().zip(people) {
            let found: Vec<&Record> = list.iter().filter(|r| r.kind == kind && r.data.get("date") == day).collect();
            let mut side = format!("<section class=\"side\"><h4>{}</h4>", esc(v.role(role)));
            if found.is_empty() {
                side.push_str(&format!("<p class=\"none\">{}</p>", esc(&v.f(Word::NothingFrom, &[("role", &in_sentence(v, role))]))));
            }
            for r in found {
                if let Some((_, key)) = STATUSES.iter().find(|(s, _)| *s == r.data.get("status")) {
                    let text = v.key(*key);
                    if !status.contains(&text) {
                        status.push(text);
                    }
                }
                let mut shown = r.clone();
                shown.data = r.data.filtered(|p| p != "coordinator.note");
                // Who answered and whether they met are in the headings already.
                let said = |path: &str| field_at(feedback::STEPS, path).map(|(_, f, _)| setup.feedback.field_label(v.locale, f).to_owned());
                let known = [said("respondent"), said("status")];
                let answers: Vec<Block> = history::answers(&shown, &setup.feedback, v.locale, &date, true)
                    .into_iter()
                    .filter(|b| !matches!(b, Block::Field(label, _) if known.iter().flatten().any(|k| k == label)))
                    .collect();
                side.push_str(&blocks(&answers));
            }
            side.push_str("</section>");
            sides.push_str(&side);
        }
        let title = std::iter::once(v.date(day)).chain(std::iter::once(kind_name.to_owned())).chain(status.iter().map(|s| (*s).to_owned())).collect::<Vec<_>>().join(" · ");
        out.push_str(&format!("<li><h3>{}</h3><div class=\"sides\">{sides}</div></li>", esc(&title)));
    }
    out.push_str("</ol></section>");
    out
}

/// The latest signed agreement as its document.
fn agreement(v: &View, setup: &Setup, all: &[Received], h: &Health) -> String {
    let mut out = format!("<section aria-labelledby=\"agreement\"><h2 id=\"agreement\">{}</h2>", esc(v.t(Word::AgreementTitle)));
    let Some(a) = &h.agreement else {
        out.push_str(&format!("<p>{}</p></section>", esc(v.t(Word::NoAgreementYet))));
        return out;
    };
    let found = all.iter().filter(|r| r.payload.kind == "agreement" && r.payload.id == a.id && r.payload.record_version == a.version).max_by_key(|r| r.received_ms);
    if let Some(r) = found {
        let date = |d: &str| v.date(d);
        let doc = mentorkit::render::doc::agreement(&r.payload.data, &setup.agreement, v.locale, &date);
        out.push_str(&format!("<div class=\"document\">{}</div>", blocks(&doc)));
    }
    out.push_str(&format!(
        "<p class=\"small\">{}</p>",
        esc(&v.f(Word::AgreementMeta, &[("id", &a.id), ("version", &a.version.to_string()), ("fingerprint", &mentorkit::model::signing::short(&a.fingerprint))]))
    ));
    // The versions it amended, newest first, each as the document it was.
    let mut earlier: Vec<&Received> = all.iter().filter(|r| r.payload.kind == "agreement" && r.payload.id == a.id && r.payload.record_version < a.version).collect();
    earlier.sort_by_key(|r| std::cmp::Reverse((r.payload.record_version, r.received_ms)));
    earlier.dedup_by_key(|r| r.payload.record_version);
    if !earlier.is_empty() {
        out.push_str(&format!("<h3>{}</h3>", esc(v.t(Word::EarlierVersions))));
        for r in earlier {
            let date = |d: &str| v.date(d);
            let doc = mentorkit::render::doc::agreement(&r.payload.data, &setup.agreement, v.locale, &date);
            let fingerprint = mentorkit::model::signing::short(&mentorkit::model::signing::fingerprint(&r.payload.data));
            let day = crate::db::iso(r.received_ms);
            let summary = v.f(Word::VersionSummary, &[("version", &r.payload.record_version.to_string()), ("date", &v.date(day.get(..10).unwrap_or_default())), ("fingerprint", &fingerprint)]);
            out.push_str(&format!("<details class=\"version\"><summary>{}</summary><div class=\"document\">{}</div></details>", esc(&summary), blocks(&doc)));
        }
    }
    out.push_str("</section>");
    out
}

/// The page's main content.
fn render(s: &super::Signed, v: &View, setup: &Setup, pair: &Pair, list: &[Stored], notice: &str) -> String {
    let all = received(list);
    let facts: Vec<Fact> = all.iter().map(|r| Fact::of(&r.payload, &r.role, r.received_ms)).collect();
    let today = today();
    let enrolled = crate::db::iso(pair.created_ms)[..10].to_owned();
    let h = health::health(&enrolled, &facts, Rules::of(&s.programme.settings), &today);
    let people = ROLES.map(|role| records_of(&all, role, setup));
    format!(
        "<h1>{}</h1><p class=\"sub\">{}</p>{notice}{}{}{}{}{}{}{}",
        esc(&v.names(pair)),
        esc(&v.f(Word::PairEnrolled, &[("id", &pair.pair_id), ("date", &v.date(&enrolled))])),
        glance(v, &h),
        ratings_chart(v, &h),
        actions(v, &h),
        notes(v, &people),
        timeline(v, setup, &people),
        agreement(v, setup, &all, &h),
        held(s, pair, list),
    )
}

/// `GET /pairs/{pair}`.
pub async fn page(State(app): State<Shared>, headers: HeaderMap, uri: Uri, Path(pair_id): Path<String>) -> Response {
    let s = match signed(&app, &headers, &uri).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let pid = &s.programme.id;
    let pair = match programmes::pair(&app.db, pid, &pair_id).await {
        Ok(Some(p)) => p,
        Ok(None) => return s.not_found(),
        Err(e) => return unavailable("reading a pair", &e),
    };
    let list = match records::of_pair(&app.db, pid, &pair_id).await {
        Ok(l) => l,
        Err(e) => return unavailable("reading records", &e),
    };
    let notice = match query(uri.query(), "erased") {
        Some(role) if programmes::ROLES.contains(&role) => super::erased_notice(&s.words(), role),
        _ => String::new(),
    };
    let setup = Setup::of(&s.programme);
    let v = View::new(&setup, s.locale);
    let main = render(&s, &v, &setup, &pair, &list, &notice);
    s.page(&v.names(&pair), Section::Pairs, true, &main)
}
