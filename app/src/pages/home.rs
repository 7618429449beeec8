use axum::Router;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Html;
use axum::routing::get;
use leptos::prelude::*;
use pouls::domain::paris;
use pouls::territory::Territory;

use super::public::{Public, Resolved, resolve};
use crate::AppState;
use crate::error::AppError;
use crate::layout::Page;
use crate::render;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/t/{slug}", get(home))
        .route("/t/{slug}/", get(home))
}

async fn home(State(state): State<AppState>, uri: Uri) -> Result<Html<String>, AppError> {
    let Public { territory, base } = match resolve(&state, &uri).await? {
        Resolved::Territory(public) => public,
        Resolved::Several(territories) => return Ok(territory_list(territories)),
    };
    let open = territory.open_survey_links(paris::today()).await?;
    let surveys = if open.is_empty() {
        view! { <p>"Aucun questionnaire n'est ouvert en ce moment. Revenez bientôt !"</p> }
            .into_any()
    } else {
        view! {
            <ul class="survey-list">
                {open
                    .into_iter()
                    .map(|(title, intro, code)| view! {
                        <li class="survey-card">
                            <h3><a href=format!("/q/{code}")>{title}</a></h3>
                            <p>{intro}</p>
                        </li>
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    Ok(render::page(move || {
        view! {
            <Page title="Accueil".to_owned() base=base.clone()>
                <h1>"Pouls : prendre le pouls du territoire"</h1>
                <p class="lead">
                    "Pouls est l'outil de la Communauté de Communes Yonne Nord pour écouter les habitants de ses 23 communes et suivre ce qui est fait de leur avis."
                </p>
                <p>
                    "Avec la CAF de l'Yonne, la communauté de communes s'est engagée dans une Convention Territoriale Globale (CTG) pour 2026-2030 : un plan de 17 actions pour les familles, les enfants, les jeunes, les seniors et tous les habitants."
                </p>
                <h2>"Questionnaires ouverts"</h2>
                {surveys}
                <p><a href=format!("{base}/resultats")>"Vous avez dit, nous avons fait : ce qui a été entendu et décidé"</a></p>
                <h2>"À quoi sert Pouls ?"</h2>
                <ul>
                    <li>"Donner votre avis en une minute, en scannant le QR code d'une affiche lors d'un événement ou à l'accueil France Services. C'est anonyme."</li>
                    <li>"Faire remonter les besoins du territoire, avec les professionnels qui vous accompagnent au quotidien."</li>
                    <li>"Voir ce qui a été entendu et ce qui a été décidé, action par action et commune par commune."</li>
                </ul>
                <h2>"Le plan d'actions"</h2>
                <p>
                    "Le plan s'organise autour de quatre ambitions : la cohésion sociale et la vie locale, l'accès aux droits et aux services, la coopération entre acteurs, et la connaissance des besoins du territoire."
                </p>
                <p><a class="button" href=format!("{base}/plan")>"Découvrir le plan d'actions"</a></p>
            </Page>
        }
    }))
}

/// `/` on an instance of several territories: each one, a link to its pages.
fn territory_list(territories: Vec<Territory>) -> Html<String> {
    render::page(move || {
        view! {
            <Page title="Accueil".to_owned()>
                <h1>"Pouls : prendre le pouls des territoires"</h1>
                <p class="lead">
                    "Choisissez votre territoire pour donner votre avis, découvrir son plan d'actions et voir ce qui a été décidé."
                </p>
                <ul class="survey-list">
                    {territories
                        .into_iter()
                        .map(|territory| view! {
                            <li class="survey-card">
                                <h2><a href=format!("/t/{}/", territory.slug.as_str())>{territory.name}</a></h2>
                                <p>{territory.kind.label()}</p>
                            </li>
                        })
                        .collect_view()}
                </ul>
            </Page>
        }
    })
}
