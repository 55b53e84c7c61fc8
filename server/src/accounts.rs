//! Coordinators: accounts with Argon2id passwords, sessions kept in the
//! database (only the SHA-256 digest of the cookie's token), and the
//! throttle on failed sign-ins, per account and per client address, kept in
//! the database too so that every server process sees the same count.

use crate::audit;
use crate::db::{get, now_ms, Db};
use crate::secret;

/// How long a session lasts.
pub const SESSION_MS: i64 = 8 * 60 * 60 * 1000;
/// The window failed sign-ins are counted over.
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failed sign-ins to one account within the window before it is refused.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed sign-ins from one client address within the window before it is refused.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;

/// A signed-in coordinator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coordinator {
    /// Account id.
    pub id: String,
    /// The programme they coordinate.
    pub programme_id: String,
    /// Their email, as they sign in.
    pub email: String,
}

/// An email as compared: trimmed, lower case.
pub fn normal_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Creates a coordinator; `Ok(false)` when the email is taken.
pub async fn create_coordinator(db: &Db, programme_id: &str, email: &str, password: &str, actor: &str) -> Result<bool, CreateError> {
    let email = normal_email(email);
    if !email.contains('@') || email.len() > 254 {
        return Err(CreateError::Invalid("the email does not look like one".into()));
    }
    if password.chars().count() < 12 {
        return Err(CreateError::Invalid("the password needs at least 12 characters".into()));
    }
    let owned = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || secret::hash_password(&owned))
        .await
        .map_err(|e| CreateError::Invalid(e.to_string()))?
        .map_err(CreateError::Invalid)?;
    let id = secret::id();
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "INSERT INTO coordinators (id, programme_id, email, password_hash, created_ms) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email) DO NOTHING",
    )
    .bind(&id)
    .bind(programme_id)
    .bind(&email)
    .bind(&hash)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    audit::record(&mut tx, programme_id, actor, "create coordinator", &format!("coordinator {id}")).await?;
    tx.commit().await?;
    Ok(true)
}

/// Why a coordinator could not be created.
#[derive(Debug)]
pub enum CreateError {
    /// What is wrong with the email or password.
    Invalid(String),
    /// The database failed.
    Db(sqlx::Error),
}

impl From<sqlx::Error> for CreateError {
    fn from(e: sqlx::Error) -> Self {
        CreateError::Db(e)
    }
}

impl std::fmt::Display for CreateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CreateError::Invalid(why) => f.write_str(why),
            CreateError::Db(e) => write!(f, "database: {e}"),
        }
    }
}

/// What a sign-in came to.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in: the session token for the cookie, and who.
    Ok(String, Coordinator),
    /// Wrong email or password.
    Wrong,
    /// Too many failures lately; try again after this many seconds.
    Throttled(i64),
}

fn scopes(email: &str, address: &str) -> (String, String) {
    (format!("account:{}", secret::digest(email)), format!("address:{}", secret::digest(address)))
}

async fn failures(db: &Db, scope: &str, since: i64) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query("SELECT COUNT(*) AS n, MIN(at_ms) AS first FROM sign_in_failures WHERE scope = $1 AND at_ms > $2")
        .bind(scope)
        .bind(since)
        .fetch_one(&db.pool)
        .await?;
    let n: i64 = get(&row, "n")?;
    let first: Option<i64> = get(&row, "first")?;
    Ok((n, first.unwrap_or(since)))
}

/// Checks `password` for `email`, signing in from `address` (the client's IP).
pub async fn sign_in(db: &Db, email: &str, password: &str, address: &str) -> Result<SignIn, sqlx::Error> {
    let email = normal_email(email);
    let now = now_ms();
    let since = now - FAILURE_WINDOW_MS;
    let (account, from) = scopes(&email, address);
    for (scope, max) in [(&account, MAX_FAILURES_PER_ACCOUNT), (&from, MAX_FAILURES_PER_ADDRESS)] {
        let (n, first) = failures(db, scope, since).await?;
        if n >= max {
            return Ok(SignIn::Throttled(((first + FAILURE_WINDOW_MS - now) / 1000).max(1)));
        }
    }
    let row = sqlx::query("SELECT id, programme_id, email, password_hash FROM coordinators WHERE email = $1").bind(&email).fetch_optional(&db.pool).await?;
    let (found, hash) = match &row {
        Some(r) => (Some(Coordinator { id: get(r, "id")?, programme_id: get(r, "programme_id")?, email: get(r, "email")? }), get::<String>(r, "password_hash")?),
        None => (None, secret::DECOY_HASH.to_owned()),
    };
    let given = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || secret::verify_password(&given, &hash)).await.unwrap_or(false);
    match found {
        Some(coordinator) if matches => {
            sqlx::query("DELETE FROM sign_in_failures WHERE scope = $1").bind(&account).execute(&db.pool).await?;
            let token = secret::token("");
            sqlx::query("INSERT INTO sessions (token_hash, coordinator_id, created_ms, expires_ms) VALUES ($1, $2, $3, $4)")
                .bind(secret::digest(&token))
                .bind(&coordinator.id)
                .bind(now)
                .bind(now + SESSION_MS)
                .execute(&db.pool)
                .await?;
            Ok(SignIn::Ok(token, coordinator))
        }
        _ => {
            for scope in [&account, &from] {
                sqlx::query("INSERT INTO sign_in_failures (scope, at_ms) VALUES ($1, $2)").bind(scope).bind(now).execute(&db.pool).await?;
            }
            Ok(SignIn::Wrong)
        }
    }
}

/// The coordinator whose session token this is, while it lasts.
pub async fn session(db: &Db, token: &str) -> Result<Option<Coordinator>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT c.id, c.programme_id, c.email FROM sessions s JOIN coordinators c ON c.id = s.coordinator_id
         WHERE s.token_hash = $1 AND s.expires_ms > $2",
    )
    .bind(secret::digest(token))
    .bind(now_ms())
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| Ok(Coordinator { id: get(&r, "id")?, programme_id: get(&r, "programme_id")?, email: get(&r, "email")? })).transpose()
}

/// Ends the session with this token.
pub async fn sign_out(db: &Db, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(secret::digest(token)).execute(&db.pool).await?;
    Ok(())
}

/// The form token that goes with a session: derived from the session's
/// token, so it needs no storage and cannot be made without the cookie.
pub fn csrf_token(session_token: &str) -> String {
    secret::digest(&format!("mentorkit form token\n{session_token}"))
}

/// Deletes expired sessions and failures older than the window.
pub async fn sweep(db: &Db) -> Result<(), sqlx::Error> {
    let now = now_ms();
    sqlx::query("DELETE FROM sessions WHERE expires_ms <= $1").bind(now).execute(&db.pool).await?;
    sqlx::query("DELETE FROM sign_in_failures WHERE at_ms <= $1").bind(now - FAILURE_WINDOW_MS).execute(&db.pool).await?;
    Ok(())
}
