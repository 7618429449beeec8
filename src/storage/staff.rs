//! Staff accounts and sessions.

use sqlx::FromRow;

use super::audit::insert_audit;
use super::{Storage, StorageError, WritePool, now_unix, on_pool};
use crate::audit::{Actor, AuditAction, AuditEntry};
use crate::domain::{Email, Role};
use crate::staff::{
    AccountChange, CreateAccount, SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS,
    SESSION_TOUCH_SECONDS, StaffListing, StaffSession, StaffUser,
};
use crate::territory::TerritoryId;

#[derive(FromRow)]
struct UserRow {
    id: i64,
    email: String,
    role: String,
    active: bool,
    created_at: i64,
}

impl UserRow {
    fn into_user(self) -> Result<StaffUser, StorageError> {
        Ok(StaffUser {
            role: Role::parse(&self.role)
                .map_err(|_| StorageError::Corrupt(format!("role {:?}", self.role)))?,
            id: self.id,
            email: self.email,
            active: self.active,
            created_at: self.created_at,
        })
    }
}

#[derive(FromRow)]
struct LoginRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: String,
}

#[derive(FromRow)]
struct ListingRow {
    #[sqlx(flatten)]
    user: UserRow,
    open_sessions: i64,
    last_login_at: Option<i64>,
}

#[derive(FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    token_hash: String,
    csrf_token: String,
    session_created_at: i64,
    last_seen_at: i64,
    territory_id: Option<i64>,
}

const USER_COLUMNS: &str = "u.id, u.email, u.role, u.active, u.created_at";

/// Whether changing `target` to (`role`, `active`) would leave no active admin.
macro_rules! leaves_no_admin {
    ($tx:expr, $target:expr, $role:expr, $active:expr) => {{
        let target: &UserRow = $target;
        let stays_admin = $role == Role::Admin && $active;
        let is_admin = target.role == Role::Admin.as_str() && target.active;
        if is_admin && !stays_admin {
            let others: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM staff_user WHERE role = 'admin' AND active AND id <> $1",
            )
            .bind(target.id)
            .fetch_one(&mut *$tx)
            .await?;
            others == 0
        } else {
            false
        }
    }};
}

