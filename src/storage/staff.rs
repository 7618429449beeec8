//! Staff accounts at the instance level: creating them, logging in, passwords, and the
//! territories each may work in. What a territory's admin sees and changes of them is in
//! [`super::members`]; sessions are in [`super::sessions`].

use sqlx::FromRow;

use super::audit::insert_audit;
use super::territories::TerritoryRow;
use super::{Storage, StorageError, WritePool, now_unix, on_pool};
use crate::audit::{Actor, AuditAction, AuditEntry};
use crate::domain::{Email, Role};
use crate::staff::{AccountChange, CreateAccount, NewAccount, StaffUser};
use crate::territory::{InstanceRole, Membership, Territory};

#[derive(FromRow)]
pub(super) struct UserRow {
    pub(super) id: i64,
    pub(super) email: String,
    pub(super) active: bool,
    pub(super) created_at: i64,
    pub(super) instance_role: Option<String>,
}

impl UserRow {
    pub(super) fn into_user(self) -> Result<StaffUser, StorageError> {
        let instance_role = self
            .instance_role
            .map(|code| {
                InstanceRole::parse(&code)
                    .ok_or_else(|| StorageError::Corrupt(format!("instance role {code:?}")))
            })
            .transpose()?;
        Ok(StaffUser {
            id: self.id,
            email: self.email,
            active: self.active,
            created_at: self.created_at,
            instance_role,
        })
    }
}

pub(super) const USER_COLUMNS: &str = "u.id, u.email, u.active, u.created_at, u.instance_role";

pub(super) fn parse_role(code: &str) -> Result<Role, StorageError> {
    Role::parse(code).map_err(|_| StorageError::Corrupt(format!("role {code:?}")))
}

/// How many territories have no active admin (none of their own, no instance admin). A
/// change that makes this grow is refused: nobody could manage those territories' accounts.
macro_rules! territories_without_admin {
    ($tx:expr) => {{
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM territory t WHERE NOT EXISTS ( \
               SELECT 1 FROM staff_user u WHERE u.active AND (u.instance_role = 'admin' \
                 OR EXISTS (SELECT 1 FROM staff_membership m \
                            WHERE m.user_id = u.id AND m.territory_id = t.id AND m.role = 'admin')))",
        )
        .fetch_one(&mut *$tx)
        .await?;
        count
    }};
}
pub(super) use territories_without_admin;

#[derive(FromRow)]
struct LoginRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: String,
}

#[derive(FromRow)]
struct AccessRow {
    #[sqlx(flatten)]
    territory: TerritoryRow,
    role: String,
}

