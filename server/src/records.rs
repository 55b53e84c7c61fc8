//! Received records: stored once per Idempotency-Key, kept by the database.
//!
//! A record is inserted or nothing happens (`ON CONFLICT DO NOTHING` on the
//! unique key programme + poster + Idempotency-Key), then the stored row is
//! read back; so any number of server processes on one database accept each
//! record exactly once, and a repeat gets the first answer again.

use crate::coordinator::facts::Fact;
use crate::db::{get, now_ms, Db};
use crate::programmes::Poster;
use crate::secret;
use mentorkit::model::delivery::Payload;

/// What became of a record that was handed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Stored now; the answer.
    Stored(String),
    /// Stored before with the same body; the first answer again.
    Replayed(String),
    /// The key was used before for a different body.
    KeyReused,
}

/// Stores `payload` (whose text is `body`) sent by `poster` under `key`.
pub async fn store(db: &Db, poster: &Poster, key: &str, payload: &Payload, body: &str) -> Result<Outcome, sqlx::Error> {
    let hash = secret::digest(body);
    let response = serde_json::json!({ "status": "stored", "id": payload.id, "recordVersion": payload.record_version }).to_string();
    let received = now_ms();
    let facts = Fact::of(payload, poster.role.as_deref().unwrap_or(""), received).to_text();
    // A row erased between the insert and the read back is stored afresh.
    for _ in 0..3 {
        let inserted = sqlx::query(
            "INSERT INTO records (programme_id, poster, idempotency_key, pair_id, role, kind, record_id, record_version, received_ms, body, body_sha256, response, facts)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             ON CONFLICT (programme_id, poster, idempotency_key) DO NOTHING",
        )
        .bind(&poster.programme_id)
        .bind(&poster.scope)
        .bind(key)
        .bind(poster.pair_id.as_deref())
        .bind(poster.role.as_deref())
        .bind(&payload.kind)
        .bind(&payload.id)
        .bind(i64::from(payload.record_version))
        .bind(received)
        .bind(body)
        .bind(&hash)
        .bind(&response)
        .bind(&facts)
        .execute(&db.pool)
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(Outcome::Stored(response));
        }
        let earlier = sqlx::query("SELECT body_sha256, response FROM records WHERE programme_id = $1 AND poster = $2 AND idempotency_key = $3")
            .bind(&poster.programme_id)
            .bind(&poster.scope)
            .bind(key)
            .fetch_optional(&db.pool)
            .await?;
        if let Some(row) = earlier {
            let (earlier_hash, earlier_response): (String, String) = (get(&row, "body_sha256")?, get(&row, "response")?);
            return Ok(if secret::same(&earlier_hash, &hash) { Outcome::Replayed(earlier_response) } else { Outcome::KeyReused });
        }
    }
    Err(sqlx::Error::Protocol("the record could neither be stored nor read back".into()))
}

/// A stored record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    /// The Idempotency-Key it came with.
    pub idempotency_key: String,
    /// Its pair, if known.
    pub pair_id: Option<String>,
    /// Its sender's role, if known.
    pub role: Option<String>,
    /// Its kind.
    pub kind: String,
    /// The record's own id.
    pub record_id: String,
    /// Its version.
    pub record_version: i64,
    /// When it arrived (ms since 1970).
    pub received_ms: i64,
    /// The record as received (JSON).
    pub body: String,
}

const COLUMNS: &str = "idempotency_key, pair_id, role, kind, record_id, record_version, received_ms, body";

fn stored_of(r: &sqlx::any::AnyRow) -> Result<Stored, sqlx::Error> {
    Ok(Stored {
        idempotency_key: get(r, "idempotency_key")?,
        pair_id: get(r, "pair_id")?,
        role: get(r, "role")?,
        kind: get(r, "kind")?,
        record_id: get(r, "record_id")?,
        record_version: get(r, "record_version")?,
        received_ms: get(r, "received_ms")?,
        body: get(r, "body")?,
    })
}

/// The programme's latest `limit` records, newest first.
pub async fn latest(db: &Db, programme_id: &str, limit: i64) -> Result<Vec<Stored>, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM records WHERE programme_id = $1 ORDER BY seq DESC LIMIT $2"))
        .bind(programme_id)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(stored_of).collect()
}

/// The records of one pair, newest first.
pub async fn of_pair(db: &Db, programme_id: &str, pair_id: &str) -> Result<Vec<Stored>, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM records WHERE programme_id = $1 AND pair_id = $2 ORDER BY seq DESC"))
        .bind(programme_id)
        .bind(pair_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(stored_of).collect()
}

/// The records one person of a pair sent, oldest first.
pub async fn of_person(db: &Db, programme_id: &str, pair_id: &str, role: &str) -> Result<Vec<Stored>, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM records WHERE programme_id = $1 AND pair_id = $2 AND role = $3 ORDER BY seq"))
        .bind(programme_id)
        .bind(pair_id)
        .bind(role)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(stored_of).collect()
}
