//! The coordinator pages, rendered on the server: signing in and out, the
//! programme's pairs with their record counts, enrolling a pair (its two
//! invitations shown once), a pair's records, a new invitation, erasing and
//! exporting one person, and the audit log; the coordinator's view of the
//! pairs ([`pairs`]), one pair ([`pair`]) and the report ([`report`]), in
//! the coordinator's language (a cookie set by `/language`, else the
//! programme's).
//!
//! Every page but sign-in needs a session (otherwise: 303 to `/sign-in`);
//! every form carries a token checked on its POST (403 without it); failed
//! sign-ins are throttled (429).

pub mod pair;
pub mod pairs;
pub mod report;
pub mod view;

use super::html::{self, csrf_field, esc, page, see_other, Frame, Nav, Section};
use super::{cookie, unavailable, Client, Shared};
use crate::accounts::{self, Coordinator, SignIn};
use crate::coordinator::words::{Labels, Word, Words};
use crate::db::iso;
use crate::programmes::{self, EnrolError, EnrolProblem, Enrolment, Programme, ROLES};
use axum::http::Uri;
use mentorkit::i18n::Locale;
use crate::{audit, privacy, records, secret};
use axum::extract::{Path, State};
use mentorkit::model::{delivery::Payload, signing};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use std::collections::HashMap;

const SESSION_COOKIE: &str = "mk_session";
const SIGN_IN_COOKIE: &str = "mk_sign_in";
const LANGUAGE_COOKIE: &str = "mk_language";

type Fields = Form<HashMap<String, String>>;

/// Adds the coordinator routes (and `/` to the pairs when `root`).
pub fn routes(router: axum::Router<Shared>, root: bool) -> Router<Shared> {
    let router = if root { router.route("/", get(|| async { see_other("/pairs") })) } else { router };
    router
        .route("/assets/coordinator.css", get(stylesheet))
        .route("/sign-in", get(sign_in_form).post(sign_in))
        .route("/sign-out", post(sign_out))
        .route("/language", get(language))
        .route("/pairs", get(pairs::page).post(enrol))
        .route("/pairs/new", get(enrol_form))
        .route("/pairs/{pair}", get(pair::page))
        .route("/pairs/{pair}/records", get(pair_records))
        .route("/report", get(report::page))
        .route("/report/{table}", get(report::csv))
        .route("/pairs/{pair}/{role}/invitation", post(reissue))
        .route("/pairs/{pair}/{role}/erase", post(erase))
        .route("/pairs/{pair}/{role}/export", post(export))
        .route("/audit", get(audit_log))
}

async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "max-age=3600")], html::CSS).into_response()
}

/// A signed-in coordinator, with what their pages need.
pub struct Signed {
    who: Coordinator,
    csrf: String,
    token: String,
    /// The coordinator's programme.
    pub programme: Programme,
    /// The language of their pages.
    pub locale: Locale,
    /// The programme's wording of the pages.
    labels: Option<Labels>,
    /// This page's path and query.
    path: String,
    /// Whether the programme is the demo's made-up one.
    sample: bool,
}

impl Signed {
    /// The pages' wording in the coordinator's language.
    pub fn words(&self) -> Words<'_> {
        Words::new(self.locale, self.labels.as_ref())
    }

    fn nav(&self, section: Option<Section>, wide: bool) -> Nav<'_> {
        Nav {
            programme: &self.programme.name,
            email: &self.who.email,
            csrf: &self.csrf,
            words: self.words(),
            path: &self.path,
            sample: self.sample,
            section,
            wide,
        }
    }

    /// A page of the site in `section`, the whole width when `wide`.
    pub fn page(&self, title: &str, section: Section, wide: bool, main: &str) -> Response {
        page(StatusCode::OK, title, Frame::Signed(&self.nav(Some(section), wide)), main)
    }

    fn plain(&self, title: &str, main: &str) -> Response {
        page(StatusCode::OK, title, Frame::Signed(&self.nav(None, false)), main)
    }
}

/// Today, `YYYY-MM-DD` (UTC), as the pages judge rhythms and alerts.
pub fn today() -> String {
    iso(crate::db::now_ms())[..10].to_owned()
}

/// A language of the pages by its tag.
fn known(tag: &str) -> Option<Locale> {
    Locale::ALL.iter().copied().find(|l| l.tag() == tag)
}

