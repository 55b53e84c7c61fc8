//! The coordinator's view under load: a programme of 500 sample pairs with
//! 24 sessions each (both sides, plus agreements, check-ins and closing
//! reviews) posted through `POST /api/records`, on a fresh SQLite file and
//! (with `--postgres URL`) on a new PostgreSQL database; then the time the
//! server takes to answer `GET /pairs` and `GET /report` for a signed-in
//! coordinator (the median of several, and the slowest). `./dev bench` runs it.
//!
//! `cargo run --profile server -p mentorkit-server --example views -- [--postgres URL] [--pairs N] [--sessions S]`

use axum::body::Body;
use mentorkit_server::db::{Db, Location};
use mentorkit_server::http::{self, App, PeerAddr};
use mentorkit_server::coordinator::health::{self, Rules};
use mentorkit_server::coordinator::{facts, report};
use mentorkit_server::{accounts, programmes, sample};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tower::ServiceExt;

struct Options {
    postgres: Option<String>,
    pairs: usize,
    sessions: usize,
}

fn options() -> Result<Options, String> {
    let mut o = Options { postgres: None, pairs: 500, sessions: 24 };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--postgres" => o.postgres = Some(value()?).filter(|v| !v.is_empty()),
            "--pairs" => o.pairs = value()?.parse().map_err(|e| format!("--pairs: {e}"))?,
            "--sessions" => o.sessions = value()?.parse().map_err(|e| format!("--sessions: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(o)
}

const GOAL_MS: u128 = 200;

async fn time(router: &axum::Router, path: &str, cookie: &str) -> Result<(Duration, usize), String> {
    let request = axum::http::Request::get(path)
        .header("cookie", cookie)
        .extension(PeerAddr(std::net::SocketAddr::from(([127, 0, 0, 1], 0))))
        .body(Body::empty())
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let answer = router.clone().oneshot(request).await.map_err(|e| e.to_string())?;
    let status = answer.status();
    let body = axum::body::to_bytes(answer.into_body(), usize::MAX).await.map_err(|e| e.to_string())?;
    let took = started.elapsed();
    if !status.is_success() {
        return Err(format!("{path}: {status}"));
    }
    Ok((took, body.len()))
}

async fn run(o: &Options, name: &str, url: &str) -> Result<bool, String> {
    let db = Db::connect(&Location::parse(url), Some(8)).await.map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    let p = programmes::Programme { id: "bench".into(), name: "Benchmark".into(), origins: Vec::new(), retention_days: 3650, settings: Default::default() };
    programmes::create_programme(&db, &p, "bench").await.map_err(|e| e.to_string())?;
    accounts::create_coordinator(&db, "bench", "bench@example.org", "a benchmark passphrase", "bench").await.map_err(|e| format!("{e:?}"))?;
    let today = http::pages::today();
    let pairs = sample::pairs(o.pairs, o.sessions, &today, "B");
    let records: usize = pairs.iter().map(|p| p.records.len()).sum();
    let started = Instant::now();
    sample::seed(&db, "bench", &pairs).await?;
    println!("{name}: {} pairs, {records} records posted in {:.1} s", pairs.len(), started.elapsed().as_secs_f64());
    let token = match accounts::sign_in(&db, "bench@example.org", "a benchmark passphrase", "127.0.0.1").await.map_err(|e| e.to_string())? {
        accounts::SignIn::Ok(token, _) => token,
        _ => return Err("the benchmark's coordinator could not sign in".into()),
    };
    let cookie = format!("mk_session={token}");
    let settings = {
        use clap::Parser;
        mentorkit_server::config::Cli::try_parse_from(["mentorkit-server", "--database-url", url]).map_err(|e| e.to_string())?.serve
    };
    let router = http::router(Arc::new(App { db: db.clone(), settings, origins: RwLock::new(HashMap::new()), demo: None }));
    let mut ok = true;
    for (what, path) in [("pairs list", "/pairs"), ("pairs list, filtered and sorted", "/pairs?alert=any&sort=rhythm"), ("report, last 12 months", "/report")] {
        time(&router, path, &cookie).await?;
        let mut runs = Vec::new();
        let mut size = 0;
        for _ in 0..7 {
            let (took, bytes) = time(&router, path, &cookie).await?;
            runs.push(took);
            size = bytes;
        }
        runs.sort();
        let median = runs[runs.len() / 2];
        let verdict = if median.as_millis() < GOAL_MS { "under" } else { ok = false; "OVER" };
        println!(
            "{name}: {what} ({path}): median {:.1} ms, slowest {:.1} ms of 7, {size} bytes; {verdict} the {GOAL_MS} ms goal",
            median.as_secs_f64() * 1000.0,
            runs[runs.len() - 1].as_secs_f64() * 1000.0
        );
    }
    // Where the time goes: reading the facts, working out each pair's health, the report.
    let cold = Db { facts: Default::default(), ..db.clone() };
    let started = Instant::now();
    facts::of_programme(&cold, "bench").await.map_err(|e| e.to_string())?;
    let first = started.elapsed();
    let started = Instant::now();
    let facts = facts::of_programme(&db, "bench").await.map_err(|e| e.to_string())?;
    let read = started.elapsed();
    let started = Instant::now();
    let healths: Vec<_> = facts.iter().map(|(id, f)| (id.as_str(), health::health("2020-01-01", f, Rules::default(), &today), f.as_slice())).collect();
    let worked = started.elapsed();
    let started = Instant::now();
    let period = report::Period::new(&format!("{}-01-01", &today[..4]), &today).ok_or("a period")?;
    let parts: Vec<_> = healths.iter().map(|(id, h, f)| (*id, h, *f)).collect();
    let r = report::report(&period, &parts);
    println!(
        "{name}: of which the facts {:.1} ms (read in full, as after an erasure: {:.1} ms), each pair's health {:.1} ms, the report's counting {:.1} ms ({} sessions held)",
        read.as_secs_f64() * 1000.0,
        first.as_secs_f64() * 1000.0,
        worked.as_secs_f64() * 1000.0,
        started.elapsed().as_secs_f64() * 1000.0,
        r.sessions.held
    );
    db.close().await;
    Ok(ok)
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let o = options()?;
    let folder = std::env::temp_dir().join(format!("mentorkit-views-{}", std::process::id()));
    let sqlite = folder.join("bench.sqlite").display().to_string();
    let result = run(&o, "SQLite", &sqlite).await;
    let _ = std::fs::remove_dir_all(&folder);
    let mut ok = result?;
    if let Some(base) = &o.postgres {
        let admin = Db::connect(&Location::Postgres(base.clone()), Some(1)).await.map_err(|e| e.to_string())?;
        let name = format!("mk_views_{}", std::process::id());
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin.pool).await.map_err(|e| e.to_string())?;
        let cut = base.rfind('/').ok_or("a PostgreSQL URL names a database")?;
        let result = run(&o, "PostgreSQL", &format!("{}/{name}", &base[..cut])).await;
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin.pool).await;
        admin.close().await;
        ok &= result?;
    } else {
        println!("PostgreSQL: skipped (pass --postgres URL)");
    }
    if !ok {
        println!("a view took longer than the goal");
    }
    Ok(())
}
