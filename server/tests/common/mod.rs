//! What the black-box tests share: a fresh database of either engine (a
//! SQLite file, or a new database on the PostgreSQL server named by
//! `MENTORKIT_TEST_POSTGRES`), the real `mentorkit-server` binary started on
//! a free port, the admin subcommands, and records to send.
#![allow(dead_code)]

pub mod http;

use mentorkit_server::db::{Db, Location};
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_mentorkit-server");

/// A throwaway database.
pub struct Database {
    /// Its URL, as the server takes it.
    pub url: String,
    /// Whether it is PostgreSQL.
    pub postgres: bool,
    folder: Option<PathBuf>,
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some(folder) = &self.folder {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}

fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{prefix}_{}_{}_{nanos}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

impl Database {
    /// A new SQLite file in a folder that does not exist yet.
    pub async fn sqlite() -> Database {
        let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(unique("mk"));
        let url = folder.join("nested").join("records.sqlite").display().to_string();
        Database { url, postgres: false, folder: Some(folder) }
    }

    /// A new database on the test PostgreSQL server; `None` (saying so) when
    /// there is none and none is required. `./dev test` requires one.
    pub async fn postgres() -> Option<Database> {
        let Ok(base) = std::env::var("MENTORKIT_TEST_POSTGRES") else {
            if std::env::var("MENTORKIT_TEST_POSTGRES_REQUIRED").is_ok_and(|v| v == "1") {
                panic!("MENTORKIT_TEST_POSTGRES is not set but PostgreSQL is required (./dev test starts one)");
            }
            eprintln!("skipped: set MENTORKIT_TEST_POSTGRES=postgres://user@host:port/db to run this test on PostgreSQL");
            return None;
        };
        let admin = Db::connect(&Location::Postgres(base.clone()), Some(1)).await.expect("the test PostgreSQL server answers");
        let name = unique("mk");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin.pool).await.expect("create a test database");
        admin.close().await;
        let cut = base.rfind('/').expect("a URL with a database");
        Some(Database { url: format!("{}/{name}", &base[..cut]), postgres: true, folder: None })
    }

    /// A pool on it, for checking what the server stored.
    pub async fn open(&self) -> Db {
        let db = Db::connect(&Location::parse(&self.url), Some(2)).await.expect("open the test database");
        db.migrate().await.expect("migrate the test database");
        db
    }

    /// Runs an admin subcommand; its standard output.
    pub fn admin(&self, args: &[&str], stdin: Option<&str>) -> String {
        let mut child = Command::new(BIN)
            .args(["--database-url", &self.url, "admin"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run mentorkit-server admin");
        if let Some(mut input) = child.stdin.take() {
            if let Some(text) = stdin {
                input.write_all(text.as_bytes()).expect("write stdin");
            }
        }
        let out = child.wait_with_output().expect("admin finishes");
        assert!(out.status.success(), "admin {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

/// The value after `name: ` in admin output.
pub fn field<'a>(text: &'a str, name: &str) -> &'a str {
    text.lines().find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(": "))).unwrap_or_else(|| panic!("no {name} in {text}"))
}

/// A programme with two enrolled pairs, a key and a coordinator.
pub struct Setup {
    pub p1_mentee: String,
    pub p1_mentor: String,
    pub p2_mentee: String,
    pub key: String,
    pub email: &'static str,
    pub password: &'static str,
}

pub const ORIGIN: &str = "https://host.example";

impl Setup {
    pub fn make(db: &Database) -> Setup {
        db.admin(&["create-programme", "--id", "prog", "--name", "Arts mentoring", "--origin", ORIGIN, "--retention-days", "30"], None);
        let p1 = db.admin(&["enrol-pair", "--programme", "prog", "--pair", "P1", "--mentee-name", "Ada Mentee", "--mentor-name", "Grace Mentor", "--mentee-contact", "ada@example.org"], None);
        let p2 = db.admin(&["enrol-pair", "--programme", "prog", "--pair", "P2", "--mentee-name", "Alan Mentee", "--mentor-name", "Edsger Mentor"], None);
        let key = db.admin(&["create-key", "--programme", "prog", "--label", "crm"], None);
        let (email, password) = ("coord@example.org", "a long enough password");
        db.admin(&["create-coordinator", "--programme", "prog", "--email", email, "--password-stdin"], Some(password));
        Setup {
            p1_mentee: field(&p1, "mentee-invitation").to_owned(),
            p1_mentor: field(&p1, "mentor-invitation").to_owned(),
            p2_mentee: field(&p2, "mentee-invitation").to_owned(),
            key: field(&key, "key").to_owned(),
            email,
            password,
        }
    }
}

/// A running `mentorkit-server`.
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// What it logged so far (JSON lines on standard error).
    pub logs: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts the server on `db` with `extra` options, on a free port.
    pub fn start(db: &Database, extra: &[&str]) -> Server {
        Self::start_url(&db.url, extra)
    }

    /// Starts the server on the database at `url`.
    pub fn start_url(url: &str, extra: &[&str]) -> Server {
        Self::start_env(url, extra, &[])
    }