/// The language the coordinator picked (cookie), else the programme's.
fn locale_of(headers: &HeaderMap, programme: &Programme) -> Locale {
    cookie(headers, LANGUAGE_COOKIE).and_then(known).unwrap_or_else(|| Locale::from_tag(&programme.settings.language))
}

/// The language of someone not signed in: the one they picked (cookie),
/// else the first of their browser's that the pages have, else English.
fn visitor_locale(headers: &HeaderMap) -> Locale {
    if let Some(l) = cookie(headers, LANGUAGE_COOKIE).and_then(known) {
        return l;
    }
    let accepted = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    accepted
        .split(',')
        .filter(|part| !part.split(';').skip(1).any(|q| q.trim().strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))))
        .filter_map(|part| part.split(';').next())
        .find_map(|tag| known(&tag.trim().split('-').next().unwrap_or_default().to_ascii_lowercase()))
        .unwrap_or(Locale::En)
}

/// The session's coordinator, or the answer to give instead (to sign in).
pub async fn signed(app: &Shared, headers: &HeaderMap, uri: &Uri) -> Result<Signed, Response> {
    let Some(token) = cookie(headers, SESSION_COOKIE).filter(|t| !t.is_empty()) else { return Err(see_other("/sign-in")) };
    let who = match accounts::session(&app.db, token).await {
        Ok(Some(who)) => who,
        Ok(None) => return Err(see_other("/sign-in")),
        Err(e) => return Err(unavailable("reading a session", &e)),
    };
    let programme = match programmes::programme(&app.db, &who.programme_id).await {
        Ok(Some(p)) => p,
        Ok(None) => Programme { id: who.programme_id.clone(), name: who.programme_id.clone(), origins: Vec::new(), retention_days: 0, settings: Default::default() },
        Err(e) => return Err(unavailable("reading a programme", &e)),
    };
    let labels = programme.settings.labels.as_deref().and_then(|t| Labels::parse(t).ok());
    let path = uri.path_and_query().map_or_else(|| "/pairs".to_owned(), |p| p.as_str().to_owned());
    let sample = app.demo.is_some() && programme.id == crate::http::demo::SAMPLE_PROGRAMME;
    Ok(Signed { csrf: accounts::csrf_token(token), token: token.to_owned(), locale: locale_of(headers, &programme), who, programme, labels, path, sample })
}

/// As [`signed`], for a form's POST: its token must match (403 otherwise).
async fn signed_form(app: &Shared, headers: &HeaderMap, fields: &HashMap<String, String>) -> Result<Signed, Response> {
    let s = signed(app, headers, &Uri::from_static("/pairs")).await?;
    if !fields.get("csrf").is_some_and(|t| secret::same(t, &s.csrf)) {
        return Err(forbidden(s.words()));
    }
    Ok(s)
}

fn forbidden(w: Words) -> Response {
    let main = format!("<h1>{}</h1><p>{}</p>", esc(w.t(Word::RefusedTitle)), esc(w.t(Word::RefusedText)));
    page(StatusCode::FORBIDDEN, w.t(Word::RefusedTitle), Frame::Visitor(w, "/pairs"), &main)
}

impl Signed {
    /// The page for a pair, person or file this programme does not have.
    pub fn not_found(&self) -> Response {
        let w = self.words();
        let main = format!(
            "<h1>{}</h1><p>{}</p><p><a href=\"/pairs\">{}</a></p>",
            esc(w.t(Word::NotFoundTitle)),
            esc(w.t(Word::NotFoundText)),
            esc(w.t(Word::BackToPairs))
        );
        let mut r = self.plain(w.t(Word::NotFoundTitle), &main);
        *r.status_mut() = StatusCode::NOT_FOUND;
        r
    }
}

/// Of the two messages, the mentee's or the mentor's.
fn by_role(role: &str, mentee: Word, mentor: Word) -> Word {
    if role == "mentor" { mentor } else { mentee }
}

/// A moment in words and UTC time: "5 March 2027, 14:05 UTC".
fn moment(w: &Words, ms: i64) -> String {
    let t = iso(ms);
    match (t.get(..10), t.get(11..16)) {
        (Some(day), Some(time)) => w.f(Word::DateTime, &[("date", &w.date(day)), ("time", time)]),
        _ => t,
    }
}

fn secure(app: &Shared, client: &Client) -> bool {
    app.settings.secure_cookies || client.https
}

