//! The audit log: who did what to which object, and when.

use std::fmt;

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Staff {
        id: i64,
        email: String,
    },
    /// Someone at the server's command line (`pouls user add`...).
    CommandLine,
    /// The server itself (scheduled retention, ...).
    System,
    /// Nobody logged in (a failed login names the email tried, not an account).
    Anonymous,
}

impl Actor {
    pub fn id(&self) -> Option<i64> {
        match self {
            Self::Staff { id, .. } => Some(*id),
            _ => None,
        }
    }

    pub fn label(&self) -> String {
        match self {
            Self::Staff { email, .. } => email.clone(),
            Self::CommandLine => "ligne de commande".to_owned(),
            Self::System => "système".to_owned(),
            Self::Anonymous => "anonyme".to_owned(),
        }
    }
}

/// What happened. Stored by its code; the label is what staff read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    Login,
    LoginFailed,
    LoginLocked,
    Logout,
    UserCreated,
    UserRoleChanged,
    UserDeactivated,
    UserReactivated,
    UserPasswordReset,
    UserSessionsEnded,
    PasswordChanged,
    ReauthFailed,
    SurveyCreated,
    SurveyUpdated,
    SurveyOpened,
    SurveyClosed,
    SurveyDeleted,
    SurveyDuplicated,
    QuestionAdded,
    QuestionUpdated,
    QuestionDeleted,
    QuestionMoved,
    PointCreated,
    PointUpdated,
    TextReviewed,
    ResponsesPurged,
    IndicatorSettingsChanged,
    IndicatorRuleAdded,
    IndicatorRuleRemoved,
    IndicatorValueRecorded,
    ReportFiled,
    ReportUpdated,
    NeedCreated,
    NeedUpdated,
    NeedStatusChanged,
    NeedSourceAdded,
    MeetingCreated,
    MeetingUpdated,
    MeetingSnapshot,
    DecisionRecorded,
    DecisionUpdated,
    ExportDownloaded,
    ResponsesImported,
    PaperResponseEntered,
}

