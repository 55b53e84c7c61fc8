//! The coordinator pages' frame: escaping, the page layout (the programme,
//! the menu, the language links, a banner on sample data), the strict
//! Content-Security-Policy they are sent with (no inline script or style:
//! the one stylesheet is a file), and cookies.

use crate::coordinator::words::{Word, Words};
use axum::http::header::{self, HeaderValue};
use mentorkit::i18n::Locale;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Escapes text for HTML (the widgets' own escaper).
pub fn esc(text: &str) -> String {
    mentorkit::render::doc::escape_html(text)
}

/// The policy every page is sent with.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The stylesheet of the pages, served at `/assets/coordinator.css`.
pub const CSS: &str = include_str!("coordinator.css");

/// The part of the site a page belongs to, marked in the menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// The pairs list and a pair's pages.
    Pairs,
    /// The report.
    Report,
    /// Enrolling a pair.
    Enrol,
    /// The audit log.
    Audit,
}

/// The signed-in coordinator's part of the frame.
pub struct Nav<'a> {
    /// The programme's name.
    pub programme: &'a str,
    /// The coordinator's email.
    pub email: &'a str,
    /// The form token for the sign-out button.
    pub csrf: &'a str,
    /// The pages' wording in the coordinator's language.
    pub words: Words<'a>,
    /// This page's path and query, where the language links come back to.
    pub path: &'a str,
    /// Whether the programme is made-up sample data (the demo's).
    pub sample: bool,
    /// The part of the site this page is in.
    pub section: Option<Section>,
    /// Whether the page takes the whole width (long tables, two columns).
    pub wide: bool,
}

/// The hidden field carrying the form token.
pub fn csrf_field(csrf: &str) -> String {
    format!("<input type=\"hidden\" name=\"csrf\" value=\"{}\">", esc(csrf))
}

/// The frame of a page: a signed-in coordinator's, or a visitor's (the
/// language links only, back to `path`).
pub enum Frame<'a> {
    /// A visitor: their wording and this page's path.
    Visitor(Words<'a>, &'a str),
    /// A signed-in coordinator.
    Signed(&'a Nav<'a>),
}

/// A whole page: `main` is markup already escaped.
pub fn page(status: StatusCode, title: &str, frame: Frame, main: &str) -> Response {
    let (nav, words, path) = match frame {
        Frame::Visitor(words, path) => (None, words, path),
        Frame::Signed(nav) => (Some(nav), nav.words, nav.path),
    };
    let locale = words.locale;
    let mut out = String::with_capacity(main.len() + 2048);
    out.push_str(&format!(
        "<!doctype html><html lang=\"{}\" dir=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        locale.tag(),
        if locale.is_rtl() { "rtl" } else { "ltr" }
    ));
    out.push_str(&format!("<title>{} · mentorkit</title><link rel=\"stylesheet\" href=\"/assets/coordinator.css\"></head><body>", esc(title)));
    if let Some(nav) = nav {
        let w = &nav.words;
        let item = |section: Section, href: &str, word: Word| {
            let current = if nav.section == Some(section) { " aria-current=\"page\"" } else { "" };
            format!("<li><a href=\"{href}\"{current}>{}</a></li>", esc(w.t(word)))
        };
        out.push_str(&format!(
            "<header><p class=\"programme\"><strong>{}</strong></p><nav aria-label=\"{}\"><ul>{}{}{}{}</ul></nav>\
             <form method=\"post\" action=\"/sign-out\" class=\"inline\">{}<span class=\"who\">{}</span> <button type=\"submit\">{}</button></form>{}</header>",
            esc(nav.programme),
            esc(w.t(Word::MainNavigation)),
            item(Section::Pairs, "/pairs", Word::NavPairs),
            item(Section::Report, "/report", Word::NavReport),
            item(Section::Enrol, "/pairs/new", Word::NavEnrol),
            item(Section::Audit, "/audit", Word::NavAudit),
            csrf_field(nav.csrf),
            esc(nav.email),
            esc(w.t(Word::SignOut)),
            languages(words, path),
        ));
        if nav.sample {
            out.push_str(&format!("<p class=\"sample\">{}</p>", esc(w.t(Word::SampleData))));
        }
    }
    out.push_str(if nav.is_some_and(|n| n.wide) { "<main class=\"wide\">" } else { "<main>" });
    out.push_str(main);
    out.push_str("</main>");
    if nav.is_none() {
        // Someone not signed in picks the language after the form, so the
        // form's first field is the first stop of the keyboard.
        out.push_str(&format!("<footer>{}</footer>", languages(words, path)));
    }
    out.push_str("</body></html>");
    with_page_headers((status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], out).into_response())
}

/// Each language's name in itself.
fn language_name(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "English",
        Locale::Es => "Español",
        Locale::Fr => "Français",
        Locale::De => "Deutsch",
        Locale::Ar => "العربية",
    }
}

/// Links to this page (`path`) in each other language.
fn languages(words: Words, path: &str) -> String {
    let back = percent(path);
    let mut out = format!("<p class=\"languages\"><span>{}:</span> ", esc(words.t(Word::Language)));
    for &l in Locale::ALL {
        if l == words.locale {
            out.push_str(&format!("<strong lang=\"{0}\">{1}</strong> ", l.tag(), language_name(l)));
        } else {
            out.push_str(&format!("<a href=\"/language?to={0}&amp;back={back}\" lang=\"{0}\" hreflang=\"{0}\">{1}</a> ", l.tag(), language_name(l)));
        }
    }
    out.push_str("</p>");
    out
}

/// `text` for a URL's query: everything but unreserved characters escaped.
pub fn percent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Adds the headers every coordinator response carries.
pub fn with_page_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, `Secure` when asked;
/// `max_age` 0 deletes it.
pub fn cookie(name: &str, value: &str, path: &str, max_age_s: i64, secure: bool) -> HeaderValue {
    let text = format!("{name}={value}; Path={path}; Max-Age={max_age_s}; HttpOnly; SameSite=Lax{}", if secure { "; Secure" } else { "" });
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("mk_invalid=; Max-Age=0"))
}

/// A 303 to `to`, which is always a path of ours.
pub fn see_other(to: &str) -> Response {
    let location = HeaderValue::from_str(to).unwrap_or_else(|_| HeaderValue::from_static("/"));
    with_page_headers((StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response())
}
