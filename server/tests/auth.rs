//! Who may post and who may read: invitations and keys for posting,
//! sessions, form tokens and the sign-in throttle for coordinators, and no
//! secret stored or logged in clear. On SQLite and PostgreSQL.

mod common;

use common::{record, record_about, Browser, Database, Server, Setup, ORIGIN};
use sqlx::Row;

on_both_engines!(
    posting_needs_a_valid_invitation_or_key,
    an_invitation_posts_only_into_its_own_pair,
    coordinator_pages_redirect_to_sign_in_without_a_session,
    forms_without_their_token_are_refused,
    failed_sign_ins_are_throttled,
    secrets_are_not_stored_in_clear,
    logs_hold_no_personal_data,
);

async fn posting_needs_a_valid_invitation_or_key(db: Database) {
    let s = Setup::make(&db);
    let server = Server::start(&db, &[]);
    let none = server.post("/api/records", None, Some("a.1"), &record("a")).await;
    assert_eq!(none.status, 401, "{}", none.body);
    assert!(none.header("www-authenticate").is_some_and(|v| v.starts_with("Bearer")));
    let forged = format!("mki_P1.mentee.{}", "0".repeat(64));
    assert_eq!(server.post("/api/records", Some(&forged), Some("a.1"), &record("a")).await.status, 401);
    assert_eq!(server.post("/api/records", Some("Bearer"), Some("a.1"), &record("a")).await.status, 401);
    assert_eq!(server.post("/api/records", Some(&s.p1_mentee), Some("a.1"), &record("a")).await.status, 201);
    // The widget's headers property may carry it as X-Mentorkit-Invitation.
    let headers = [("Content-Type", "application/json"), ("Idempotency-Key", "b.1"), ("X-Mentorkit-Invitation", s.p1_mentor.as_str())];
    let r = common::http::request(server.addr, "POST", "/api/records", &headers, record("b").as_bytes()).await.expect("answer");
    assert_eq!(r.status, 201, "{}", r.body);
    // A programme key posts for a pair it names.
    assert_eq!(server.post("/api/records?pair=P2&role=mentor", Some(&s.key), Some("c.1"), &record("c")).await.status, 201);
    assert_eq!(server.post("/api/records?pair=NOPE", Some(&s.key), Some("c.1"), &record("c")).await.status, 422);
    let pool = db.open().await;
    let rows = sqlx::query("SELECT pair_id, role, record_id FROM records ORDER BY seq").fetch_all(&pool.pool).await.expect("rows");
    let got: Vec<(String, String, String)> = rows.iter().map(|r| (r.get("pair_id"), r.get("role"), r.get("record_id"))).collect();
    let want = [("P1", "mentee", "a"), ("P1", "mentor", "b"), ("P2", "mentor", "c")];
    assert_eq!(got, want.map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned())), "stored with the pair and role of the credential");
}

async fn an_invitation_posts_only_into_its_own_pair(db: Database) {
    let s = Setup::make(&db);
    let server = Server::start(&db, &[]);
    let r = server.post("/api/records?pair=P1", Some(&s.p2_mentee), Some("x.1"), &record("x")).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let headers = [("Content-Type", "application/json"), ("Idempotency-Key", "y.1"), ("Authorization", &format!("Bearer {}", s.p2_mentee)), ("X-Mentorkit-Pair", "P1")];
    let r = common::http::request(server.addr, "POST", "/api/records", &headers, record("y").as_bytes()).await.expect("answer");
    assert_eq!(r.status, 403);
    assert_eq!(server.post("/api/records?pair=P2", Some(&s.p2_mentee), Some("z.1"), &record("z")).await.status, 201);
    // A record saying whom it concerns must concern the invitation's pair,
    // sent as the invitation's person.
    let other = server.post("/api/records", Some(&s.p2_mentee), Some("v.1"), &record_about("v", "P1", "mentee")).await;
    assert_eq!(other.status, 403, "{}", other.body);
    let swapped = server.post("/api/records", Some(&s.p2_mentee), Some("w.1"), &record_about("w", "P2", "mentor")).await;
    assert_eq!(swapped.status, 403, "{}", swapped.body);
    assert_eq!(server.post("/api/records", Some(&s.p2_mentee), Some("u.1"), &record_about("u", "P2", "mentee")).await.status, 201);
    // A programme key may post for an enrolled pair the record names, and no other.
    assert_eq!(server.post("/api/records", Some(&s.key), Some("k.1"), &record_about("k", "NOPE", "mentor")).await.status, 422);
    assert_eq!(server.post("/api/records", Some(&s.key), Some("k.2"), &record_about("k", "P2", "mentor")).await.status, 201);
    // A page on an origin the programme does not list may not post.
    let foreign = [("Content-Type", "application/json"), ("Idempotency-Key", "o.1"), ("Authorization", &format!("Bearer {}", s.p2_mentee)), ("Origin", "https://evil.example")];
    let r = common::http::request(server.addr, "POST", "/api/records", &foreign, record("o").as_bytes()).await.expect("answer");
    assert_eq!(r.status, 403);
    let listed = [("Content-Type", "application/json"), ("Idempotency-Key", "o.1"), ("Authorization", &format!("Bearer {}", s.p2_mentee)), ("Origin", ORIGIN)];
    let r = common::http::request(server.addr, "POST", "/api/records", &listed, record("o").as_bytes()).await.expect("answer");
    assert_eq!(r.status, 201);
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    let preflight = [("Origin", ORIGIN), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "authorization, content-type, idempotency-key")];
    let r = common::http::request(server.addr, "OPTIONS", "/api/records", &preflight, b"").await.expect("answer");
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    let evil = [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST")];
    let r = common::http::request(server.addr, "OPTIONS", "/api/records", &evil, b"").await.expect("answer");
    assert_eq!(r.header("access-control-allow-origin"), None);
    let pool = db.open().await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM records WHERE pair_id = 'P1'").fetch_one(&pool.pool).await.expect("count");
    assert_eq!(n, 0, "nothing reached pair P1");
}

