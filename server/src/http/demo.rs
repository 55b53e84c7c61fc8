//! Demo mode, only for trying the widgets out: **no authentication**.
//!
//! Records go to an open demo programme whose posting needs no invitation;
//! `POST /api/fail?next=N` makes the next N records fail with 503 and
//! `Retry-After: 1` (with `&refuse`, be refused with 422), limited to one
//! sender's lane with `&lane=L` (the sender posting to
//! `/api/records?lane=L`); `GET /received` lists what arrived and
//! `GET /api/received` gives it as JSON; the files of `www/` are served at
//! `/` and `pkg/` at `/pkg/`, each with an ETag (304 while unchanged).

use super::html::esc;
use super::{problem, query, unavailable, Shared};
use crate::db::iso;
use crate::records;
use axum::body::Body;
use axum::extract::State;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// The demo programme's id.
pub const PROGRAMME: &str = "demo";
/// The demo programme's name, which says what it is.
pub const PROGRAMME_NAME: &str = "Demo programme (no authentication; for trying the widgets only)";
/// Days the demo keeps a record.
pub const RETENTION_DAYS: i64 = 30;
/// The id of the fictional programme whose coordinator view the demo shows.
pub const SAMPLE_PROGRAMME: &str = "sample";

/// Demo mode's state.
pub struct Demo {
    /// Per lane: how many requests still to fail, and whether with 422.
    failing: Mutex<HashMap<String, (u32, bool)>>,
    /// The folder holding `www/` and `pkg/`.
    root: PathBuf,
}

impl Demo {
    /// Demo mode serving the files under `root`.
    pub fn new(root: PathBuf) -> Demo {
        Demo { failing: Mutex::new(HashMap::new()), root }
    }

    /// The failure to answer with on `lane`, if its switch is on (counting it).
    pub fn tripped(&self, lane: &str) -> Option<Response> {
        let mut failing = self.failing.lock().ok()?;
        let (left, refuse) = failing.get_mut(lane).filter(|(left, _)| *left > 0)?;
        *left -= 1;
        if *refuse {
            return Some(problem(StatusCode::UNPROCESSABLE_ENTITY, "the demo receiver was told to refuse this record"));
        }
        let mut r = problem(StatusCode::SERVICE_UNAVAILABLE, "the demo receiver was told to fail this request; try again");
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        Some(r)
    }

    fn failing_next(&self, lane: &str) -> u32 {
        self.failing.lock().ok().and_then(|f| f.get(lane).map(|f| f.0)).unwrap_or(0)
    }
}

/// Adds the demo's routes and its file server.
pub fn routes(router: Router<Shared>) -> Router<Shared> {
    router
        .route("/api/fail", post(fail))
        .route("/api/received", get(received_json))
        .route("/received", get(received_html))
        .fallback(files)
}

async fn fail(State(app): State<Shared>, uri: Uri) -> Response {
    let Some(demo) = &app.demo else { return problem(StatusCode::NOT_FOUND, "not in demo mode") };
    let next = query(uri.query(), "next").and_then(|n| n.parse().ok()).unwrap_or(1);
    let refuse = query(uri.query(), "refuse").is_some();
    let lane = query(uri.query(), "lane").unwrap_or_default().to_owned();
    if let Ok(mut failing) = demo.failing.lock() {
        failing.insert(lane, (next, refuse));
    }
    let body = serde_json::json!({ "failNext": next, "refuse": refuse }).to_string();
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

async fn received_json(State(app): State<Shared>) -> Response {
    let rows = match records::latest(&app.db, PROGRAMME, 10_000).await {
        Ok(rows) => rows,
        Err(e) => return unavailable("listing demo records", &e),
    };
    let list: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "idempotencyKey": r.idempotency_key, "id": r.record_id, "kind": r.kind, "recordVersion": r.record_version,
                "receivedAt": iso(r.received_ms),
                "payload": serde_json::from_str::<serde_json::Value>(&r.body).unwrap_or_default(),
            })
        })
        .collect();
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], serde_json::Value::Array(list).to_string()).into_response()
}

async fn received_html(State(app): State<Shared>) -> Response {
    let rows = match records::latest(&app.db, PROGRAMME, 1_000).await {
        Ok(rows) => rows,
        Err(e) => return unavailable("listing demo records", &e),
    };
    let mut table = String::new();
    for r in rows {
        table.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td><details><summary>payload</summary><pre>{}</pre></details></td></tr>\n",
            esc(&iso(r.received_ms)),
            esc(&r.kind),
            esc(&r.record_id),
            r.record_version,
            esc(&r.idempotency_key),
            esc(&r.body)
        ));
    }
    let failing = app.demo.as_ref().map_or(0, |d| d.failing_next(""));
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Records received</title>\
         <style>body{{font:16px/1.5 system-ui,sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:.3em .6em;text-align:start;vertical-align:top}}pre{{white-space:pre-wrap;max-width:50em}}</style></head>\
         <body><h1>Records received by the demo endpoint</h1><p>The demo receiver has no authentication: it is only for trying the widgets out. \
         Stored in SQLite; newest first. Failing next: {failing}.</p>\
         <table><thead><tr><th>received</th><th>kind</th><th>record id</th><th>version</th><th>Idempotency-Key</th><th>data</th></tr></thead><tbody>\n{table}</tbody></table></body></html>"
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], page).into_response()
}

