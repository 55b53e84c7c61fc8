//! `POST /api/records`, where the widgets send records, and `GET /healthz`.
//!
//! Posting needs `Authorization: Bearer <invitation or programme key>` (or
//! `X-Mentorkit-Invitation: <invitation>`), except in demo mode. The answer
//! follows schemas/openapi.json: 201 stored (again, with
//! `Idempotent-Replayed: true`, for a repeat), 400 without an
//! Idempotency-Key, 401 without a valid credential, 403 for another pair or
//! an origin the programme does not allow, 413 over 64 KiB, 415 for another
//! content type, 422 for a record the model refuses (with the reason) or a
//! key reused for a different record, 503 when the database is away.

use super::{header_text, problem, query, unavailable, Shared, MAX_RECORD};
use crate::programmes::{self, Poster};
use crate::records::{self, Outcome};
use axum::body::Body;
use axum::extract::State;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use mentorkit::model::delivery::Payload;

/// `GET /healthz`: 200 while the database answers, 503 otherwise.
pub async fn health(State(app): State<Shared>) -> Response {
    match app.db.ping().await {
        Ok(()) => (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], axum::Json(serde_json::json!({ "status": "ok" }))).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: the database does not answer");
            problem(StatusCode::SERVICE_UNAVAILABLE, "the database does not answer")
        }
    }
}

/// The bearer credential of a request, if any.
fn credential(headers: &HeaderMap) -> Option<&str> {
    if let Some(value) = header_text(headers, "authorization") {
        let (scheme, token) = value.trim().split_once(' ')?;
        return scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty());
    }
    header_text(headers, "x-mentorkit-invitation").map(str::trim).filter(|t| !t.is_empty())
}

fn unauthorized(message: &str) -> Response {
    let mut r = problem(StatusCode::UNAUTHORIZED, message);
    r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"mentorkit\""));
    r
}

/// `POST /api/records`: receives one record.
pub async fn post_record(State(app): State<Shared>, headers: HeaderMap, uri: Uri, body: Body) -> Response {
    if let Some(demo) = &app.demo {
        if let Some(reply) = demo.tripped(query(uri.query(), "lane").unwrap_or_default()) {
            return reply;
        }
    }
    let declared = header_text(&headers, "content-length").and_then(|n| n.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_RECORD as u64) {
        return too_large();
    }
    let mut poster = if app.demo.is_some() {
        Poster { programme_id: super::demo::PROGRAMME.into(), scope: "demo".into(), pair_id: None, role: None, is_key: false }
    } else {
        let Some(token) = credential(&headers) else {
            return unauthorized("sending records here needs an invitation: Authorization: Bearer <invitation>");
        };
        match programmes::poster(&app.db, token).await {
            Ok(Some(p)) => p,
            Ok(None) => return unauthorized("this invitation or key is not valid (revoked, or never issued)"),
            Err(e) => return unavailable("looking up a credential", &e),
        }
    };
    if app.demo.is_none() {
        if let Some(origin) = header_text(&headers, "origin") {
            if !same_origin(&headers, origin) && !app.origin_allowed(&poster.programme_id, origin) {
                return problem(StatusCode::FORBIDDEN, "this programme does not take records from pages on this origin");
            }
        }
    }
    if !header_text(&headers, "content-type").is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("application/json")) {
        return problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "send the record as application/json");
    }
    let Some(key) = header_text(&headers, "idempotency-key").filter(|k| (1..=200).contains(&k.len())) else {
        return problem(StatusCode::BAD_REQUEST, "an Idempotency-Key header (1 to 200 characters) is required");
    };
    let key = key.to_owned();
    // The pair the request names (the endpoint URL's `pair`, or a header).
    let named = query(uri.query(), "pair").or_else(|| header_text(&headers, "x-mentorkit-pair")).filter(|p| !p.is_empty()).map(str::to_owned);
    if let Some(named) = named {
        if poster.is_key {
            match programmes::pair(&app.db, &poster.programme_id, &named).await {
                Ok(Some(_)) => {}
                Ok(None) => return problem(StatusCode::UNPROCESSABLE_ENTITY, "no pair with this id is enrolled in the programme"),
                Err(e) => return unavailable("looking up a pair", &e),
            }
            let role = query(uri.query(), "role").filter(|r| programmes::ROLES.contains(r));
            poster.scope = format!("{}:{named}", poster.scope);
            poster.role = role.map(str::to_owned);
            poster.pair_id = Some(named);
        } else if app.demo.is_none() && poster.pair_id.as_deref() != Some(named.as_str()) {
            return problem(StatusCode::FORBIDDEN, "this invitation is for another pair");
        }
    }
    let bytes = match axum::body::to_bytes(body, MAX_RECORD).await {
        Ok(b) => b,
        Err(_) => return too_large(),
    };
    let Ok(text) = std::str::from_utf8(&bytes) else { return problem(StatusCode::BAD_REQUEST, "the body is not UTF-8") };
    let payload = match Payload::parse(text) {
        Ok(p) => p,
        Err(reason) => return problem(StatusCode::UNPROCESSABLE_ENTITY, &format!("not a mentorkit record: {reason}")),
    };
    if let Err(reason) = payload.check() {
        return problem(StatusCode::UNPROCESSABLE_ENTITY, &reason);
    }
    // A record that says whom it concerns must concern whom its credential
    // allows: an invitation its own pair and role, a key an enrolled pair.
    if let Some(about) = &payload.about {
        let role = (!about.role.is_empty()).then(|| about.role.clone());
        if app.demo.is_some() {
            poster.pair_id = poster.pair_id.take().or_else(|| Some(about.pair.clone()));
            poster.role = poster.role.take().or(role);
        } else if poster.is_key && poster.pair_id.is_none() {
            match programmes::pair(&app.db, &poster.programme_id, &about.pair).await {
                Ok(Some(_)) => {}
                Ok(None) => return problem(StatusCode::UNPROCESSABLE_ENTITY, "no pair with this id is enrolled in the programme"),
                Err(e) => return unavailable("looking up a pair", &e),
            }
            poster.scope = format!("{}:{}", poster.scope, about.pair);
            poster.pair_id = Some(about.pair.clone());
            poster.role = role;
        } else if poster.pair_id.as_deref() != Some(about.pair.as_str()) {
            return problem(StatusCode::FORBIDDEN, "this record is about another pair than the invitation's");
        } else if !poster.is_key && role.is_some() && poster.role != role {
            return problem(StatusCode::FORBIDDEN, "this record was sent as the other person of the pair");
        }
    }
    match records::store(&app.db, &poster, &key, &payload, text).await {
        Ok(Outcome::Stored(answer)) => stored(answer, false),
        Ok(Outcome::Replayed(answer)) => stored(answer, true),
        Ok(Outcome::KeyReused) => problem(StatusCode::UNPROCESSABLE_ENTITY, "this Idempotency-Key was already used for a different record"),
        Err(e) => unavailable("storing a record", &e),
    }
}

fn too_large() -> Response {
    problem(StatusCode::PAYLOAD_TOO_LARGE, "a record may be at most 64 KiB")
}

fn stored(answer: String, replayed: bool) -> Response {
    let mut r = (StatusCode::CREATED, [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], answer).into_response();
    if replayed {
        r.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    r
}

/// Whether `origin` is this server's own (the request's `Host`).
fn same_origin(headers: &HeaderMap, origin: &str) -> bool {
    let host = header_text(headers, "host");
    let bare = origin.split_once("://").map(|(_, rest)| rest);
    matches!((host, bare), (Some(h), Some(o)) if h.eq_ignore_ascii_case(o))
}
