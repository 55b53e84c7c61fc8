//! Programmes, their keys, the pairs they enrol and each person's invitation.
//!
//! A programme has a name, the origins its host pages are on (for CORS), a
//! retention period and keys for its own systems. A coordinator enrols a
//! pair: its id, the mentee's and the mentor's names and optional contacts;
//! each person gets an invitation token tied to the pair and their role.
//! Keys and invitations are random and shown once; only their SHA-256
//! digests are stored.

use crate::audit;
use crate::db::{get, now_ms, Db};
use crate::secret;
use sqlx::Row;

/// The two roles in a pair.
pub const ROLES: [&str; 2] = ["mentee", "mentor"];

/// Prefix of invitation tokens.
pub const INVITATION_PREFIX: &str = "mki_";
/// Prefix of programme keys.
pub const KEY_PREFIX: &str = "mkk_";

/// A programme as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Programme {
    /// Short id (letters, digits, `-`, `_`).
    pub id: String,
    /// Its name, for people.
    pub name: String,
    /// Origins allowed to post from a browser (`https://host[:port]`).
    pub origins: Vec<String>,
    /// Days after which a received record is deleted.
    pub retention_days: i64,
    /// How the coordinator's pages read and what they watch for.
    pub settings: Settings,
}

/// What a programme's coordinator pages need besides its records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The language the pages and reports are written in (`en`, `es`, `fr`,
    /// `de`, `ar`), unless the coordinator picks another.
    pub language: String,
    /// The agreement widget's configuration (JSON), for the agreement's
    /// wording and clauses.
    pub agreement_config: Option<String>,
    /// The feedback widget's configuration (JSON), for its questions'
    /// wording, options and the programme's own questions.
    pub feedback_config: Option<String>,
    /// The pages' own wording, per language, by message name (JSON).
    pub labels: Option<String>,
    /// A pair without a signed agreement this many days after enrolment is an alert.
    pub agreement_days: i64,
    /// A pair from whom no feedback came for this many weeks is an alert.
    pub silence_weeks: i64,
    /// Mentee and mentor rating the same session this many points apart is an alert.
    pub rating_gap: i64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { language: "en".into(), agreement_config: None, feedback_config: None, labels: None, agreement_days: 14, silence_weeks: 6, rating_gap: 2 }
    }
}

/// One enrolled pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    /// Its id within the programme.
    pub pair_id: String,
    /// The mentee's name (`None` once erased).
    pub mentee_name: Option<String>,
    /// The mentee's contact, if given.
    pub mentee_contact: Option<String>,
    /// The mentor's name (`None` once erased).
    pub mentor_name: Option<String>,
    /// The mentor's contact, if given.
    pub mentor_contact: Option<String>,
    /// When it was enrolled.
    pub created_ms: i64,
}

impl Pair {
    /// The name and contact of `role`.
    pub fn person(&self, role: &str) -> (Option<&str>, Option<&str>) {
        if role == "mentor" {
            (self.mentor_name.as_deref(), self.mentor_contact.as_deref())
        } else {
            (self.mentee_name.as_deref(), self.mentee_contact.as_deref())
        }
    }
}

/// Who is posting a record, as worked out from their credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poster {
    /// The programme the record goes to.
    pub programme_id: String,
    /// The scope of its Idempotency-Key: one person of a pair, one key, or the demo.
    pub scope: String,
    /// The pair, when the credential is an invitation.
    pub pair_id: Option<String>,
    /// The role, when the credential is an invitation.
    pub role: Option<String>,
    /// Whether the credential is a programme key (which may name any enrolled pair).
    pub is_key: bool,
}

/// Letters, digits, `-` and `_`, 1 to 64 of them.
pub fn is_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

const PROGRAMME_COLUMNS: &str = "id, name, origins, retention_days, language, agreement_config, feedback_config, labels, agreement_days, silence_weeks, rating_gap";

fn programme_of(row: &sqlx::any::AnyRow) -> Result<Programme, sqlx::Error> {
    let origins: String = get(row, "origins")?;
    Ok(Programme {
        id: get(row, "id")?,
        name: get(row, "name")?,
        origins: origins.split_whitespace().map(str::to_owned).collect(),
        retention_days: get(row, "retention_days")?,
        settings: Settings {
            language: get(row, "language")?,
            agreement_config: get(row, "agreement_config")?,
            feedback_config: get(row, "feedback_config")?,
            labels: get(row, "labels")?,
            agreement_days: get(row, "agreement_days")?,
            silence_weeks: get(row, "silence_weeks")?,
            rating_gap: get(row, "rating_gap")?,
        },
    })
}

