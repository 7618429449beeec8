-- Staff accounts, their sessions, failed logins (for the lockout) and the audit log.

CREATE TABLE staff_user (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'agent', 'partenaire')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    password_changed_at BIGINT NOT NULL
);

-- Only the SHA-256 of the session token is stored.
CREATE TABLE staff_session (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES staff_user (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX staff_session_user ON staff_session (user_id);

-- Failed logins of the last minutes, per account and per client (a salted hash of the
-- address, never the address itself). Rows older than the lockout window are deleted.
CREATE TABLE login_failure (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account TEXT NOT NULL,
    client TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failure_account ON login_failure (account, at);
CREATE INDEX login_failure_client ON login_failure (client, at);

CREATE TABLE instance_secret (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO instance_secret (name, value) VALUES ('client_salt', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));

-- Who did what to which object, and when. Never a password or a token.
CREATE TABLE audit_event (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id BIGINT REFERENCES staff_user (id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_kind TEXT,
    object_id TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_event_at ON audit_event (at);
CREATE INDEX audit_event_action ON audit_event (action, at);
