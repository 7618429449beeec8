//! The closed lists of needs observation.

use crate::survey::coded_enum;

coded_enum!(Organisation {
    FranceServices => ("france_services", "France Services"),
    Rpe => ("rpe", "Relais Petite Enfance"),
    CcasMairie => ("ccas_mairie", "CCAS / mairie"),
    Association => ("association", "Association"),
    ServiceSocial => ("service_social", "Service social départemental"),
    Pmi => ("pmi", "PMI"),
    MissionLocale => ("mission_locale", "Mission Locale"),
    EtablissementScolaire => ("etablissement_scolaire", "Établissement scolaire"),
    Autre => ("autre", "Autre"),
});

coded_enum!(NeedStatus {
    Signale => ("signale", "Signalé"),
    Qualifie => ("qualifie", "Qualifié"),
    PrisEnCompte => ("pris_en_compte", "Pris en compte"),
    Clos => ("clos", "Clos"),
});

coded_enum!(MeetingKind {
    Observatoire => ("observatoire", "Observatoire thématique"),
    Copil => ("copil", "COPIL"),
    Cotech => ("cotech", "COTECH"),
    GroupeTravail => ("groupe_travail", "Groupe de travail"),
});

coded_enum!(DecisionStatus {
    AFaire => ("a_faire", "À faire"),
    EnCours => ("en_cours", "En cours"),
    Fait => ("fait", "Fait"),
    Abandonne => ("abandonne", "Abandonné"),
});

// The four groups whose attendance meetings record.
coded_enum!(AttendeeGroup {
    Elus => ("elus", "Élus"),
    Professionnels => ("professionnels", "Professionnels"),
    Partenaires => ("partenaires", "Partenaires"),
    Habitants => ("habitants", "Habitants"),
});
