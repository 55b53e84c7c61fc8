//! `GET /pairs`: every pair of the programme at a glance, one row each: the
//! names, when it started, the agreement, sessions against the agreed
//! rhythm, the last session, both sides' ratings and trend, open action
//! points, the next review and the end, the pairing-fit answers and the
//! alerts. Found by name, filtered by alert, rhythm, status and end date,
//! sorted, a hundred to a page; a form and links, so it works without script.

use super::super::html::{esc, percent, Section};
use super::view::View;
use super::{signed, today, Signed};
use crate::coordinator::facts;
use crate::coordinator::health::{self, Health, Kind, Rhythm, Rules};
use crate::coordinator::words::Word;
use crate::http::{unavailable, Shared};
use crate::programmes::{self, Pair};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use std::collections::HashMap;
use std::sync::Arc;

/// Pairs on one page.
pub const PAGE: usize = 100;

/// How the list may be sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    /// Most alerts, most pressing first.
    Alerts,
    /// Most overdue first.
    Rhythm,
    /// Ending soonest first.
    End,
    /// By the mentee's name, then the mentor's.
    Name,
    /// Started most recently first.
    Started,
    /// The lower of the two average ratings, lowest first.
    Rating,
}

impl Sort {
    const ALL: [(Sort, &'static str, Word); 6] = [
        (Sort::Alerts, "alerts", Word::SortAlerts),
        (Sort::Rhythm, "rhythm", Word::SortRhythm),
        (Sort::End, "end", Word::SortEnd),
        (Sort::Name, "name", Word::SortName),
        (Sort::Started, "started", Word::SortStarted),
        (Sort::Rating, "rating", Word::SortRating),
    ];
}

/// What the coordinator asked for, from the query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    /// Text to find in a name or the pair's id.
    pub q: String,
    /// `""` (any), `any` (with an alert), `none` (without), or a kind's id.
    pub alert: String,
    /// `""`, `on-track`, `overdue` or `unknown`.
    pub rhythm: String,
    /// `""`, `active`, `closed` or `waiting`.
    pub status: String,
    /// Ending within this many days, if given.
    pub ends: Option<i64>,
    /// The order.
    pub sort: Sort,
    /// The page, from 1.
    pub page: usize,
}

impl Filter {
    /// Reads the query; what it does not understand is left at its default.
    pub fn of(q: &HashMap<String, String>) -> Filter {
        let get = |k: &str| q.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
        let pick = |k: &str, allowed: &[&str]| Some(get(k)).filter(|v| allowed.contains(&v.as_str())).unwrap_or_default();
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.id()).chain(["any", "none"]).collect();
        Filter {
            q: get("q").chars().take(100).collect(),
            alert: pick("alert", &kinds),
            rhythm: pick("rhythm", &["on-track", "overdue", "unknown"]),
            status: pick("status", &["active", "closed", "waiting"]),
            ends: get("ends").parse().ok().filter(|d| [30, 60, 90].contains(d)),
            sort: Sort::ALL.iter().find(|(_, id, _)| *id == get("sort")).map_or(Sort::Alerts, |(s, _, _)| *s),
            page: get("page").parse().ok().filter(|p| *p >= 1).unwrap_or(1),
        }
    }

    /// Whether the pair passes.
    pub fn passes(&self, pair: &Pair, h: &Health, today: &str) -> bool {
        if !self.q.is_empty() {
            let needle = self.q.to_lowercase();
            let hay = [pair.mentee_name.as_deref(), pair.mentor_name.as_deref(), Some(pair.pair_id.as_str())];
            if !hay.iter().flatten().any(|t| t.to_lowercase().contains(&needle)) {
                return false;
            }
        }
        let alert = match self.alert.as_str() {
            "" => true,
            "any" => !h.alerts.is_empty(),
            "none" => h.alerts.is_empty(),
            id => Kind::from_id(id).is_some_and(|k| h.has(k)),
        };
        let rhythm = match self.rhythm.as_str() {
            "on-track" => h.rhythm() == Rhythm::OnTrack,
            "overdue" => matches!(h.rhythm(), Rhythm::Overdue(_)),
            "unknown" => h.rhythm() == Rhythm::Unknown,
            _ => true,
        };
        let status = match self.status.as_str() {
            "active" => h.closed.is_none() && h.started.is_some(),
            "closed" => h.closed.is_some(),
            "waiting" => h.closed.is_none() && h.started.is_none(),
            _ => true,
        };
        let ends = self.ends.is_none_or(|within| {
            let end = h.agreement.as_ref().and_then(|a| a.end.as_deref()).and_then(mentorkit::model::date::parse);
            let t = mentorkit::model::date::parse(today);
            matches!((end, t), (Some(e), Some(t)) if (0..=within).contains(&(e - t)))
        });
        alert && rhythm && status && ends
    }

    /// The query of this filter on another page (`&amp;`-joined, escaped).
    fn query(&self, page: usize) -> String {
        let sort = Sort::ALL.iter().find(|(s, _, _)| *s == self.sort).map_or("alerts", |(_, id, _)| id);
        let mut parts = vec![];
        for (k, v) in [("q", self.q.as_str()), ("alert", &self.alert), ("rhythm", &self.rhythm), ("status", &self.status)] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", percent(v)));
            }
        }
        if let Some(e) = self.ends {
            parts.push(format!("ends={e}"));
        }
        parts.push(format!("sort={sort}"));
        parts.push(format!("page={page}"));
        parts.join("&amp;")
    }
}