impl AuditAction {
    pub const ALL: [AuditAction; 44] = [
        Self::Login,
        Self::LoginFailed,
        Self::LoginLocked,
        Self::Logout,
        Self::UserCreated,
        Self::UserRoleChanged,
        Self::UserDeactivated,
        Self::UserReactivated,
        Self::UserPasswordReset,
        Self::UserSessionsEnded,
        Self::PasswordChanged,
        Self::ReauthFailed,
        Self::SurveyCreated,
        Self::SurveyUpdated,
        Self::SurveyOpened,
        Self::SurveyClosed,
        Self::SurveyDeleted,
        Self::SurveyDuplicated,
        Self::QuestionAdded,
        Self::QuestionUpdated,
        Self::QuestionDeleted,
        Self::QuestionMoved,
        Self::PointCreated,
        Self::PointUpdated,
        Self::TextReviewed,
        Self::ResponsesPurged,
        Self::IndicatorSettingsChanged,
        Self::IndicatorRuleAdded,
        Self::IndicatorRuleRemoved,
        Self::IndicatorValueRecorded,
        Self::ReportFiled,
        Self::ReportUpdated,
        Self::NeedCreated,
        Self::NeedUpdated,
        Self::NeedStatusChanged,
        Self::NeedSourceAdded,
        Self::MeetingCreated,
        Self::MeetingUpdated,
        Self::MeetingSnapshot,
        Self::DecisionRecorded,
        Self::DecisionUpdated,
        Self::ExportDownloaded,
        Self::ResponsesImported,
        Self::PaperResponseEntered,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::LoginFailed => "login_failed",
            Self::LoginLocked => "login_locked",
            Self::Logout => "logout",
            Self::UserCreated => "user_created",
            Self::UserRoleChanged => "user_role_changed",
            Self::UserDeactivated => "user_deactivated",
            Self::UserReactivated => "user_reactivated",
            Self::UserPasswordReset => "user_password_reset",
            Self::UserSessionsEnded => "user_sessions_ended",
            Self::PasswordChanged => "password_changed",
            Self::ReauthFailed => "reauth_failed",
            Self::SurveyCreated => "survey_created",
            Self::SurveyUpdated => "survey_updated",
            Self::SurveyOpened => "survey_opened",
            Self::SurveyClosed => "survey_closed",
            Self::SurveyDeleted => "survey_deleted",
            Self::SurveyDuplicated => "survey_duplicated",
            Self::QuestionAdded => "question_added",
            Self::QuestionUpdated => "question_updated",
            Self::QuestionDeleted => "question_deleted",
            Self::QuestionMoved => "question_moved",
            Self::PointCreated => "point_created",
            Self::PointUpdated => "point_updated",
            Self::TextReviewed => "text_reviewed",
            Self::ResponsesPurged => "responses_purged",
            Self::IndicatorSettingsChanged => "indicator_settings_changed",
            Self::IndicatorRuleAdded => "indicator_rule_added",
            Self::IndicatorRuleRemoved => "indicator_rule_removed",
            Self::IndicatorValueRecorded => "indicator_value_recorded",
            Self::ReportFiled => "report_filed",
            Self::ReportUpdated => "report_updated",
            Self::NeedCreated => "need_created",
            Self::NeedUpdated => "need_updated",
            Self::NeedStatusChanged => "need_status_changed",
            Self::NeedSourceAdded => "need_source_added",
            Self::MeetingCreated => "meeting_created",
            Self::MeetingUpdated => "meeting_updated",
            Self::MeetingSnapshot => "meeting_snapshot",
            Self::DecisionRecorded => "decision_recorded",
            Self::DecisionUpdated => "decision_updated",
            Self::ExportDownloaded => "export_downloaded",
            Self::ResponsesImported => "responses_imported",
            Self::PaperResponseEntered => "paper_response_entered",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Login => "Connexion",
            Self::LoginFailed => "Échec de connexion",
            Self::LoginLocked => "Connexion retenue (trop de tentatives, attente imposée)",
            Self::Logout => "Déconnexion",
            Self::UserCreated => "Création de compte",
            Self::UserRoleChanged => "Changement de rôle",
            Self::UserDeactivated => "Désactivation de compte",
            Self::UserReactivated => "Réactivation de compte",
            Self::UserPasswordReset => "Réinitialisation de mot de passe",
            Self::UserSessionsEnded => "Fin des sessions d'un compte",
            Self::PasswordChanged => "Changement de son mot de passe",
            Self::ReauthFailed => "Mot de passe de confirmation incorrect",
            Self::SurveyCreated => "Création d'enquête",
            Self::SurveyUpdated => "Modification d'enquête",
            Self::SurveyOpened => "Ouverture d'enquête",
            Self::SurveyClosed => "Clôture d'enquête",
            Self::SurveyDeleted => "Suppression d'un brouillon d'enquête",
            Self::SurveyDuplicated => "Duplication d'enquête",
            Self::QuestionAdded => "Ajout de question",
            Self::QuestionUpdated => "Modification de question",
            Self::QuestionDeleted => "Suppression de question",
            Self::QuestionMoved => "Déplacement de question",
            Self::PointCreated => "Création de point de collecte",
            Self::PointUpdated => "Modification de point de collecte",
            Self::TextReviewed => "Relecture d'une réponse libre",
            Self::ResponsesPurged => "Suppression des réponses échues",
            Self::IndicatorSettingsChanged => "Réglage d'un indicateur",
            Self::IndicatorRuleAdded => "Ajout d'une règle de calcul",
            Self::IndicatorRuleRemoved => "Retrait d'une règle de calcul",
            Self::IndicatorValueRecorded => "Saisie d'une valeur d'indicateur",
            Self::ReportFiled => "Dépôt d'une remontée de terrain",
            Self::ReportUpdated => "Modification d'une remontée de terrain",
            Self::NeedCreated => "Création d'un besoin",
            Self::NeedUpdated => "Modification d'un besoin",
            Self::NeedStatusChanged => "Changement d'état d'un besoin",
            Self::NeedSourceAdded => "Ajout d'une source à un besoin",
            Self::MeetingCreated => "Création d'une réunion",
            Self::MeetingUpdated => "Modification d'une réunion",
            Self::MeetingSnapshot => "Tableau de bord figé pour une réunion",
            Self::DecisionRecorded => "Décision enregistrée",
            Self::DecisionUpdated => "Modification d'une décision",
            Self::ExportDownloaded => "Export CSV",
            Self::ResponsesImported => "Import de réponses papier",
            Self::PaperResponseEntered => "Saisie d'une réponse papier",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.code() == code)
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One entry to write.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub actor: Actor,
    pub action: AuditAction,
    pub object_kind: Option<&'static str>,
    pub object_id: Option<String>,
    pub detail: String,
}

impl AuditEntry {
    pub fn new(actor: &Actor, action: AuditAction) -> Self {
        Self {
            actor: actor.clone(),
            action,
            object_kind: None,
            object_id: None,
            detail: String::new(),
        }
    }

    pub fn object(mut self, kind: &'static str, id: impl ToString) -> Self {
        self.object_kind = Some(kind);
        self.object_id = Some(id.to_string());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

/// One entry as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    /// The code as stored; `AuditAction::from_code` gives its label when it is known.
    pub action: String,
    pub object_kind: Option<String>,
    pub object_id: Option<String>,
    pub detail: String,
}

/// Which entries to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: Option<AuditAction>,
    /// Part of the actor's email or label.
    pub actor: Option<String>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub to: Option<i64>,
    /// Entries about this object only (kind, id).
    pub object: Option<(String, String)>,
    /// Entries before this id (for the next page).
    pub before_id: Option<i64>,
    pub limit: i64,
    /// Only this territory's entries and the instance-wide ones (logins, accounts) of
    /// accounts with a role in it; `None`: everything (an instance admin's journal).
    pub territory: Option<crate::territory::TerritoryId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(action.code()), Some(action));
        }
        let mut codes: Vec<_> = AuditAction::ALL.iter().map(|a| a.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), AuditAction::ALL.len());
    }
}
