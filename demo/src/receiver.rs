//! The demo's endpoint: receives records at `POST /api/records`, checks them
//! with the same model type the widget sends ([`Payload`]), and stores them in
//! a SQLite file.
//!
//! - `Idempotency-Key` is required; a repeat with the same body gets the
//!   stored answer again, a repeat with a different body gets 422.
//! - `POST /api/fail?next=N` makes the next N records fail with 503 (and
//!   `Retry-After: 1`), to show retrying; `POST /api/fail?next=N&refuse` makes
//!   them be refused with 422 and a reason, to show a record that needs the
//!   person's attention. A `lane=L` on both the switch and the endpoint URL
//!   (`/api/records?lane=L`) keeps the switch to the senders using that lane,
//!   so pages that share the server do not trip over each other's failures.
//! - CORS preflights are answered for one configured origin.
//! - `GET /received` lists what arrived; `GET /api/received` as JSON.

use mentorkit::model::delivery::Payload;
use rusqlite::{params, Connection, OptionalExtension};

/// The largest body accepted: what a browser sends with `keepalive`.
pub const MAX_BODY: usize = 64 * 1024;

/// An HTTP answer.
#[derive(Debug, PartialEq)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers beyond `Content-Type`.
    pub headers: Vec<(&'static str, String)>,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Body.
    pub body: String,
}

impl Reply {
    fn json(status: u16, body: String) -> Reply {
        Reply { status, headers: Vec::new(), content_type: "application/json", body }
    }

    fn error(status: u16, message: &str) -> Reply {
        Reply::json(status, serde_json::json!({ "error": message }).to_string())
    }
}

/// What a request brings.
pub struct Incoming<'a> {
    /// `GET`, `POST`, `OPTIONS`, …
    pub method: &'a str,
    /// Path and query.
    pub url: &'a str,
    /// Header value by lower-case name.
    pub header: &'a dyn Fn(&str) -> Option<String>,
    /// The body.
    pub body: &'a [u8],
}

/// The receiver and its database.
pub struct Receiver {
    db: Connection,
    /// Per lane: how many requests still to fail, and whether with 422.
    failing: std::collections::HashMap<String, (u32, bool)>,
    allow_origin: Option<String>,
}