fn sign_in_page(status: StatusCode, w: Words, token: &str, email: &str, problem: Option<&str>) -> Response {
    let (problem, described) = match problem {
        Some(p) => (format!("<p class=\"problem\" role=\"alert\" id=\"sign-in-problem\">{}</p>", esc(p)), " aria-describedby=\"sign-in-problem\" aria-invalid=\"true\""),
        None => (String::new(), ""),
    };
    let main = format!(
        "<h1>{title}</h1>{problem}<form method=\"post\" action=\"/sign-in\">{}\
         <label for=\"email\">{}</label><input type=\"email\" id=\"email\" name=\"email\" autocomplete=\"username\" required value=\"{}\"{described}>\
         <label for=\"password\">{}</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required{described}>\
         <button type=\"submit\">{}</button></form>",
        csrf_field(token),
        esc(w.t(Word::Email)),
        esc(email),
        esc(w.t(Word::Password)),
        esc(w.t(Word::SignInButton)),
        title = esc(w.t(Word::SignInTitle)),
    );
    page(status, w.t(Word::SignInTitle), Frame::Visitor(w, "/sign-in"), &main)
}

/// `GET /sign-in`: the form, with a fresh form token in a cookie and a field.
async fn sign_in_form(State(app): State<Shared>, client: Client, headers: HeaderMap) -> Response {
    if signed(&app, &headers, &Uri::from_static("/pairs")).await.is_ok() {
        return see_other("/pairs");
    }
    let token = secret::token("");
    let w = Words::new(visitor_locale(&headers), None);
    let mut r = sign_in_page(StatusCode::OK, w, &token, "", None);
    r.headers_mut().append(header::SET_COOKIE, html::cookie(SIGN_IN_COOKIE, &token, "/sign-in", 3600, secure(&app, &client)));
    r
}

