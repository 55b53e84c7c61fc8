//! The command line: every option documented with its environment
//! variable, settable from the environment, and admin commands that refuse
//! what they cannot use.

mod common;

use common::{Database, Server, BIN};
use std::process::Command;

#[test]
fn help_documents_every_option_with_its_environment_variable() {
    let out = Command::new(BIN).arg("--help").output().expect("run --help");
    let help = String::from_utf8_lossy(&out.stdout);
    let options = [
        ("--database-url", "MENTORKIT_DATABASE_URL"),
        ("--db-max-connections", "MENTORKIT_DB_MAX_CONNECTIONS"),
        ("--log-format", "MENTORKIT_LOG_FORMAT"),
        ("--log-level", "MENTORKIT_LOG_LEVEL"),
        ("--addr", "MENTORKIT_ADDR"),
        ("--secure-cookies", "MENTORKIT_SECURE_COOKIES"),
        ("--trust-proxy", "MENTORKIT_TRUST_PROXY"),
        ("--allow-origin", "MENTORKIT_ALLOW_ORIGIN"),
        ("--max-connections", "MENTORKIT_MAX_CONNECTIONS"),
        ("--max-concurrency", "MENTORKIT_MAX_CONCURRENCY"),
        ("--header-timeout", "MENTORKIT_HEADER_TIMEOUT"),
        ("--request-timeout", "MENTORKIT_REQUEST_TIMEOUT"),
        ("--shutdown-grace", "MENTORKIT_SHUTDOWN_GRACE"),
        ("--retention-interval", "MENTORKIT_RETENTION_INTERVAL"),
        ("--demo", "MENTORKIT_DEMO"),
        ("--static-root", "MENTORKIT_STATIC_ROOT"),
    ];
    for (flag, env) in options {
        assert!(help.contains(flag) && help.contains(&format!("[env: {env}")), "{flag} / {env} in:\n{help}");
    }
    let flags = help.lines().filter(|l| l.trim_start().starts_with("--") && !l.contains("--help") && !l.contains("--version")).count();
    assert_eq!(flags, options.len(), "every option is listed here");
    let admin = Command::new(BIN).args(["admin", "--help"]).output().expect("run admin --help");
    let admin = String::from_utf8_lossy(&admin.stdout);
    for command in ["create-programme", "create-coordinator", "create-key", "enrol-pair", "purge-expired"] {
        assert!(admin.contains(command), "{command}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn options_come_from_the_environment_too() {
    let db = Database::sqlite().await;
    // MENTORKIT_DEMO=true turns on demo mode: posting needs no invitation.
    let root = std::env::temp_dir().join(format!("mk-env-{}", std::process::id()));
    std::fs::create_dir_all(root.join("www")).expect("mkdir");
    let root_text = root.display().to_string();
    let server = Server::start_env(&db.url, &[], &[("MENTORKIT_DEMO", "true"), ("MENTORKIT_STATIC_ROOT", &root_text)]);
    assert_eq!(server.post("/api/records", None, Some("e"), &common::record("e")).await.status, 201);
    let _ = std::fs::remove_dir_all(root);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_commands_refuse_what_they_cannot_use() {
    let db = Database::sqlite().await;
    let run = |args: &[&str], stdin: &str| {
        use std::io::Write;
        let mut child = Command::new(BIN)
            .args(["--database-url", &db.url, "admin"])
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        if let Some(mut input) = child.stdin.take() {
            let _ = input.write_all(stdin.as_bytes());
        }
        let out = child.wait_with_output().expect("wait");
        (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    assert!(!run(&["create-programme", "--id", "a b", "--name", "x"], "").0);
    assert!(!run(&["create-programme", "--id", "p", "--name", "x", "--origin", "https://host.example/path"], "").0);
    assert!(run(&["create-programme", "--id", "p", "--name", "x"], "").0);
    assert!(!run(&["create-programme", "--id", "p", "--name", "again"], "").0, "an id is taken once");
    let (ok, why) = run(&["create-coordinator", "--programme", "p", "--email", "c@example.org", "--password-stdin"], "short\n");
    assert!(!ok && why.contains("12 characters"), "{why}");
    assert!(!run(&["create-coordinator", "--programme", "nope", "--email", "c@example.org", "--password-stdin"], "long enough password\n").0);
    assert!(run(&["create-coordinator", "--programme", "p", "--email", "c@example.org", "--password-stdin"], "long enough password\n").0);
    assert!(!run(&["enrol-pair", "--programme", "p", "--pair", "bad id!", "--mentee-name", "a", "--mentor-name", "b"], "").0);
}
