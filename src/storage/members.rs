//! A territory's accounts as its admin sees them: the accounts with a role in the
//! territory and the instance admins; an instance admin also sees the accounts without
//! access here, to give them some. An account outside that list is not found.

use sqlx::FromRow;

use super::audit::insert_audit;
use super::staff::{USER_COLUMNS, UserRow, parse_role, territories_without_admin};
use super::territories::TerritoryStorage;
use super::{StorageError, WritePool, now_unix, on_pool};
use crate::audit::{Actor, AuditAction, AuditEntry};
use crate::domain::Role;
use crate::staff::{AccountChange, SESSION_IDLE_SECONDS, StaffListing, effective_role};

#[derive(FromRow)]
struct ListingRow {
    #[sqlx(flatten)]
    user: UserRow,
    membership_role: Option<String>,
    other_territories: i64,
    open_sessions: i64,
    last_login_at: Option<i64>,
}

impl ListingRow {
    fn into_listing(self) -> Result<StaffListing, StorageError> {
        let user = self.user.into_user()?;
        let membership = self
            .membership_role
            .as_deref()
            .map(parse_role)
            .transpose()?;
        Ok(StaffListing {
            role: effective_role(user.instance_role, membership),
            other_territories: self.other_territories,
            open_sessions: self.open_sessions,
            last_login_at: self.last_login_at,
            user,
        })
    }
}

/// `$1`: the territory, `$2`: sessions seen since, `$3`: every account (an instance
/// admin's list) rather than those that may work here.
fn listing_sql(filter: &str) -> String {
    format!(
        "SELECT {USER_COLUMNS}, m.role AS membership_role, \
           (SELECT COUNT(*) FROM staff_membership o WHERE o.user_id = u.id AND o.territory_id <> $1) AS other_territories, \
           (SELECT COUNT(*) FROM staff_session s WHERE s.user_id = u.id AND s.last_seen_at > $2) AS open_sessions, \
           (SELECT MAX(a.at) FROM audit_event a WHERE a.actor_id = u.id AND a.action = 'login') AS last_login_at \
         FROM staff_user u LEFT JOIN staff_membership m ON m.user_id = u.id AND m.territory_id = $1 \
         WHERE ($3 OR m.role IS NOT NULL OR u.instance_role = 'admin') {filter} ORDER BY u.email"
    )
}

impl TerritoryStorage {
    /// The territory's accounts (with `all`, every account), by email.
    pub async fn accounts(&self, all: bool) -> Result<Vec<StaffListing>, StorageError> {
        let idle_since = now_unix() - SESSION_IDLE_SECONDS;
        let rows: Vec<ListingRow> = on_pool!(self.storage, pool => sqlx::query_as(&listing_sql(""))
            .bind(self.key())
            .bind(idle_since)
            .bind(all)
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(ListingRow::into_listing).collect()
    }

    /// One account of the list [`TerritoryStorage::accounts`] gives.
    pub async fn account(&self, id: i64, all: bool) -> Result<Option<StaffListing>, StorageError> {
        let idle_since = now_unix() - SESSION_IDLE_SECONDS;
        let row: Option<ListingRow> = on_pool!(self.storage, pool => sqlx::query_as(&listing_sql("AND u.id = $4"))
            .bind(self.key())
            .bind(idle_since)
            .bind(all)
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        row.map(ListingRow::into_listing).transpose()
    }

    /// Gives the account `role` in this territory (`None`: takes its access here away).
    /// The caller checked that the account is one it may see.
    pub async fn change_role(
        &self,
        id: i64,
        role: Option<Role>,
        actor: &Actor,
    ) -> Result<AccountChange, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let target: Option<(String, Option<String>)> = sqlx::query_as(
                "SELECT u.email, m.role FROM staff_user u \
                 LEFT JOIN staff_membership m ON m.user_id = u.id AND m.territory_id = $2 WHERE u.id = $1",
            )
            .bind(id)
            .bind(self.key())
            .fetch_optional(&mut *tx)
            .await?;
            let Some((email, before_role)) = target else {
                return Ok(AccountChange::NotFound);
            };
            let before = territories_without_admin!(tx);
            match role {
                Some(role) => sqlx::query(
                    "INSERT INTO staff_membership (user_id, territory_id, role) VALUES ($1, $2, $3) \
                     ON CONFLICT (user_id, territory_id) DO UPDATE SET role = excluded.role",
                )
                .bind(id)
                .bind(self.key())
                .bind(role.as_str())
                .execute(&mut *tx)
                .await?,
                None => sqlx::query("DELETE FROM staff_membership WHERE user_id = $1 AND territory_id = $2")
                    .bind(id)
                    .bind(self.key())
                    .execute(&mut *tx)
                    .await?,
            };
            if territories_without_admin!(tx) > before {
                return Ok(AccountChange::LastAdmin);
            }
            let entry = AuditEntry::new(actor, AuditAction::UserRoleChanged)
                .object("staff_user", id)
                .detail(format!(
                    "{email} : {} → {}",
                    before_role.as_deref().unwrap_or("aucun"),
                    role.map_or("aucun", Role::as_str)
                ));
            insert_audit!(tx, &entry, now)?;
            tx.commit().await?;
            Ok(AccountChange::Done)
        })
    }

    /// Deactivating an account also ends its sessions. The caller checked that the
    /// account is this territory's to change (see [`StaffListing::reaches_beyond`]).
    pub async fn set_active(
        &self,
        id: i64,
        active: bool,
        actor: &Actor,
    ) -> Result<AccountChange, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let email: Option<String> = sqlx::query_scalar("SELECT email FROM staff_user WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(email) = email else {
                return Ok(AccountChange::NotFound);
            };
            let before = territories_without_admin!(tx);
            sqlx::query("UPDATE staff_user SET active = $2 WHERE id = $1")
                .bind(id)
                .bind(active)
                .execute(&mut *tx)
                .await?;
            if territories_without_admin!(tx) > before {
                return Ok(AccountChange::LastAdmin);
            }
            if !active {
                sqlx::query("DELETE FROM staff_session WHERE user_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            let action = if active {
                AuditAction::UserReactivated
            } else {
                AuditAction::UserDeactivated
            };
            let entry = AuditEntry::new(actor, action)
                .object("staff_user", id)
                .detail(email);
            insert_audit!(tx, &entry, now)?;
            tx.commit().await?;
            Ok(AccountChange::Done)
        })
    }
}
