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

use super::html::{self, csrf_field, esc, page, see_other, Nav, Section};
use super::{cookie, unavailable, Client, Shared};
use crate::accounts::{self, Coordinator, SignIn};
use crate::coordinator::words::{Labels, Words};
use crate::db::iso;
use crate::programmes::{self, EnrolError, Enrolment, Programme, ROLES};
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
        page(StatusCode::OK, title, Some(&self.nav(Some(section), wide)), main)
    }

    fn plain(&self, title: &str, main: &str) -> Response {
        page(StatusCode::OK, title, Some(&self.nav(None, false)), main)
    }
}

/// Today, `YYYY-MM-DD` (UTC), as the pages judge rhythms and alerts.
pub fn today() -> String {
    iso(crate::db::now_ms())[..10].to_owned()
}

/// The language the coordinator picked (cookie), else the programme's.
fn locale_of(headers: &HeaderMap, programme: &Programme) -> Locale {
    let tag = cookie(headers, LANGUAGE_COOKIE).filter(|t| Locale::ALL.iter().any(|l| l.tag() == *t)).unwrap_or(&programme.settings.language);
    Locale::from_tag(tag)
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
        return Err(forbidden());
    }
    Ok(s)
}

fn forbidden() -> Response {
    page(StatusCode::FORBIDDEN, "Refused", None, "<h1>Refused</h1><p>This form had expired or did not come from this site. Go back, reload the page and try again.</p>")
}

fn not_found() -> Response {
    page(StatusCode::NOT_FOUND, "Not found", None, "<h1>Not found</h1><p><a href=\"/pairs\">Back to the pairs</a></p>")
}

fn secure(app: &Shared, client: &Client) -> bool {
    app.settings.secure_cookies || client.https
}

fn sign_in_page(status: StatusCode, token: &str, email: &str, problem: Option<&str>) -> Response {
    let problem = problem.map(|p| format!("<p class=\"problem\" role=\"alert\">{}</p>", esc(p))).unwrap_or_default();
    let main = format!(
        "<h1>Sign in</h1>{problem}<form method=\"post\" action=\"/sign-in\">{}\
         <label for=\"email\">Email</label><input type=\"email\" id=\"email\" name=\"email\" autocomplete=\"username\" required value=\"{}\">\
         <label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>\
         <button type=\"submit\">Sign in</button></form>",
        csrf_field(token),
        esc(email)
    );
    page(status, "Sign in", None, &main)
}

/// `GET /sign-in`: the form, with a fresh form token in a cookie and a field.
async fn sign_in_form(State(app): State<Shared>, client: Client, headers: HeaderMap) -> Response {
    if signed(&app, &headers, &Uri::from_static("/pairs")).await.is_ok() {
        return see_other("/pairs");
    }
    let token = secret::token("");
    let mut r = sign_in_page(StatusCode::OK, &token, "", None);
    r.headers_mut().append(header::SET_COOKIE, html::cookie(SIGN_IN_COOKIE, &token, "/sign-in", 3600, secure(&app, &client)));
    r
}

