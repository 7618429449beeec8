//! Staff accounts and sessions as the rest of the platform sees them.

use crate::domain::Role;
use crate::territory::{InstanceRole, TerritoryId};

/// Sessions end after 2 hours without a request...
pub const SESSION_IDLE_SECONDS: i64 = 2 * 3600;
/// ...and 12 hours after login in any case.
pub const SESSION_ABSOLUTE_SECONDS: i64 = 12 * 3600;
/// A session's last-seen time is written at most this often, to spare the database a
/// write on every page.
pub const SESSION_TOUCH_SECONDS: i64 = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    pub id: i64,
    pub email: String,
    pub active: bool,
    pub created_at: i64,
    /// Administrator of the instance (every territory) or lecteur départemental.
    pub instance_role: Option<InstanceRole>,
}

impl StaffUser {
    pub fn is_instance_admin(&self) -> bool {
        self.instance_role == Some(InstanceRole::Admin)
    }
}

/// An account in the admin's list of a territory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffListing {
    pub user: StaffUser,
    /// What the account may do in the territory the list was read for: its membership's
    /// role, admin for an instance admin, none without access.
    pub role: Option<Role>,
    /// How many other territories the account has a role in.
    pub other_territories: i64,
    pub open_sessions: i64,
    pub last_login_at: Option<i64>,
}

impl StaffListing {
    /// Whether a change to the account reaches beyond this territory (its other
    /// memberships, its instance role): only an instance admin may make it.
    pub fn reaches_beyond(&self) -> bool {
        self.other_territories > 0 || self.user.instance_role.is_some()
    }
}

/// The effective role of an account in a territory: an instance admin administers every
/// territory; otherwise its membership's role.
pub fn effective_role(
    instance_role: Option<InstanceRole>,
    membership: Option<Role>,
) -> Option<Role> {
    match instance_role {
        Some(InstanceRole::Admin) => Some(Role::Admin),
        _ => membership,
    }
}

/// A new account: its memberships and instance role are written with it.
#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    pub email: &'a crate::domain::Email,
    pub password_hash: &'a str,
    pub memberships: &'a [crate::territory::Membership],
    pub instance_role: Option<InstanceRole>,
}

/// A live session and its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    pub user: StaffUser,
    /// The account's effective role in [`StaffSession::territory`].
    pub role: Role,
    pub token_hash: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// The territory the staff pages work in: the one chosen in the menu (checked against
    /// the memberships on every request), else the first.
    pub territory: TerritoryId,
}

/// The outcome of creating an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateAccount {
    Created(StaffUser),
    EmailTaken,
}

/// The outcome of a change to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChange {
    Done,
    NotFound,
    /// Refused: the territory would be left without an active admin.
    LastAdmin,
}
