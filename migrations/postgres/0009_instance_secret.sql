-- Secrets of the installation, made at first start and shared by every instance on the
-- database: `form_key` signs the resident form's one-time tokens (unless POULS_FORM_KEY
-- gives one). Read by the server only; never shown or exported.
CREATE TABLE instance_secret (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
