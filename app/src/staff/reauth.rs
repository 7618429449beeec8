//! Asking staff for their own password again before a change that a stolen session (or
//! a forged form in an admin's browser) must not make alone. The check is throttled and
//! counted like a login, on the same counters.

use axum::http::StatusCode;
use pouls::audit::{AuditAction, AuditEntry};
use pouls::throttle::Verdict;

use super::guard::CurrentUser;
use super::login::wait_until;
use crate::AppState;
use crate::client::ClientAddress;
use crate::error::AppError;

/// The label of the field, on every form that asks.
pub(super) const LABEL: &str = "Votre mot de passe";
pub(super) const HINT: &str = "Pour confirmer que c'est bien vous.";

/// Why the password typed did not confirm the change: the status of the page and the
/// message shown next to the field.
pub(super) struct Refused {
    pub status: StatusCode,
    pub message: String,
}

/// Checks the password `typed` by `user` before the change described by `what` to the
/// account `target` (both for the audit log).
pub(super) async fn confirm(
    state: &AppState,
    user: &CurrentUser,
    client: ClientAddress,
    typed: &str,
    (target, what): (i64, String),
) -> Result<Result<(), Refused>, AppError> {
    if typed.is_empty() {
        return Ok(Err(Refused {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "Saisissez votre mot de passe pour confirmer. Rien n'a été modifié.".into(),
        }));
    }
    let account = user.email.trim().to_lowercase();
    let client = client.key();
    let turn = state.password_checks.permit().await?;
    if let Verdict::Wait { until } = state
        .storage
        .charge_login_attempt(&account, &client)
        .await?
    {
        return Ok(Err(Refused {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: format!(
                "Trop d'essais de mot de passe. Par sécurité, attendez jusqu'à {} avant de réessayer. Rien n'a été modifié.",
                wait_until(until)
            ),
        }));
    }
    let hash = state.storage.password_hash(user.id).await?;
    if turn.verify(typed.to_owned(), hash).await? {
        state
            .storage
            .forgive_login_attempt(&account, &client)
            .await?;
        return Ok(Ok(()));
    }
    let entry = AuditEntry::new(&user.actor(), AuditAction::ReauthFailed)
        .object("staff_user", target)
        .detail(what);
    state.storage.audit(&entry).await?;
    Ok(Err(Refused {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        message: "Votre mot de passe est incorrect. Rien n'a été modifié.".into(),
    }))
}
