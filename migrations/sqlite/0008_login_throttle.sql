-- Login throttling (src/throttle.rs) replaces the lockout: one counter per account, per
-- client address and per pair of both, updated in one write transaction per attempt so
-- parallel attempts are all counted. Subjects are salted hashes (never an address or an
-- email in clear); a counter is deleted an hour after the last attempt it counted.

DROP TABLE login_failure;

CREATE TABLE login_throttle (
    scope TEXT NOT NULL CHECK (scope IN ('account', 'client', 'pair')),
    subject TEXT NOT NULL,
    failures BIGINT NOT NULL,
    next_at BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    PRIMARY KEY (scope, subject)
);
CREATE INDEX login_throttle_last_at ON login_throttle (last_at);