impl Receiver {
    /// Opens (or creates) the database at `path`; `:memory:` for a throwaway one.
    pub fn open(path: &str, allow_origin: Option<String>) -> rusqlite::Result<Receiver> {
        let db = Connection::open(path)?;
        db.execute_batch(
            "CREATE TABLE IF NOT EXISTS records (
                idempotency_key TEXT PRIMARY KEY,
                record_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                record_version INTEGER NOT NULL,
                received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
                body TEXT NOT NULL,
                status INTEGER NOT NULL,
                response TEXT NOT NULL
            )",
        )?;
        Ok(Receiver { db, failing: Default::default(), allow_origin })
    }

    /// Answers an API request, or `None` when the path is not the API's.
    pub fn handle(&mut self, request: &Incoming) -> Option<Reply> {
        let path = request.url.split('?').next().unwrap_or("");
        let origin = (request.header)("origin");
        let allowed = origin.as_deref().is_some_and(|o| self.allow_origin.as_deref() == Some(o));
        let mut reply = match (request.method, path) {
            ("OPTIONS", "/api/records") if allowed => Reply {
                status: 204,
                headers: vec![
                    ("Access-Control-Allow-Methods", "POST".into()),
                    ("Access-Control-Allow-Headers", "content-type, idempotency-key, authorization, x-api-key".into()),
                    ("Access-Control-Max-Age", "600".into()),
                ],
                content_type: "text/plain",
                body: String::new(),
            },
            ("OPTIONS", "/api/records") => Reply::error(403, "this origin may not send records here"),
            ("POST", "/api/records") => self.receive(request),
            ("POST", "/api/fail") => {
                let next = query(request.url, "next").and_then(|n| n.parse().ok()).unwrap_or(1);
                let refuse = query(request.url, "refuse").is_some();
                self.failing.insert(query(request.url, "lane").unwrap_or_default().to_owned(), (next, refuse));
                Reply::json(200, serde_json::json!({ "failNext": next, "refuse": refuse }).to_string())
            }
            ("GET", "/api/received") => Reply::json(200, self.list_json()),
            ("GET", "/received") => Reply { status: 200, headers: Vec::new(), content_type: "text/html; charset=utf-8", body: self.list_html() },
            (_, "/api/records" | "/api/fail" | "/api/received" | "/received") => Reply::error(405, "method not allowed"),
            _ => return None,
        };
        if allowed {
            reply.headers.push(("Access-Control-Allow-Origin", origin.unwrap_or_default()));
            reply.headers.push(("Vary", "Origin".into()));
        }
        Some(reply)
    }

    fn receive(&mut self, request: &Incoming) -> Reply {
        let lane = query(request.url, "lane").unwrap_or_default();
        if let Some((left, refuse)) = self.failing.get_mut(lane).filter(|(left, _)| *left > 0) {
            *left -= 1;
            if *refuse {
                return Reply::error(422, "the demo receiver was told to refuse this record");
            }
            let mut reply = Reply::error(503, "the demo receiver was told to fail this request; try again");
            reply.headers.push(("Retry-After", "1".into()));
            return reply;
        }
        if request.body.len() > MAX_BODY {
            return Reply::error(413, "a record may be at most 64 KiB");
        }
        if !(request.header)("content-type").is_some_and(|t| t.starts_with("application/json")) {
            return Reply::error(415, "send the record as application/json");
        }
        let Some(key) = (request.header)("idempotency-key").filter(|k| (1..=200).contains(&k.len())) else {
            return Reply::error(400, "an Idempotency-Key header (1 to 200 characters) is required");
        };
        let Ok(body) = std::str::from_utf8(request.body) else { return Reply::error(400, "the body is not UTF-8") };
        let stored: Option<(String, u16, String)> = self
            .db
            .query_row("SELECT body, status, response FROM records WHERE idempotency_key = ?1", [&key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()
            .unwrap_or(None);
        if let Some((earlier, status, response)) = stored {
            return if earlier == body {
                let mut reply = Reply::json(status, response);
                reply.headers.push(("Idempotent-Replayed", "true".into()));
                reply
            } else {
                Reply::error(422, "this Idempotency-Key was already used for a different record")
            };
        }
        let payload: Payload = match Payload::parse(body) {
            Ok(p) => p,
            Err(e) => return Reply::error(422, &format!("not a mentorkit record: {e}")),
        };
        if let Err(reason) = payload.check() {
            return Reply::error(422, &reason);
        }
        let response = serde_json::json!({ "status": "stored", "id": payload.id, "recordVersion": payload.record_version }).to_string();
        let inserted = self.db.execute(
            "INSERT INTO records (idempotency_key, record_id, kind, record_version, body, status, response) VALUES (?1, ?2, ?3, ?4, ?5, 201, ?6)",
            params![key, payload.id, payload.kind, payload.record_version, body, response],
        );
        match inserted {
            Ok(_) => Reply::json(201, response),
            Err(e) => Reply::error(500, &format!("could not store the record: {e}")),
        }
    }

    fn rows(&self) -> Vec<(String, String, String, u32, String, String)> {
        let Ok(mut stmt) = self.db.prepare(
            "SELECT idempotency_key, record_id, kind, record_version, received_at, body FROM records ORDER BY rowid DESC",
        ) else {
            return Vec::new();
        };
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .map(|rows| rows.flatten().collect())
            .unwrap_or_default()
    }

    fn list_json(&self) -> String {
        let rows: Vec<_> = self
            .rows()
            .into_iter()
            .map(|(key, id, kind, version, at, body)| {
                serde_json::json!({ "idempotencyKey": key, "id": id, "kind": kind, "recordVersion": version, "receivedAt": at,
                    "payload": serde_json::from_str::<serde_json::Value>(&body).unwrap_or_default() })
            })
            .collect();
        serde_json::Value::Array(rows).to_string()
    }

    fn list_html(&self) -> String {
        let esc = mentorkit::render::doc::escape_html;
        let mut rows = String::new();
        for (key, id, kind, version, at, body) in self.rows() {
            rows.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td><details><summary>payload</summary><pre>{}</pre></details></td></tr>\n",
                esc(&at), esc(&kind), esc(&id), version, esc(&key), esc(&body)
            ));
        }
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Records received</title>\
             <style>body{{font:16px/1.5 system-ui,sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:.3em .6em;text-align:start;vertical-align:top}}pre{{white-space:pre-wrap;max-width:50em}}</style></head>\
             <body><h1>Records received by the demo endpoint</h1><p>Stored in SQLite; newest first. Failing next: {}.</p>\
             <table><thead><tr><th>received</th><th>kind</th><th>record id</th><th>version</th><th>Idempotency-Key</th><th>data</th></tr></thead><tbody>\n{rows}</tbody></table></body></html>",
            self.failing.get("").map_or(0, |f| f.0)
        )
    }
}

