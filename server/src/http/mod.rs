//! The HTTP side: the shared state, the router and its layers (timeouts,
//! body limits, CORS, compression, a bound on requests in flight, panics
//! caught and answered 500), and small helpers the handlers share.

pub mod api;
pub mod demo;
pub mod html;
pub mod pages;

use crate::config::ServeArgs;
use crate::db::Db;
use axum::extract::{DefaultBodyLimit, FromRequestParts, MatchedPath, Request};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::timeout::TimeoutLayer;

/// The largest record body accepted: what a browser sends with `keepalive`.
pub const MAX_RECORD: usize = 64 * 1024;
/// The largest form body accepted.
pub const MAX_FORM: usize = 16 * 1024;

/// What every handler can reach.
pub struct App {
    /// The database.
    pub db: Db,
    /// Options from the command line.
    pub settings: ServeArgs,
    /// Origins allowed per programme, refreshed from the database.
    pub origins: RwLock<HashMap<String, HashSet<String>>>,
    /// Demo mode's switches and files, when on.
    pub demo: Option<demo::Demo>,
}

/// The state handlers get.
pub type Shared = Arc<App>;

impl App {
    /// Reloads the programmes' origins.
    pub async fn refresh_origins(&self) -> Result<(), sqlx::Error> {
        let mut map = HashMap::new();
        for p in crate::programmes::programmes(&self.db).await? {
            map.insert(p.id, p.origins.into_iter().collect::<HashSet<_>>());
        }
        if let Ok(mut origins) = self.origins.write() {
            *origins = map;
        }
        Ok(())
    }

    /// Whether a browser on `origin` may post to some programme here.
    fn origin_allowed_anywhere(&self, origin: &str) -> bool {
        self.settings.allow_origins.iter().any(|o| o == origin)
            || self.origins.read().is_ok_and(|m| m.values().any(|set| set.contains(origin)))
    }

    /// Whether a browser on `origin` may post to `programme`.
    pub fn origin_allowed(&self, programme: &str, origin: &str) -> bool {
        self.settings.allow_origins.iter().any(|o| o == origin)
            || self.origins.read().is_ok_and(|m| m.get(programme).is_some_and(|set| set.contains(origin)))
    }
}

/// The peer address of a connection, put on each request by the listener.
#[derive(Clone, Copy, Debug)]
pub struct PeerAddr(pub SocketAddr);

/// Who is on the other end: the client's address and whether they came over
/// HTTPS (from the proxy's headers only with `--trust-proxy`).
#[derive(Clone, Debug)]
pub struct Client {
    /// The client's IP address, as text.
    pub ip: String,
    /// Whether the request reached the proxy (or us) over HTTPS.
    pub https: bool,
}

impl FromRequestParts<Shared> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &Shared) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<PeerAddr>().map(|p| p.0.ip().to_string()).unwrap_or_default();
        if !app.settings.trust_proxy {
            return Ok(Client { ip: peer, https: false });
        }
        let forwarded = header_text(&parts.headers, "x-forwarded-for")
            .and_then(|v| v.rsplit(',').next().map(|s| s.trim().to_owned()))
            .filter(|s| !s.is_empty());
        let https = header_text(&parts.headers, "x-forwarded-proto").is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
        Ok(Client { ip: forwarded.unwrap_or(peer), https })
    }
}

/// A header's value as text, if it is there and readable.
pub fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The value of `name` in a URL query (empty for a bare flag).
pub fn query<'a>(query: Option<&'a str>, name: &str) -> Option<&'a str> {
    query?.split('&').find_map(|pair| match pair.split_once('=') {
        Some((k, v)) if k == name => Some(v),
        None if pair == name => Some(""),
        _ => None,
    })
}