/// `POST /sign-in`.
async fn sign_in(State(app): State<Shared>, client: Client, headers: HeaderMap, Form(fields): Fields) -> Response {
    let given = fields.get("csrf").map(String::as_str).unwrap_or_default();
    let expected = cookie(&headers, SIGN_IN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !secret::same(given, expected) {
        return forbidden();
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
            sign_in_page(StatusCode::UNAUTHORIZED, expected, email, Some("The email or the password is wrong."))
        }
        Ok(SignIn::Throttled(seconds)) => {
            tracing::warn!("sign-in refused: too many failures");
            let mut r = sign_in_page(
                StatusCode::TOO_MANY_REQUESTS,
                expected,
                email,
                Some(&format!("Too many failed attempts. Try again in {} minutes.", (seconds + 59) / 60)),
            );
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
    let to = super::query(uri.query(), "to").filter(|t| Locale::ALL.iter().any(|l| l.tag() == *t)).unwrap_or("en");
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

fn name_or_erased(name: Option<&str>) -> String {
    name.map_or_else(|| "<em>erased</em>".to_owned(), esc)
}

fn enrol_page(s: &Signed, status: StatusCode, e: &Enrolment, problem: Option<&str>) -> Response {
    let problem = problem.map(|p| format!("<p class=\"problem\" role=\"alert\">{}</p>", esc(p))).unwrap_or_default();
    let field = |id: &str, label: &str, value: &str, required: bool, help: &str| {
        let described = if help.is_empty() { String::new() } else { format!(" aria-describedby=\"{id}-help\"") };
        let help = if help.is_empty() { String::new() } else { format!("<span id=\"{id}-help\">{}</span>", esc(help)) };
        format!(
            "<label for=\"{id}\">{}</label>{help}<input type=\"text\" id=\"{id}\" name=\"{id}\" value=\"{}\"{}{described}>",
            esc(label),
            esc(value),
            if required { " required" } else { "" }
        )
    };
    let main = format!(
        "<h1>Enrol a pair</h1>{problem}<form method=\"post\" action=\"/pairs\">{}{}<fieldset><legend>Mentee</legend>{}{}</fieldset>\
         <fieldset><legend>Mentor</legend>{}{}</fieldset><button type=\"submit\">Enrol and make the invitations</button></form>",
        csrf_field(&s.csrf),
        field("pair", "Pair id", &e.pair_id, false, "Letters, digits, '-' and '_'. Left empty, one is made up."),
        field("mentee_name", "Mentee's name", &e.mentee_name, true, ""),
        field("mentee_contact", "Mentee's contact (optional)", &e.mentee_contact, false, ""),
        field("mentor_name", "Mentor's name", &e.mentor_name, true, ""),
        field("mentor_contact", "Mentor's contact (optional)", &e.mentor_contact, false, ""),
    );
    let mut r = s.page("Enrol a pair", Section::Enrol, false, &main);
    *r.status_mut() = status;
    r
}

/// `GET /pairs/new`.
async fn enrol_form(State(app): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    match signed(&app, &headers, &uri).await {
        Ok(s) => enrol_page(&s, StatusCode::OK, &Enrolment::default(), None),
        Err(r) => r,
    }
}

fn invitation_block(role: &str, token: &str) -> String {
    format!(
        "<h2>The {role}'s invitation</h2><code class=\"secret\">{}</code><p>The page that hosts the widget for the {role} passes it as \
         <code>el.headers = {{ Authorization: 'Bearer {}' }}</code>.</p>",
        esc(token),
        esc(token)
    )
}

/// `POST /pairs`: enrols a pair and shows its two invitations, once.
async fn enrol(State(app): State<Shared>, headers: HeaderMap, Form(fields): Fields) -> Response {
    let s = match signed_form(&app, &headers, &fields).await {
        Ok(s) => s,
        Err(r) => return r,
    };
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
            let main = format!(
                "<h1>Pair {} enrolled</h1><p class=\"notice\" role=\"status\">Copy both invitations now: they are shown only this once. \
                 A lost invitation can be replaced from the pair's page.</p>{}{}<p><a href=\"/pairs/{}\">The pair's page</a></p>",
                esc(&inv.pair_id),
                invitation_block("mentee", &inv.mentee),
                invitation_block("mentor", &inv.mentor),
                esc(&inv.pair_id)
            );
            s.page("Pair enrolled", Section::Enrol, false, &main)
        }
        Err(EnrolError::Taken) => enrol_page(&s, StatusCode::CONFLICT, &e, Some("A pair with this id is already enrolled.")),
        Err(EnrolError::Invalid(why)) => enrol_page(&s, StatusCode::UNPROCESSABLE_ENTITY, &e, Some(&why)),
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
    let id = esc(&pair.pair_id);
    let mut people = String::new();
    for role in ROLES {
        let (name, contact) = pair.person(role);
        let forms = if name.is_some() {
            format!(
                "<form method=\"post\" action=\"/pairs/{id}/{role}/export\">{csrf}<button type=\"submit\">Export everything held about the {role} (JSON)</button></form>\
                 <form method=\"post\" action=\"/pairs/{id}/{role}/invitation\">{csrf}<button type=\"submit\">Replace the {role}'s invitation</button></form>\
                 <form method=\"post\" action=\"/pairs/{id}/{role}/erase\">{csrf}\
                 <label><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required> I want to erase the {role}'s name, contact, invitation and records for good</label>\
                 <button type=\"submit\">Erase the {role}</button></form>",
                csrf = csrf_field(&s.csrf)
            )
        } else {
            String::new()
        };
        people.push_str(&format!(
            "<section aria-labelledby=\"{role}-heading\"><h3 id=\"{role}-heading\">{}</h3><p>Name: {}</p><p>Contact: {}</p>{forms}</section>",
            if role == "mentee" { "Mentee" } else { "Mentor" },
            name_or_erased(name),
            contact.map_or_else(|| "none".to_owned(), esc),
        ));
    }
    // Which agreement each record belongs to, by fingerprint: an agreement's
    // own content, a session record's link as the widget sent it.
    let parsed: Vec<Option<Payload>> = list.iter().map(|r| Payload::parse(&r.body).ok()).collect();
    let agreements: Vec<String> = parsed.iter().flatten().filter(|p| p.kind == "agreement").map(|p| signing::fingerprint(&p.data)).collect();
    let mut rows = String::new();
    for (r, payload) in list.iter().zip(&parsed) {
        let linked = match payload {
            Some(p) if p.kind == "agreement" => format!("<code>{}</code> (this agreement)", signing::short(&signing::fingerprint(&p.data))),
            Some(Payload { about: Some(a), .. }) if !a.fingerprint.is_empty() => {
                let known = if agreements.contains(&a.fingerprint) { "a signed agreement above" } else { "an agreement not received here" };
                format!("<code>{}</code> ({known})", esc(&signing::short(&a.fingerprint)))
            }
            _ => "none given".to_owned(),
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{linked}</td><td><details><summary>record</summary><pre>{}</pre></details></td></tr>",
            esc(&iso(r.received_ms)),
            esc(r.role.as_deref().unwrap_or("")),
            esc(&r.kind),
            esc(&r.record_id),
            r.record_version,
            esc(&r.body)
        ));
    }
    let records = if list.is_empty() {
        "<p>No records yet.</p>".to_owned()
    } else {
        format!(
            "<div class=\"scroll\" role=\"region\" aria-labelledby=\"records\" tabindex=\"0\"><table><caption>{} records, newest first</caption><thead><tr><th scope=\"col\">Received</th><th scope=\"col\">From</th><th scope=\"col\">Kind</th>\
             <th scope=\"col\">Record id</th><th scope=\"col\">Version</th><th scope=\"col\">Agreement fingerprint</th><th scope=\"col\">Content</th></tr></thead><tbody>{rows}</tbody></table></div>",
            list.len()
        )
    };
    format!(
        "<h2 id=\"people\">{}</h2>{people}<h2 id=\"records\">{}</h2>{records}",
        esc(w.t(crate::coordinator::words::Word::PeopleTitle)),
        esc(w.t(crate::coordinator::words::Word::RecordsTitle))
    )
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
    let Some(role) = role_of(&role) else { return not_found() };
    match programmes::reissue(&app.db, &s.who.programme_id, &pair_id, role, &s.who.email).await {
        Ok(Some(token)) => s.plain(
            "New invitation",
            &format!(
                "<h1>A new invitation for the {role} of pair {}</h1><p class=\"notice\" role=\"status\">The old one no longer works. Copy this one now: it is shown only once.</p>{}<p><a href=\"/pairs/{}\">Back to the pair</a></p>",
                esc(&pair_id),
                invitation_block(role, &token),
                esc(&pair_id)
            ),
        ),
        Ok(None) => not_found(),
        Err(e) => unavailable("making an invitation", &e),
    }
}

/// `POST /pairs/{pair}/{role}/erase`: erases one person (with `confirm=yes`).
async fn erase(State(app): State<Shared>, headers: HeaderMap, Path((pair_id, role)): Path<(String, String)>, Form(fields): Fields) -> Response {
    let s = match signed_form(&app, &headers, &fields).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(role) = role_of(&role) else { return not_found() };
    if fields.get("confirm").map(String::as_str) != Some("yes") {
        let mut r = s.plain("Not erased", "<h1>Not erased</h1><p class=\"problem\" role=\"alert\">Tick the box to confirm the erasure.</p><p><a href=\"/pairs\">Back</a></p>");
        *r.status_mut() = StatusCode::BAD_REQUEST;
        return r;
    }
    match privacy::erase(&app.db, &s.who.programme_id, &pair_id, role, &s.who.email).await {
        Ok(Some(_)) => {
            tracing::info!(coordinator = %s.who.id, "erased a person");
            see_other(&format!("/pairs/{pair_id}?erased={role}"))
        }
        Ok(None) => not_found(),
        Err(e) => unavailable("erasing a person", &e),
    }
}

/// `POST /pairs/{pair}/{role}/export`: everything held about one person, as a JSON file.
async fn export(State(app): State<Shared>, headers: HeaderMap, Path((pair_id, role)): Path<(String, String)>, Form(fields): Fields) -> Response {
    let s = match signed_form(&app, &headers, &fields).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(role) = role_of(&role) else { return not_found() };
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
        Ok(None) => not_found(),
        Err(e) => unavailable("exporting a person", &e),
    }
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
    let mut rows = String::new();
    for e in &entries {
        rows.push_str(&format!("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", esc(&iso(e.at_ms)), esc(&e.actor), esc(&e.action), esc(&e.subject)));
    }
    s.page(
        "Audit log",
        Section::Audit,
        false,
        &format!(
            "<h1>Audit log</h1><table><caption>Latest {} entries, newest first</caption><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Who</th>\
             <th scope=\"col\">What</th><th scope=\"col\">Concerning</th></tr></thead><tbody>{rows}</tbody></table>",
            entries.len()
        ),
    )
}
