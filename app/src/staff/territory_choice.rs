//! Changing the territory the staff pages work in, from the menu. The territory sent is
//! checked against the account's memberships: one it may not work in is a 404, as if it
//! did not exist.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use pouls::domain::Role;
use pouls::territory::TerritoryId;
use serde::Deserialize;

use super::guard::{CurrentUser, StaffRoutes};
use crate::AppState;
use crate::error::AppError;
use crate::urlencoded::Form;

pub fn routes() -> StaffRoutes {
    StaffRoutes::new().post("/admin/territoire", Role::Lecteur, choose)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ChoiceForm {
    territoire: String,
}

/// Back to the dashboard: the page one came from shows objects of the territory left.
async fn choose(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<ChoiceForm>,
) -> Result<Response, AppError> {
    let territory = form
        .territoire
        .trim()
        .parse::<i64>()
        .map(TerritoryId::new)
        .map_err(|_| AppError::NotFound)?;
    if !state
        .storage
        .choose_territory(&user.token_hash, user.id, territory)
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/admin").into_response())
}
