//! Starting and running the server: open and migrate the database, set up
//! demo mode if asked, run the retention task (at start, then periodically)
//! and the refresh of allowed origins, and serve until a signal.

use crate::config::ServeArgs;
use crate::db::{Db, DbError, Location};
use crate::http::{self, demo, App};
use crate::listen;
use crate::{accounts, privacy, programmes};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Why the server could not start.
#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

impl From<DbError> for StartError {
    fn from(e: DbError) -> Self {
        StartError(e.0)
    }
}

impl From<sqlx::Error> for StartError {
    fn from(e: sqlx::Error) -> Self {
        StartError(format!("database: {e}"))
    }
}

/// Opens the database at `url` and brings its schema up to date.
pub async fn open(url: &str, max_connections: Option<u32>, demo_mode: bool) -> Result<Db, StartError> {
    let location = Location::parse(url);
    let mut db = Db::connect(&location, max_connections).await?;
    if demo_mode && db.is_legacy_demo().await? {
        // The demo's file from before this server: kept aside, not migrated.
        if let Location::Sqlite(path) = &location {
            db.close().await;
            let aside = path.with_extension(format!("sqlite.before-server-{}", crate::db::now_ms()));
            std::fs::rename(path, &aside).map_err(|e| StartError(format!("moving the old demo database aside: {e}")))?;
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            tracing::warn!(kept_at = %aside.display(), "the demo database had the old layout; it was moved aside and a new one made");
            db = Db::connect(&location, max_connections).await?;
        }
    }
    db.migrate().await?;
    let backfilled = crate::coordinator::facts::backfill(&db).await?;
    if backfilled > 0 {
        tracing::info!(records = backfilled, "gave earlier records their facts for the coordinator's view");
    }
    tracing::info!(database = %location.redacted(), "database ready");
    Ok(db)
}

/// Serves until SIGTERM or SIGINT.
pub async fn run(db: Db, settings: ServeArgs) -> Result<(), StartError> {
    if settings.demo {
        let p = programmes::Programme {
            id: demo::PROGRAMME.into(),
            name: demo::PROGRAMME_NAME.into(),
            origins: Vec::new(),
            retention_days: demo::RETENTION_DAYS,
            settings: programmes::Settings::default(),
        };
        programmes::create_programme(&db, &p, "demo").await?;
        crate::sample::demo(&db, &http::pages::today()).await.map_err(|e| StartError(format!("the sample programme: {e}")))?;
        if !settings.static_root.join("www").is_dir() {
            return Err(StartError(format!("demo mode serves {}/www, which is not there: run from the repository root, or pass --static-root", settings.static_root.display())));
        }
    }
    let listener = tokio::net::TcpListener::bind(settings.addr).await.map_err(|e| StartError(format!("cannot listen on {}: {e}", settings.addr)))?;
    let addr = listener.local_addr().map_err(|e| StartError(e.to_string()))?;
    let app = Arc::new(App {
        db: db.clone(),
        demo: settings.demo.then(|| demo::Demo::new(settings.static_root.clone())),
        origins: RwLock::new(HashMap::new()),
        settings: settings.clone(),
    });
    app.refresh_origins().await?;
    let housekeeping = tokio::spawn(housekeeping(app.clone(), Duration::from_secs(settings.retention_interval.max(1))));
    tracing::info!(addr = %addr, demo = settings.demo, "listening");
    if settings.demo {
        println!("mentorkit demo on http://{addr}/ (no authentication: for trying the widgets only; see http://{addr}/received)");
        println!(
            "a sample programme's coordinator view: http://{addr}/pairs (sign in as {} with the password \"{}\"; all of it is made up)",
            crate::sample::COORDINATOR_EMAIL,
            crate::sample::COORDINATOR_PASSWORD
        );
    }
    let limits = listen::Limits {
        max_connections: settings.max_connections,
        header_timeout: Duration::from_secs(settings.header_timeout.max(1)),
        grace: Duration::from_secs(settings.shutdown_grace),
    };
    listen::serve(listener, http::router(app), limits, listen::signal()).await;
    housekeeping.abort();
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Deletes expired records at start and every `every`; reloads the allowed
/// origins every minute (programmes may be changed by another process).
async fn housekeeping(app: Arc<App>, every: Duration) {
    let mut retention = tokio::time::interval(every);
    let mut origins = tokio::time::interval(Duration::from_secs(60));
    loop {
        tokio::select! {
            _ = retention.tick() => {
                match privacy::purge_expired(&app.db).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(records = n, "retention: deleted expired records"),
                    Err(e) => tracing::error!(error = %e, "retention: could not delete expired records"),
                }
                if let Err(e) = accounts::sweep(&app.db).await {
                    tracing::error!(error = %e, "could not delete expired sessions");
                }
            }
            _ = origins.tick() => {
                if let Err(e) = app.refresh_origins().await {
                    tracing::error!(error = %e, "could not reload the allowed origins");
                }
            }
        }
    }
}
