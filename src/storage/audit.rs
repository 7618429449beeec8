//! Writing and reading the audit log.

use sqlx::FromRow;

use super::{Storage, StorageError, WritePool, now_unix, on_pool};
use crate::audit::{AuditEntry, AuditEvent, AuditFilter};

/// Appends an audit entry inside the caller's transaction `$tx`, so the entry and the
/// change it records commit together.
macro_rules! insert_audit {
    // An instance-wide event (logins, accounts): no territory.
    ($tx:expr, $entry:expr, $now:expr) => {{
        insert_audit!($tx, $entry, $now, None::<i64>)
    }};
    // An event of territory `$territory` (an `Option<i64>`; `None`: the instance).
    ($tx:expr, $entry:expr, $now:expr, $territory:expr) => {{
        let entry: &$crate::audit::AuditEntry = $entry;
        let territory: Option<i64> = $territory;
        sqlx::query(
            "INSERT INTO audit_event (at, actor_id, actor, action, object_kind, object_id, detail, territory_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind($now)
        .bind(entry.actor.id())
        .bind(entry.actor.label())
        .bind(entry.action.code())
        .bind(entry.object_kind)
        .bind(entry.object_id.as_deref())
        .bind(&entry.detail)
        .bind(territory)
        .execute(&mut *$tx)
        .await
    }};
}
pub(crate) use insert_audit;

#[derive(FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    actor: String,
    action: String,
    object_kind: Option<String>,
    object_id: Option<String>,
    detail: String,
}

impl Storage {
    /// Records an entry on its own (when there is no other change to commit with it).
    pub async fn audit(&self, entry: &AuditEntry) -> Result<(), StorageError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            insert_audit!(tx, entry, now_unix())?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Entries matching `filter`, newest first.
    pub async fn audit_events(
        &self,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditEvent>, StorageError> {
        let actor_pattern = filter
            .actor
            .as_deref()
            .filter(|a| !a.is_empty())
            .map(|a| format!("%{}%", a.to_lowercase().replace(['%', '_'], "")));
        let rows: Vec<AuditRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, at, actor, action, object_kind, object_id, detail FROM audit_event \
             WHERE ($1 IS NULL OR action = $1) \
               AND ($2 IS NULL OR LOWER(actor) LIKE $2) \
               AND ($3 IS NULL OR at >= $3) \
               AND ($4 IS NULL OR at < $4) \
               AND ($5 IS NULL OR id < $5) \
               AND ($7 IS NULL OR (object_kind = $7 AND object_id = $8)) \
               AND ($9 IS NULL OR territory_id = $9 OR (territory_id IS NULL AND ( \
                 EXISTS (SELECT 1 FROM staff_membership m WHERE m.territory_id = $9 AND m.user_id = audit_event.actor_id) \
                 OR (object_kind = 'staff_user' AND EXISTS (SELECT 1 FROM staff_membership m \
                     WHERE m.territory_id = $9 AND CAST(m.user_id AS TEXT) = audit_event.object_id)) \
                 OR (object_kind = 'email' AND EXISTS (SELECT 1 FROM staff_membership m \
                     JOIN staff_user u ON u.id = m.user_id \
                     WHERE m.territory_id = $9 AND u.email = audit_event.object_id))))) \
             ORDER BY id DESC LIMIT $6",
        )
        .bind(filter.action.map(|a| a.code()))
        .bind(actor_pattern.as_deref())
        .bind(filter.from)
        .bind(filter.to)
        .bind(filter.before_id)
        .bind(filter.limit)
        .bind(filter.object.as_ref().map(|(kind, _)| kind.as_str()))
        .bind(filter.object.as_ref().map(|(_, id)| id.as_str()))
        .bind(filter.territory.map(|t| t.get()))
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|row| AuditEvent {
                id: row.id,
                at: row.at,
                actor: row.actor,
                action: row.action,
                object_kind: row.object_kind,
                object_id: row.object_id,
                detail: row.detail,
            })
            .collect())
    }
}
