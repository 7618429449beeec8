use axum::Router;
use axum::response::Html;
use axum::routing::get;
use leptos::prelude::*;

use crate::AppState;
use crate::layout::{Crumb, Page};
use crate::render;

pub fn routes() -> Router<AppState> {
    Router::new().route("/accessibilite", get(statement))
}

async fn statement() -> Html<String> {
    render::page(|| {
        view! {
            <Page
                title="Déclaration d'accessibilité".to_owned()
                breadcrumbs=vec![Crumb::link("Accueil", "/"), Crumb::here("Accessibilité")]
            >
                <h1>"Déclaration d'accessibilité"</h1>
                <p>
                    "La Communauté de Communes Yonne Nord s'engage à rendre Pouls accessible conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration s'applique à la plateforme Pouls (pages publiques, questionnaires et espace des agents)."
                </p>
                <h2>"État de conformité"</h2>
                <p>
                    "Pouls est "<strong>"non conforme"</strong>" avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1 : aucun audit n'a encore été réalisé."
                </p>
                <p>"La plateforme est pourtant conçue pour être utilisable par tous :"</p>
                <ul>
                    <li>"les pages fonctionnent sans JavaScript, au clavier et avec un lecteur d'écran ;"</li>
                    <li>"les textes restent lisibles sur un écran de téléphone de 360 pixels de large et avec un zoom à 200 % ;"</li>
                    <li>"les contrastes de couleurs respectent un rapport d'au moins 4,5:1 ;"</li>
                    <li>"chaque champ de formulaire a une étiquette, et les erreurs sont signalées à côté du champ concerné."</li>
                </ul>
                <h2>"Contenus non accessibles"</h2>
                <p>
                    "Tant que l'audit n'a pas eu lieu, des défauts peuvent subsister. Les défauts connus seront listés ici avec leur date de correction prévue."
                </p>
                <h2>"Établissement de cette déclaration"</h2>
                <p>"Cette déclaration a été établie le 29 novembre 2026."</p>
                <p>"Technologies utilisées : HTML et CSS. Aucune page ne dépend de JavaScript."</p>
                <h2>"Retour d'information et contact"</h2>
                <p>
                    "Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez la Communauté de Communes Yonne Nord (service à la population) ou adressez-vous à l'accueil d'un espace France Services du territoire : nous vous indiquerons une autre façon d'y accéder et corrigerons le défaut."
                </p>
                <h2>"Voies de recours"</h2>
                <p>
                    "Si vous avez signalé un défaut d'accessibilité sans obtenir de réponse satisfaisante, vous pouvez saisir le Défenseur des droits : par le formulaire en ligne sur defenseurdesdroits.fr, auprès de l'un de ses délégués dans votre département, ou par courrier gratuit (Défenseur des droits, libre réponse 71120, 75342 Paris CEDEX 07)."
                </p>
            </Page>
        }
    })
}
