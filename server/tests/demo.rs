//! Demo mode (no authentication, only for trying the widgets out): posting
//! without an invitation, the failure switches and their lanes, the
//! listings, the file server with ETags, CORS for --allow-origin, and the
//! old demo database moved aside.

mod common;

use common::http::{self, Conn};
use common::{record, Database, Server};
use std::path::PathBuf;
use std::time::{Duration, Instant};

struct Site {
    root: PathBuf,
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn site() -> Site {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("site-{}-{:?}", std::process::id(), std::thread::current().id()).replace(['(', ')'], ""));
    for (path, text) in [("www/index.html", "<!doctype html><title>demo</title>"), ("www/docs/index.html", "docs"), ("www/demo.js", "export {}"), ("pkg/mentorkit_bg.wasm", "\0asm"), ("pkg/mentorkit-elements.js", "//")] {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("mkdir");
        std::fs::write(file, text).expect("write");
    }
    Site { root }
}

fn demo(db: &Database, site: &Site, extra: &[&str]) -> Server {
    let root = site.root.display().to_string();
    let mut args = vec!["--demo", "--static-root", root.as_str()];
    args.extend_from_slice(extra);
    Server::start(db, &args)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posting_needs_no_invitation_and_is_listed() {
    let (db, site) = (Database::sqlite().await, site());
    let server = demo(&db, &site, &[]);
    let body = record("d1").replace("We met on time", "<script>alert(1)</script>");
    assert_eq!(server.post("/api/records", None, Some("<b>key</b>"), &body).await.status, 201);
    let again = server.post("/api/records", None, Some("<b>key</b>"), &body).await;
    assert_eq!((again.status, again.header("idempotent-replayed")), (201, Some("true")));
    let list = server.get("/api/received", &[]).await.json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!((list[0]["id"].as_str(), list[0]["kind"].as_str(), list[0]["idempotencyKey"].as_str()), (Some("d1"), Some("session"), Some("<b>key</b>")));
    assert_eq!(list[0]["payload"]["data"]["rating"], "4");
    let page = server.get("/received", &[]).await;
    assert!(page.body.contains("&lt;b&gt;key&lt;/b&gt;") && !page.body.contains("<script>"));
    assert!(page.body.contains("no authentication"));
    // The record checks still hold.
    assert_eq!(server.post("/api/records", None, Some("p"), &record("d2").replace("\"rating\":\"4\"", "\"private.note\":\"x\"")).await.status, 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_failure_switches_fail_then_accept_per_lane() {
    let (db, site) = (Database::sqlite().await, site());
    let server = demo(&db, &site, &[]);
    let r = http::request(server.addr, "POST", "/api/fail?next=2", &[], b"").await.expect("answer");
    assert_eq!(r.json()["failNext"], 2);
    for _ in 0..2 {
        let r = server.post("/api/records", None, Some("k"), &record("f1")).await;
        assert_eq!((r.status, r.header("retry-after")), (503, Some("1")));
    }
    assert_eq!(server.post("/api/records", None, Some("k"), &record("f1")).await.status, 201);
    http::request(server.addr, "POST", "/api/fail?next=1&refuse&lane=t7", &[], b"").await.expect("answer");
    assert_eq!(server.post("/api/records", None, Some("k2"), &record("f2")).await.status, 201, "another lane is not affected");
    let refused = server.post("/api/records?lane=t7", None, Some("k3"), &record("f3")).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("refuse"));
    assert_eq!(server.post("/api/records?lane=t7", None, Some("k3"), &record("f3")).await.status, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_served_with_their_type_and_an_etag() {
    let (db, site) = (Database::sqlite().await, site());
    let server = demo(&db, &site, &[]);
    let index = server.get("/", &[]).await;
    assert_eq!((index.status, index.header("content-type")), (200, Some("text/html; charset=utf-8")));
    assert!(index.body.contains("<title>demo</title>"));
    let tag = index.header("etag").expect("an etag").to_owned();
    assert_eq!(server.get("/", &[("If-None-Match", &tag)]).await.status, 304);
    assert_eq!(server.get("/index.html", &[("If-None-Match", &tag)]).await.status, 304);
    assert_eq!(server.get("/docs/", &[]).await.body, "docs");
    let wasm = server.get("/pkg/mentorkit_bg.wasm", &[]).await;
    assert_eq!((wasm.status, wasm.header("content-type"), wasm.header("cache-control")), (200, Some("application/wasm"), Some("no-cache")));
    let js = server.get("/pkg/mentorkit-elements.js", &[]).await;
    assert_eq!(js.header("content-type"), Some("text/javascript; charset=utf-8"));
    let missing = server.get("/pkg/nothing.js", &[]).await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("./dev build"));
    assert_eq!(server.get("/nothing.html", &[]).await.status, 404);
    assert!(matches!(server.get("/../Cargo.toml", &[]).await.status, 400 | 404));
    assert_eq!(http::request(server.addr, "POST", "/index.html", &[], b"").await.expect("answer").status, 405);
    let head = http::request(server.addr, "HEAD", "/demo.js", &[], b"").await.expect("answer");
    assert_eq!((head.status, head.body.as_str()), (200, ""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preflights_are_answered_for_the_allowed_origin_only() {
    let (db, site) = (Database::sqlite().await, site());
    let server = demo(&db, &site, &["--allow-origin", "https://programme.example"]);
    let ask = |origin: &'static str| [("Origin", origin), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "content-type, idempotency-key")];
    let ok = http::request(server.addr, "OPTIONS", "/api/records", &ask("https://programme.example"), b"").await.expect("answer");
    assert!(ok.status < 300);
    assert_eq!(ok.header("access-control-allow-origin"), Some("https://programme.example"));
    assert!(ok.header("access-control-allow-headers").is_some_and(|h| h.contains("idempotency-key")));
    let no = http::request(server.addr, "OPTIONS", "/api/records", &ask("https://elsewhere.example"), b"").await.expect("answer");
    assert_eq!(no.header("access-control-allow-origin"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickling_client_blocks_neither_the_page_nor_health() {
    let (db, site) = (Database::sqlite().await, site());
    let server = demo(&db, &site, &[]);
    let mut slow = Conn::open(server.addr).await.expect("connect");
    slow.write_raw(b"POST /api/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nIdempotency-Key: s\r\nContent-Length: 60000\r\n\r\n").await.expect("write");
    for _ in 0..3 {
        slow.write_raw(b" ").await.expect("trickle");
        let start = Instant::now();
        assert_eq!(server.get("/", &[]).await.status, 200);
        assert_eq!(server.get("/healthz", &[]).await.status, 200);
        assert!(start.elapsed() < Duration::from_secs(1), "took {:?}", start.elapsed());
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_old_demo_database_is_moved_aside() {
    let (db, site) = (Database::sqlite().await, site());
    let path = PathBuf::from(&db.url);
    std::fs::create_dir_all(path.parent().expect("folder")).expect("mkdir");
    {
        let old = mentorkit_server::db::Db::connect(&mentorkit_server::db::Location::parse(&db.url), Some(1)).await.expect("open");
        sqlx::query("CREATE TABLE records (idempotency_key TEXT PRIMARY KEY, body TEXT)").execute(&old.pool).await.expect("old table");
        old.close().await;
    }
    let server = demo(&db, &site, &[]);
    assert_eq!(server.post("/api/records", None, Some("n"), &record("n1")).await.status, 201);
    let aside = std::fs::read_dir(path.parent().expect("folder")).expect("list").filter_map(Result::ok).any(|e| e.file_name().to_string_lossy().contains("before-server"));
    assert!(aside, "the old file is kept aside");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_shows_a_sample_programmes_coordinator_view_marked_as_made_up() {
    let (db, site) = (Database::sqlite().await, site());
    let mut server = demo(&db, &site, &[]);
    let index = server.get("/", &[]).await;
    assert!(index.body.contains("<title>demo</title>"), "the demo's own page stays at /");
    let mut b = common::Browser::new(&server);
    let signed = b.sign_in(mentorkit_server::sample::COORDINATOR_EMAIL, mentorkit_server::sample::COORDINATOR_PASSWORD).await;
    assert_eq!((signed.status, signed.header("location")), (303, Some("/pairs")));
    let pairs = b.get("/pairs").await.body;
    assert!(pairs.contains("24 pairs:") && pairs.contains("class=\"sample\"") && pairs.contains("Sample data"), "the sample is marked as made up");
    assert!(b.get("/report").await.body.contains("Sample data"));
    // Started again, the sample is made afresh, not doubled.
    server.signal(libc::SIGTERM);
    assert_eq!(server.wait(Duration::from_secs(10)), Some(true));
    let server = demo(&db, &site, &[]);
    let mut b = common::Browser::new(&server);
    b.sign_in(mentorkit_server::sample::COORDINATOR_EMAIL, mentorkit_server::sample::COORDINATOR_PASSWORD).await;
    assert!(b.get("/pairs").await.body.contains("24 pairs:"));
}