/// `POST /sign-in`.
async fn sign_in(State(app): State<Shared>, client: Client, headers: HeaderMap, Form(fields): Fields) -> Response {
    let w = Words::new(visitor_locale(&headers), None);
    let given = fields.get("csrf").map(String::as_str).unwrap_or_default();
    let expected = cookie(&headers, SIGN_IN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !secret::same(given, expected) {
        return forbidden(w);
    }
    let email = fields.get("email").map(String::as_str).unwrap_or_default();
    let password = fields.get("password").map(String::as_str).unwrap_or_default();
    match accounts::sign_in(&app.db, email, password, &client.ip).await {
        Ok(SignIn::Ok(token, who)) => {
            let mut tx = match app.db.pool.begin().await {
                Ok(tx) => tx,
                Err(e) => return unavailable("signing in", &e),
            };
            if let Err(e) = audit::record(&mut tx, &who.programme_id, &who.email, "sign in", "coordinator pages").await {
                return unavailable("signing in", &e);
            }
            if let Err(e) = tx.commit().await {
                return unavailable("signing in", &e);
            }
            tracing::info!(coordinator = %who.id, "signed in");
            let mut r = see_other("/pairs");
            let s = secure(&app, &client);
            r.headers_mut().append(header::SET_COOKIE, html::cookie(SESSION_COOKIE, &token, "/", accounts::SESSION_MS / 1000, s));
            r.headers_mut().append(header::SET_COOKIE, html::cookie(SIGN_IN_COOKIE, "", "/sign-in", 0, s));
            r
        }
        Ok(SignIn::Wrong) => {
            tracing::info!("a sign-in failed");
            sign_in_page(StatusCode::UNAUTHORIZED, w, expected, email, Some(w.t(Word::SignInWrong)))
        }
        Ok(SignIn::Throttled(seconds)) => {
            tracing::warn!("sign-in refused: too many failures");
            let minutes = w.count((seconds + 59) / 60, Word::MinutesOne, Word::MinutesMany);
            let mut r = sign_in_page(StatusCode::TOO_MANY_REQUESTS, w, expected, email, Some(&w.f(Word::SignInThrottled, &[("time", &minutes)])));
            if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
        Err(e) => unavailable("signing in", &e),
    }
}
/// `POST /sign-out`.
async fn sign_out(State(app): State<Shared>, client: Client, headers: HeaderMap, Form(fields): Fields) -> Response {
    let s = match signed_form(&app, &headers, &fields).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(e) = accounts::sign_out(&app.db, &s.token).await {
        return unavailable("signing out", &e);
    }
    let mut r = see_other("/sign-in");
    r.headers_mut().append(header::SET_COOKIE, html::cookie(SESSION_COOKIE, "", "/", 0, secure(&app, &client)));
    r
}

/// `GET /language?to=ar&back=/pairs`: the coordinator's language, kept in
/// a cookie for a year; back to the page they were on (a path of this site).
async fn language(State(app): State<Shared>, client: Client, uri: Uri) -> Response {
    let to = super::query(uri.query(), "to").and_then(known).unwrap_or(Locale::En).tag();
    let back = super::query(uri.query(), "back").map(decode).unwrap_or_default();
    let back = if back.starts_with('/') && !back.starts_with("//") && !back.contains('\\') { back } else { "/pairs".to_owned() };
    let mut r = see_other(&back);
    r.headers_mut().append(header::SET_COOKIE, html::cookie(LANGUAGE_COOKIE, to, "/", 365 * 24 * 3600, secure(&app, &client)));
    r
}

/// A query value with its `%XX` escapes and `+` decoded (invalid UTF-8 replaced).
pub fn decode(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
                continue;
            }
            (b'+', _) => out.push(b' '),
            (c, _) => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}


fn enrol_page(s: &Signed, status: StatusCode, e: &Enrolment, problem: Option<(&str, String)>) -> Response {
    let w = s.words();
    let wrong = problem.as_ref().map(|(field, _)| field.to_owned()).unwrap_or_default();
    let problem = problem.map(|(_, p)| format!("<p class=\"problem\" role=\"alert\" id=\"enrol-problem\">{}</p>", esc(&p))).unwrap_or_default();
    let field = |id: &str, label: Word, value: &str, required: bool, help: Option<Word>| {
        let mut described: Vec<String> = help.iter().map(|_| format!("{id}-help")).collect();
        if id == wrong {
            described.push("enrol-problem".to_owned());
        }
        let described = if described.is_empty() { String::new() } else { format!(" aria-describedby=\"{}\"", described.join(" ")) };
        let help = help.map(|h| format!("<span id=\"{id}-help\">{}</span>", esc(w.t(h)))).unwrap_or_default();
        format!(
            "<label for=\"{id}\">{}</label>{help}<input type=\"text\" id=\"{id}\" name=\"{id}\" value=\"{}\"{}{}{described}>",
            esc(w.t(label)),
            esc(value),
            if required { " required" } else { "" },
            if id == wrong { " aria-invalid=\"true\"" } else { "" },
        )
    };
    let main = format!(
        "<h1>{title}</h1>{problem}<form method=\"post\" action=\"/pairs\">{}{}<fieldset><legend>{}</legend>{}{}</fieldset>\
         <fieldset><legend>{}</legend>{}{}</fieldset><button type=\"submit\">{}</button></form>",
        csrf_field(&s.csrf),
        field("pair", Word::EnrolPairId, &e.pair_id, false, Some(Word::EnrolPairIdHelp)),
        esc(w.t(Word::Mentee)),
        field("mentee_name", Word::EnrolMenteeName, &e.mentee_name, true, None),
        field("mentee_contact", Word::EnrolMenteeContact, &e.mentee_contact, false, None),
        esc(w.t(Word::Mentor)),
        field("mentor_name", Word::EnrolMentorName, &e.mentor_name, true, None),
        field("mentor_contact", Word::EnrolMentorContact, &e.mentor_contact, false, None),
        esc(w.t(Word::EnrolButton)),
        title = esc(w.t(Word::NavEnrol)),
    );
    let mut r = s.page(w.t(Word::NavEnrol), Section::Enrol, false, &main);
    *r.status_mut() = status;
    r
}

/// What is wrong with an enrolment, in the coordinator's words.
fn enrol_problem(w: &Words, problem: EnrolProblem) -> String {
    w.t(match problem {
        EnrolProblem::PairId => Word::ProblemPairId,
        EnrolProblem::Name(role) => by_role(role, Word::ProblemMenteeName, Word::ProblemMentorName),
        EnrolProblem::Contact(role) => by_role(role, Word::ProblemMenteeContact, Word::ProblemMentorContact),
    })
    .to_owned()
}

/// `GET /pairs/new`.
async fn enrol_form(State(app): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    match signed(&app, &headers, &uri).await {
        Ok(s) => enrol_page(&s, StatusCode::OK, &Enrolment::default(), None),
        Err(r) => r,
    }
}

/// One person's invitation, with how the host page passes it on.
fn invitation_block(w: &Words, role: &str, token: &str) -> String {
    format!(
        "<h2>{}</h2><code class=\"secret\">{}</code><p>{}</p><pre><code>el.headers = {{ Authorization: 'Bearer {}' }}</code></pre>",
        esc(w.t(by_role(role, Word::InvitationOfMentee, Word::InvitationOfMentor))),
        esc(token),
        esc(w.t(Word::InvitationUse)),
        esc(token)
    )
}

/// `POST /pairs`: enrols a pair and shows its two invitations, once.
async fn enrol(State(app): State<Shared>, headers: HeaderMap, Form(fields): Fields) -> Response {
    let s = match signed_form(&app, &headers, &fields).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let w = s.words();
    let field = |name: &str| fields.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
    let e = Enrolment {
        pair_id: field("pair"),
        mentee_name: field("mentee_name"),
        mentee_contact: field("mentee_contact"),
        mentor_name: field("mentor_name"),
        mentor_contact: field("mentor_contact"),
    };
    match programmes::enrol(&app.db, &s.who.programme_id, &e, &s.who.email).await {
        Ok(inv) => {
            tracing::info!(coordinator = %s.who.id, "enrolled a pair");
            let title = w.f(Word::PairEnrolledTitle, &[("id", &inv.pair_id)]);
            let main = format!(
                "<h1>{}</h1><p class=\"notice\" role=\"status\">{}</p>{}{}<p><a href=\"/pairs/{}\">{}</a></p>",
                esc(&title),
                esc(w.t(Word::CopyInvitations)),
                invitation_block(&w, "mentee", &inv.mentee),
                invitation_block(&w, "mentor", &inv.mentor),
                html::percent(&inv.pair_id),
                esc(w.t(Word::PairPageLink))
            );
            s.page(&title, Section::Enrol, false, &main)
        }
        Err(EnrolError::Taken) => enrol_page(&s, StatusCode::CONFLICT, &e, Some(("pair", w.t(Word::ProblemPairTaken).to_owned()))),
        Err(EnrolError::Invalid(why)) => enrol_page(&s, StatusCode::UNPROCESSABLE_ENTITY, &e, Some((&why.field(), enrol_problem(&w, why)))),
        Err(EnrolError::Db(err)) => unavailable("enrolling a pair", &err),
    }
}

/// `GET /pairs/{pair}/records`: back to the pair's page, where the records are.
async fn pair_records(Path(pair_id): Path<String>) -> Response {
    see_other(&format!("/pairs/{}#records", html::percent(&pair_id)))
}

/// The people of a pair with their forms (export, a new invitation,
/// erasure), and the pair's records as received.
fn held(s: &Signed, pair: &programmes::Pair, list: &[records::Stored]) -> String {
    let w = s.words();
    let id = html::percent(&pair.pair_id);
    let mut people = String::new();
    for role in ROLES {
        let (name, contact) = pair.person(role);
        let word = |mentee, mentor| esc(w.t(by_role(role, mentee, mentor)));
        let forms = if name.is_some() {
            format!(
                "<form method=\"post\" action=\"/pairs/{id}/{role}/export\">{csrf}<button type=\"submit\">{}</button></form>\
                 <form method=\"post\" action=\"/pairs/{id}/{role}/invitation\">{csrf}<button type=\"submit\">{}</button></form>\
                 <form method=\"post\" action=\"/pairs/{id}/{role}/erase\">{csrf}\
                 <label><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required> {}</label>\
                 <button type=\"submit\">{}</button></form>",
                word(Word::ExportMentee, Word::ExportMentor),
                word(Word::ReplaceMentee, Word::ReplaceMentor),
                word(Word::EraseConfirmMentee, Word::EraseConfirmMentor),
                word(Word::EraseMentee, Word::EraseMentor),
                csrf = csrf_field(&s.csrf)
            )
        } else {
            String::new()
        };
        let name = name.map_or_else(|| w.t(Word::Erased).to_owned(), str::to_owned);
        let contact = contact.map_or_else(|| w.t(Word::NoneGiven).to_owned(), str::to_owned);
        people.push_str(&format!(
            "<section aria-labelledby=\"{role}-heading\"><h3 id=\"{role}-heading\">{}</h3><p>{}</p><p>{}</p>{forms}</section>",
            esc(w.role(role)),
            esc(&w.f(Word::NameLine, &[("name", &name)])),
            esc(&w.f(Word::ContactLine, &[("contact", &contact)])),
        ));
    }
    // Which agreement each record belongs to, by fingerprint: an agreement's
    // own content, a session record's link as the widget sent it.
    let parsed: Vec<Option<Payload>> = list.iter().map(|r| Payload::parse(&r.body).ok()).collect();
    let agreements: Vec<String> = parsed.iter().flatten().filter(|p| p.kind == "agreement").map(|p| signing::fingerprint(&p.data)).collect();
    let mut rows = String::new();
    for (r, payload) in list.iter().zip(&parsed) {
        let linked = match payload {
            Some(p) if p.kind == "agreement" => format!("<code>{}</code> {}", signing::short(&signing::fingerprint(&p.data)), esc(w.t(Word::LinkThis))),
            Some(Payload { about: Some(a), .. }) if !a.fingerprint.is_empty() => {
                let known = if agreements.contains(&a.fingerprint) { Word::LinkKnown } else { Word::LinkUnknown };
                format!("<code>{}</code> {}", esc(&signing::short(&a.fingerprint)), esc(w.t(known)))
            }
            _ => esc(w.t(Word::LinkNone)),
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{linked}</td><td><details><summary>{}</summary><pre dir=\"ltr\">{}</pre></details></td></tr>",
            esc(&moment(&w, r.received_ms)),
            esc(r.role.as_deref().map_or("", |role| w.role(role))),
            esc(w.record_kind(&r.kind).unwrap_or(&r.kind)),
            esc(&r.record_id),
            r.record_version,
            esc(w.t(Word::ShowRecord)),
            esc(&r.body)
        ));
    }
    let records = if list.is_empty() {
        format!("<p>{}</p>", esc(w.t(Word::NoRecords)))
    } else {
        let heads = [Word::ColReceived, Word::ColFrom, Word::ColKind, Word::ColRecordId, Word::ColVersion, Word::ColFingerprint, Word::ColContent];
        format!(
            "<div class=\"scroll\" role=\"region\" aria-labelledby=\"records\" tabindex=\"0\"><table><caption>{}</caption><thead><tr>{}</tr></thead><tbody>{rows}</tbody></table></div>",
            esc(&w.f(Word::RecordsCaption, &[("n", &list.len().to_string())])),
            w.heads(&heads),
        )
    };
    format!("<h2 id=\"people\">{}</h2>{people}<h2 id=\"records\">{}</h2>{records}", esc(w.t(Word::PeopleTitle)), esc(w.t(Word::RecordsTitle)))
}

