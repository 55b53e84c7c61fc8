//! The audit log: who enrolled, changed, erased or exported what and when.
//! Entries name the acting coordinator and the pair and role concerned,
//! never a person's name, contact or anything they wrote.

use crate::db::{get, now_ms, Db};

/// One entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// When (ms since 1970).
    pub at_ms: i64,
    /// Who: a coordinator's email, `admin` for the command line, `retention`.
    pub actor: String,
    /// What was done (`enrol pair`, `erase person`, `export person`, …).
    pub action: String,
    /// To what (`pair p1, mentee`).
    pub subject: String,
}

/// Adds an entry in the transaction `tx`, so it stands or falls with the change.
pub async fn record(tx: &mut sqlx::Transaction<'_, sqlx::Any>, programme_id: &str, actor: &str, action: &str, subject: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit_log (programme_id, at_ms, actor, action, subject) VALUES ($1, $2, $3, $4, $5)")
        .bind(programme_id)
        .bind(now_ms())
        .bind(actor)
        .bind(action)
        .bind(subject)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The programme's latest `limit` entries, newest first.
pub async fn entries(db: &Db, programme_id: &str, limit: i64) -> Result<Vec<Entry>, sqlx::Error> {
    let rows = sqlx::query("SELECT at_ms, actor, action, subject FROM audit_log WHERE programme_id = $1 ORDER BY seq DESC LIMIT $2")
        .bind(programme_id)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| Ok(Entry { at_ms: get(r, "at_ms")?, actor: get(r, "actor")?, action: get(r, "action")?, subject: get(r, "subject")? }))
        .collect()
}