impl Storage {
    pub async fn create_account(
        &self,
        email: &Email,
        password_hash: &str,
        role: Role,
        actor: &Actor,
    ) -> Result<CreateAccount, StorageError> {
        let now = now_unix();
        let result = on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let inserted: Result<UserRow, sqlx::Error> = sqlx::query_as(
                "INSERT INTO staff_user (email, password_hash, role, active, created_at, password_changed_at) \
                 VALUES ($1, $2, $3, TRUE, $4, $4) \
                 RETURNING id, email, role, active, created_at",
            )
            .bind(email.as_str())
            .bind(password_hash)
            .bind(role.as_str())
            .bind(now)
            .fetch_one(&mut *tx)
            .await;
            match inserted {
                Ok(row) => {
                    let entry = AuditEntry::new(actor, AuditAction::UserCreated)
                        .object("staff_user", row.id)
                        .detail(format!("{} ({})", email, role.label()));
                    insert_audit!(tx, &entry, now)?;
                    tx.commit().await?;
                    Ok(Some(row))
                }
                Err(error) if is_unique_violation(&error) => Ok(None),
                Err(error) => Err(error),
            }
        })?;
        Ok(match result {
            Some(row) => CreateAccount::Created(row.into_user()?),
            None => CreateAccount::EmailTaken,
        })
    }

    /// The account and its password hash, for a login attempt.
    pub async fn account_for_login(
        &self,
        email: &Email,
    ) -> Result<Option<(StaffUser, String)>, StorageError> {
        let row: Option<LoginRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT u.id, u.email, u.role, u.active, u.created_at, u.password_hash \
             FROM staff_user u WHERE u.email = $1",
        )
        .bind(email.as_str())
        .fetch_optional(pool)
        .await)?;
        row.map(|row| Ok((row.user.into_user()?, row.password_hash)))
            .transpose()
    }

    /// Whether anything beyond the plan is stored: an account or a survey.
    pub async fn holds_data(&self) -> Result<bool, StorageError> {
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM staff_user) + (SELECT COUNT(*) FROM survey)",
        )
        .fetch_one(pool)
        .await)?;
        Ok(count > 0)
    }

    pub async fn password_hash(&self, user_id: i64) -> Result<Option<String>, StorageError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT password_hash FROM staff_user WHERE id = $1",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await)?)
    }

    pub async fn account(&self, id: i64) -> Result<Option<StaffUser>, StorageError> {
        let row: Option<UserRow> = on_pool!(self, pool => sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM staff_user u WHERE u.id = $1"
        ))
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        row.map(UserRow::into_user).transpose()
    }

    /// Every account with its open sessions and last login, by email.
    pub async fn accounts(&self) -> Result<Vec<StaffListing>, StorageError> {
        let idle_since = now_unix() - SESSION_IDLE_SECONDS;
        let rows: Vec<ListingRow> = on_pool!(self, pool => sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS}, \
               (SELECT COUNT(*) FROM staff_session s WHERE s.user_id = u.id AND s.last_seen_at > $1) AS open_sessions, \
               (SELECT MAX(a.at) FROM audit_event a WHERE a.actor_id = u.id AND a.action = 'login') AS last_login_at \
             FROM staff_user u ORDER BY u.email"
        ))
        .bind(idle_since)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|row| {
                Ok(StaffListing {
                    open_sessions: row.open_sessions,
                    last_login_at: row.last_login_at,
                    user: row.user.into_user()?,
                })
            })
            .collect()
    }

    pub async fn change_role(
        &self,
        id: i64,
        role: Role,
        actor: &Actor,
    ) -> Result<AccountChange, StorageError> {
        let now = now_unix();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let target: Option<UserRow> = sqlx::query_as(&format!(
                "SELECT {USER_COLUMNS} FROM staff_user u WHERE u.id = $1"
            ))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(target) = target else {
                return Ok(AccountChange::NotFound);
            };
            if leaves_no_admin!(tx, &target, role, target.active) {
                return Ok(AccountChange::LastAdmin);
            }
            sqlx::query("UPDATE staff_user SET role = $2 WHERE id = $1")
                .bind(id)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await?;
            let entry = AuditEntry::new(actor, AuditAction::UserRoleChanged)
                .object("staff_user", id)
                .detail(format!("{} : {} → {}", target.email, target.role, role.as_str()));
            insert_audit!(tx, &entry, now)?;
            tx.commit().await?;
            Ok(AccountChange::Done)
        })
    }

    /// Deactivating an account also ends its sessions.
    pub async fn set_active(
        &self,
        id: i64,
        active: bool,
        actor: &Actor,
    ) -> Result<AccountChange, StorageError> {
        let now = now_unix();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let target: Option<UserRow> = sqlx::query_as(&format!(
                "SELECT {USER_COLUMNS} FROM staff_user u WHERE u.id = $1"
            ))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(target) = target else {
                return Ok(AccountChange::NotFound);
            };
            let role = Role::parse(&target.role).unwrap_or(Role::Partenaire);
            if leaves_no_admin!(tx, &target, role, active) {
                return Ok(AccountChange::LastAdmin);
            }
            sqlx::query("UPDATE staff_user SET active = $2 WHERE id = $1")
                .bind(id)
                .bind(active)
                .execute(&mut *tx)
                .await?;
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
                .detail(target.email);
            insert_audit!(tx, &entry, now)?;
            tx.commit().await?;
            Ok(AccountChange::Done)
        })
    }

    /// Sets a new password hash and ends the account's sessions, except `keep` (the
    /// session of someone changing their own password).
    pub async fn set_password(
        &self,
        id: i64,
        password_hash: &str,
        keep: Option<&str>,
        entry: &AuditEntry,
    ) -> Result<AccountChange, StorageError> {
        let now = now_unix();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let updated = sqlx::query(
                "UPDATE staff_user SET password_hash = $2, password_changed_at = $3 WHERE id = $1",
            )
            .bind(id)
            .bind(password_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Ok(AccountChange::NotFound);
            }
            sqlx::query("DELETE FROM staff_session WHERE user_id = $1 AND ($2 IS NULL OR token_hash <> $2)")
                .bind(id)
                .bind(keep)
                .execute(&mut *tx)
                .await?;
            insert_audit!(tx, entry, now)?;
            tx.commit().await?;
            Ok(AccountChange::Done)
        })
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

    /// Opens a session after a successful login, and forgets expired ones.
    pub async fn create_session(
        &self,
        user: &StaffUser,
        token_hash: &str,
        csrf_token: &str,
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
                "INSERT INTO staff_session (token_hash, user_id, csrf_token, created_at, last_seen_at) \
                 VALUES ($1, $2, $3, $4, $4)",
            )
            .bind(token_hash)
            .bind(user.id)
            .bind(csrf_token)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            insert_audit!(tx, &AuditEntry::new(&actor, AuditAction::Login), now)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The live session with this token hash, if any: not idle for too long, not too old,
    /// and its account still active. Refreshes its last-seen time when it is stale.
    pub async fn session(&self, token_hash: &str) -> Result<Option<StaffSession>, StorageError> {
        let now = now_unix();
        let row: Option<SessionRow> = on_pool!(self, pool => sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS}, s.token_hash, s.csrf_token, \
               s.created_at AS session_created_at, s.last_seen_at, \
               COALESCE(s.territory_id, (SELECT MIN(id) FROM territory)) AS territory_id \
             FROM staff_session s JOIN staff_user u ON u.id = s.user_id \
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
        if now - row.last_seen_at >= SESSION_TOUCH_SECONDS {
            on_pool!(self, pool => sqlx::query(
                "UPDATE staff_session SET last_seen_at = $2 WHERE token_hash = $1",
            )
            .bind(token_hash)
            .bind(now)
            .execute(pool)
            .await
            .map(drop))?;
        }
        Ok(Some(StaffSession {
            token_hash: row.token_hash,
            csrf_token: row.csrf_token,
            created_at: row.session_created_at,
            last_seen_at: row.last_seen_at,
            territory: TerritoryId::new(row.territory_id.ok_or(StorageError::NoTerritory)?),
            user: row.user.into_user()?,
        }))
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

fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}
