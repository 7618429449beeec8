use axum::Router;
use axum::response::Html;
use axum::routing::get;
use leptos::prelude::*;

use crate::AppState;
use crate::layout::{Crumb, Page};
use crate::render;

pub fn routes() -> Router<AppState> {
    Router::new().route("/confidentialite", get(notice))
}

async fn notice() -> Html<String> {
    render::page(|| {
        view! {
            <Page
                title="Vos données".to_owned()
                breadcrumbs=vec![Crumb::link("Accueil", "/"), Crumb::here("Vos données")]
            >
                <h1>"Vos données et vos réponses"</h1>
                <p class="lead">"Les questionnaires de Pouls sont anonymes. Voici, simplement, ce qui est recueilli, pourquoi, qui y a accès et combien de temps."</p>

                <h2>"Ce qui est recueilli"</h2>
                <ul>
                    <li>"Vos réponses aux questions, telles que vous les donnez."</li>
                    <li>"Le lieu ou l'événement où le questionnaire a été proposé (par exemple « Foire de printemps, stand du RPE »)."</li>
                    <li>"L'heure de la réponse, arrondie à l'heure près."</li>
                </ul>
                <h2>"Ce qui n'est pas recueilli"</h2>
                <ul>
                    <li>"Ni votre nom, ni votre adresse, ni votre numéro de téléphone, sauf si vous les écrivez vous-même dans une réponse libre : évitez-le."</li>
                    <li>"Ni votre adresse IP, ni le modèle de votre téléphone ou de votre navigateur."</li>
                    <li>"Aucun cookie n'est déposé quand vous répondez, et aucun outil de mesure d'audience ni service extérieur n'est utilisé."</li>
                </ul>

                <h2>"À quoi servent vos réponses"</h2>
                <p>"À connaître les besoins des habitants des 23 communes de la Communauté de Communes Yonne Nord et à adapter les actions de la Convention Territoriale Globale (CTG) 2026-2030 signée avec la CAF de l'Yonne : services aux familles, à l'enfance, à la jeunesse, accès aux droits, santé, vie sociale. Elles sont analysées de façon collective, lors de temps d'échange avec les élus, les professionnels, les partenaires et des habitants."</p>

                <h2>"Sur quelle base"</h2>
                <p>"La mission d'intérêt public de la communauté de communes (article 6.1.e du règlement général sur la protection des données). Répondre est libre et facultatif."</p>

                <h2>"Qui y a accès"</h2>
                <ul>
                    <li>"Les agents de la communauté de communes chargés de la CTG et de l'action sociale, avec un compte personnel."</li>
                    <li>"Les partenaires (élus, CAF, professionnels) voient des résultats regroupés, jamais une réponse isolée ; les chiffres portant sur moins de 5 réponses leur sont masqués."</li>
                    <li>"Le public voit des résultats regroupés et, parmi les réponses libres, seulement celles qu'un agent a relues et jugées publiables."</li>
                </ul>
                <p>"Les données sont hébergées par la communauté de communes ou son prestataire, en France ou dans l'Union européenne. Elles ne sont ni vendues ni transmises à des fins commerciales."</p>

                <h2>"Combien de temps"</h2>
                <p>"Chaque questionnaire indique sa date de fin de conservation, en général deux ans après sa clôture. À cette date, les réponses sont supprimées automatiquement. Les résultats regroupés (par exemple « 72 % de personnes satisfaites ») peuvent être gardés dans les bilans de la CTG."</p>

                <h2>"Vos droits"</h2>
                <p>"Comme les réponses sont anonymes, il n'est en général pas possible de retrouver la vôtre. Si vous pensez qu'une réponse permet de vous reconnaître (par exemple si vous y avez écrit votre nom), vous pouvez demander sa suppression ou sa rectification, et vous opposer à son usage, en précisant le questionnaire, la date et le contenu de la réponse."</p>
                <p>"Pour cela, ou pour toute question, adressez-vous à la Communauté de Communes Yonne Nord (service à la population) ou à son délégué à la protection des données. Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL (cnil.fr)."</p>
            </Page>
        }
    })
}
