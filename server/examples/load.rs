//! The server's load benchmark: starts `mentorkit-server` on a fresh SQLite
//! file and (with `--postgres URL`) on a new PostgreSQL database, posts
//! records with distinct keys over keep-alive connections, and prints
//! records accepted per second. `./dev bench` runs it.
//!
//! `cargo run --profile server -p mentorkit-server --example load -- --server target/server/mentorkit-server [--postgres URL] [--records N] [--connections C]`

#[path = "../tests/common/http.rs"]
#[allow(dead_code)]
mod http;

use mentorkit_server::db::{Db, Location};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Options {
    server: String,
    postgres: Option<String>,
    records: usize,
    connections: usize,
}

fn options() -> Result<Options, String> {
    let mut o = Options { server: "target/server/mentorkit-server".into(), postgres: None, records: 10_000, connections: 32 };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--server" => o.server = value()?,
            "--postgres" => o.postgres = Some(value()?).filter(|v| !v.is_empty()),
            "--records" => o.records = value()?.parse().map_err(|e| format!("--records: {e}"))?,
            "--connections" => o.connections = value()?.parse().map_err(|e| format!("--connections: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(o)
}

fn admin(o: &Options, url: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(&o.server).args(["--database-url", url, "admin"]).args(args).output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn record(i: usize) -> String {
    format!(
        r#"{{"schema":"mentorkit.record","version":1,"id":"b{i}","kind":"session","recordVersion":1,"created":"2027-01-05T10:00:00.000Z","submitted":"2027-01-05T10:00:00.000Z","data":{{"kind":"session","date":"2027-01-05","rating":"4","wentWell":"We planned the next three months together and agreed who sends the agenda."}}}}"#
    )
}

async fn run(o: &Options, name: &str, url: &str) -> Result<(), String> {
    admin(o, url, &["create-programme", "--id", "bench", "--name", "Benchmark"])?;
    let pair = admin(o, url, &["enrol-pair", "--programme", "bench", "--pair", "B1", "--mentee-name", "M", "--mentor-name", "N"])?;
    let token = pair.lines().find_map(|l| l.strip_prefix("mentee-invitation: ")).ok_or("no invitation")?.to_owned();
    let mut child = Command::new(&o.server)
        .args(["--database-url", url, "--addr", "127.0.0.1:0", "--log-format", "json", "--log-level", "info", "--max-concurrency", "1024"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(addr) = serde_json::from_str::<serde_json::Value>(&line).ok().and_then(|v| v["addr"].as_str().and_then(|a| a.parse::<SocketAddr>().ok())) {
                let _ = tx.send(addr);
            }
        }
    });
    let outcome = async {
        let addr = rx.recv_timeout(Duration::from_secs(30)).map_err(|_| "the server did not start".to_owned())?;
        let started = Instant::now();
        let mut tasks = Vec::new();
        for c in 0..o.connections {
            let (token, records, connections) = (token.clone(), o.records, o.connections);
            tasks.push(tokio::spawn(async move {
                let mut conn = http::Conn::open(addr).await.map_err(|e| e.to_string())?;
                let bearer = format!("Bearer {token}");
                let mut i = c;
                while i < records {
                    let key = format!("b{i}.1");
                    let headers = [("Content-Type", "application/json"), ("Idempotency-Key", key.as_str()), ("Authorization", bearer.as_str())];
                    let r = conn.send("POST", "/api/records", &headers, record(i).as_bytes()).await.map_err(|e| e.to_string())?;
                    if r.status != 201 {
                        return Err(format!("answered {}: {}", r.status, r.body));
                    }
                    i += connections;
                }
                Ok::<(), String>(())
            }));
        }
        for t in tasks {
            t.await.map_err(|e| e.to_string())??;
        }
        let secs = started.elapsed().as_secs_f64();
        let db = Db::connect(&Location::parse(url), Some(1)).await.map_err(|e| e.to_string())?;
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM records").fetch_one(&db.pool).await.map_err(|e| e.to_string())?;
        db.close().await;
        if stored != o.records as i64 {
            return Err(format!("{stored} records stored of {}", o.records));
        }
        println!(
            "{name:<10} {:>7} records in {secs:>6.2} s = {:>7.0} records/s accepted and stored ({} keep-alive connections)",
            o.records,
            o.records as f64 / secs,
            o.connections
        );
        Ok(())
    }
    .await;
    let _ = child.kill();
    let _ = child.wait();
    outcome
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("load: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let folder = std::path::PathBuf::from("target/bench-load");
    let _ = std::fs::remove_dir_all(&folder);
    let sqlite = folder.join("records.sqlite").display().to_string();
    let mut targets = vec![("SQLite", sqlite)];
    if let Some(base) = &o.postgres {
        let name = format!("bench_{}", std::process::id());
        let made = async {
            let admin = Db::connect(&Location::Postgres(base.clone()), Some(1)).await.map_err(|e| e.to_string())?;
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin.pool).await.map_err(|e| e.to_string())?;
            admin.close().await;
            Ok::<(), String>(())
        };
        match (made.await, base.rfind('/')) {
            (Ok(()), Some(cut)) => targets.push(("PostgreSQL", format!("{}/{name}", &base[..cut]))),
            (Err(e), _) => eprintln!("load: no PostgreSQL database: {e}"),
            _ => eprintln!("load: --postgres needs a URL with a database"),
        }
    }
    let mut failed = false;
    for (name, url) in targets {
        if let Err(e) = run(&o, name, &url).await {
            eprintln!("load: {name}: {e}");
            failed = true;
        }
    }
    let _ = std::fs::remove_dir_all(&folder);
    if failed { std::process::ExitCode::FAILURE } else { std::process::ExitCode::SUCCESS }
}