    /// Starts the server on the database at `url` with environment variables `env`.
    pub fn start_env(url: &str, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(BIN)
            .args(["--database-url", url, "--addr", "127.0.0.1:0", "--log-format", "json", "--log-level", "info"])
            .args(extra)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start mentorkit-server");
        let stderr = child.stderr.take().expect("piped stderr");
        let logs = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let kept = logs.clone();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(addr) = serde_json::from_str::<serde_json::Value>(&line)
                    .ok()
                    .filter(|v| v["message"] == "listening")
                    .and_then(|v| v["addr"].as_str().and_then(|a| a.parse::<SocketAddr>().ok()))
                {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(addr);
                    }
                }
                kept.lock().expect("log lock").push(line);
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                panic!("the server did not start: {:?}", logs.lock().expect("log lock"));
            }
        };
        Server { child, addr, logs }
    }

    /// The process id.
    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// Sends a signal to the process.
    pub fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on our own child's pid.
        unsafe {
            libc::kill(self.pid(), signal);
        }
    }

    /// Waits for the process to end; whether it exited with success.
    pub fn wait(&mut self, limit: Duration) -> Option<bool> {
        let until = std::time::Instant::now() + limit;
        while std::time::Instant::now() < until {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status.success());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Every log line so far, joined.
    pub fn log_text(&self) -> String {
        self.logs.lock().expect("log lock").join("\n")
    }

    /// `POST /api/records` with a credential (or none) and a key.
    pub async fn post(&self, path: &str, credential: Option<&str>, key: Option<&str>, body: &str) -> http::Response {
        let bearer = credential.map(|c| format!("Bearer {c}"));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(b) = &bearer {
            headers.push(("Authorization", b));
        }
        if let Some(k) = key {
            headers.push(("Idempotency-Key", k));
        }
        http::request(self.addr, "POST", path, &headers, body.as_bytes()).await.expect("an answer")
    }

    /// A GET with extra headers.
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> http::Response {
        http::request(self.addr, "GET", path, headers, b"").await.expect("an answer")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A valid session record with id `id`.
pub fn record(id: &str) -> String {
    format!(
        r#"{{"schema":"mentorkit.record","version":1,"id":"{id}","kind":"session","recordVersion":1,"created":"2027-01-05T10:00:00.000Z","submitted":"2027-01-05T10:00:00.000Z","data":{{"kind":"session","date":"2027-01-05","rating":"4","wentWell":"We met on time"}}}}"#
    )
}

/// A version 2 session record saying it concerns `pair`, sent as `role`.
pub fn record_about(id: &str, pair: &str, role: &str) -> String {
    let v1 = record(id).replacen(r#""version":1"#, r#""version":2"#, 1);
    format!(r#"{},"about":{{"pair":"{pair}","role":"{role}"}}}}"#, &v1[..v1.len() - 1])
}

/// Runs `body` on SQLite, and on PostgreSQL when there is one (see [`Database::postgres`]).
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::common::Database::sqlite().await).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(db) = $crate::common::Database::postgres().await {
                        super::$name(db).await;
                    }
                }
            }
        )*
    };
}

/// `application/x-www-form-urlencoded` of `fields`.
pub fn form(fields: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
                b' ' => "+".into(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    fields.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

/// The value of the first hidden `csrf` field in a page.
pub fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").unwrap_or_else(|| panic!("no form token in {page}")) + "name=\"csrf\" value=\"".len();
    page[at..].split('"').next().unwrap_or_default().to_owned()
}

/// A coordinator's browser: keeps cookies, signs in, posts forms.
pub struct Browser {
    pub addr: SocketAddr,
    pub cookies: Vec<(String, String)>,
}

impl Browser {
    pub fn new(server: &Server) -> Browser {
        Browser { addr: server.addr, cookies: Vec::new() }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep(&mut self, r: &http::Response) {
        for set in r.headers_named("set-cookie") {
            let pair = set.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                self.cookies.retain(|(k, _)| k != name);
                if !value.is_empty() && !set.contains("Max-Age=0") {
                    self.cookies.push((name.to_owned(), value.to_owned()));
                }
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> http::Response {
        let cookie = self.cookie_header();
        let r = http::request(self.addr, "GET", path, &[("Cookie", &cookie)], b"").await.expect("an answer");
        self.keep(&r);
        r
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> http::Response {
        let cookie = self.cookie_header();
        let body = form(fields);
        let headers = [("Cookie", cookie.as_str()), ("Content-Type", "application/x-www-form-urlencoded")];
        let r = http::request(self.addr, "POST", path, &headers, body.as_bytes()).await.expect("an answer");
        self.keep(&r);
        r
    }

    /// Signs in; the answer to the form's POST.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> http::Response {
        let page = self.get("/sign-in").await;
        let token = csrf_of(&page.body);
        self.post_form("/sign-in", &[("csrf", &token), ("email", email), ("password", password)]).await
    }

    /// The form token of the page at `path`.
    pub async fn csrf(&mut self, path: &str) -> String {
        let page = self.get(path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        csrf_of(&page.body)
    }
}