/// Creates a programme; `Ok(false)` when the id is taken.
pub async fn create_programme(db: &Db, p: &Programme, actor: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "INSERT INTO programmes (id, name, origins, retention_days, created_ms, language, agreement_config, feedback_config, labels, agreement_days, silence_weeks, rating_gap)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&p.id)
    .bind(&p.name)
    .bind(p.origins.join(" "))
    .bind(p.retention_days)
    .bind(now_ms())
    .bind(&p.settings.language)
    .bind(p.settings.agreement_config.as_deref())
    .bind(p.settings.feedback_config.as_deref())
    .bind(p.settings.labels.as_deref())
    .bind(p.settings.agreement_days)
    .bind(p.settings.silence_weeks)
    .bind(p.settings.rating_gap)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    audit::record(&mut tx, &p.id, actor, "create programme", &format!("retention {} days", p.retention_days)).await?;
    tx.commit().await?;
    Ok(true)
}

/// Changes a programme's name, origins, retention and settings; `Ok(false)` when unknown.
pub async fn update_programme(db: &Db, p: &Programme, actor: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "UPDATE programmes SET name = $2, origins = $3, retention_days = $4, language = $5, agreement_config = $6, feedback_config = $7, labels = $8,
                agreement_days = $9, silence_weeks = $10, rating_gap = $11 WHERE id = $1",
    )
    .bind(&p.id)
    .bind(&p.name)
    .bind(p.origins.join(" "))
    .bind(p.retention_days)
    .bind(&p.settings.language)
    .bind(p.settings.agreement_config.as_deref())
    .bind(p.settings.feedback_config.as_deref())
    .bind(p.settings.labels.as_deref())
    .bind(p.settings.agreement_days)
    .bind(p.settings.silence_weeks)
    .bind(p.settings.rating_gap)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    audit::record(&mut tx, &p.id, actor, "change programme", &format!("retention {} days", p.retention_days)).await?;
    tx.commit().await?;
    Ok(true)
}

/// The programme `id`.
pub async fn programme(db: &Db, id: &str) -> Result<Option<Programme>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {PROGRAMME_COLUMNS} FROM programmes WHERE id = $1")).bind(id).fetch_optional(&db.pool).await?;
    row.as_ref().map(programme_of).transpose()
}

/// Every programme.
pub async fn programmes(db: &Db) -> Result<Vec<Programme>, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT {PROGRAMME_COLUMNS} FROM programmes ORDER BY id")).fetch_all(&db.pool).await?;
    rows.iter().map(programme_of).collect()
}

