//! Data protection: erasing everything held about one person, exporting it
//! as JSON, and deleting records once their programme's retention period is
//! over. Erasures, exports and retention runs are written to the audit log
//! (when and by whom, never what).

use crate::audit;
use crate::db::{iso, now_ms, Db};
use crate::{programmes, records};

/// What an erasure removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Erased {
    /// Records deleted.
    pub records: u64,
    /// Invitations deleted.
    pub invitations: u64,
}

/// Erases `role` of the pair: their records, their invitations, their name
/// and contact; `Ok(None)` when the pair is not enrolled.
pub async fn erase(db: &Db, programme_id: &str, pair_id: &str, role: &str, actor: &str) -> Result<Option<Erased>, sqlx::Error> {
    if !programmes::ROLES.contains(&role) {
        return Ok(None);
    }
    let mut tx = db.pool.begin().await?;
    // The role is one of two constants, so naming its columns is safe.
    let forget = format!("UPDATE pairs SET {role}_name = NULL, {role}_contact = NULL WHERE programme_id = $1 AND pair_id = $2");
    let pair = sqlx::query(&forget).bind(programme_id).bind(pair_id).execute(&mut *tx).await?;
    if pair.rows_affected() == 0 {
        return Ok(None);
    }
    let gone = sqlx::query("DELETE FROM records WHERE programme_id = $1 AND pair_id = $2 AND role = $3")
        .bind(programme_id)
        .bind(pair_id)
        .bind(role)
        .execute(&mut *tx)
        .await?;
    let invitations = sqlx::query("DELETE FROM invitations WHERE programme_id = $1 AND pair_id = $2 AND role = $3")
        .bind(programme_id)
        .bind(pair_id)
        .bind(role)
        .execute(&mut *tx)
        .await?;
    audit::record(&mut tx, programme_id, actor, "erase person", &format!("pair {pair_id}, {role}")).await?;
    tx.commit().await?;
    Ok(Some(Erased { records: gone.rows_affected(), invitations: invitations.rows_affected() }))
}

/// Everything held about `role` of the pair, as JSON; `Ok(None)` when the
/// pair is not enrolled. The export is written to the audit log.
pub async fn export(db: &Db, programme_id: &str, pair_id: &str, role: &str, actor: &str) -> Result<Option<serde_json::Value>, sqlx::Error> {
    if !programmes::ROLES.contains(&role) {
        return Ok(None);
    }
    let Some(pair) = programmes::pair(db, programme_id, pair_id).await? else { return Ok(None) };
    let (name, contact) = pair.person(role);
    let invitations = sqlx::query("SELECT created_ms, revoked_ms FROM invitations WHERE programme_id = $1 AND pair_id = $2 AND role = $3 ORDER BY created_ms")
        .bind(programme_id)
        .bind(pair_id)
        .bind(role)
        .fetch_all(&db.pool)
        .await?;
    let mut issued = Vec::new();
    for row in &invitations {
        let created: i64 = crate::db::get(row, "created_ms")?;
        let revoked: Option<i64> = crate::db::get(row, "revoked_ms")?;
        issued.push(serde_json::json!({ "created": iso(created), "revoked": revoked.map(iso) }));
    }
    let records: Vec<serde_json::Value> = records::of_person(db, programme_id, pair_id, role)
        .await?
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "id": r.record_id, "kind": r.kind, "recordVersion": r.record_version, "received": iso(r.received_ms),
                "idempotencyKey": r.idempotency_key,
                "record": serde_json::from_str::<serde_json::Value>(&r.body).unwrap_or(serde_json::Value::String(r.body)),
            })
        })
        .collect();
    let mut tx = db.pool.begin().await?;
    audit::record(&mut tx, programme_id, actor, "export person", &format!("pair {pair_id}, {role}")).await?;
    tx.commit().await?;
    Ok(Some(serde_json::json!({
        "schema": "mentorkit.person-export",
        "version": 1,
        "exported": iso(now_ms()),
        "programme": programme_id,
        "pair": pair_id,
        "role": role,
        "name": name,
        "contact": contact,
        "enrolled": iso(pair.created_ms),
        "invitations": issued,
        "records": records,
    })))
}

/// Deletes, for every programme, the records received longer ago than its
/// retention period; returns how many went.
pub async fn purge_expired(db: &Db) -> Result<u64, sqlx::Error> {
    let now = now_ms();
    let mut total = 0;
    for programme in programmes::programmes(db).await? {
        let cutoff = now.saturating_sub(programme.retention_days.saturating_mul(24 * 60 * 60 * 1000));
        let mut tx = db.pool.begin().await?;
        let gone = sqlx::query("DELETE FROM records WHERE programme_id = $1 AND received_ms < $2").bind(&programme.id).bind(cutoff).execute(&mut *tx).await?;
        if gone.rows_affected() > 0 {
            let subject = format!("{} records older than {} days", gone.rows_affected(), programme.retention_days);
            audit::record(&mut tx, &programme.id, "retention", "delete expired records", &subject).await?;
        }
        tx.commit().await?;
        total += gone.rows_affected();
    }
    Ok(total)
}