fn role_of(role: &str) -> Option<&'static str> {
    ROLES.into_iter().find(|r| *r == role)
}

/// `POST /pairs/{pair}/{role}/invitation`: a new invitation (the old one stops working).
async fn reissue(State(app): State<Shared>, headers: HeaderMap, Path((pair_id, role)): Path<(String, String)>, Form(fields): Fields) -> Response {
    let s = match signed_form(&app, &headers, &fields).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(role) = role_of(&role) else { return s.not_found() };
    let w = s.words();
    match programmes::reissue(&app.db, &s.who.programme_id, &pair_id, role, &s.who.email).await {
        Ok(Some(token)) => s.plain(
            w.t(Word::NewInvitationTitle),
            &format!(
                "<h1>{}</h1><p class=\"notice\" role=\"status\">{}</p>{}<p><a href=\"/pairs/{}\">{}</a></p>",
                esc(&w.f(by_role(role, Word::NewInvitationMentee, Word::NewInvitationMentor), &[("id", &pair_id)])),
                esc(w.t(Word::OldInvitationGone)),
                invitation_block(&w, role, &token),
                html::percent(&pair_id),
                esc(w.t(Word::BackToPair))
            ),
        ),
        Ok(None) => s.not_found(),
        Err(e) => unavailable("making an invitation", &e),
    }
}