impl Storage {
    /// Writes the account with its memberships and instance role, in one transaction.
    pub async fn create_account(
        &self,
        account: &NewAccount<'_>,
        actor: &Actor,
    ) -> Result<CreateAccount, StorageError> {
        let now = now_unix();
        let result = on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let inserted: Result<UserRow, sqlx::Error> = sqlx::query_as(
                "INSERT INTO staff_user (email, password_hash, active, created_at, password_changed_at, instance_role) \
                 VALUES ($1, $2, TRUE, $3, $3, $4) \
                 RETURNING id, email, active, created_at, instance_role",
            )
            .bind(account.email.as_str())
            .bind(account.password_hash)
            .bind(now)
            .bind(account.instance_role.map(InstanceRole::as_str))
            .fetch_one(&mut *tx)
            .await;
            match inserted {
                Ok(row) => {
                    for membership in account.memberships {
                        sqlx::query(
                            "INSERT INTO staff_membership (user_id, territory_id, role) VALUES ($1, $2, $3)",
                        )
                        .bind(row.id)
                        .bind(membership.territory.get())
                        .bind(membership.role.as_str())
                        .execute(&mut *tx)
                        .await?;
                    }
                    let entry = AuditEntry::new(actor, AuditAction::UserCreated)
                        .object("staff_user", row.id)
                        .detail(describe_access(account.email.as_str(), account.memberships, account.instance_role));
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
        let row: Option<LoginRow> = on_pool!(self, pool => sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS}, u.password_hash FROM staff_user u WHERE u.email = $1"
        ))
        .bind(email.as_str())
        .fetch_optional(pool)
        .await)?;
        row.map(|row| Ok((row.user.into_user()?, row.password_hash)))
            .transpose()
    }

    /// Any account by id, whatever its territories: for instance-level calls only.
    pub async fn account(&self, id: i64) -> Result<Option<StaffUser>, StorageError> {
        let row: Option<UserRow> = on_pool!(self, pool => sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM staff_user u WHERE u.id = $1"
        ))
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        row.map(UserRow::into_user).transpose()
    }

    /// The territories an account may work in, with its role in each, in the order they were
    /// added (the same on both backends, whatever their collation): every
    /// territory as admin for an instance admin, else its memberships.
    pub async fn staff_territories(
        &self,
        user_id: i64,
    ) -> Result<Vec<(Territory, Role)>, StorageError> {
        let rows: Vec<AccessRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT t.id, t.slug, t.name, t.kind, t.siren, \
               CASE WHEN u.instance_role = 'admin' THEN 'admin' ELSE m.role END AS role \
             FROM staff_user u CROSS JOIN territory t \
             LEFT JOIN staff_membership m ON m.user_id = u.id AND m.territory_id = t.id \
             WHERE u.id = $1 AND (u.instance_role = 'admin' OR m.role IS NOT NULL) \
             ORDER BY t.id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|row| {
                let role = parse_role(&row.role)?;
                Ok((row.territory.into_territory()?, role))
            })
            .collect()
    }

    /// An account's memberships as stored (without what an instance role adds).
    pub async fn memberships(&self, user_id: i64) -> Result<Vec<Membership>, StorageError> {
        let rows: Vec<(i64, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT territory_id, role FROM staff_membership WHERE user_id = $1 ORDER BY territory_id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|(territory, role)| {
                Ok(Membership {
                    territory: crate::territory::TerritoryId::new(territory),
                    role: parse_role(&role)?,
                })
            })
            .collect()
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

    /// Replaces an account's memberships and instance role (an instance admin's change),
    /// refused when a territory would be left without an active admin.
    pub async fn set_access(
        &self,
        id: i64,
        memberships: &[Membership],
        instance_role: Option<InstanceRole>,
        actor: &Actor,
    ) -> Result<AccountChange, StorageError> {
        let now = now_unix();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let email: Option<String> = sqlx::query_scalar("SELECT email FROM staff_user WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(email) = email else {
                return Ok(AccountChange::NotFound);
            };
            let before = territories_without_admin!(tx);
            sqlx::query("UPDATE staff_user SET instance_role = $2 WHERE id = $1")
                .bind(id)
                .bind(instance_role.map(InstanceRole::as_str))
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM staff_membership WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            for membership in memberships {
                sqlx::query("INSERT INTO staff_membership (user_id, territory_id, role) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(membership.territory.get())
                    .bind(membership.role.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            if territories_without_admin!(tx) > before {
                return Ok(AccountChange::LastAdmin);
            }
            let entry = AuditEntry::new(actor, AuditAction::UserRoleChanged)
                .object("staff_user", id)
                .detail(describe_access(&email, memberships, instance_role));
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
}

/// "email : territoire 3 (agent), instance (lecteur)", for the journal.
fn describe_access(
    email: &str,
    memberships: &[Membership],
    instance_role: Option<InstanceRole>,
) -> String {
    let mut parts: Vec<String> = memberships
        .iter()
        .map(|m| format!("territoire {} ({})", m.territory, m.role.label()))
        .collect();
    if let Some(role) = instance_role {
        parts.push(role.label().to_owned());
    }
    if parts.is_empty() {
        parts.push("aucun accès".to_owned());
    }
    format!("{email} : {}", parts.join(", "))
}

pub(super) fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}
