//! Several server processes on one PostgreSQL database accept each record
//! exactly once: the database's unique key decides, not a process.

mod common;

use common::http;
use common::{record, Database, Server, Setup};

async fn count(db: &Database) -> i64 {
    let pool = db.open().await;
    sqlx::query_scalar("SELECT COUNT(*) FROM records").fetch_one(&pool.pool).await.expect("count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_postgresql_store_each_record_once() {
    let Some(db) = Database::postgres().await else { return };
    let s = Setup::make(&db);
    let servers = [Server::start(&db, &[]), Server::start(&db, &[])];
    let addrs = [servers[0].addr, servers[1].addr];
    let mut tasks = Vec::new();
    for i in 0..500 {
        let (addr, token) = (addrs[i % 2], s.p1_mentee.clone());
        tasks.push(tokio::spawn(async move {
            let key = format!("c{i}.1");
            let headers = [("Content-Type", "application/json"), ("Idempotency-Key", key.as_str()), ("Authorization", &format!("Bearer {token}"))];
            http::request(addr, "POST", "/api/records", &headers, record(&format!("c{i}")).as_bytes()).await.map(|r| r.status)
        }));
    }
    for t in tasks {
        assert_eq!(t.await.expect("task").expect("answer"), 201);
    }
    assert_eq!(count(&db).await, 500);
    let mut tasks = Vec::new();
    for i in 0..100 {
        let (addr, token) = (addrs[i % 2], s.p1_mentee.clone());
        tasks.push(tokio::spawn(async move {
            let headers = [("Content-Type", "application/json"), ("Idempotency-Key", "same.1"), ("Authorization", &format!("Bearer {token}"))];
            http::request(addr, "POST", "/api/records", &headers, record("same").as_bytes()).await
        }));
    }
    let mut fresh = 0;
    for t in tasks {
        let r = t.await.expect("task").expect("answer");
        assert_eq!(r.status, 201);
        fresh += usize::from(r.header("idempotent-replayed").is_none());
    }
    assert_eq!(fresh, 1, "one process stored it, every other answer is a replay");
    assert_eq!(count(&db).await, 501);
}