/// `POST /pairs/{pair}/{role}/erase`: erases one person (with `confirm=yes`).
async fn erase(State(app): State<Shared>, headers: HeaderMap, Path((pair_id, role)): Path<(String, String)>, Form(fields): Fields) -> Response {
    let s = match signed_form(&app, &headers, &fields).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(role) = role_of(&role) else { return s.not_found() };
    if fields.get("confirm").map(String::as_str) != Some("yes") {
        let w = s.words();
        let main = format!(
            "<h1>{}</h1><p class=\"problem\" role=\"alert\">{}</p><p><a href=\"/pairs/{}#people\">{}</a></p>",
            esc(w.t(Word::NotErasedTitle)),
            esc(w.t(Word::TickToErase)),
            html::percent(&pair_id),
            esc(w.t(Word::BackToPair))
        );
        let mut r = s.plain(w.t(Word::NotErasedTitle), &main);
        *r.status_mut() = StatusCode::BAD_REQUEST;
        return r;
    }
    match privacy::erase(&app.db, &s.who.programme_id, &pair_id, role, &s.who.email).await {
        Ok(Some(_)) => {
            tracing::info!(coordinator = %s.who.id, "erased a person");
            see_other(&format!("/pairs/{}?erased={role}", html::percent(&pair_id)))
        }
        Ok(None) => s.not_found(),
        Err(e) => unavailable("erasing a person", &e),
    }
}

