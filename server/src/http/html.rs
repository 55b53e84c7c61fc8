//! The coordinator pages' frame: escaping, the page layout, the strict
//! Content-Security-Policy they are sent with (no inline script or style:
//! the one stylesheet is a file), and cookies.

use axum::http::header::{self, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Escapes text for HTML (the widgets' own escaper).
pub fn esc(text: &str) -> String {
    mentorkit::render::doc::escape_html(text)
}

/// The policy every page is sent with.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The stylesheet of the pages, served at `/assets/coordinator.css`.
pub const CSS: &str = "\
:root{color-scheme:light dark;font:100%/1.5 system-ui,sans-serif}
body{margin:0 auto;max-width:60rem;padding:1rem}
header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between;border-bottom:1px solid;padding-bottom:.5rem}
nav ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #8a93a5;padding:.3rem .5rem;text-align:start;vertical-align:top}
label{display:block;margin-top:.75rem;font-weight:600}
input[type=text],input[type=email],input[type=password]{display:block;min-height:2rem;width:100%;max-width:28rem;font:inherit}
button{font:inherit;min-height:2rem;margin-top:.75rem;padding:.25rem .75rem}
:focus-visible{outline:3px solid #0b5cad;outline-offset:2px}
.notice{border:2px solid #1e6b34;padding:.5rem 1rem}
.problem{border:2px solid #b3261e;padding:.5rem 1rem}
code.secret{display:block;word-break:break-all;font-size:1.1rem;padding:.5rem;border:1px dashed}
pre{white-space:pre-wrap;word-break:break-word}
.inline{display:inline}
";

/// The signed-in coordinator's part of the frame.
pub struct Nav<'a> {
    /// The programme's name.
    pub programme: &'a str,
    /// The coordinator's email.
    pub email: &'a str,
    /// The form token for the sign-out button.
    pub csrf: &'a str,
}

/// The hidden field carrying the form token.
pub fn csrf_field(csrf: &str) -> String {
    format!("<input type=\"hidden\" name=\"csrf\" value=\"{}\">", esc(csrf))
}

/// A whole page: `main` is markup already escaped.
pub fn page(status: StatusCode, title: &str, nav: Option<&Nav>, main: &str) -> Response {
    let mut out = String::with_capacity(main.len() + 1024);
    out.push_str("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    out.push_str(&format!("<title>{} · mentorkit</title><link rel=\"stylesheet\" href=\"/assets/coordinator.css\"></head><body>", esc(title)));
    if let Some(nav) = nav {
        out.push_str(&format!(
            "<header><p><strong>{}</strong></p><nav aria-label=\"Main\"><ul><li><a href=\"/pairs\">Pairs</a></li><li><a href=\"/pairs/new\">Enrol a pair</a></li><li><a href=\"/audit\">Audit log</a></li></ul></nav>\
             <form method=\"post\" action=\"/sign-out\" class=\"inline\">{}<span>{}</span> <button type=\"submit\">Sign out</button></form></header>",
            esc(nav.programme),
            csrf_field(nav.csrf),
            esc(nav.email)
        ));
    }
    out.push_str("<main>");
    out.push_str(main);
    out.push_str("</main></body></html>");
    with_page_headers((status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], out).into_response())
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
