//! `GET /report`: the programme's report for a period (the last twelve
//! months unless `from` and `to` say otherwise): pairs active, started and
//! closed; sessions held, hours, cancellations by whom, no-shows; ratings
//! month by month; outcomes from closing reviews, counted. Charts are drawn
//! by the crate's renderer, each an SVG with its text alternative, and every
//! figure is also in a table; the page prints without its menus and forms.
//!
//! `GET /report/{figures,months,pairs}.csv`: the same figures as
//! spreadsheets, headers and values in words of the coordinator's language.

use super::super::html::{esc, with_page_headers, Section};
use super::pairs::all;
use super::view::{Setup, View};
use super::{signed, today};
use crate::coordinator::facts;
use crate::coordinator::report::{self, Counted, Period, Ratings, Report, Sessions};
use crate::coordinator::words::Word;
use crate::http::{unavailable, Shared};
use axum::extract::{Path, Query, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use mentorkit::model::date;
use mentorkit::render::figures::{self, Bar, Series};
use std::collections::HashMap;

/// The period the query asks for, else the twelve months up to `today`;
/// whether the query's dates were wrong.
pub fn period_of(q: &HashMap<String, String>, today: &str) -> (Period, bool) {
    let given = (q.get("from").map(|s| s.trim()), q.get("to").map(|s| s.trim()));
    let fallback = || {
        let (_, from, to) = presets(today).swap_remove(5);
        Period::new(&from, &to).unwrap_or(Period { from: today.into(), to: today.into() })
    };
    match given {
        (Some(f), Some(t)) if !f.is_empty() || !t.is_empty() => match Period::new(f, t) {
            Some(p) => (p, false),
            None => (fallback(), true),
        },
        _ => (fallback(), false),
    }
}

/// The first day of the month after the one of `day`.
fn next_month_start(day: &str) -> String {
    let (y, m, _) = date::to_civil(date::parse(day).unwrap_or(0));
    let (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    date::format(date::from_civil(y, m, 1))
}

/// The preset periods: (word, from, to), as of `today`.
fn presets(today: &str) -> Vec<(Word, String, String)> {
    let t = date::parse(today).unwrap_or(0);
    let (y, m, _) = date::to_civil(t);
    let first = |y: i64, m: u32| date::format(date::from_civil(y, m, 1));
    let last = |y: i64, m: u32| date::format(date::from_civil(y, m, date::month_len(y, m)));
    let (py, pm) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    let q = (m - 1) / 3 * 3 + 1;
    let (lqy, lq) = if q == 1 { (y - 1, 10) } else { (y, q - 3) };
    let twelve = next_month_start(&first(y - 1, m));
    vec![
        (Word::ThisMonth, first(y, m), today.to_owned()),
        (Word::LastMonth, first(py, pm), last(py, pm)),
        (Word::ThisQuarter, first(y, q), today.to_owned()),
        (Word::LastQuarter, first(lqy, lq), last(lqy, lq + 2)),
        (Word::ThisYear, first(y, 1), today.to_owned()),
        (Word::LastTwelveMonths, twelve, today.to_owned()),
    ]
}

/// Hours of `minutes`, in tenths, in words of the language.
fn hours(v: &View, minutes: u64) -> String {
    v.w.tenths(((minutes * 10 + 30) / 60) as u32)
}

fn average(v: &View, r: &Ratings) -> String {
    r.average_tenths().map_or_else(String::new, |t| v.w.tenths(t))
}

/// The figures of the report: (section, measure, value).
pub fn figures_rows(v: &View, r: &Report) -> Vec<(Word, Word, String)> {
    let s = &r.sessions;
    vec![
        (Word::PairsSection, Word::PairsActive, r.active.to_string()),
        (Word::PairsSection, Word::PairsStarted, r.started.to_string()),
        (Word::PairsSection, Word::PairsClosed, r.closed.to_string()),
        (Word::SessionsSection, Word::SessionsHeld, s.held.to_string()),
        (Word::SessionsSection, Word::Hours, hours(v, s.minutes)),
        (Word::SessionsSection, Word::CancelledByMentee, s.cancelled_by_mentee.to_string()),
        (Word::SessionsSection, Word::CancelledByMentor, s.cancelled_by_mentor.to_string()),
        (Word::SessionsSection, Word::NoShows, s.no_shows.to_string()),
        (Word::SessionsSection, Word::Postponed, s.postponed.to_string()),
        (Word::RatingsSection, Word::MenteesAverage, average(v, &r.ratings[0])),
        (Word::RatingsSection, Word::MentorsAverage, average(v, &r.ratings[1])),
    ]
}

/// A table of figures, its caption for screen readers (a heading shows the same words),
/// in a region that scrolls sideways on a narrow screen.
fn table(caption: &str, head: &[&str], rows: &[Vec<String>], class: &str) -> String {
    let mut out = format!("<div class=\"scroll\" role=\"region\" aria-label=\"{0}\" tabindex=\"0\"><table class=\"{class}\"><caption class=\"sr-only\">{0}</caption><thead><tr>", esc(caption));
    for h in head {
        out.push_str(&format!("<th scope=\"col\">{}</th>", esc(h)));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if i == 0 {
                out.push_str(&format!("<th scope=\"row\">{}</th>", esc(cell)));
            } else {
                out.push_str(&format!("<td class=\"n\">{}</td>", esc(cell)));
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

fn sessions_rows(v: &View, s: &Sessions) -> Vec<Vec<String>> {
    [
        (Word::SessionsHeld, s.held.to_string()),
        (Word::Hours, hours(v, s.minutes)),
        (Word::CancelledByMentee, s.cancelled_by_mentee.to_string()),
        (Word::CancelledByMentor, s.cancelled_by_mentor.to_string()),
        (Word::NoShows, s.no_shows.to_string()),
        (Word::Postponed, s.postponed.to_string()),
    ]
    .into_iter()
    .map(|(w, n)| vec![v.t(w).to_owned(), n])
    .collect()
}

/// The months' rows: month, held, hours, mentees' and mentors' average.
pub fn month_rows(v: &View, r: &Report) -> Vec<Vec<String>> {
    r.months
        .iter()
        .map(|m| vec![v.w.month(&m.month), m.sessions.held.to_string(), hours(v, m.sessions.minutes), average(v, &m.ratings[0]), average(v, &m.ratings[1])])
        .collect()
}

fn outcome_rows(v: &View, list: &[Counted], path: &str) -> Vec<Vec<String>> {
    list.iter().map(|c| vec![v.option(path, c.option), c.by[0].to_string(), c.by[1].to_string(), (c.by[0] + c.by[1]).to_string()]).collect()
}

fn charts(v: &View, r: &Report) -> (String, String) {
    let months: Vec<String> = r.months.iter().map(|m| v.w.month(&m.month)).collect();
    let held: Vec<String> = r.months.iter().map(|m| m.sessions.held.to_string()).collect();
    let bars: Vec<Bar> = months.iter().zip(&r.months).zip(&held).map(|((label, m), shown)| Bar { label, value: m.sessions.held as u64, shown }).collect();
    let desc: Vec<String> = months.iter().zip(&held).map(|(m, n)| format!("{m}: {n}")).collect();
    let sessions = figures::bars(&figures::Bars { id: "report-sessions", title: v.t(Word::SessionsChartTitle), desc: &desc.join(v.t(Word::ListSeparator)), bars: &bars });
    let sessions = format!("<figure>{sessions}<figcaption>{}</figcaption></figure>", esc(&desc.join(v.t(Word::ListSeparator))));
    let points: Vec<Vec<Option<u32>>> = (0..2).map(|i| r.months.iter().map(|m| m.ratings[i].average_tenths()).collect()).collect();
    if points.iter().flatten().all(Option::is_none) {
        return (sessions, format!("<p>{}</p>", esc(v.t(Word::NoRatingsInPeriod))));
    }
    let said = |i: usize| {
        months.iter().zip(&points[i]).filter_map(|(m, p)| p.map(|p| format!("{m} {}", v.w.tenths(p)))).collect::<Vec<_>>().join(v.t(Word::ListSeparator))
    };
    let desc = format!("{}: {}. {}: {}.", v.t(Word::Mentees), said(0), v.t(Word::Mentors), said(1));
    let columns: Vec<&str> = months.iter().map(String::as_str).collect();
    let svg = figures::lines(&figures::Lines {
        id: "report-ratings",
        title: v.t(Word::RatingsByMonthTitle),
        desc: &desc,
        series: &[Series { name: v.t(Word::Mentees), points: &points[0] }, Series { name: v.t(Word::Mentors), points: &points[1] }],
        columns: &columns,
        range: (10, 50),
        levels: &[(10, "1"), (20, "2"), (30, "3"), (40, "4"), (50, "5")],
    });
    (sessions, format!("<figure>{svg}<figcaption>{}</figcaption></figure>", esc(&desc)))
}

fn outcomes(v: &View, r: &Report) -> String {
    let o = &r.outcomes;
    let mut out = format!("<h2>{}</h2>", esc(v.t(Word::OutcomesSection)));
    let total = o.reviews[0] + o.reviews[1];
    if total == 0 {
        out.push_str(&format!("<p>{}</p>", esc(v.t(Word::NoClosings))));
        return out;
    }
    out.push_str(&format!(
        "<p>{}</p>",
        esc(&v.f(Word::ClosingReviews, &[("total", &total.to_string()), ("mentees", &o.reviews[0].to_string()), ("mentors", &o.reviews[1].to_string())]))
    ));
    let named: Vec<(String, usize)> = o
        .intangible
        .iter()
        .map(|c| (v.option("outcomes.intangible", c.option), c.by[0] + c.by[1]))
        .chain(o.concrete.iter().map(|c| (v.option("outcomes.concrete", c.option), c.by[0] + c.by[1])))
        .filter(|(_, n)| *n > 0)
        .collect();
    if !named.is_empty() {
        let shown: Vec<String> = named.iter().map(|(_, n)| n.to_string()).collect();
        let bars: Vec<Bar> = named.iter().zip(&shown).map(|((label, n), shown)| Bar { label, value: *n as u64, shown }).collect();
        let desc = named.iter().map(|(l, n)| format!("{l}: {n}")).collect::<Vec<_>>().join(v.t(Word::ListSeparator));
        let svg = figures::bars(&figures::Bars { id: "report-outcomes", title: v.t(Word::OutcomesChartTitle), desc: &desc, bars: &bars });
        out.push_str(&format!("<figure>{svg}<figcaption>{}</figcaption></figure>", esc(&desc)));
    }
    let head = [v.t(Word::Outcome), v.t(Word::Mentees), v.t(Word::Mentors), v.t(Word::Total)];
    out.push_str(&format!("<h3>{}</h3>", esc(v.t(Word::Intangible))));
    out.push_str(&table(v.t(Word::Intangible), &head, &outcome_rows(v, &o.intangible, "outcomes.intangible"), "figures"));
    out.push_str(&format!("<h3>{}</h3>", esc(v.t(Word::Concrete))));
    out.push_str(&table(v.t(Word::Concrete), &head, &outcome_rows(v, &o.concrete, "outcomes.concrete"), "figures"));
    out.push_str(&format!(
        "<h3>{}</h3><p>{}</p>",
        esc(v.t(Word::GoalsAchieved)),
        esc(&v.f(Word::GoalsLine, &[("yes", &o.goals[0].to_string()), ("partly", &o.goals[1].to_string()), ("no", &o.goals[2].to_string())]))
    ));
    if !o.other.is_empty() {
        out.push_str(&format!("<h3>{}</h3><ul>", esc(v.t(Word::OtherOutcomes))));
        for other in &o.other {
            out.push_str(&format!("<li>{}</li>", esc(other)));
        }
        out.push_str("</ul>");
    }
    out
}

/// The page's main content.
pub fn render(v: &View, r: &Report, today: &str, wrong: bool) -> String {
    let p = &r.period;
    let range = format!("from={}&amp;to={}", p.from, p.to);
    let mut presets_html = String::new();
    for (word, from, to) in presets(today) {
        presets_html.push_str(&format!("<li><a href=\"/report?from={from}&amp;to={to}\">{}</a></li>", esc(v.t(word))));
    }
    let problem = if wrong { format!("<p class=\"problem\" role=\"alert\">{}</p>", esc(v.t(Word::PeriodProblem))) } else { String::new() };
    let period_form = format!(
        "<form method=\"get\" action=\"/report\" class=\"filters period\" aria-labelledby=\"period-title\"><h2 id=\"period-title\" class=\"legend\">{}</h2>{problem}\
         <div class=\"controls\"><div><label for=\"r-from\">{}</label><input type=\"date\" id=\"r-from\" name=\"from\" value=\"{}\" required></div>\
         <div><label for=\"r-to\">{}</label><input type=\"date\" id=\"r-to\" name=\"to\" value=\"{}\" required></div></div>\
         <div class=\"actions\"><button type=\"submit\">{}</button></div><ul class=\"quick\">{presets_html}</ul></form>",
        esc(v.t(Word::PeriodTitle)),
        esc(v.t(Word::From)),
        p.from,
        esc(v.t(Word::To)),
        p.to,
        esc(v.t(Word::ShowReport)),
    );
    let downloads = format!(
        "<p class=\"downloads\">{} <a href=\"/report/figures.csv?{range}\" download>{}</a>{sep}<a href=\"/report/months.csv?{range}\" download>{}</a>{sep}<a href=\"/report/pairs.csv?{range}\" download>{}</a></p><p class=\"print-hint\">{}</p>",
        esc(v.t(Word::Downloads)),
        esc(v.t(Word::DownloadFigures)),
        esc(v.t(Word::DownloadMonths)),
        esc(v.t(Word::DownloadPairs)),
        esc(v.t(Word::PrintHint)),
        sep = esc(v.t(Word::ListSeparator)),
    );
    let pairs_rows: Vec<Vec<String>> = [(Word::PairsActive, r.active), (Word::PairsStarted, r.started), (Word::PairsClosed, r.closed)].into_iter().map(|(w, n)| vec![v.t(w).to_owned(), n.to_string()]).collect();
    let measure = [v.t(Word::Measure), v.t(Word::Count)];
    let (sessions_chart, ratings_chart) = charts(v, r);
    let month_head = [v.t(Word::Month), v.t(Word::SessionsHeld), v.t(Word::Hours), v.t(Word::MenteesAverage), v.t(Word::MentorsAverage)];
    let ratings_line = |i: usize, word: Word| {
        let text = r.ratings[i].average_tenths().map_or_else(|| v.t(Word::NoneGiven).to_owned(), |t| v.f(Word::RatingsCount, &[("average", &v.w.tenths(t)), ("n", &r.ratings[i].n.to_string())]));
        format!("<dt>{}</dt><dd>{}</dd>", esc(v.t(word)), esc(&text))
    };
    format!(
        "<h1>{}</h1><p class=\"sub\">{}</p>{period_form}{downloads}\
         <h2>{}</h2>{}\
         <h2>{}</h2>{}<p class=\"small\">{}</p>\
         <h2>{}</h2>{sessions_chart}{}\
         <h2>{}</h2><dl class=\"facts\">{}{}</dl>{ratings_chart}\
         {}",
        esc(v.t(Word::ReportTitle)),
        esc(&v.f(Word::ReportPeriod, &[("from", &v.date(&p.from)), ("to", &v.date(&p.to))])),
        esc(v.t(Word::PairsSection)),
        table(v.t(Word::PairsSection), &measure, &pairs_rows, "figures"),
        esc(v.t(Word::SessionsSection)),
        table(v.t(Word::SessionsSection), &measure, &sessions_rows(v, &r.sessions), "figures"),
        esc(v.t(Word::HoursNote)),
        esc(v.t(Word::ByMonthSection)),
        table(v.t(Word::ByMonthSection), &month_head, &month_rows(v, r), "figures months"),
        esc(v.t(Word::RatingsSection)),
        ratings_line(0, Word::MenteesAverage),
        ratings_line(1, Word::MentorsAverage),
        outcomes(v, r),
    )
}

/// The report of the signed-in coordinator's programme for `period`, and its pairs.
async fn build(app: &Shared, s: &super::Signed, period: &Period, today: &str) -> Result<(Report, Vec<crate::programmes::Pair>), sqlx::Error> {
    let (list, facts) = all(app, s, today).await?;
    let pairs: Vec<(&str, &crate::coordinator::health::Health, &[facts::Fact])> =
        list.iter().map(|(p, h)| (p.pair_id.as_str(), h, facts.get(&p.pair_id).map_or(&[][..], Vec::as_slice))).collect();
    let r = report::report(period, &pairs);
    Ok((r, list.into_iter().map(|(p, _)| p).collect()))
}

/// `GET /report`.
pub async fn page(State(app): State<Shared>, headers: HeaderMap, uri: Uri, Query(q): Query<HashMap<String, String>>) -> Response {
    let s = match signed(&app, &headers, &uri).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let today = today();
    let (period, wrong) = period_of(&q, &today);
    let (r, _) = match build(&app, &s, &period, &today).await {
        Ok(r) => r,
        Err(e) => return unavailable("making the report", &e),
    };
    let setup = Setup::of(&s.programme);
    let v = View::new(&setup, s.locale);
    let main = render(&v, &r, &today, wrong);
    let mut resp = s.page(v.t(Word::ReportTitle), Section::Report, false, &main);
    if wrong {
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    resp
}

/// The rows of one of the report's spreadsheets, headers first.
pub fn csv_rows(v: &View, r: &Report, names: &HashMap<String, String>, which: &str) -> Option<Vec<Vec<String>>> {
    let t = |w: Word| v.t(w).to_owned();
    Some(match which {
        "figures" => {
            let mut rows = vec![vec![t(Word::Section), t(Word::Measure), t(Word::Value)]];
            rows.extend(figures_rows(v, r).into_iter().map(|(s, m, n)| vec![t(s), t(m), n]));
            for (list, path, word) in [(&r.outcomes.intangible, "outcomes.intangible", Word::Intangible), (&r.outcomes.concrete, "outcomes.concrete", Word::Concrete)] {
                for c in list.iter() {
                    rows.push(vec![t(word), v.option(path, c.option), (c.by[0] + c.by[1]).to_string()]);
                }
            }
            rows
        }
        "months" => {
            let mut rows = vec![vec![t(Word::Month), t(Word::SessionsHeld), t(Word::Hours), t(Word::MenteesAverage), t(Word::MentorsAverage), t(Word::CancelledByMentee), t(Word::CancelledByMentor), t(Word::NoShows)]];
            for (m, row) in r.months.iter().zip(month_rows(v, r)) {
                let mut row = row;
                row.extend([m.sessions.cancelled_by_mentee.to_string(), m.sessions.cancelled_by_mentor.to_string(), m.sessions.no_shows.to_string()]);
                rows.push(row);
            }
            rows
        }
        "pairs" => {
            let mut rows = vec![vec![
                t(Word::ColPair),
                t(Word::Mentee),
                t(Word::Mentor),
                t(Word::SessionsHeld),
                t(Word::Hours),
                t(Word::CancelledByMentee),
                t(Word::CancelledByMentor),
                t(Word::NoShows),
                t(Word::MenteeAverage),
                t(Word::MentorAverage),
                t(Word::OutcomesColumn),
            ]];
            for p in &r.pairs {
                let name = |role: &str| names.get(&format!("{}\u{1f}{role}", p.pair_id)).cloned().unwrap_or_else(|| t(Word::Erased));
                let outcomes: Vec<String> = p
                    .outcomes
                    .iter()
                    .map(|o| if report::intangible_options().iter().any(|(x, _)| x == o) { v.option("outcomes.intangible", o) } else { v.option("outcomes.concrete", o) })
                    .collect();
                rows.push(vec![
                    p.pair_id.clone(),
                    name("mentee"),
                    name("mentor"),
                    p.sessions.held.to_string(),
                    hours(v, p.sessions.minutes),
                    p.sessions.cancelled_by_mentee.to_string(),
                    p.sessions.cancelled_by_mentor.to_string(),
                    p.sessions.no_shows.to_string(),
                    average(v, &p.ratings[0]),
                    average(v, &p.ratings[1]),
                    outcomes.join("; "),
                ]);
            }
            rows
        }
        _ => return None,
    })
}

/// `GET /report/{figures,months,pairs}.csv`.
pub async fn csv(State(app): State<Shared>, headers: HeaderMap, uri: Uri, Path(file): Path<String>, Query(q): Query<HashMap<String, String>>) -> Response {
    let s = match signed(&app, &headers, &uri).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(which) = file.strip_suffix(".csv").filter(|w| ["figures", "months", "pairs"].contains(w)) else { return s.not_found() };
    let today = today();
    let (period, _) = period_of(&q, &today);
    let (r, list) = match build(&app, &s, &period, &today).await {
        Ok(r) => r,
        Err(e) => return unavailable("making the report", &e),
    };
    let setup = Setup::of(&s.programme);
    let v = View::new(&setup, s.locale);
    let mut names = HashMap::new();
    for p in &list {
        for role in ["mentee", "mentor"] {
            if let Some(n) = p.person(role).0 {
                names.insert(format!("{}\u{1f}{role}", p.pair_id), n.to_owned());
            }
        }
    }
    let Some(rows) = csv_rows(&v, &r, &names, which) else { return s.not_found() };
    // A byte-order mark, so spreadsheets read the words as UTF-8.
    let body = format!("\u{feff}{}", mentorkit::render::csv::table(&rows));
    let mut resp = (StatusCode::OK, [(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response();
    let name = format!("attachment; filename=\"report-{which}-{}-{}.csv\"", period.from, period.to);
    if let Ok(h) = HeaderValue::from_str(&name) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, h);
    }
    with_page_headers(resp)
}