async fn coordinator_pages_redirect_to_sign_in_without_a_session(db: Database) {
    let s = Setup::make(&db);
    let server = Server::start(&db, &[]);
    for path in ["/", "/pairs", "/pairs/new", "/pairs/P1", "/audit"] {
        let r = server.get(path, &[]).await;
        assert_eq!((r.status, r.header("location")), (303, Some(if path == "/" { "/pairs" } else { "/sign-in" })), "{path}");
    }
    let bogus = server.get("/pairs", &[("Cookie", "mk_session=0123")]).await;
    assert_eq!(bogus.header("location"), Some("/sign-in"));
    let mut b = Browser::new(&server);
    let erase = b.post_form("/pairs/P1/mentee/erase", &[("csrf", "x"), ("confirm", "yes")]).await;
    assert_eq!(erase.header("location"), Some("/sign-in"));
    let page = b.get("/sign-in").await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-security-policy").is_some_and(|c| c.contains("default-src 'none'") && !c.contains("unsafe-inline")));
    assert!(page.body.contains("<label for=\"email\">") && !page.body.contains("<script") && !page.body.contains("style="));
    let signed = b.sign_in(s.email, s.password).await;
    assert_eq!((signed.status, signed.header("location")), (303, Some("/pairs")));
    let cookie = signed.headers_named("set-cookie").find(|c| c.starts_with("mk_session=")).expect("a session cookie").to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"), "{cookie}");
    let pairs = b.get("/pairs").await;
    assert_eq!(pairs.status, 200);
    assert!(pairs.body.contains("Ada Mentee") && pairs.body.contains("P2"));
    // Signed out, the pages are closed again.
    let token = common::csrf_of(&pairs.body);
    assert_eq!(b.post_form("/sign-out", &[("csrf", &token)]).await.header("location"), Some("/sign-in"));
    assert_eq!(server.get("/pairs", &[("Cookie", cookie.split(';').next().unwrap_or_default())]).await.header("location"), Some("/sign-in"));
    // Behind a proxy that says https, the cookie is Secure.
    let proxied = Server::start(&db, &["--trust-proxy"]);
    let mut p = Browser::new(&proxied);
    let page = p.get("/sign-in").await;
    let body = common::form(&[("csrf", &common::csrf_of(&page.body)), ("email", s.email), ("password", s.password)]);
    let cookie = p.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    let headers = [("Cookie", cookie.as_str()), ("Content-Type", "application/x-www-form-urlencoded"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-For", "203.0.113.9")];
    let r = common::http::request(proxied.addr, "POST", "/sign-in", &headers, body.as_bytes()).await.expect("answer");
    assert!(r.headers_named("set-cookie").any(|c| c.starts_with("mk_session=") && c.contains("; Secure")));
}

async fn forms_without_their_token_are_refused(db: Database) {
    let s = Setup::make(&db);
    let server = Server::start(&db, &[]);
    let mut b = Browser::new(&server);
    // Signing in needs the form's token too.
    b.get("/sign-in").await;
    let r = b.post_form("/sign-in", &[("email", s.email), ("password", s.password)]).await;
    assert_eq!(r.status, 403);
    assert_eq!(b.sign_in(s.email, s.password).await.status, 303);
    let enrol = [("pair", "P3"), ("mentee_name", "M"), ("mentor_name", "N")];
    assert_eq!(b.post_form("/pairs", &enrol).await.status, 403);
    let mut wrong = enrol.to_vec();
    wrong.push(("csrf", "not-the-token"));
    assert_eq!(b.post_form("/pairs", &wrong).await.status, 403);
    assert_eq!(b.post_form("/pairs/P1/mentee/erase", &[("confirm", "yes")]).await.status, 403);
    assert_eq!(b.post_form("/pairs/P1/mentee/export", &[]).await.status, 403);
    assert_eq!(b.post_form("/sign-out", &[]).await.status, 403);
    let pool = db.open().await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pairs").fetch_one(&pool.pool).await.expect("count");
    assert_eq!(n, 2, "no pair was enrolled");
    let name: Option<String> = sqlx::query_scalar("SELECT mentee_name FROM pairs WHERE pair_id = 'P1'").fetch_one(&pool.pool).await.expect("name");
    assert_eq!(name.as_deref(), Some("Ada Mentee"), "no one was erased");
    // With the token, the same form works.
    let token = b.csrf("/pairs/new").await;
    let mut right = enrol.to_vec();
    right.push(("csrf", &token));
    let r = b.post_form("/pairs", &right).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("mki_"), "the invitations are shown once");
}

async fn failed_sign_ins_are_throttled(db: Database) {
    let s = Setup::make(&db);
    let server = Server::start(&db, &[]);
    let mut b = Browser::new(&server);
    for _ in 0..5 {
        assert_eq!(b.sign_in(s.email, "wrong password!").await.status, 401);
    }
    let r = b.sign_in(s.email, "wrong password!").await;
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").is_some_and(|v| v.parse::<u32>().is_ok_and(|n| n > 0)));
    assert_eq!(b.sign_in(s.email, s.password).await.status, 429, "even the right password waits");
    // From one address, guessing across many accounts is throttled too.
    for i in 0..15 {
        b.sign_in(&format!("nobody{i}@example.org"), "guess guess guess").await;
    }
    assert_eq!(b.sign_in("another@example.org", "guess guess guess").await.status, 429);
}

async fn secrets_are_not_stored_in_clear(db: Database) {
    let s = Setup::make(&db);
    let server = Server::start(&db, &[]);
    let mut b = Browser::new(&server);
    assert_eq!(b.sign_in(s.email, s.password).await.status, 303);
    let session = b.cookies.iter().find(|(k, _)| k == "mk_session").map(|(_, v)| v.clone()).expect("session");
    let pool = db.open().await;
    let mut everything = String::new();
    for table in ["programmes", "programme_keys", "pairs", "invitations", "records", "coordinators", "sessions", "audit_log", "sign_in_failures"] {
        let columns: Vec<String> = if db.postgres {
            sqlx::query_scalar("SELECT column_name::text FROM information_schema.columns WHERE table_name = $1").bind(table).fetch_all(&pool.pool).await.expect("columns")
        } else {
            let rows = sqlx::query(&format!("SELECT name FROM pragma_table_info('{table}')")).fetch_all(&pool.pool).await.expect("columns");
            rows.iter().map(|r| r.get::<String, _>("name")).collect()
        };
        let text = columns.iter().map(|c| format!("COALESCE(CAST({c} AS TEXT), '')")).collect::<Vec<_>>().join(" || '|' || ");
        for row in sqlx::query(&format!("SELECT {text} AS t FROM {table}")).fetch_all(&pool.pool).await.expect("rows") {
            everything.push_str(&row.get::<String, _>("t"));
            everything.push('\n');
        }
    }
    for secret in [&s.p1_mentee, &s.p1_mentor, &s.p2_mentee, &s.key, &session, &s.password.to_owned()] {
        assert!(!everything.contains(secret.as_str()), "a secret is stored in clear");
        assert!(everything.contains(&mentorkit_server::secret::digest(secret)) || secret == s.password, "tokens are kept as their SHA-256");
    }
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM coordinators").fetch_one(&pool.pool).await.expect("hash");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
}

async fn logs_hold_no_personal_data(db: Database) {
    let s = Setup::make(&db);
    let server = Server::start(&db, &[]);
    assert_eq!(server.post("/api/records", Some(&s.p1_mentee), Some("l.1"), &record("l")).await.status, 201);
    server.post("/api/records?pair=P1", Some(&s.p2_mentee), Some("l.2"), &record("l2")).await;
    let mut b = Browser::new(&server);
    b.sign_in(s.email, "wrong password!").await;
    b.sign_in(s.email, s.password).await;
    b.get("/pairs/P1").await;
    let logs = server.log_text();
    assert!(logs.contains("\"status\":201"), "requests are logged: {logs}");
    for personal in ["Ada Mentee", "Grace Mentor", "ada@example.org", "We met on time", s.email, s.password, &s.p1_mentee, &s.p2_mentee] {
        assert!(!logs.contains(personal), "the logs hold {personal}");
    }
}
