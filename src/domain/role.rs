use std::fmt;

use super::ParseError;

/// A staff role in a territory. Roles are nested: an admin can do everything an agent
/// can, an agent everything a partenaire can, and a partenaire everything a lecteur can,
/// so a route states the least role it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Reads, changes nothing: what a lecteur départemental holds in the territories it
    /// follows. Below partenaire, who files field reports.
    Lecteur,
    /// Partners and elected officials: read-only views, and their own field reports.
    Partenaire,
    /// Staff: surveys, indicators, needs, meetings, exports.
    Agent,
    /// Everything, including accounts and the plan itself.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Agent, Role::Partenaire, Role::Lecteur];

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        match input.trim() {
            "admin" => Ok(Self::Admin),
            "agent" => Ok(Self::Agent),
            "partenaire" => Ok(Self::Partenaire),
            "lecteur" => Ok(Self::Lecteur),
            _ => Err(ParseError::new(
                "Choisissez un rôle : administrateur, agent, partenaire ou lecteur.",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Agent => "agent",
            Self::Partenaire => "partenaire",
            Self::Lecteur => "lecteur",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "Administrateur",
            Self::Agent => "Agent",
            Self::Partenaire => "Partenaire",
            Self::Lecteur => "Lecteur",
        }
    }

    /// Whether someone with this role may use something that needs `required`.
    pub fn allows(self, required: Role) -> bool {
        self >= required
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_four_roles() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("superadmin").is_err());
        assert!(Role::parse("Admin").is_err());
    }

    #[test]
    fn roles_are_nested() {
        assert!(Role::Admin.allows(Role::Agent));
        assert!(Role::Agent.allows(Role::Partenaire));
        assert!(Role::Agent.allows(Role::Agent));
        assert!(!Role::Agent.allows(Role::Admin));
        assert!(!Role::Partenaire.allows(Role::Agent));
        assert!(Role::Partenaire.allows(Role::Lecteur));
        assert!(!Role::Lecteur.allows(Role::Partenaire));
    }
}
