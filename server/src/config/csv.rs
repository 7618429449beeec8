//! `pouls export ...` and `pouls import responses`: the CSV commands.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::DatabaseArgs;
use super::values::{DialectName, LayoutName};

#[derive(Debug, Clone, Args)]
pub struct DialectArg {
    /// The CSV dialect
    #[arg(long, value_enum, default_value = "excel")]
    pub dialect: DialectName,
}

#[derive(Debug, Clone, Subcommand)]
pub enum ExportCommand {
    /// A survey's responses, streamed as they are read
    Responses {
        /// The survey: its number, or the code of any of its collection points
        #[arg(long)]
        survey: String,
        #[arg(long, value_enum, default_value = "wide")]
        layout: LayoutName,
        #[command(flatten)]
        dialect: DialectArg,
        /// Only the responses of this collection point (its code)
        #[arg(long)]
        point: Option<String>,
        /// From this day (YYYY-MM-DD or DD/MM/YYYY, Paris time)
        #[arg(long)]
        from: Option<String>,
        /// Up to this day, included
        #[arg(long)]
        to: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// The plan's indicators, every period or one
    Indicators {
        #[command(flatten)]
        dialect: DialectArg,
        /// A year from 2026 to 2030, or a half-year such as 2026-S1
        #[arg(long)]
        period: Option<String>,
        /// The territory (its slug); the default territory when not given
        #[arg(long, value_name = "SLUG")]
        territory: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Field reports
    Reports {
        #[command(flatten)]
        dialect: DialectArg,
        /// The territory (its slug); the default territory when not given
        #[arg(long, value_name = "SLUG")]
        territory: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Needs
    Needs {
        #[command(flatten)]
        dialect: DialectArg,
        /// The territory (its slug); the default territory when not given
        #[arg(long, value_name = "SLUG")]
        territory: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Decisions of observatory meetings
    Decisions {
        #[command(flatten)]
        dialect: DialectArg,
        /// The territory (its slug); the default territory when not given
        #[arg(long, value_name = "SLUG")]
        territory: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

impl ExportCommand {
    /// The `--territory` of an export of one territory's tables (responses belong to
    /// their survey's).
    pub fn territory(&self) -> Option<&str> {
        match self {
            Self::Responses { .. } => None,
            Self::Indicators { territory, .. }
            | Self::Reports { territory, .. }
            | Self::Needs { territory, .. }
            | Self::Decisions { territory, .. } => territory.as_deref(),
        }
    }

    pub fn database(&self) -> &DatabaseArgs {
        match self {
            Self::Responses { database, .. }
            | Self::Indicators { database, .. }
            | Self::Reports { database, .. }
            | Self::Needs { database, .. }
            | Self::Decisions { database, .. } => database,
        }
    }
}

#[derive(Debug, Clone, Subcommand)]
pub enum ImportCommand {
    /// Paper answers from a CSV file in the wide layout (either dialect); nothing is
    /// written if any row is wrong, and importing the same file twice adds nothing
    Responses {
        /// The survey: its number, or the code of any of its collection points
        #[arg(long)]
        survey: String,
        /// The paper collection point (its code); by default the survey's first one
        #[arg(long)]
        point: Option<String>,
        /// The day the questionnaires were filled in (DD/MM/YYYY or YYYY-MM-DD), for rows
        /// without a date_collecte of their own
        #[arg(long)]
        date: Option<String>,
        /// The CSV file
        file: PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}
