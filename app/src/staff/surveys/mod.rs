//! The survey builder (agents and admins): surveys, questions, collection points, results.

mod detail;
mod edit;
mod entry;
mod filters;
mod import;
mod paper;
mod points;
mod questions;
mod results;
mod results_print;
mod review;
mod review_forms;

use pouls::domain::Role;
use pouls::storage::TerritoryStorage;
use pouls::survey::FormValues;

use super::guard::StaffRoutes;
use crate::AppState;
use crate::error::AppError;
use crate::staff::CurrentUser;

pub fn routes() -> StaffRoutes {
    StaffRoutes::new()
        .get("/admin/enquetes", Role::Lecteur, edit::list)
        .get("/admin/enquetes/nouvelle", Role::Agent, edit::new_form)
        .post("/admin/enquetes", Role::Agent, edit::create)
        .get("/admin/enquetes/{id}", Role::Agent, detail::detail)
        .get(
            "/admin/enquetes/{id}/modifier",
            Role::Agent,
            edit::edit_form,
        )
        .post("/admin/enquetes/{id}/modifier", Role::Agent, edit::update)
        .get("/admin/enquetes/{id}/apercu", Role::Agent, detail::preview)
        .post("/admin/enquetes/{id}/ouvrir", Role::Agent, detail::open)
        .post("/admin/enquetes/{id}/fermer", Role::Agent, detail::close)
        .post(
            "/admin/enquetes/{id}/dupliquer",
            Role::Agent,
            detail::duplicate,
        )
        .post(
            "/admin/enquetes/{id}/supprimer",
            Role::Agent,
            detail::delete,
        )
        .get(
            "/admin/enquetes/{id}/questions/nouvelle",
            Role::Agent,
            questions::new_form,
        )
        .post(
            "/admin/enquetes/{id}/questions",
            Role::Agent,
            questions::create,
        )
        .get(
            "/admin/enquetes/{id}/questions/{qid}",
            Role::Agent,
            questions::edit_form,
        )
        .post(
            "/admin/enquetes/{id}/questions/{qid}",
            Role::Agent,
            questions::update,
        )
        .post(
            "/admin/enquetes/{id}/questions/{qid}/supprimer",
            Role::Agent,
            questions::delete,
        )
        .post(
            "/admin/enquetes/{id}/questions/{qid}/monter",
            Role::Agent,
            questions::move_up,
        )
        .post(
            "/admin/enquetes/{id}/questions/{qid}/descendre",
            Role::Agent,
            questions::move_down,
        )
        .get(
            "/admin/enquetes/{id}/points/nouveau",
            Role::Agent,
            points::new_form,
        )
        .post("/admin/enquetes/{id}/points", Role::Agent, points::create)
        .get("/admin/points/{pid}", Role::Agent, points::show)
        .get(
            "/admin/points/{pid}/modifier",
            Role::Agent,
            points::edit_form,
        )
        .post("/admin/points/{pid}/modifier", Role::Agent, points::update)
        .get(
            "/admin/enquetes/{id}/resultats",
            Role::Lecteur,
            results::results,
        )
        .get(
            "/admin/enquetes/{id}/resultats/imprimer",
            Role::Lecteur,
            results_print::print,
        )
        .post(
            "/admin/enquetes/{id}/relecture",
            Role::Agent,
            review_forms::review,
        )
        .post(
            "/admin/enquetes/{id}/rattacher",
            Role::Agent,
            review_forms::attach,
        )
        .get("/admin/enquetes/{id}/papier", Role::Agent, paper::paper)
        .get(
            "/admin/enquetes/{id}/saisie",
            Role::Agent,
            paper::entry_start,
        )
        .get("/admin/points/{pid}/saisie", Role::Agent, entry::entry_form)
        .post("/admin/points/{pid}/saisie", Role::Agent, entry::enter)
        .get(
            "/admin/enquetes/{id}/modele-import",
            Role::Agent,
            import::import_template,
        )
        .get(
            "/admin/enquetes/{id}/import",
            Role::Agent,
            import::import_form,
        )
        .post_upload("/admin/enquetes/{id}/import", Role::Agent, import::import)
}

/// An id from the URL, or 404.
fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// The survey named in the path, with its questions, or a 404.
pub(super) async fn find_survey(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<pouls::survey::SurveyDefinition, AppError> {
    user.territory(state)
        .survey_definition(parse_id(id)?)
        .await?
        .ok_or(AppError::NotFound)
}

/// The plan's theme codes, for validation.
async fn theme_codes(territory: &TerritoryStorage) -> Result<Vec<String>, AppError> {
    Ok(territory
        .themes()
        .await?
        .into_iter()
        .map(|t| t.code)
        .collect())
}

/// The values of a posted form, repeated fields included.
fn values(fields: Vec<(String, String)>) -> FormValues {
    FormValues::from_pairs(fields)
}