/// Serves `www/` at `/` and `pkg/` at `/pkg/`.
async fn files(State(app): State<Shared>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let Some(demo) = &app.demo else { return StatusCode::NOT_FOUND.into_response() };
    if method != Method::GET && method != Method::HEAD {
        return text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
    }
    let path = uri.path();
    let in_pkg = path.starts_with("/pkg/");
    let file = match path.strip_prefix("/pkg/") {
        Some(rest) => safe_join(&demo.root.join("pkg"), rest),
        None => safe_join(&demo.root.join("www"), path.trim_start_matches('/')),
    };
    let Some(mut file) = file else { return text(StatusCode::BAD_REQUEST, "bad path") };
    if tokio::fs::metadata(&file).await.is_ok_and(|m| m.is_dir()) {
        file = file.join("index.html");
    }
    // The build writes each of pkg/'s files brotli-compressed beside it, as a
    // host's server or CDN would serve them: sent as they are, they arrive
    // without waiting for the compression on the fly.
    let compressed = match in_pkg && accepts_brotli(&headers) {
        true => tokio::fs::read(with_br(&file)).await.ok(),
        false => None,
    };
    let read = match compressed {
        Some(body) => Ok((body, true)),
        None => tokio::fs::read(&file).await.map(|body| (body, false)),
    };
    match read {
        // Revalidated on every load, answered 304 while unchanged, so a
        // browser keeps the file and what it compiled from it (the wasm).
        Ok((body, compressed)) => {
            let tag = etag(&body);
            let unchanged = headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).any(|v| v.split(',').any(|t| t.trim() == tag));
            let (status, body) = if unchanged { (StatusCode::NOT_MODIFIED, Body::empty()) } else { (StatusCode::OK, Body::from(body)) };
            let mut r = (status, body).into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&file)));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            if in_pkg {
                h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            }
            if compressed {
                h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
            }
            if let Ok(v) = HeaderValue::from_str(&tag) {
                h.insert(header::ETAG, v);
            }
            r
        }
        Err(_) if in_pkg => text(StatusCode::NOT_FOUND, "not built yet: run ./dev build"),
        Err(_) => text(StatusCode::NOT_FOUND, "not found"),
    }
}

fn text(status: StatusCode, body: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// A validator for a file's bytes.
fn etag(body: &[u8]) -> String {
    format!("\"{}\"", &crate::secret::hex(&<sha2::Sha256 as sha2::Digest>::digest(body))[..32])
}

/// Whether the request's `Accept-Encoding` takes brotli (and not at `q=0`).
fn accepts_brotli(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|coding| {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or("");
        let refused = parts.any(|p| p.strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0)));
        name.eq_ignore_ascii_case("br") && !refused
    })
}

/// The brotli-compressed copy the build writes beside a file.
fn with_br(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".br");
    PathBuf::from(name)
}

/// Joins a URL path below `base`, refusing anything that climbs out of it.
fn safe_join(base: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    rel.components().all(|c| matches!(c, Component::Normal(_))).then(|| base.join(rel))
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ts" => "text/plain; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_climb_out() {
        assert!(safe_join(Path::new("www"), "../Cargo.toml").is_none());
        assert!(safe_join(Path::new("www"), "/etc/passwd").is_none());
        assert_eq!(safe_join(Path::new("www"), "a/b.html"), Some(PathBuf::from("www/a/b.html")));
    }

    #[test]
    fn takes_brotli_only_when_the_browser_does() {
        let with = |value: &'static str| HeaderMap::from_iter([(header::ACCEPT_ENCODING, HeaderValue::from_static(value))]);
        assert!(accepts_brotli(&with("gzip, deflate, br, zstd")));
        assert!(accepts_brotli(&with("BR;q=0.5")));
        assert!(!accepts_brotli(&with("gzip, br;q=0")));
        assert!(!accepts_brotli(&with("gzip, brotli")));
        assert!(!accepts_brotli(&HeaderMap::new()));
        assert_eq!(with_br(Path::new("pkg/a_bg.wasm")), PathBuf::from("pkg/a_bg.wasm.br"));
    }

    #[test]
    fn serves_wasm_with_its_type() {
        assert_eq!(content_type(Path::new("pkg/x_bg.wasm")), "application/wasm");
    }
}
