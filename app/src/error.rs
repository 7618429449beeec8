//! Errors of the page layer and the middleware that turns them into French pages.
//!
//! Handlers return [`AppError`]; an internal error becomes a bare 500 response carrying the
//! cause chain in an extension, and [`error_pages`] (which knows the request id) logs that
//! chain and sends a French page showing only the id.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use pouls::auth::AuthError;
use pouls::storage::StorageError;

use crate::layout::Page;
use crate::render;

/// When every password check slot stayed busy (a burst of logins).
pub const BUSY_MESSAGE: &str =
    "Trop de connexions en cours, réessayez dans quelques secondes. Rien n'a été modifié.";

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("page not found")]
    NotFound,
    #[error("login required")]
    Unauthenticated,
    #[error("role not allowed")]
    Forbidden,
    #[error("CSRF check failed")]
    CsrfRejected,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    pub fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::CsrfRejected => StatusCode::FORBIDDEN,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Storage(StorageError::WriterStopped | StorageError::Unavailable(_))
            | Self::Auth(AuthError::Busy) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Storage(_) | Self::Auth(_) | Self::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// The French page for errors the visitor can understand; `None` for internal ones.
    fn page(&self) -> Option<(&'static str, &'static str)> {
        match self {
            Self::NotFound => None,
            Self::Unauthenticated => Some((
                "Connexion requise",
                "Cette action est réservée aux agents connectés. Connectez-vous, puis recommencez.",
            )),
            Self::Forbidden => Some((
                "Accès refusé",
                "Votre rôle ne permet pas d'accéder à cette page. Si vous en avez besoin, demandez-le à un administrateur de la plateforme.",
            )),
            Self::CsrfRejected => Some((
                "Demande refusée",
                "La demande n'a pas pu être vérifiée : elle ne vient pas d'une page de la plateforme, ou la page a expiré. Rien n'a été modifié. Revenez à la page précédente, rechargez-la et recommencez.",
            )),
            Self::PayloadTooLarge => Some((
                "Envoi trop volumineux",
                "Le formulaire envoyé est trop volumineux. Rien n'a été enregistré.",
            )),
            Self::Storage(StorageError::WriterStopped) => Some((
                "Service en cours de redémarrage",
                "La plateforme redémarre : vos réponses n'ont pas été enregistrées. Patientez quelques secondes, puis renvoyez le formulaire.",
            )),
            Self::Storage(StorageError::Unavailable(_)) => Some((
                "Service momentanément indisponible",
                "La plateforme ne peut pas accéder à ses données pour le moment, et rien n'a été enregistré. Réessayez dans quelques minutes. Si vous remplissiez un questionnaire, revenez à la page précédente : vos réponses y sont encore, il suffira de l'envoyer de nouveau.",
            )),

            Self::Auth(AuthError::Busy) => Some(("Service très sollicité", BUSY_MESSAGE)),
            Self::Storage(_) | Self::Auth(_) | Self::Internal(_) => None,
        }
    }

    /// The error and its causes on one line, for the log.
    fn chain(&self) -> String {
        let mut chain = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            chain.push_str(": ");
            chain.push_str(&cause.to_string());
            source = cause.source();
        }
        chain
    }
}

/// The cause chain of an internal error or an unavailable database, kept for the log only.
#[derive(Clone)]
struct InternalCause(Arc<String>);

/// The id of the request being served, for logs and error pages.
#[derive(Clone)]
pub struct RequestId(pub Arc<str>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Some((title, message)) = self.page() {
            let mut response = message_page(self.status_code(), title, message);
            if matches!(self, Self::Storage(StorageError::Unavailable(_))) {
                // The visitor reads the French page; the operator needs the cause.
                response
                    .extensions_mut()
                    .insert(InternalCause(Arc::new(self.chain())));
            }
            return response;
        }
        match self.status_code() {
            StatusCode::NOT_FOUND => not_found(),
            status => {
                let mut response = status.into_response();
                response
                    .extensions_mut()
                    .insert(InternalCause(Arc::new(self.chain())));
                response
            }
        }
    }
}

/// A short French page explaining why a request was refused.
pub fn message_page(status: StatusCode, title: &'static str, message: &'static str) -> Response {
    let link = match status {
        StatusCode::UNAUTHORIZED => ("/connexion", "Se connecter"),
        // Residents meet this one, on the public side.
        StatusCode::SERVICE_UNAVAILABLE => HOME,
        _ => DASHBOARD,
    };
    linked_page(status, title, message, link)
}