fn lower_name(p: &Pair) -> (String, String) {
    (p.mentee_name.as_deref().unwrap_or("").to_lowercase(), p.mentor_name.as_deref().unwrap_or("").to_lowercase())
}

/// Puts `rows` in the order `sort` asks.
pub fn sort(rows: &mut [(&Pair, &Health)], sort: Sort) {
    let name = |p: &Pair| lower_name(p);
    match sort {
        Sort::Alerts => rows.sort_by(|(pa, a), (pb, b)| {
            let first = |h: &Health| h.alerts.first().map_or(usize::MAX, |x| Kind::ALL.iter().position(|k| *k == x.kind()).unwrap_or(usize::MAX));
            let overdue = |h: &Health| h.cadence.as_ref().map_or(0, |c| c.overdue_days);
            b.alerts.len().cmp(&a.alerts.len()).then(first(a).cmp(&first(b))).then(overdue(b).cmp(&overdue(a))).then(name(pa).cmp(&name(pb)))
        }),
        Sort::Rhythm => rows.sort_by(|(pa, a), (pb, b)| {
            let key = |h: &Health| match h.rhythm() {
                Rhythm::Overdue(d) => d,
                Rhythm::OnTrack => 0,
                Rhythm::Unknown => -1,
            };
            key(b).cmp(&key(a)).then(name(pa).cmp(&name(pb)))
        }),
        Sort::End => rows.sort_by(|(pa, a), (pb, b)| {
            let end = |h: &Health| h.agreement.as_ref().and_then(|x| x.end.clone()).unwrap_or_else(|| "9999".into());
            end(a).cmp(&end(b)).then(name(pa).cmp(&name(pb)))
        }),
        Sort::Name => rows.sort_by(|(pa, _), (pb, _)| name(pa).cmp(&name(pb)).then(pa.pair_id.cmp(&pb.pair_id))),
        Sort::Started => rows.sort_by(|(pa, a), (pb, b)| b.started.cmp(&a.started).then(name(pa).cmp(&name(pb)))),
        Sort::Rating => rows.sort_by(|(pa, a), (pb, b)| {
            let low = |h: &Health| h.people.iter().filter_map(|p| p.insights.average_tenths).min().unwrap_or(u32::MAX);
            low(a).cmp(&low(b)).then(name(pa).cmp(&name(pb)))
        }),
    }
}

/// Every pair of the programme with its health, as of `today`, and the
/// facts of every record (by pair): one query for the pairs, one (or none,
/// when nothing changed since the last) for the facts.
pub async fn all(app: &Shared, s: &Signed, today: &str) -> Result<(Vec<(Pair, Health)>, Arc<facts::ByPair>), sqlx::Error> {
    let pid = &s.programme.id;
    let (list, facts) = tokio::try_join!(programmes::pairs(&app.db, pid), facts::of_programme(&app.db, pid))?;
    let rules = Rules::of(&s.programme.settings);
    let rows = list
        .into_iter()
        .map(|p| p.pair)
        .map(|p| {
            let f = facts.get(&p.pair_id).map_or(&[][..], Vec::as_slice);
            let h = health::health(&crate::db::iso(p.created_ms)[..10], f, rules, today);
            (p, h)
        })
        .collect();
    Ok((rows, facts))
}

