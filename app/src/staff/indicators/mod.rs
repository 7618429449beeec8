//! Indicators on the staff side: the plan dashboard, each action's indicators with their
//! values over periods, and each indicator's settings, rules and recorded values.

mod action;
mod dashboard;
mod indicator;

use pouls::domain::Role;

use super::guard::StaffRoutes;

pub fn routes() -> StaffRoutes {
    StaffRoutes::new()
        .get("/admin/plan", Role::Lecteur, dashboard::dashboard)
        .get(
            "/admin/plan/actions/{number}",
            Role::Lecteur,
            action::action,
        )
        .get("/admin/indicateurs/{code}", Role::Agent, indicator::page)
        .post(
            "/admin/indicateurs/{code}/reglages",
            Role::Agent,
            indicator::save_settings,
        )
        .get(
            "/admin/indicateurs/{code}/regle",
            Role::Agent,
            indicator::rule_form,
        )
        .post(
            "/admin/indicateurs/{code}/regles",
            Role::Agent,
            indicator::add_rule,
        )
        .post(
            "/admin/indicateurs/{code}/regles/{id}/supprimer",
            Role::Agent,
            indicator::delete_rule,
        )
        .post(
            "/admin/indicateurs/{code}/valeurs",
            Role::Agent,
            indicator::record,
        )
}