/// The notice on a pair's page after one of them was erased.
pub fn erased_notice(w: &Words, role: &str) -> String {
    format!("<p class=\"notice\" role=\"status\">{}</p>", esc(w.t(by_role(role, Word::ErasedMentee, Word::ErasedMentor))))
}

/// `POST /pairs/{pair}/{role}/export`: everything held about one person, as a JSON file.
async fn export(State(app): State<Shared>, headers: HeaderMap, Path((pair_id, role)): Path<(String, String)>, Form(fields): Fields) -> Response {
    let s = match signed_form(&app, &headers, &fields).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(role) = role_of(&role) else { return s.not_found() };
    match privacy::export(&app.db, &s.who.programme_id, &pair_id, role, &s.who.email).await {
        Ok(Some(json)) => {
            tracing::info!(coordinator = %s.who.id, "exported a person");
            let file = format!("attachment; filename=\"{}-{role}.json\"", pair_id.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_', "_"));
            let mut r = (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], json.to_string()).into_response();
            if let Ok(v) = HeaderValue::from_str(&file) {
                r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            html::with_page_headers(r)
        }
        Ok(None) => s.not_found(),
        Err(e) => unavailable("exporting a person", &e),
    }
}

/// An audit log action in words (as recorded, when it is not one of ours).
fn action<'a>(w: &Words<'a>, recorded: &'a str) -> &'a str {
    let word = match recorded {
        "sign in" => Word::ActSignIn,
        "create programme" => Word::ActCreateProgramme,
        "change programme" => Word::ActChangeProgramme,
        "create key" => Word::ActCreateKey,
        "revoke key" => Word::ActRevokeKey,
        "enrol pair" => Word::ActEnrol,
        "new invitation" => Word::ActInvitation,
        "create coordinator" => Word::ActCreateCoordinator,
        "erase person" => Word::ActErase,
        "export person" => Word::ActExport,
        "delete expired records" => Word::ActRetention,
        other => return other,
    };
    w.t(word)
}

/// `GET /audit`: the latest 500 entries of the audit log.
async fn audit_log(State(app): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    let s = match signed(&app, &headers, &uri).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let entries = match audit::entries(&app.db, &s.who.programme_id, 500).await {
        Ok(e) => e,
        Err(e) => return unavailable("reading the audit log", &e),
    };
    let w = s.words();
    let mut rows = String::new();
    for e in &entries {
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&moment(&w, e.at_ms)),
            esc(&e.actor),
            esc(action(&w, &e.action)),
            esc(&e.subject)
        ));
    }
    s.page(
        w.t(Word::NavAudit),
        Section::Audit,
        false,
        &format!(
            "<h1>{}</h1><div class=\"scroll\" role=\"region\" aria-labelledby=\"audit-caption\" tabindex=\"0\"><table><caption id=\"audit-caption\">{}</caption><thead><tr>{}</tr></thead><tbody>{rows}</tbody></table></div>",
            esc(w.t(Word::NavAudit)),
            esc(&w.f(Word::AuditCaption, &[("n", &entries.len().to_string())])),
            w.heads(&[Word::ColWhen, Word::ColWho, Word::ColWhat, Word::ColConcerning]),
        ),
    )
}
