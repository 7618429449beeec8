//! Territories: one instance serves several CTGs (a CAF hosts every CTG of its
//! département), each with its own plan, communes, staff and data. Staff hold a role per
//! territory ([`Membership`]); two instance-wide roles ([`InstanceRole`]) stand above them.

use std::fmt;

use serde::Deserialize;

use crate::domain::{ParseError, Role};

/// A territory's id in the database. Every territory-scoped storage call takes one, so a
/// query cannot forget which territory it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TerritoryId(i64);

impl TerritoryId {
    pub const fn new(id: i64) -> Self {
        Self(id)
    }

    pub const fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for TerritoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The short name in a territory's public URLs (`/t/{slug}/plan`): 2 to 32 lower case
/// ASCII letters, digits and hyphens, neither first nor last. ASCII only, so that a URL
/// typed from a poster never depends on how an accent was encoded.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TerritorySlug(String);

impl TerritorySlug {
    pub const MIN_LEN: usize = 2;
    pub const MAX_LEN: usize = 32;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
        let length = (Self::MIN_LEN..=Self::MAX_LEN).contains(&input.len());
        if length && input.bytes().all(allowed) && !input.starts_with('-') && !input.ends_with('-')
        {
            Ok(Self(input.to_owned()))
        } else {
            Err(ParseError::new(
                "Un identifiant de territoire compte 2 à 32 caractères : lettres minuscules \
                 sans accent, chiffres et tirets, sans tiret au début ni à la fin (par \
                 exemple « ccyn »).",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TerritorySlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of authority signs the CTG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TerritoryKind {
    /// An intercommunality (communauté de communes, d'agglomération...).
    Epci,
    Commune,
    Departement,
    /// Several EPCIs signing one CTG.
    Groupement,
    /// Anything else (a syndicat, a pays...).
    Autre,
}

impl TerritoryKind {
    pub const ALL: [Self; 5] = [
        Self::Epci,
        Self::Commune,
        Self::Departement,
        Self::Groupement,
        Self::Autre,
    ];

    /// The code stored in `territory.kind` and written in plan files.
    pub fn code(self) -> &'static str {
        match self {
            Self::Epci => "epci",
            Self::Commune => "commune",
            Self::Departement => "departement",
            Self::Groupement => "groupement",
            Self::Autre => "autre",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Epci => "Intercommunalité",
            Self::Commune => "Commune",
            Self::Departement => "Département",
            Self::Groupement => "Groupement d'intercommunalités",
            Self::Autre => "Autre",
        }
    }
}

/// A territory as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Territory {
    pub id: TerritoryId,
    pub slug: TerritorySlug,
    pub name: String,
    pub kind: TerritoryKind,
    /// The SIREN of the signing authority, where known (9 digits).
    pub siren: Option<String>,
}

/// A role over the whole instance, beside the roles held per territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstanceRole {
    /// Creates territories and accounts.
    Admin,
    /// The lecteur départemental (a CAF adviser): reads the territories it is given,
    /// changes nothing.
    Lecteur,
}

impl InstanceRole {
    pub const ALL: [Self; 2] = [Self::Admin, Self::Lecteur];

    /// The code stored in `staff_user.instance_role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Lecteur => "lecteur",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "Administrateur de l'instance",
            Self::Lecteur => "Lecteur départemental",
        }
    }
}

/// An account's role in one territory (`staff_membership`). An account has at most one
/// per territory; every staff page works inside one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Membership {
    pub territory: TerritoryId,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_short_lower_case_ascii() {
        for good in [
            "ccyn",
            "val-d-exemple",
            "cc42",
            "a1",
            "x".repeat(32).as_str(),
        ] {
            assert_eq!(
                TerritorySlug::parse(good).map(|s| s.as_str().to_owned()),
                Ok(good.to_owned())
            );
        }
        let too_long = "x".repeat(33);
        for bad in [
            "",
            "c",
            too_long.as_str(),
            "CCYN",
            "val d'exemple",
            "vallée",
            "-ccyn",
            "ccyn-",
            "cc_yn",
            "cc/yn",
        ] {
            assert!(TerritorySlug::parse(bad).is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn kinds_and_instance_roles_read_back_their_codes() {
        for kind in TerritoryKind::ALL {
            assert_eq!(TerritoryKind::parse(kind.code()), Some(kind));
        }
        assert_eq!(TerritoryKind::parse("EPCI"), None);
        for role in InstanceRole::ALL {
            assert_eq!(InstanceRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(InstanceRole::parse("agent"), None);
    }
}