/// Makes a programme key; returns it (the only time it is seen) and its id.
pub async fn create_key(db: &Db, programme_id: &str, label: &str, actor: &str) -> Result<(String, String), sqlx::Error> {
    let key = secret::token(KEY_PREFIX);
    let id = secret::id();
    let mut tx = db.pool.begin().await?;
    sqlx::query("INSERT INTO programme_keys (id, programme_id, key_hash, label, created_ms) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(programme_id)
        .bind(secret::digest(&key))
        .bind(label)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    audit::record(&mut tx, programme_id, actor, "create key", &format!("key {id}")).await?;
    tx.commit().await?;
    Ok((key, id))
}

/// Revokes a programme key; `Ok(false)` when there is no such live key.
pub async fn revoke_key(db: &Db, programme_id: &str, key_id: &str, actor: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query("UPDATE programme_keys SET revoked_ms = $3 WHERE programme_id = $1 AND id = $2 AND revoked_ms IS NULL")
        .bind(programme_id)
        .bind(key_id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    audit::record(&mut tx, programme_id, actor, "revoke key", &format!("key {key_id}")).await?;
    tx.commit().await?;
    Ok(true)
}

/// Who a bearer credential (an invitation or a programme key) belongs to.
pub async fn poster(db: &Db, credential: &str) -> Result<Option<Poster>, sqlx::Error> {
    let hash = secret::digest(credential);
    if credential.starts_with(KEY_PREFIX) {
        let row = sqlx::query("SELECT id, programme_id FROM programme_keys WHERE key_hash = $1 AND revoked_ms IS NULL")
            .bind(&hash)
            .fetch_optional(&db.pool)
            .await?;
        return row
            .map(|r| {
                let id: String = get(&r, "id")?;
                Ok(Poster { programme_id: get(&r, "programme_id")?, scope: format!("key:{id}"), pair_id: None, role: None, is_key: true })
            })
            .transpose();
    }
    let row = sqlx::query("SELECT programme_id, pair_id, role FROM invitations WHERE token_hash = $1 AND revoked_ms IS NULL")
        .bind(&hash)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| {
        let (pair_id, role): (String, String) = (get(&r, "pair_id")?, get(&r, "role")?);
        Ok(Poster { programme_id: get(&r, "programme_id")?, scope: format!("person:{pair_id}/{role}"), pair_id: Some(pair_id), role: Some(role), is_key: false })
    })
    .transpose()
}

/// What enrolling a pair needs.
#[derive(Clone, Debug, Default)]
pub struct Enrolment {
    /// The pair's id; one is made when empty.
    pub pair_id: String,
    /// The mentee's name.
    pub mentee_name: String,
    /// The mentee's contact (may be empty).
    pub mentee_contact: String,
    /// The mentor's name.
    pub mentor_name: String,
    /// The mentor's contact (may be empty).
    pub mentor_contact: String,
}

impl Enrolment {
    /// What is wrong with it, if anything.
    pub fn problem(&self) -> Option<EnrolProblem> {
        if !self.pair_id.is_empty() && !is_id(&self.pair_id) {
            return Some(EnrolProblem::PairId);
        }
        for role in ROLES {
            let (name, _) = self.person(role);
            if name.trim().is_empty() || name.chars().count() > 200 {
                return Some(EnrolProblem::Name(role));
            }
        }
        for role in ROLES {
            if self.person(role).1.chars().count() > 300 {
                return Some(EnrolProblem::Contact(role));
            }
        }
        None
    }

    /// One person's name and contact.
    fn person(&self, role: &str) -> (&str, &str) {
        if role == "mentor" { (&self.mentor_name, &self.mentor_contact) } else { (&self.mentee_name, &self.mentee_contact) }
    }
}

/// What is wrong with an enrolment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnrolProblem {
    /// The pair id has other characters than letters, digits, `-` and `_`, or is too long.
    PairId,
    /// A person's name (by role) is missing or too long.
    Name(&'static str),
    /// A person's contact (by role) is too long.
    Contact(&'static str),
}

impl EnrolProblem {
    /// The form field it concerns.
    pub fn field(self) -> String {
        match self {
            EnrolProblem::PairId => "pair".to_owned(),
            EnrolProblem::Name(role) => format!("{role}_name"),
            EnrolProblem::Contact(role) => format!("{role}_contact"),
        }
    }
}

impl std::fmt::Display for EnrolProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EnrolProblem::PairId => f.write_str("the pair id may have only letters, digits, '-' and '_', at most 64"),
            EnrolProblem::Name(role) => write!(f, "the {role}'s name is needed (at most 200 characters)"),
            EnrolProblem::Contact(role) => write!(f, "the {role}'s contact may be at most 300 characters"),
        }
    }
}

/// Why an enrolment did not happen.
#[derive(Debug)]
pub enum EnrolError {
    /// A pair with that id is already enrolled.
    Taken,
    /// The enrolment itself is wrong.
    Invalid(EnrolProblem),
    /// The database failed.
    Db(sqlx::Error),
}

impl From<sqlx::Error> for EnrolError {
    fn from(e: sqlx::Error) -> Self {
        EnrolError::Db(e)
    }
}

/// The invitations made for a new pair, shown once.
#[derive(Clone, Debug)]
pub struct Invitations {
    /// The pair's id.
    pub pair_id: String,
    /// The mentee's invitation token.
    pub mentee: String,
    /// The mentor's invitation token.
    pub mentor: String,
}

/// Enrols a pair and makes both invitations.
pub async fn enrol(db: &Db, programme_id: &str, e: &Enrolment, actor: &str) -> Result<Invitations, EnrolError> {
    if let Some(problem) = e.problem() {
        return Err(EnrolError::Invalid(problem));
    }
    let pair_id = if e.pair_id.is_empty() { format!("pair-{}", &secret::id()[..10]) } else { e.pair_id.clone() };
    let optional = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "INSERT INTO pairs (programme_id, pair_id, mentee_name, mentee_contact, mentor_name, mentor_contact, created_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (programme_id, pair_id) DO NOTHING",
    )
    .bind(programme_id)
    .bind(&pair_id)
    .bind(e.mentee_name.trim())
    .bind(optional(&e.mentee_contact))
    .bind(e.mentor_name.trim())
    .bind(optional(&e.mentor_contact))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(EnrolError::Taken);
    }
    let mentee = issue(&mut tx, programme_id, &pair_id, "mentee", now).await?;
    let mentor = issue(&mut tx, programme_id, &pair_id, "mentor", now).await?;
    audit::record(&mut tx, programme_id, actor, "enrol pair", &format!("pair {pair_id}")).await?;
    tx.commit().await?;
    Ok(Invitations { pair_id, mentee, mentor })
}