fn select(v: &View, name: &str, label: Word, current: &str, options: &[(&str, String)]) -> String {
    let mut out = format!("<div><label for=\"f-{name}\">{}</label><select id=\"f-{name}\" name=\"{name}\">", esc(v.t(label)));
    for (value, text) in options {
        let chosen = if *value == current { " selected" } else { "" };
        out.push_str(&format!("<option value=\"{value}\"{chosen}>{}</option>", esc(text)));
    }
    out.push_str("</select></div>");
    out
}

fn filters(v: &View, f: &Filter) -> String {
    let mut alerts = vec![("", v.t(Word::AnyAlert).to_owned()), ("any", v.t(Word::WithAlerts).to_owned()), ("none", v.t(Word::WithoutAlerts).to_owned())];
    alerts.extend(Kind::ALL.iter().map(|k| (k.id(), v.kind(*k).to_owned())));
    let rhythm = [("", v.t(Word::AnyRhythm)), ("on-track", v.t(Word::RhythmOnTrack)), ("overdue", v.t(Word::RhythmOverdue)), ("unknown", v.t(Word::RhythmUnknown))].map(|(a, b)| (a, b.to_owned()));
    let status = [("", v.t(Word::AnyStatus)), ("active", v.t(Word::StatusActive)), ("closed", v.t(Word::StatusClosed)), ("waiting", v.t(Word::StatusWaiting))].map(|(a, b)| (a, b.to_owned()));
    let ends = [("", v.t(Word::EndsAny).to_owned()), ("30", v.f(Word::EndsWithin, &[("days", "30")])), ("60", v.f(Word::EndsWithin, &[("days", "60")])), ("90", v.f(Word::EndsWithin, &[("days", "90")]))];
    let sorts: Vec<(&str, String)> = Sort::ALL.iter().map(|(_, id, w)| (*id, v.t(*w).to_owned())).collect();
    let sort_id = Sort::ALL.iter().find(|(s, _, _)| *s == f.sort).map_or("alerts", |(_, id, _)| id);
    let ends_now = f.ends.map(|e| e.to_string()).unwrap_or_default();
    format!(
        "<form method=\"get\" action=\"/pairs\" class=\"filters\" role=\"search\" aria-labelledby=\"filters-title\"><h2 id=\"filters-title\" class=\"legend\">{}</h2><div class=\"controls\">\
         <div><label for=\"f-q\">{}</label><input type=\"search\" id=\"f-q\" name=\"q\" value=\"{}\" autocomplete=\"off\"></div>{}{}{}{}{}</div>\
         <div class=\"actions\"><button type=\"submit\">{}</button><a href=\"/pairs\">{}</a></div></form>",
        esc(v.t(Word::FilterTitle)),
        esc(v.t(Word::Search)),
        esc(&f.q),
        select(v, "alert", Word::FilterAlert, &f.alert, &alerts),
        select(v, "rhythm", Word::FilterRhythm, &f.rhythm, &rhythm),
        select(v, "status", Word::FilterStatus, &f.status, &status),
        select(v, "ends", Word::FilterEnds, &ends_now, &ends),
        select(v, "sort", Word::SortBy, sort_id, &sorts),
        esc(v.t(Word::Show)),
        esc(v.t(Word::ClearFilters)),
    )
}

/// One pair's row.
fn row(v: &View, p: &Pair, h: &Health) -> String {
    // One box inside each cell, so a phone's two-column card keeps the label beside all of it.
    let cell = |label: Word, class: &str, content: String| format!("<td data-label=\"{}\"{class}><div>{content}</div></td>", esc(v.t(label)));
    let started = format!("{}<span class=\"small\">{}</span>", esc(&v.started(h)), esc(&if h.closed.is_some() { v.status(h) } else { v.f(Word::EnrolledOn, &[("date", &v.date(&h.enrolled))]) }));
    format!(
        "<tr><th scope=\"row\"><a href=\"/pairs/{id}\">{}</a><span class=\"small\">{}</span></th>{}{}{}{}{}{}{}{}{}</tr>",
        esc(&v.names(p)),
        esc(&v.f(Word::PairId, &[("id", &p.pair_id)])),
        cell(Word::ColStarted, "", started),
        cell(Word::ColAgreement, "", v.agreement(h)),
        cell(Word::ColRhythm, "", v.rhythm(h)),
        cell(Word::ColLastSession, "", esc(&v.last_session(h))),
        cell(Word::ColRatings, "", v.ratings(h)),
        cell(Word::ColActions, " class=\"n\"", h.open_actions.to_string()),
        cell(Word::ColDates, "", v.dates(h)),
        cell(Word::ColFit, "", v.fit(h)),
        cell(Word::ColAlerts, "", v.alerts(h)),
        id = percent(&p.pair_id),
    )
}

