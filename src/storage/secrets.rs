//! Secrets of the installation, made once and shared by every instance on the database.

use super::{Storage, StorageError, now_unix, on_pool};
use crate::survey::FormKey;

impl Storage {
    /// The key that signs form tokens: made at the first start, then the same for every
    /// instance and restart. Instances starting together agree on one: the first insert
    /// wins and everyone reads it back.
    pub async fn form_key(&self) -> Result<FormKey, StorageError> {
        let fresh = FormKey::generate();
        let stored: String = on_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO instance_secret (name, value, created_at) VALUES ('form_key', $1, $2) \
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(fresh.as_stored())
            .bind(now_unix())
            .execute(pool)
            .await?;
            sqlx::query_scalar("SELECT value FROM instance_secret WHERE name = 'form_key'")
                .fetch_one(pool)
                .await?
        });
        FormKey::parse(&stored)
            .map_err(|_| StorageError::Corrupt("the stored form key is too short".to_owned()))
    }
}