const HOME: (&str, &str) = ("/", "Retour à l'accueil");
const DASHBOARD: (&str, &str) = ("/admin", "Retour au tableau de bord");

/// The French page for what the framework refuses before any handler runs (a method the
/// address does not take, a body too large, of another type or unreadable), which would
/// otherwise be English text or nothing. Residents meet them too: they lead home there.
fn framework_page(status: StatusCode, staff: bool) -> Option<Response> {
    let (title, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            "Action impossible à cette adresse",
            "Cette adresse ne permet pas cette action : rien n'a été enregistré. Revenez à la page précédente, rechargez-la et recommencez depuis ses boutons et ses liens.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "Envoi trop volumineux",
            "Le formulaire envoyé est trop volumineux : rien n'a été enregistré. Raccourcissez les textes saisis, puis envoyez-le à nouveau.",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "Envoi dans un format non pris en charge",
            "Ce formulaire n'a pas été envoyé comme un navigateur le fait depuis la plateforme : rien n'a été enregistré. Ouvrez la page du formulaire et envoyez-le depuis celle-ci.",
        ),
        StatusCode::BAD_REQUEST => (
            "Demande illisible",
            "La demande envoyée est incomplète ou illisible : rien n'a été enregistré. Revenez à la page précédente, rechargez-la et recommencez.",
        ),
        _ => return None,
    };
    Some(linked_page(
        status,
        title,
        message,
        if staff { DASHBOARD } else { HOME },
    ))
}

fn linked_page(
    status: StatusCode,
    title: &'static str,
    message: &'static str,
    (href, link): (&'static str, &'static str),
) -> Response {
    let page = render::page(move || {
        view! {
            <Page title=title.to_owned()>
                <h1>{title}</h1>
                <p>{message}</p>
                <p><a href=href>{link}</a></p>
            </Page>
        }
    });
    (status, page).into_response()
}

/// The French 404 page.
pub fn not_found() -> Response {
    let page = render::page(|| {
        view! {
            <Page title="Page introuvable".to_owned()>
                <h1>"Page introuvable"</h1>
                <p>"La page demandée n'existe pas ou a été déplacée. Vérifiez l'adresse, ou repartez de l'accueil."</p>
                <p><a href="/">"Retour à l'accueil"</a></p>
            </Page>
        }
    });
    (StatusCode::NOT_FOUND, page).into_response()
}

fn internal_error_page(request_id: &str) -> Response {
    let request_id = request_id.to_owned();
    let page = render::page(move || {
        view! {
            <Page title="Erreur du serveur".to_owned()>
                <h1>"Une erreur est survenue"</h1>
                <p>"Le service n'a pas pu traiter votre demande. Réessayez dans quelques instants."</p>
                <p>"Si le problème continue, signalez-le en indiquant ce numéro : "<strong>{request_id}</strong></p>
                <p><a href="/">"Retour à l'accueil"</a></p>
            </Page>
        }
    });
    (StatusCode::INTERNAL_SERVER_ERROR, page).into_response()
}

/// Gives each request an id, and replaces internal errors by a French page that shows the
/// id and nothing else, after logging the whole cause chain under that id.
pub async fn error_pages(mut request: Request, next: Next) -> Response {
    let request_id: Arc<str> = format!("{:016x}", rand::random::<u64>()).into();
    request
        .extensions_mut()
        .insert(RequestId(Arc::clone(&request_id)));
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let framework_text = !response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if framework_text
        && let Some(mut page) = framework_page(response.status(), path.starts_with("/admin"))
    {
        // A 405 says which methods the address takes.
        if let Some(allow) = response.headers().get(header::ALLOW) {
            page.headers_mut().insert(header::ALLOW, allow.clone());
        }
        response = page;
    }
    let cause = response
        .extensions()
        .get::<InternalCause>()
        .map(|c| Arc::clone(&c.0));
    // A 503 already carries its French page (restarting, database unavailable).
    let internal =
        response.status().is_server_error() && response.status() != StatusCode::SERVICE_UNAVAILABLE;
    if internal || cause.is_some() {
        tracing::error!(
            request_id = %request_id,
            %method,
            path,
            status = response.status().as_u16(),
            cause = cause.as_deref().map_or("unknown", String::as_str),
            "request failed"
        );
    }
    if internal {
        response = internal_error_page(&request_id);
    }
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}