/// The value of `name` in the query of `url` (empty for a bare flag).
fn query<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    let (_, query) = url.split_once('?')?;
    query.split('&').find_map(|pair| match pair.split_once('=') {
        Some((k, v)) if k == name => Some(v),
        None if pair == name => Some(""),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{"schema":"mentorkit.record","version":1,"id":"a1","kind":"session","recordVersion":1,
        "created":"2027-01-05T10:00:00.000Z","submitted":"2027-01-05T10:00:00.000Z","data":{"kind":"session","date":"2027-01-05","rating":"4"}}"#;

    fn post(r: &mut Receiver, key: Option<&str>, body: &str) -> Reply {
        post_to(r, "/api/records", key, body)
    }

    fn post_to(r: &mut Receiver, url: &str, key: Option<&str>, body: &str) -> Reply {
        let header = |name: &str| match name {
            "content-type" => Some("application/json".to_owned()),
            "idempotency-key" => key.map(str::to_owned),
            _ => None,
        };
        r.handle(&Incoming { method: "POST", url, header: &header, body: body.as_bytes() }).unwrap()
    }

    fn count(r: &Receiver) -> usize {
        r.rows().len()
    }

    #[test]
    fn stores_a_record_once_per_key_and_replays_the_answer() {
        let mut r = Receiver::open(":memory:", None).unwrap();
        let first = post(&mut r, Some("k1"), BODY);
        assert_eq!(first.status, 201);
        let again = post(&mut r, Some("k1"), BODY);
        assert_eq!((again.status, &again.body), (201, &first.body));
        assert!(again.headers.iter().any(|(h, _)| *h == "Idempotent-Replayed"));
        assert_eq!(count(&r), 1);
        let other = post(&mut r, Some("k1"), &BODY.replace("\"4\"", "\"5\""));
        assert_eq!(other.status, 422);
        assert_eq!(count(&r), 1);
    }

    #[test]
    fn refuses_what_it_cannot_use_and_says_why() {
        let mut r = Receiver::open(":memory:", None).unwrap();
        assert_eq!(post(&mut r, None, BODY).status, 400);
        let private = BODY.replace("\"rating\":\"4\"", "\"private.note\":\"x\"");
        let reply = post(&mut r, Some("k2"), &private);
        assert_eq!(reply.status, 422);
        assert!(reply.body.contains("private"));
        assert_eq!(post(&mut r, Some("k3"), "{}").status, 422);
        assert_eq!(post(&mut r, Some("k4"), &"x".repeat(MAX_BODY + 1)).status, 413);
        assert_eq!(count(&r), 0);
    }

    #[test]
    fn fails_on_request_then_accepts() {
        let mut r = Receiver::open(":memory:", None).unwrap();
        let none = |_: &str| None;
        r.handle(&Incoming { method: "POST", url: "/api/fail?next=2", header: &none, body: b"" });
        for _ in 0..2 {
            let reply = post(&mut r, Some("k"), BODY);
            assert_eq!(reply.status, 503);
            assert!(reply.headers.contains(&("Retry-After", "1".into())));
        }
        assert_eq!(post(&mut r, Some("k"), BODY).status, 201);
        assert_eq!(count(&r), 1);
        r.handle(&Incoming { method: "POST", url: "/api/fail?next=1&refuse&lane=t7", header: &none, body: b"" });
        assert_eq!(post(&mut r, Some("k2"), BODY).status, 201, "another lane is not affected");
        let refused = post_to(&mut r, "/api/records?lane=t7", Some("k3"), BODY);
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("refuse"), "{}", refused.body);
    }

    #[test]
    fn answers_preflights_for_the_configured_origin_only() {
        let mut r = Receiver::open(":memory:", Some("https://programme.example".into())).unwrap();
        let from = |origin: &'static str| move |name: &str| (name == "origin").then(|| origin.to_owned());
        let ok = r.handle(&Incoming { method: "OPTIONS", url: "/api/records", header: &from("https://programme.example"), body: b"" }).unwrap();
        assert_eq!(ok.status, 204);
        assert!(ok.headers.contains(&("Access-Control-Allow-Origin", "https://programme.example".into())));
        let no = r.handle(&Incoming { method: "OPTIONS", url: "/api/records", header: &from("https://elsewhere.example"), body: b"" }).unwrap();
        assert_eq!(no.status, 403);
        assert!(r.handle(&Incoming { method: "GET", url: "/index.html", header: &from(""), body: b"" }).is_none());
    }

    #[test]
    fn lists_what_arrived_with_text_escaped() {
        let mut r = Receiver::open(":memory:", None).unwrap();
        post(&mut r, Some("<b>key</b>"), &BODY.replace("\"4\"", "\"<script>\""));
        let none = |_: &str| None;
        let page = r.handle(&Incoming { method: "GET", url: "/received", header: &none, body: b"" }).unwrap().body;
        assert!(page.contains("&lt;b&gt;key&lt;/b&gt;") && !page.contains("<script>"));
        let json = r.handle(&Incoming { method: "GET", url: "/api/received", header: &none, body: b"" }).unwrap().body;
        assert!(json.contains("\"kind\":\"session\""));
    }
}