/// A JSON problem: `{"error": message}` with `status`.
pub fn problem(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": message }).to_string();
    (status, [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

/// The database failed: logged without details of the request, answered
/// 503 with `Retry-After` so a widget tries again.
pub fn unavailable(what: &str, e: &sqlx::Error) -> Response {
    tracing::error!(what, error = %e, "database error");
    let mut r = problem(StatusCode::SERVICE_UNAVAILABLE, "the server cannot reach its database just now; try again");
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
    r
}

/// Builds the whole application.
pub fn router(app: Shared) -> Router {
    let settings = app.settings.clone();
    let for_cors = app.clone();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| origin.to_str().is_ok_and(|o| for_cors.origin_allowed_anywhere(o))))
        .allow_methods([Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("x-mentorkit-invitation"),
            HeaderName::from_static("x-mentorkit-pair"),
            HeaderName::from_static("x-api-key"),
        ])
        .expose_headers([HeaderName::from_static("idempotent-replayed"), header::RETRY_AFTER])
        .max_age(Duration::from_secs(600));
    let posting = Router::new().route("/api/records", post(api::post_record)).layer(cors);
    let mut routes = Router::new().merge(posting).route("/healthz", get(api::health));
    // The demo serves its pages at `/` and the sample programme's coordinator view beside them.
    routes = if settings.demo { demo::routes(pages::routes(routes, false)) } else { pages::routes(routes, true) };
    with_layers(routes, &settings).with_state(app)
}

/// Wraps `routes` in the layers every request goes through.
fn with_layers<S: Clone + Send + Sync + 'static>(routes: Router<S>, settings: &ServeArgs) -> Router<S> {
    routes
        .layer(DefaultBodyLimit::max(MAX_FORM))
        .layer(CompressionLayer::new())
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(settings.max_concurrency.max(1)))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(settings.request_timeout.max(1))))
        .layer(middleware::from_fn(log_request))
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            tracing::error!("a request handler panicked; answered 500");
            problem(StatusCode::INTERNAL_SERVER_ERROR, "the server failed on this request")
        }))
}

/// Logs each request: method, route (the pattern, not the path), status and
/// time taken; never query strings, headers or bodies.
async fn log_request(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().map_or("(static)", |p| p.as_str()).to_owned();
    let response = next.run(request).await;
    tracing::info!(method = %method, route, status = response.status().as_u16(), ms = start.elapsed().as_millis() as u64, "request");
    response
}

/// Reads one cookie from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().split_once('=').filter(|(k, _)| *k == name).map(|(_, v)| v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use tower::ServiceExt;

    fn settings(args: &[&str]) -> ServeArgs {
        crate::config::Cli::try_parse_from(std::iter::once("mentorkit-server").chain(args.iter().copied())).map(|c| c.serve).unwrap()
    }

    fn request(path: &str) -> Request {
        Request::builder().uri(path).body(axum::body::Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn a_panicking_handler_is_answered_500_and_the_next_request_served() {
        let routes = Router::new().route("/boom", get(|| async { panic!("boom") as &str })).route("/ok", get(|| async { "fine" }));
        let app = with_layers(routes, &settings(&[]));
        let boom = app.clone().oneshot(request("/boom")).await.unwrap();
        assert_eq!(boom.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(boom.into_body(), 1024).await.unwrap();
        assert!(String::from_utf8_lossy(&body).contains("\"error\""));
        assert_eq!(app.oneshot(request("/ok")).await.unwrap().status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn a_slow_request_is_cut_with_408() {
        let routes = Router::new().route("/slow", get(|| async { tokio::time::sleep(Duration::from_secs(5)).await; "late" }));
        let app = with_layers(routes, &settings(&["--request-timeout", "1"]));
        assert_eq!(app.oneshot(request("/slow")).await.unwrap().status(), StatusCode::REQUEST_TIMEOUT);
    }

    #[test]
    fn reads_cookies_and_queries() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; mk_session=abc; b=2"));
        assert_eq!(cookie(&h, "mk_session"), Some("abc"));
        assert_eq!(cookie(&h, "mk"), None);
        assert_eq!(query(Some("next=2&refuse&lane=x"), "refuse"), Some(""));
        assert_eq!(query(Some("next=2&refuse&lane=x"), "lane"), Some("x"));
        assert_eq!(query(None, "lane"), None);
    }
}
