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
                    "Pouls est "<strong>"non conforme"</strong>" avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1 : aucun audit n'a encore été réalisé. Seul un audit, qui vérifie à la main les 106 critères du RGAA sur un échantillon de pages, permet de mesurer un taux de conformité."
                </p>
                <h2>"Ce qui est vérifié aujourd'hui"</h2>
                <p>"En attendant l'audit, l'équipe vérifie la plateforme elle-même, à chaque modification :"</p>
                <ul>
                    <li>"un outil automatique (axe-core) contrôle chaque type de page, côté habitants et côté agents, sur un écran de téléphone (360 pixels de large) et d'ordinateur (1 280 pixels), avec les règles des niveaux A et AA des WCAG 2.1 sur lesquelles repose le RGAA ;"</li>
                    <li>"un navigateur (Chromium) remplit un questionnaire comme le ferait un habitant : sur un téléphone sans JavaScript, puis au clavier seul, en vérifiant que le focus reste visible, que les erreurs sont annoncées en haut du formulaire et à côté du champ concerné, et que les réponses déjà saisies sont conservées ;"</li>
                    <li>"les 13 critères de la thématique « Formulaires » du RGAA ont été passés en revue par l'équipe : 12 sont respectés, 1 ne l'est pas (voir ci-dessous)."</li>
                </ul>
                <p>"La plateforme est conçue pour être utilisable par tous :"</p>
                <ul>
                    <li>"les pages fonctionnent sans JavaScript et au clavier, et leur code suit les règles qui permettent de les utiliser avec un lecteur d'écran ;"</li>
                    <li>"les textes restent lisibles sur un écran de téléphone de 360 pixels de large ;"</li>
                    <li>"les contrastes de couleurs respectent un rapport d'au moins 4,5:1 ;"</li>
                    <li>"chaque champ de formulaire a une étiquette, les questions obligatoires sont signalées, et les erreurs sont expliquées à côté du champ concerné ;"</li>
                    <li>"les graphiques de résultats sont accompagnés d'un tableau donnant les mêmes chiffres."</li>
                </ul>
                <h2>"Contenus non accessibles"</h2>
                <p>"Défauts connus, en cours de correction :"</p>
                <ul>
                    <li>"dans l'espace agents, la suppression d'une question ou d'une enquête en brouillon se fait sans demande de confirmation et ne peut pas être annulée (critère 11.12)."</li>
                </ul>
                <p>"Points non encore vérifiés :"</p>
                <ul>
                    <li>"l'utilisation avec les lecteurs d'écran (NVDA, JAWS, VoiceOver, TalkBack) n'a pas encore été testée ;"</li>
                    <li>"l'agrandissement du texte à 200 %, l'espacement du texte et les modes de contraste élevé n'ont pas été testés, ni les navigateurs autres que Chromium ;"</li>
                    <li>"les thématiques du RGAA autres que « Formulaires » n'ont pas été revues critère par critère."</li>
                </ul>
                <p>"L'écran des résultats en direct ne se met à jour de lui-même que si on le demande, et propose alors d'arrêter la mise à jour."</p>
                <h2>"Établissement de cette déclaration"</h2>
                <p>"Cette déclaration a été établie le 29 novembre 2026."</p>
                <p>"Technologies utilisées : HTML, CSS et SVG. Aucune page ne dépend de JavaScript."</p>
                <p>"Outils de vérification : axe-core 4.14 dans le navigateur Chromium 156 (Debian), sans lecteur d'écran."</p>
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
