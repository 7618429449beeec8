//! Needs observation on the staff side (action 14): field reports, needs, the needs
//! board, observatory meetings and their decisions. Partenaires file and follow their
//! reports and read needs, meetings and decisions; every change is an agent's.

pub(crate) mod board;
mod meeting_read;
mod meetings;
mod need_page;
mod needs;
mod reports;

use pouls::domain::Role;
use pouls::needs::Lists;
use pouls::storage::TerritoryStorage;

use super::guard::StaffRoutes;
use crate::error::AppError;

pub fn routes() -> StaffRoutes {
    StaffRoutes::new()
        .get("/admin/remontees", Role::Partenaire, reports::list)
        .get(
            "/admin/remontees/nouvelle",
            Role::Partenaire,
            reports::new_form,
        )
        .post("/admin/remontees", Role::Partenaire, reports::create)
        .get(
            "/admin/remontees/{id}",
            Role::Partenaire,
            reports::edit_form,
        )
        .post("/admin/remontees/{id}", Role::Partenaire, reports::update)
        .get("/admin/besoins", Role::Lecteur, needs::list)
        .get("/admin/besoins/nouveau", Role::Agent, needs::new_form)
        .post("/admin/besoins", Role::Agent, needs::create)
        .post("/admin/besoins/rattacher", Role::Agent, needs::attach)
        .get("/admin/besoins/{id}", Role::Lecteur, need_page::detail)
        .post("/admin/besoins/{id}", Role::Agent, needs::update)
        .post("/admin/besoins/{id}/statut", Role::Agent, needs::set_status)
        .post(
            "/admin/besoins/{id}/sources",
            Role::Agent,
            needs::add_source,
        )
        .get("/admin/observatoire", Role::Lecteur, board::board)
        .get("/admin/observatoire/sources", Role::Lecteur, board::sources)
        .get("/admin/reunions", Role::Lecteur, meetings::list)
        .get("/admin/reunions/nouvelle", Role::Agent, meetings::new_form)
        .post("/admin/reunions", Role::Agent, meetings::create)
        .get("/admin/reunions/{id}", Role::Lecteur, meetings::detail)
        .post("/admin/reunions/{id}", Role::Agent, meetings::update)
        .post("/admin/reunions/{id}/figer", Role::Agent, meetings::freeze)
        .post(
            "/admin/reunions/{id}/decisions",
            Role::Agent,
            meetings::add_decision,
        )
        .post(
            "/admin/decisions/{id}/etat",
            Role::Agent,
            meetings::decision_status,
        )
        .get(
            "/admin/reunions/{id}/compte-rendu",
            Role::Agent,
            meetings::report,
        )
}

/// The plan's communes, themes and publics: codes for validation, labels for forms.
#[derive(Clone)]
pub(crate) struct Choices {
    pub communes: Vec<(String, String)>,
    pub themes: Vec<(String, String)>,
    pub publics: Vec<(String, String)>,
}

impl Choices {
    pub async fn load(territory: &TerritoryStorage) -> Result<Self, AppError> {
        let pairs = |list: Vec<pouls::plan::Labelled>| {
            list.into_iter().map(|l| (l.code, l.label)).collect()
        };
        Ok(Self {
            communes: pairs(territory.communes().await?),
            themes: pairs(territory.themes().await?),
            publics: pairs(territory.publics().await?),
        })
    }

    pub fn label<'a>(list: &'a [(String, String)], code: &str) -> &'a str {
        list.iter()
            .find(|(c, _)| c == code)
            .map_or("", |(_, l)| l.as_str())
    }

    /// Runs `f` with the code lists a draft's parser wants.
    pub fn with_lists<T>(&self, f: impl FnOnce(&Lists<'_>) -> T) -> T {
        fn codes(list: &[(String, String)]) -> Vec<&str> {
            list.iter().map(|(c, _)| c.as_str()).collect()
        }
        let (communes, themes, publics) = (
            codes(&self.communes),
            codes(&self.themes),
            codes(&self.publics),
        );
        f(&Lists {
            communes: &communes,
            themes: &themes,
            publics: &publics,
        })
    }
}

fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}
