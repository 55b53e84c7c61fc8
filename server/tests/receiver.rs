//! The record endpoint under bad input, load and failure, on SQLite and
//! PostgreSQL: the real binary, real TCP, a real database.

mod common;

use common::http::{self, Conn};
use common::{record, Database, Server, Setup};
use std::collections::HashSet;
use std::time::{Duration, Instant};

on_both_engines!(
    a_bad_timestamp_is_refused_and_the_server_stays_up,
    invalid_records_are_refused_with_their_reason,
    distinct_keys_make_one_row_each,
    one_key_makes_one_row,
    sigkill_loses_no_acknowledged_record,
    a_trickling_client_blocks_no_one,
    sigterm_lets_a_request_in_flight_finish,
);

async fn count(db: &Database) -> i64 {
    let pool = db.open().await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM records").fetch_one(&pool.pool).await.expect("count");
    pool.close().await;
    n
}

async fn a_bad_timestamp_is_refused_and_the_server_stays_up(db: Database) {
    let s = Setup::make(&db);
    let server = Server::start(&db, &[]);
    let bad = record("t1").replace("\"created\":\"2027-01-05T10:00:00.000Z\"", "\"created\":\"2027-01-0éT10:00:00Z\"");
    assert!(bad.contains("0éT"));
    let r = server.post("/api/records", Some(&s.p1_mentee), Some("t1.1"), &bad).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.json()["error"].as_str().is_some_and(|e| e.contains("created")), "{}", r.body);
    let next = server.get("/healthz", &[]).await;
    assert_eq!(next.status, 200);
    assert_eq!(server.post("/api/records", Some(&s.p1_mentee), Some("t2.1"), &record("t2")).await.status, 201);
}

async fn invalid_records_are_refused_with_their_reason(db: Database) {
    let s = Setup::make(&db);
    let server = Server::start(&db, &[]);
    let good = record("r1");
    let cases: Vec<(&str, String, u16, &str)> = vec![
        ("not JSON", "this is not json".into(), 422, "not a mentorkit record"),
        ("empty", String::new(), 422, "not a mentorkit record"),
        ("wrong type", good.replace("\"recordVersion\":1", "\"recordVersion\":\"one\""), 422, "recordVersion"),
        ("unknown field", good.replace("\"version\":1,", "\"version\":1,\"extra\":true,"), 422, "unknown field"),
        ("private field", good.replace("\"rating\":\"4\"", "\"rating\":\"4\",\"private.note\":\"mine\""), 422, "private"),
        ("unknown answer", good.replace("\"rating\":\"4\"", "\"rating\":\"4\",\"health\":\"4\""), 422, "not an answer"),
        ("bad kind", good.replace("\"kind\":\"session\",\"recordVersion\"", "\"kind\":\"party\",\"recordVersion\""), 422, "kind"),
        ("nested too deep", "[".repeat(10_000), 422, "not a mentorkit record"),
        ("huge", good.replace("We met on time", &"x".repeat(70 * 1024)), 413, "64 KiB"),
    ];
    for (i, (what, body, status, reason)) in cases.into_iter().enumerate() {
        let r = server.post("/api/records", Some(&s.p1_mentee), Some(&format!("bad-{i}")), &body).await;
        assert_eq!(r.status, status, "{what}: {}", r.body);
        let error = r.json()["error"].as_str().unwrap_or_default().to_owned();
        assert!(error.contains(reason), "{what}: {error}");
    }
    let missing_key = server.post("/api/records", Some(&s.p1_mentee), None, &good).await;
    assert_eq!(missing_key.status, 400);
    assert!(missing_key.body.contains("Idempotency-Key"));
    let headers = [("Content-Type", "text/plain"), ("Idempotency-Key", "k"), ("Authorization", &format!("Bearer {}", s.p1_mentee))];
    let wrong_type = http::request(server.addr, "POST", "/api/records", &headers, good.as_bytes()).await.expect("answer");
    assert_eq!(wrong_type.status, 415);
    // A declared length over the limit is refused before any body is read.
    let mut conn = Conn::open(server.addr).await.expect("connect");
    let head = format!(
        "POST /api/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nIdempotency-Key: big\r\nAuthorization: Bearer {}\r\nContent-Length: 10000000\r\n\r\n",
        s.p1_mentee
    );
    conn.write_raw(head.as_bytes()).await.expect("write");
    assert_eq!(conn.read_response(false).await.expect("answer").status, 413);
    // The same key for another record.
    assert_eq!(server.post("/api/records", Some(&s.p1_mentee), Some("same"), &good).await.status, 201);
    let other = server.post("/api/records", Some(&s.p1_mentee), Some("same"), &good.replace("\"4\"", "\"5\"")).await;
    assert_eq!(other.status, 422);
    assert!(other.body.contains("already used"));
    assert_eq!(count(&db).await, 1, "only the good record is stored");
}

async fn distinct_keys_make_one_row_each(db: Database) {
    let s = Setup::make(&db);
    let server = Server::start(&db, &[]);
    let mut tasks = Vec::new();
    for i in 0..500 {
        let (addr, token) = (server.addr, s.p1_mentee.clone());
        tasks.push(tokio::spawn(async move {
            let body = record(&format!("d{i}"));
            let key = format!("d{i}.1");
            let headers = [("Content-Type", "application/json"), ("Idempotency-Key", key.as_str()), ("Authorization", &format!("Bearer {token}"))];
            http::request(addr, "POST", "/api/records", &headers, body.as_bytes()).await.map(|r| r.status)
        }));
    }
    for t in tasks {
        assert_eq!(t.await.expect("task").expect("answer"), 201);
    }
    assert_eq!(count(&db).await, 500);
}

