//! The typed values of the command line, each the command-line spelling of a domain type.

use clap::ValueEnum;
use pouls::domain::Role;
use pouls::export::{Dialect, Layout};
use pouls::storage::SqliteSync;
use pouls::territory::InstanceRole;

/// [`SqliteSync`] on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SyncMode {
    /// An acknowledged answer is on disk before the resident sees "merci" and survives a
    /// power cut
    Full,
    /// Faster commits, still safe if pouls crashes, but the answers of the last moments
    /// can be lost if the machine loses power or its OS crashes
    Normal,
}

impl SyncMode {
    /// The value as typed, for the server the bench starts.
    pub fn name(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Normal => "normal",
        }
    }
}

impl From<SyncMode> for SqliteSync {
    fn from(mode: SyncMode) -> Self {
        match mode {
            SyncMode::Full => Self::Full,
            SyncMode::Normal => Self::Normal,
        }
    }
}

/// [`Role`] on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Everything, including accounts
    Admin,
    /// Surveys, indicators, needs, exports
    Agent,
    /// Read-only views and field reports
    Partenaire,
    /// Read-only views
    Lecteur,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Admin => Self::Admin,
            RoleArg::Agent => Self::Agent,
            RoleArg::Partenaire => Self::Partenaire,
            RoleArg::Lecteur => Self::Lecteur,
        }
    }
}

/// [`InstanceRole`] on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InstanceRoleArg {
    /// Every territory and its accounts
    Admin,
    /// The lecteur départemental: reads the territories given with --territory
    Lecteur,
}

impl From<InstanceRoleArg> for InstanceRole {
    fn from(role: InstanceRoleArg) -> Self {
        match role {
            InstanceRoleArg::Admin => Self::Admin,
            InstanceRoleArg::Lecteur => Self::Lecteur,
        }
    }
}

/// [`Dialect`] on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DialectName {
    /// "Excel (France)": BOM, ';', decimal comma, formula-safe
    Excel,
    /// For R and Python: ',', ISO dates, decimal point
    Standard,
}

impl From<DialectName> for Dialect {
    fn from(name: DialectName) -> Self {
        match name {
            DialectName::Excel => Self::ExcelFr,
            DialectName::Standard => Self::Standard,
        }
    }
}

/// [`Layout`] on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutName {
    /// One row per response
    Wide,
    /// One row per answer
    Long,
    /// The questions and options with their codes
    Codebook,
}

impl From<LayoutName> for Layout {
    fn from(name: LayoutName) -> Self {
        match name {
            LayoutName::Wide => Self::Wide,
            LayoutName::Long => Self::Long,
            LayoutName::Codebook => Self::Codebook,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names<T: ValueEnum>() -> Vec<String> {
        T::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|v| v.get_name().to_owned())
            .collect()
    }

    #[test]
    fn roles_are_spelled_as_the_domain_spells_them() {
        assert_eq!(
            names::<RoleArg>(),
            ["admin", "agent", "partenaire", "lecteur"]
        );
        assert_eq!(names::<InstanceRoleArg>(), ["admin", "lecteur"]);
        for role in RoleArg::value_variants() {
            let name = role
                .to_possible_value()
                .expect("visible")
                .get_name()
                .to_owned();
            assert_eq!(Role::from(*role).as_str(), name);
        }
    }

    #[test]
    fn sync_modes_name_themselves_as_typed() {
        assert_eq!(names::<SyncMode>(), ["full", "normal"]);
        for mode in SyncMode::value_variants() {
            let name = mode
                .to_possible_value()
                .expect("visible")
                .get_name()
                .to_owned();
            assert_eq!(mode.name(), name);
        }
        assert_eq!(SqliteSync::from(SyncMode::Normal), SqliteSync::Normal);
    }

    #[test]
    fn dialects_and_layouts_keep_their_names() {
        assert_eq!(names::<DialectName>(), ["excel", "standard"]);
        assert_eq!(Dialect::from(DialectName::Excel), Dialect::ExcelFr);
        assert_eq!(names::<LayoutName>(), ["wide", "long", "codebook"]);
        for layout in LayoutName::value_variants() {
            let name = layout
                .to_possible_value()
                .expect("visible")
                .get_name()
                .to_owned();
            assert_eq!(Layout::from(*layout).code(), name);
        }
    }
}
