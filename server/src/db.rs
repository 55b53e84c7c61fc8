//! The one data layer: a SQLite file by default, PostgreSQL when given a
//! `postgres://` URL. Both go through sqlx's `Any` driver with the same SQL
//! (`$1` placeholders, `ON CONFLICT`, times as milliseconds), so every query
//! in this crate is written once; the schema has one migration folder per
//! engine, embedded in the binary and run at start.

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::path::PathBuf;
use std::time::Duration;

static SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database engine a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// A SQLite file (WAL, `synchronous=FULL`).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A pool of connections to the database.
#[derive(Clone, Debug)]
pub struct Db {
    /// The pool; every query of the crate runs on it.
    pub pool: AnyPool,
    /// The engine behind it.
    pub engine: Engine,
    /// The records' facts as last read, per programme (see
    /// [`crate::coordinator::facts::of_programme`]).
    pub facts: crate::coordinator::facts::Cache,
}

/// Where a database is, parsed from what the operator wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file at this path.
    Sqlite(PathBuf),
    /// A PostgreSQL URL.
    Postgres(String),
}

impl Location {
    /// `postgres://…` or `postgresql://…` is PostgreSQL; `sqlite:PATH`,
    /// `sqlite://PATH` or a bare path is a SQLite file.
    pub fn parse(text: &str) -> Location {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Location::Postgres(text.to_owned());
        }
        let path = text.strip_prefix("sqlite://").or_else(|| text.strip_prefix("sqlite:")).unwrap_or(text);
        Location::Sqlite(PathBuf::from(path))
    }

    /// How the location may be written in a log: a URL without its password.
    pub fn redacted(&self) -> String {
        match self {
            Location::Sqlite(path) => format!("sqlite:{}", path.display()),
            Location::Postgres(url) => match (url.find("://"), url.rfind('@')) {
                (Some(scheme), Some(at)) if at > scheme => format!("{}://…@{}", &url[..scheme], &url[at + 1..]),
                _ => url.clone(),
            },
        }
    }
}

/// Why the database could not be used.
#[derive(Debug)]
pub struct DbError(pub String);

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DbError {}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        DbError(e.to_string())
    }
}

impl Db {
    /// Opens a pool of at most `max_connections` (a default per engine when
    /// `None`); a SQLite file and its folder are created when missing.
    pub async fn connect(location: &Location, max_connections: Option<u32>) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let (url, engine) = match location {
            Location::Sqlite(path) => {
                if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
                    std::fs::create_dir_all(folder).map_err(|e| DbError(format!("cannot create the folder {}: {e}", folder.display())))?;
                }
                (format!("sqlite://{}?mode=rwc", path.display()), Engine::Sqlite)
            }
            Location::Postgres(url) => (url.clone(), Engine::Postgres),
        };
        let options = AnyPoolOptions::new()
            // SQLite has one writer at a time; a few connections are enough.
            .max_connections(max_connections.unwrap_or(if engine == Engine::Sqlite { 4 } else { 10 }))
            .acquire_timeout(Duration::from_secs(10));
        let options = if engine == Engine::Sqlite {
            options.after_connect(|conn, _| {
                Box::pin(async move {
                    // WAL lets readers go on while one writes; FULL syncs the
                    // log on every commit, so an acknowledged record survives
                    // the process being killed or the machine losing power.
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = FULL").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    Ok(())
                })
            })
        } else {
            options
        };
        let pool = options.connect(&url).await?;
        Ok(Db { pool, engine, facts: Default::default() })
    }

    /// Brings the schema up to date (each migration runs once; several
    /// processes starting together on one PostgreSQL take turns).
    pub async fn migrate(&self) -> Result<(), DbError> {
        let migrator = match self.engine {
            Engine::Sqlite => &SQLITE,
            Engine::Postgres => &POSTGRES,
        };
        migrator.run(&self.pool).await.map_err(|e| DbError(format!("migrating the database: {e}")))
    }

    /// Whether a SQLite file holds the tables of the receiver that came
    /// before this server (a `records` table without migrations).
    pub async fn is_legacy_demo(&self) -> Result<bool, DbError> {
        if self.engine != Engine::Sqlite {
            return Ok(false);
        }
        let names: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'").fetch_all(&self.pool).await?;
        Ok(names.iter().any(|n| n == "records") && !names.iter().any(|n| n == "_sqlx_migrations"))
    }

    /// Answers when the database does.
    pub async fn ping(&self) -> Result<(), DbError> {
        let one: i64 = sqlx::query_scalar("SELECT 1").fetch_one(&self.pool).await?;
        if one == 1 {
            Ok(())
        } else {
            Err(DbError("the database answered SELECT 1 with something else".into()))
        }
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Reads column `name` of `row`, with the column named in the error.
pub fn get<'r, T>(row: &'r AnyRow, name: &str) -> Result<T, sqlx::Error>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row;
    row.try_get(name)
}

/// Now, in milliseconds since 1970 (UTC).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// `ms` (milliseconds since 1970) as an RFC 3339 timestamp in UTC.
pub fn iso(ms: i64) -> String {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_engines_apart() {
        assert_eq!(Location::parse("postgres://u:p@h/db"), Location::Postgres("postgres://u:p@h/db".into()));
        assert_eq!(Location::parse("sqlite://a/b.sqlite"), Location::Sqlite("a/b.sqlite".into()));
        assert_eq!(Location::parse("sqlite:a.db"), Location::Sqlite("a.db".into()));
        assert_eq!(Location::parse("data/x.sqlite"), Location::Sqlite("data/x.sqlite".into()));
        assert_eq!(Location::parse("postgres://u:secret@h:5/db").redacted(), "postgres://…@h:5/db");
    }

    #[test]
    fn writes_times_in_utc() {
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso(1_800_000_000_123), "2027-01-15T08:00:00.123Z");
    }
}
