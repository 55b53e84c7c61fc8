//! The demo server: serves `www/` at `/` and the built package `pkg/` at
//! `/pkg/`, on http://127.0.0.1:8080 unless `--addr HOST:PORT` says otherwise,
//! and receives records at `/api/records` into a SQLite file (see
//! [`receiver`]).
//!
//! Run from the repository root (the `./dev demo` command does).

mod receiver;

use receiver::{Incoming, Receiver};
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use tiny_http::{Header, Method, Request, Response, Server};

fn main() {
    let mut addr = String::from("127.0.0.1:8080");
    let mut root = PathBuf::from(".");
    let mut db = String::from("target/demo/records.sqlite");
    let mut allow_origin = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => addr = args.next().unwrap_or_else(|| usage("--addr needs HOST:PORT")),
            "--root" => root = args.next().map(PathBuf::from).unwrap_or_else(|| usage("--root needs a folder")),
            "--db" => db = args.next().unwrap_or_else(|| usage("--db needs a file path")),
            "--allow-origin" => allow_origin = Some(args.next().unwrap_or_else(|| usage("--allow-origin needs an origin"))),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    if !root.join("www").is_dir() {
        usage("run me from the repository root, or pass --root");
    }
    let server = listen(&addr).unwrap_or_else(|e| {
        eprintln!("mentorkit-demo: cannot listen on {addr}: {e}");
        std::process::exit(1);
    });
    if let Some(folder) = Path::new(&db).parent().filter(|f| !f.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(folder);
    }
    let mut receiver = Receiver::open(&db, allow_origin).unwrap_or_else(|e| {
        eprintln!("mentorkit-demo: cannot open the database {db}: {e}");
        std::process::exit(1);
    });
    println!("mentorkit demo on http://{addr}/ (records go to {db}; see http://{addr}/received)");
    for mut request in server.incoming_requests() {
        let response = api(&mut receiver, &mut request).unwrap_or_else(|| route(&root, &request));
        let _ = request.respond(response);
    }
}

/// Listens on `addr` with Nagle's algorithm off (accepted sockets inherit it),
/// so a response's header and body writes are not held back waiting for the
/// browser's delayed acknowledgement.
fn listen(addr: &str) -> Result<Server, Box<dyn std::error::Error + Send + Sync>> {
    use std::os::fd::AsRawFd;
    let listener = std::net::TcpListener::bind(addr)?;
    let one: libc::c_int = 1;
    // SAFETY: a valid socket descriptor and a pointer to a c_int that outlives the call.
    let rc = unsafe {
        libc::setsockopt(
            listener.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_NODELAY,
            (&one as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if rc != 0 {
        eprintln!("mentorkit-demo: could not turn off Nagle's algorithm; responses may be slower");
    }
    Server::from_listener(listener, None)
}

fn usage(problem: &str) -> ! {
    eprintln!("mentorkit-demo: {problem}\nusage: mentorkit-demo [--addr 127.0.0.1:8080] [--root .]");
    std::process::exit(2);
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

/// Hands API requests to the receiver; `None` for everything else.
fn api(receiver: &mut Receiver, request: &mut Request) -> Option<Reply> {
    let url = request.url().to_owned();
    if !url.starts_with("/api/") && url.split('?').next() != Some("/received") {
        return None;
    }
    let mut body = Vec::new();
    let limit = receiver::MAX_BODY as u64 + 1;
    let _ = request.as_reader().take(limit).read_to_end(&mut body);
    let headers: Vec<(String, String)> =
        request.headers().iter().map(|h| (h.field.as_str().as_str().to_ascii_lowercase(), h.value.as_str().to_owned())).collect();
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let method = request.method().as_str().to_owned();
    let reply = receiver.handle(&Incoming { method: &method, url: &url, header: &header, body: &body })?;
    let mut response = Response::from_data(reply.body.into_bytes())
        .with_status_code(reply.status)
        .with_header(header_of("Content-Type", reply.content_type))
        .with_header(header_of("Cache-Control", "no-store"));
    for (name, value) in &reply.headers {
        response = response.with_header(header_of(name, value));
    }
    Some(response)
}

fn route(root: &Path, request: &Request) -> Reply {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return text(405, "method not allowed");
    }
    let path = request.url().split(['?', '#']).next().unwrap_or("/");
    let file = match path.strip_prefix("/pkg/") {
        Some(rest) => safe_join(&root.join("pkg"), rest),
        None => safe_join(&root.join("www"), path.trim_start_matches('/')),
    };
    let Some(mut file) = file else { return text(400, "bad path") };
    if file.is_dir() {
        file = file.join("index.html");
    }
    match std::fs::read(&file) {
        // Revalidated on every load, answered 304 while unchanged, so a
        // browser keeps the file and what it compiled from it (the wasm).
        Ok(body) => {
            let tag = etag(&body);
            let unchanged = request.headers().iter().any(|h| h.field.equiv("If-None-Match") && h.value.as_str().split(',').any(|t| t.trim() == tag));
            let response = if unchanged { Response::from_data(Vec::new()).with_status_code(304) } else { Response::from_data(body) };
            response
                .with_header(header_of("Content-Type", content_type(&file)))
                .with_header(header_of("Cache-Control", "no-cache"))
                .with_header(header_of("ETag", &tag))
        }
        Err(_) if path.starts_with("/pkg/") => text(404, "not built yet: run ./dev build"),
        Err(_) => text(404, "not found"),
    }
}

/// A validator for a file's bytes.
fn etag(body: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    format!("\"{:016x}\"", hasher.finish())
}

/// Joins a URL path below `base`, refusing anything that climbs out of it.
fn safe_join(base: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    rel.components().all(|c| matches!(c, Component::Normal(_))).then(|| base.join(rel))
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ts" => "text/plain; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn header_of(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header names and values are valid")
}

fn text(status: u16, body: &str) -> Reply {
    Response::from_data(body.as_bytes().to_vec())
        .with_status_code(status)
        .with_header(header_of("Content-Type", "text/plain; charset=utf-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_climb_out() {
        assert!(safe_join(Path::new("www"), "../Cargo.toml").is_none());
        assert!(safe_join(Path::new("www"), "/etc/passwd").is_none());
        assert_eq!(safe_join(Path::new("www"), "a/b.html"), Some(PathBuf::from("www/a/b.html")));
    }

    #[test]
    fn serves_wasm_with_its_type() {
        assert_eq!(content_type(Path::new("pkg/x_bg.wasm")), "application/wasm");
    }
}
