//! `/admin`: the staff home. It grows with each feature.

use axum::response::Html;
use leptos::prelude::*;
use pouls::domain::Role;

use super::guard::{CurrentUser, StaffRoutes};
use crate::layout::Page;
use crate::render;

pub fn routes() -> StaffRoutes {
    StaffRoutes::new().get("/admin", Role::Lecteur, dashboard)
}

async fn dashboard(user: CurrentUser) -> Html<String> {
    let greeting = format!(
        "Vous êtes connecté en tant que {} ({}).",
        user.email,
        user.role.label()
    );
    let is_admin = user.role == Role::Admin;
    // Partners and lecteurs read; partners also file field reports.
    let is_partner = !user.role.allows(Role::Agent);
    let files_reports = user.role.allows(Role::Partenaire);
    render::page(move || {
        view! {
            <Page title="Tableau de bord".to_owned() staff=user.nav()>
                <h1>"Tableau de bord"</h1>
                <p>{greeting}</p>
                <ul class="link-list">
                    <li><a href="/admin/enquetes">{if is_partner { "Résultats des enquêtes" } else { "Enquêtes : créer, ouvrir, imprimer les affiches, lire les résultats" }}</a></li>
                    {(!is_partner).then(|| view! { <li><a href="/admin/modeles">"Créer une enquête à partir d'un modèle"</a></li> })}
                    {files_reports.then(|| view! { <li><a href="/admin/remontees">{if is_partner { "Mes remontées de terrain" } else { "Remontées de terrain" }}</a></li> })}
                    <li><a href="/admin/observatoire">"Tableau de bord des besoins"</a></li>
                    <li><a href="/admin/besoins">"Besoins"</a></li>
                    <li><a href="/admin/reunions">"Réunions de l'observatoire et décisions"</a></li>
                    <li><a href="/admin/plan">"Suivi du plan : les indicateurs par ambition, phase et action"</a></li>
                    <li><a href="/admin/exports">"Exports CSV"</a></li>
                    <li><a href="/plan">"Le plan d'actions CTG 2026-2030"</a></li>
                    {is_admin.then(|| view! {
                        <li><a href="/admin/comptes">"Gérer les comptes"</a></li>
                        <li><a href="/admin/journal">"Consulter le journal des actions"</a></li>
                    })}
                    <li><a href="/admin/mon-compte">"Mon compte"</a></li>
                </ul>
            </Page>
        }
    })
}
