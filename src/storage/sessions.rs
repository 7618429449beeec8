//! Staff sessions: opened at login, read on every staff request with the territory the
//! menu chose (checked against the account's memberships each time), ended at logout.

use sqlx::FromRow;

use super::audit::insert_audit;
use super::staff::{USER_COLUMNS, UserRow, parse_role};
use super::{Storage, StorageError, WritePool, now_unix, on_pool};
use crate::audit::{Actor, AuditAction, AuditEntry};
use crate::domain::Role;
use crate::staff::{
    SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS, SESSION_TOUCH_SECONDS, StaffSession, StaffUser,
    effective_role,
};
use crate::territory::TerritoryId;

#[derive(FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    token_hash: String,
    csrf_token: String,
    session_created_at: i64,
    last_seen_at: i64,
    territory_id: Option<i64>,
    /// The membership's role in the chosen territory, if it still exists.
    membership_role: Option<String>,
}

impl Storage {
    /// Opens a session in `territory` after a successful login (the caller picked one
    /// the account may work in), and forgets expired sessions.
    pub async fn create_session(
        &self,
        user: &StaffUser,
        token_hash: &str,
        csrf_token: &str,
        territory: TerritoryId,
    ) -> Result<(), StorageError> {
        let now = now_unix();
        let actor = Actor::Staff {
            id: user.id,
            email: user.email.clone(),
        };
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM staff_session WHERE last_seen_at <= $1 OR created_at <= $2")
                .bind(now - SESSION_IDLE_SECONDS)
                .bind(now - SESSION_ABSOLUTE_SECONDS)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO staff_session (token_hash, user_id, csrf_token, created_at, last_seen_at, territory_id) \
                 VALUES ($1, $2, $3, $4, $4, $5)",
            )
            .bind(token_hash)
            .bind(user.id)
            .bind(csrf_token)
            .bind(now)
            .bind(territory.get())
            .execute(&mut *tx)
            .await?;
            insert_audit!(tx, &AuditEntry::new(&actor, AuditAction::Login), now)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The live session with this token hash, if any: not idle for too long, not too old,
    /// its account still active and still given a territory. Refreshes its last-seen time
    /// when it is stale. A territory the account has lost is replaced by its first one.
    pub async fn session(&self, token_hash: &str) -> Result<Option<StaffSession>, StorageError> {
        let now = now_unix();
        let row: Option<SessionRow> = on_pool!(self, pool => sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS}, s.token_hash, s.csrf_token, \
               s.created_at AS session_created_at, s.last_seen_at, s.territory_id, \
               m.role AS membership_role \
             FROM staff_session s JOIN staff_user u ON u.id = s.user_id \
             LEFT JOIN staff_membership m ON m.user_id = u.id AND m.territory_id = s.territory_id \
             WHERE s.token_hash = $1 AND s.last_seen_at > $2 AND s.created_at > $3 AND u.active"
        ))
        .bind(token_hash)
        .bind(now - SESSION_IDLE_SECONDS)
        .bind(now - SESSION_ABSOLUTE_SECONDS)
        .fetch_optional(pool)
        .await)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let user = row.user.into_user()?;
        let membership = row.membership_role.as_deref().map(parse_role).transpose()?;
        let chosen = match (
            row.territory_id,
            effective_role(user.instance_role, membership),
        ) {
            (Some(id), Some(role)) => Some((TerritoryId::new(id), role)),
            _ => None,
        };
        let Some((territory, role)) = (match chosen {
            Some(chosen) => Some(chosen),
            None => self.first_territory(&user).await?,
        }) else {
            return Ok(None);
        };
        if now - row.last_seen_at >= SESSION_TOUCH_SECONDS
            || row.territory_id != Some(territory.get())
        {
            on_pool!(self, pool => sqlx::query(
                "UPDATE staff_session SET last_seen_at = $2, territory_id = $3 WHERE token_hash = $1",
            )
            .bind(token_hash)
            .bind(now)
            .bind(territory.get())
            .execute(pool)
            .await
            .map(drop))?;
        }
        Ok(Some(StaffSession {
            token_hash: row.token_hash,
            csrf_token: row.csrf_token,
            created_at: row.session_created_at,
            last_seen_at: row.last_seen_at,
            territory,
            role,
            user,
        }))
    }

    /// The first territory the account may work in, with its role there.
    pub async fn first_territory(
        &self,
        user: &StaffUser,
    ) -> Result<Option<(TerritoryId, Role)>, StorageError> {
        Ok(self
            .staff_territories(user.id)
            .await?
            .into_iter()
            .next()
            .map(|(territory, role)| (territory.id, role)))
    }

    /// Moves a session to another territory, if the account may work there; `false`
    /// (nothing changed) otherwise.
    pub async fn choose_territory(
        &self,
        token_hash: &str,
        user_id: i64,
        territory: TerritoryId,
    ) -> Result<bool, StorageError> {
        let allowed = self
            .staff_territories(user_id)
            .await?
            .iter()
            .any(|(t, _)| t.id == territory);
        if !allowed {
            return Ok(false);
        }
        on_pool!(self, pool => sqlx::query(
            "UPDATE staff_session SET territory_id = $3 WHERE token_hash = $1 AND user_id = $2",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(territory.get())
        .execute(pool)
        .await
        .map(drop))?;
        Ok(true)
    }

    /// Ends every session of an account (an admin logging someone out everywhere).
    pub async fn end_sessions(&self, id: i64, actor: &Actor) -> Result<u64, StorageError> {
        let now = now_unix();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let ended = sqlx::query("DELETE FROM staff_session WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let entry = AuditEntry::new(actor, AuditAction::UserSessionsEnded)
                .object("staff_user", id)
                .detail(crate::french::plural(i64::try_from(ended).unwrap_or(i64::MAX), "session", "sessions"));
            insert_audit!(tx, &entry, now)?;
            tx.commit().await?;
            Ok(ended)
        })
    }

    /// Logout: the session stops working on every instance at once.
    pub async fn end_session(&self, token_hash: &str, actor: &Actor) -> Result<(), StorageError> {
        let now = now_unix();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM staff_session WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&mut *tx)
                .await?;
            insert_audit!(tx, &AuditEntry::new(actor, AuditAction::Logout), now)?;
            tx.commit().await?;
        });
        Ok(())
    }
}
