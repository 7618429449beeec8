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
use crate::{format, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/t/{slug}", get(home))
        .route("/t/{slug}/", get(home))
}

async fn home(State(state): State<AppState>, uri: Uri) -> Result<Html<String>, AppError> {
    let Public {
        territory,
        base,
        name,
    } = match resolve(&state, &uri).await? {
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
    // Each territory's own words: its name, partner, plan and ambitions.
    let plan = territory.plan_overview(None).await?;
    let actions: usize = plan
        .ambitions
        .iter()
        .flat_map(|a| &a.orientations)
        .map(|o| o.actions.len())
        .sum();
    let lead = format!(
        "Avec Pouls, {} écoute ses habitants et suit ce qui est fait de leur avis.",
        plan.territory
    );
    let engagement = format!(
        "Avec la {}, le territoire s'est engagé dans la {} : un plan de {} pour les familles, les enfants, les jeunes, les seniors et tous les habitants.",
        plan.partner,
        plan.title,
        format::plural(
            i64::try_from(actions).unwrap_or(i64::MAX),
            "action",
            "actions"
        )
    );
    let ambitions: Vec<String> = plan.ambitions.into_iter().map(|a| a.title).collect();
    Ok(render::page(move || {
        view! {
            <Page title="Accueil".to_owned() base=base.clone() territory=name.clone()>
                <h1>"Pouls : prendre le pouls du territoire"</h1>
                <p class="lead">{lead}</p>
                <p>{engagement}</p>
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
                <p>{format!("Le plan s'organise autour de {} :", format::plural(i64::try_from(ambitions.len()).unwrap_or(i64::MAX), "ambition", "ambitions"))}</p>
                <ul>{ambitions.iter().map(|title| view! { <li>{title.clone()}</li> }).collect_view()}</ul>
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
