//! Secrets of the installation, made by the migrations and shared by every instance on
//! the database.

use super::{Storage, StorageError, on_pool};
use crate::survey::FormKey;

impl Storage {
    /// The key that signs form tokens, made with the database (migration 0009): the same
    /// for every instance and restart.
    pub async fn form_key(&self) -> Result<FormKey, StorageError> {
        let stored: String = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT value FROM instance_secret WHERE name = 'form_key'",
        )
        .fetch_one(pool)
        .await)?;
        FormKey::parse(&stored)
            .map_err(|_| StorageError::Corrupt("the stored form key is too short".to_owned()))
    }
}