async fn one_key_makes_one_row(db: Database) {
    let s = Setup::make(&db);
    let server = Server::start(&db, &[]);
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let (addr, token) = (server.addr, s.p1_mentee.clone());
        tasks.push(tokio::spawn(async move {
            let headers = [("Content-Type", "application/json"), ("Idempotency-Key", "one.1"), ("Authorization", &format!("Bearer {token}"))];
            http::request(addr, "POST", "/api/records", &headers, record("one").as_bytes()).await
        }));
    }
    let mut replayed = 0;
    let mut answers = HashSet::new();
    for t in tasks {
        let r = t.await.expect("task").expect("answer");
        assert_eq!(r.status, 201, "{}", r.body);
        replayed += usize::from(r.header("idempotent-replayed") == Some("true"));
        answers.insert(r.body);
    }
    assert_eq!(replayed, 99, "all but the first are marked as replays");
    assert_eq!(answers.len(), 1, "every answer is the stored one");
    assert_eq!(count(&db).await, 1);
}

async fn sigkill_loses_no_acknowledged_record(db: Database) {
    let s = Setup::make(&db);
    let server = Server::start(&db, &[]);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut tasks = Vec::new();
    for worker in 0..16 {
        let (addr, token, tx) = (server.addr, s.p1_mentee.clone(), tx.clone());
        tasks.push(tokio::spawn(async move {
            let Ok(mut conn) = Conn::open(addr).await else { return };
            for i in 0..200 {
                let id = format!("k{worker}x{i}");
                let key = format!("{id}.1");
                let headers = [("Content-Type", "application/json"), ("Idempotency-Key", key.as_str()), ("Authorization", &format!("Bearer {token}"))];
                match conn.send("POST", "/api/records", &headers, record(&id).as_bytes()).await {
                    Ok(r) if r.status == 201 => {
                        let _ = tx.send(key);
                    }
                    _ => return,
                }
            }
        }));
    }
    drop(tx);
    // Kill it once a good part of the burst is acknowledged, mid-flight.
    let mut acknowledged = HashSet::new();
    while acknowledged.len() < 300 {
        match tokio::time::timeout(Duration::from_secs(30), rx.recv()).await {
            Ok(Some(key)) => {
                acknowledged.insert(key);
            }
            _ => panic!("the burst stalled at {}", acknowledged.len()),
        }
    }
    server.signal(libc::SIGKILL);
    for t in tasks {
        let _ = t.await;
    }
    while let Ok(key) = rx.try_recv() {
        acknowledged.insert(key);
    }
    drop(server);
    assert!(acknowledged.len() < 16 * 200, "the kill came before the end of the burst");
    // Restarted, the server still has every acknowledged record.
    let again = Server::start(&db, &[]);
    assert_eq!(again.get("/healthz", &[]).await.status, 200);
    let pool = db.open().await;
    let stored: HashSet<String> = sqlx::query_scalar("SELECT idempotency_key FROM records").fetch_all(&pool.pool).await.expect("keys").into_iter().collect();
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(lost.is_empty(), "{} acknowledged records lost, e.g. {:?}", lost.len(), lost.first());
}

async fn a_trickling_client_blocks_no_one(db: Database) {
    let s = Setup::make(&db);
    let server = Server::start(&db, &["--request-timeout", "30"]);
    let mut slow = Conn::open(server.addr).await.expect("connect");
    let head = format!(
        "POST /api/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nIdempotency-Key: slow\r\nAuthorization: Bearer {}\r\nContent-Length: 60000\r\n\r\n",
        s.p1_mentee
    );
    slow.write_raw(head.as_bytes()).await.expect("write");
    // A half-sent header on another connection, too.
    let mut stalled = Conn::open(server.addr).await.expect("connect");
    stalled.write_raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.expect("write");
    // Blocked, a request would wait for the slow one's 30 s timeout; five
    // seconds leaves room for a busy machine's database writes.
    let bound = Duration::from_secs(5);
    for _ in 0..3 {
        slow.write_raw(b"{").await.expect("trickle");
        let start = Instant::now();
        let r = server.get("/healthz", &[]).await;
        assert_eq!(r.status, 200);
        assert!(start.elapsed() < bound, "healthz took {:?}", start.elapsed());
        let posted = server.post("/api/records", Some(&s.p1_mentee), Some(&format!("fast-{}", start.elapsed().as_nanos())), &record("fast")).await;
        assert_eq!(posted.status, 201);
        assert!(start.elapsed() < bound, "a post took {:?}", start.elapsed());
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn sigterm_lets_a_request_in_flight_finish(db: Database) {
    let s = Setup::make(&db);
    let mut server = Server::start(&db, &[]);
    let body = record("late");
    let (first, rest) = body.split_at(10);
    let mut conn = Conn::open(server.addr).await.expect("connect");
    let head = format!(
        "POST /api/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nIdempotency-Key: late.1\r\nAuthorization: Bearer {}\r\nContent-Length: {}\r\n\r\n{first}",
        s.p1_mentee,
        body.len()
    );
    conn.write_raw(head.as_bytes()).await.expect("write");
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.signal(libc::SIGTERM);
    tokio::time::sleep(Duration::from_millis(500)).await;
    // New connections are no longer taken…
    assert!(http::request(server.addr, "GET", "/healthz", &[], b"").await.is_err(), "still accepting after SIGTERM");
    // …but the request in flight is finished and answered.
    conn.write_raw(rest.as_bytes()).await.expect("write the rest");
    let r = conn.read_response(false).await.expect("an answer");
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(server.wait(Duration::from_secs(10)), Some(true), "exits cleanly");
    assert_eq!(count(&db).await, 1);
}