/// The page's main content, for `rows` of the programme (in any order).
pub fn render(v: &View, f: &Filter, mut rows: Vec<(&Pair, &Health)>, today: &str) -> String {
    let total = rows.len();
    if total == 0 {
        return format!(
            "<h1>{}</h1><p>{} <a href=\"/pairs/new\">{}</a>.</p>",
            esc(v.t(Word::PairsTitle)),
            esc(v.t(Word::NoPairs)),
            esc(v.t(Word::EnrolFirst))
        );
    }
    let closed = rows.iter().filter(|(_, h)| h.closed.is_some()).count();
    let waiting = rows.iter().filter(|(_, h)| h.closed.is_none() && h.started.is_none()).count();
    let alerting = rows.iter().filter(|(_, h)| !h.alerts.is_empty()).count();
    let summary = v.f(
        Word::PairsSummary,
        &[("total", &total.to_string()), ("active", &(total - closed - waiting).to_string()), ("closed", &closed.to_string()), ("waiting", &waiting.to_string()), ("alerting", &alerting.to_string())],
    );
    let mut quick = String::new();
    for k in Kind::ALL {
        let n = rows.iter().filter(|(_, h)| h.has(k)).count();
        if n > 0 {
            quick.push_str(&format!("<li><a href=\"/pairs?alert={}\">{} ({n})</a></li>", k.id(), esc(v.kind(k))));
        }
    }
    let quick = if quick.is_empty() { String::new() } else { format!("<p id=\"quick-title\">{}</p><ul class=\"quick\" aria-labelledby=\"quick-title\">{quick}</ul>", esc(v.t(Word::AlertLinks))) };
    rows.retain(|(p, h)| f.passes(p, h, today));
    sort(&mut rows, f.sort);
    let shown = rows.len();
    let pages = shown.div_ceil(PAGE).max(1);
    let page = f.page.min(pages);
    let mut body = String::new();
    for (p, h) in rows.iter().skip((page - 1) * PAGE).take(PAGE) {
        body.push_str(&row(v, p, h));
    }
    let heads = [Word::ColPair, Word::ColStarted, Word::ColAgreement, Word::ColRhythm, Word::ColLastSession, Word::ColRatings, Word::ColActions, Word::ColDates, Word::ColFit, Word::ColAlerts];
    let head = v.w.heads(&heads);
    let caption = v.f(Word::Showing, &[("shown", &shown.to_string()), ("total", &total.to_string())]);
    let table = if shown == 0 {
        format!("<p role=\"status\">{}</p>", esc(v.t(Word::NoneMatch)))
    } else {
        format!("<table class=\"pairs\"><caption>{}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>", esc(&caption))
    };
    let paging = if pages > 1 {
        let mut links = vec![format!("<span>{}</span>", esc(&v.f(Word::PageOf, &[("n", &page.to_string()), ("total", &pages.to_string())])))];
        if page > 1 {
            links.push(format!("<a href=\"/pairs?{}\">{}</a>", f.query(page - 1), esc(v.t(Word::PreviousPage))));
        }
        if page < pages {
            links.push(format!("<a href=\"/pairs?{}\">{}</a>", f.query(page + 1), esc(v.t(Word::NextPage))));
        }
        format!("<div class=\"pages\" role=\"group\" aria-label=\"{}\">{}</div>", esc(v.t(Word::PagesNav)), links.join(""))
    } else {
        String::new()
    };
    format!(
        "<h1>{}</h1><p>{} <a href=\"/pairs/new\">{}</a></p>{quick}{}{table}{paging}",
        esc(v.t(Word::PairsTitle)),
        esc(&summary),
        esc(v.t(Word::EnrolLink)),
        filters(v, f),
    )
}

/// `GET /pairs`.
pub async fn page(State(app): State<Shared>, headers: HeaderMap, uri: Uri, Query(query): Query<HashMap<String, String>>) -> Response {
    let s = match signed(&app, &headers, &uri).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let today = today();
    let (list, _) = match all(&app, &s, &today).await {
        Ok(l) => l,
        Err(e) => return unavailable("listing pairs", &e),
    };
    let setup = super::view::Setup::of(&s.programme);
    let v = View::new(&setup, s.locale);
    let main = render(&v, &Filter::of(&query), list.iter().map(|(p, h)| (p, h)).collect(), &today);
    s.page(v.t(Word::PairsTitle), Section::Pairs, true, &main)
}
