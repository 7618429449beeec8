-- The key that signs the resident form's one-time tokens when POULS_FORM_KEY is unset:
-- made once, here, so every instance on the database signs with the same one.
INSERT INTO instance_secret (name, value) VALUES ('form_key', lower(hex(randomblob(32))));
