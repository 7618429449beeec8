//! Staff accounts and sessions as the rest of the platform sees them.

use crate::domain::Role;
use crate::territory::TerritoryId;

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
    pub role: Role,
    pub active: bool,
    pub created_at: i64,
}

/// An account in the admin's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffListing {
    pub user: StaffUser,
    pub open_sessions: i64,
    pub last_login_at: Option<i64>,
}

/// A live session and its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    pub user: StaffUser,
    pub token_hash: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// The territory the staff pages work in: the one chosen in the menu, else the
    /// default territory.
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
    /// Refused: the platform would be left without an active admin.
    LastAdmin,
}