async fn issue(tx: &mut sqlx::Transaction<'_, sqlx::Any>, programme_id: &str, pair_id: &str, role: &str, now: i64) -> Result<String, sqlx::Error> {
    // The pair and role are part of the invitation, in the clear, so the
    // widget that holds it knows whom its records concern; the random part
    // is what makes it a credential.
    let token = secret::token(&[INVITATION_PREFIX, pair_id, ".", role, "."].concat());
    sqlx::query("INSERT INTO invitations (token_hash, programme_id, pair_id, role, created_ms) VALUES ($1, $2, $3, $4, $5)")
        .bind(secret::digest(&token))
        .bind(programme_id)
        .bind(pair_id)
        .bind(role)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(token)
}

/// Revokes `role`'s invitations in the pair and makes a new one; `Ok(None)`
/// when the pair is not enrolled or that person was erased.
pub async fn reissue(db: &Db, programme_id: &str, pair_id: &str, role: &str, actor: &str) -> Result<Option<String>, sqlx::Error> {
    let Some(pair) = pair(db, programme_id, pair_id).await? else { return Ok(None) };
    if pair.person(role).0.is_none() {
        return Ok(None);
    }
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    sqlx::query("UPDATE invitations SET revoked_ms = $4 WHERE programme_id = $1 AND pair_id = $2 AND role = $3 AND revoked_ms IS NULL")
        .bind(programme_id)
        .bind(pair_id)
        .bind(role)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let token = issue(&mut tx, programme_id, pair_id, role, now).await?;
    audit::record(&mut tx, programme_id, actor, "new invitation", &format!("pair {pair_id}, {role}")).await?;
    tx.commit().await?;
    Ok(Some(token))
}

fn pair_of(r: &sqlx::any::AnyRow) -> Result<Pair, sqlx::Error> {
    Ok(Pair {
        pair_id: get(r, "pair_id")?,
        mentee_name: get(r, "mentee_name")?,
        mentee_contact: get(r, "mentee_contact")?,
        mentor_name: get(r, "mentor_name")?,
        mentor_contact: get(r, "mentor_contact")?,
        created_ms: get(r, "created_ms")?,
    })
}

/// The pair `pair_id` of the programme.
pub async fn pair(db: &Db, programme_id: &str, pair_id: &str) -> Result<Option<Pair>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT pair_id, mentee_name, mentee_contact, mentor_name, mentor_contact, created_ms FROM pairs WHERE programme_id = $1 AND pair_id = $2",
    )
    .bind(programme_id)
    .bind(pair_id)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(pair_of).transpose()
}

/// A pair with how many records each of its people sent.
#[derive(Clone, Debug)]
pub struct PairSummary {
    /// The pair.
    pub pair: Pair,
    /// Records held from the mentee.
    pub mentee_records: i64,
    /// Records held from the mentor.
    pub mentor_records: i64,
}

/// Every pair of the programme with its record counts, newest first.
pub async fn pairs(db: &Db, programme_id: &str) -> Result<Vec<PairSummary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.pair_id, p.mentee_name, p.mentee_contact, p.mentor_name, p.mentor_contact, p.created_ms,
                (SELECT COUNT(*) FROM records r WHERE r.programme_id = p.programme_id AND r.pair_id = p.pair_id AND r.role = 'mentee') AS mentee_records,
                (SELECT COUNT(*) FROM records r WHERE r.programme_id = p.programme_id AND r.pair_id = p.pair_id AND r.role = 'mentor') AS mentor_records
         FROM pairs p WHERE p.programme_id = $1 ORDER BY p.created_ms DESC, p.pair_id",
    )
    .bind(programme_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| Ok(PairSummary { pair: pair_of(r)?, mentee_records: r.try_get("mentee_records")?, mentor_records: r.try_get("mentor_records")? }))
        .collect()
}

/// Every origin any programme allows, for answering CORS preflights (which
/// carry no credential, so cannot be tied to one programme).
pub async fn all_origins(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    Ok(programmes(db).await?.into_iter().flat_map(|p| p.origins).collect())
}
