use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use leptos::prelude::*;
use pouls::domain::paris;

use crate::AppState;
use crate::error::AppError;
use crate::layout::Page;
use crate::render;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let open = state
        .public_territory()
        .await?
        .open_survey_links(paris::today())
        .await?;
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
            <Page title="Accueil".to_owned()>
                <h1>"Pouls : prendre le pouls du territoire"</h1>
                <p class="lead">
                    "Pouls est l'outil de la Communauté de Communes Yonne Nord pour écouter les habitants de ses 23 communes et suivre ce qui est fait de leur avis."
                </p>
                <p>
                    "Avec la CAF de l'Yonne, la communauté de communes s'est engagée dans une Convention Territoriale Globale (CTG) pour 2026-2030 : un plan de 17 actions pour les familles, les enfants, les jeunes, les seniors et tous les habitants."
                </p>
                <h2>"Questionnaires ouverts"</h2>
                {surveys}
                <p><a href="/resultats">"Vous avez dit, nous avons fait : ce qui a été entendu et décidé"</a></p>
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
                <p><a class="button" href="/plan">"Découvrir le plan d'actions"</a></p>
            </Page>
        }
    }))
}
