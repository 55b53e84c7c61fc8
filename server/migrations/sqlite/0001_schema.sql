-- mentorkit-server's tables (SQLite). Times are milliseconds since 1970 (UTC).
-- Tokens and keys are kept only as SHA-256 digests, passwords as Argon2id hashes.

CREATE TABLE programmes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    origins TEXT NOT NULL DEFAULT '',
    retention_days BIGINT NOT NULL,
    created_ms BIGINT NOT NULL
);

CREATE TABLE programme_keys (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    key_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    revoked_ms BIGINT
);

CREATE TABLE pairs (
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    pair_id TEXT NOT NULL,
    mentee_name TEXT,
    mentee_contact TEXT,
    mentor_name TEXT,
    mentor_contact TEXT,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (programme_id, pair_id)
);

CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL,
    pair_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('mentee', 'mentor')),
    created_ms BIGINT NOT NULL,
    revoked_ms BIGINT,
    FOREIGN KEY (programme_id, pair_id) REFERENCES pairs (programme_id, pair_id)
);
CREATE INDEX invitations_person ON invitations (programme_id, pair_id, role);

CREATE TABLE records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id TEXT NOT NULL,
    poster TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    pair_id TEXT,
    role TEXT,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    record_version BIGINT NOT NULL,
    received_ms BIGINT NOT NULL,
    body TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    response TEXT NOT NULL,
    UNIQUE (programme_id, poster, idempotency_key)
);
CREATE INDEX records_person ON records (programme_id, pair_id, role);
CREATE INDEX records_received ON records (programme_id, received_ms);

CREATE TABLE coordinators (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes (id),
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    coordinator_id TEXT NOT NULL REFERENCES coordinators (id) ON DELETE CASCADE,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);

CREATE TABLE sign_in_failures (
    scope TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_scope ON sign_in_failures (scope, at_ms);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    programme_id TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL
);
CREATE INDEX audit_log_programme ON audit_log (programme_id, at_ms);
