//! Command line and configuration: each setting is a flag or the matching environment variable.

use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand};
use pouls::storage::{ConnectOptions, SqliteSync};
use pouls::survey::FormKey;

#[derive(Debug, Parser)]
#[command(
    name = "pouls",
    version,
    about = "Pouls: participation and needs observation for the CTG 2026-2030 of the Communauté de Communes Yonne Nord",
    long_about = None,
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Database: sqlite://FILE (created if missing) or postgres://USER[:PASSWORD]@HOST[:PORT]/DB
    /// [default: sqlite://pouls.db; for `demo`, a new temporary file]
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,

    /// Address and port to listen on
    #[arg(
        long,
        env = "POULS_BIND",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub bind: SocketAddr,

    /// Base URL written into QR codes, posters and links (https:// turns on secure cookies and HSTS)
    /// [default: http:// and the listen address, so http://127.0.0.1:3000]
    #[arg(long, env = "POULS_PUBLIC_URL", value_parser = parse_public_url, global = true)]
    pub public_url: Option<String>,

    /// Log filter, in tracing's EnvFilter syntax (for example info or pouls=debug)
    #[arg(long = "log", env = "RUST_LOG", default_value = "info", global = true)]
    pub log: String,

    /// Survey answers accepted per client address per minute, counted by each server
    /// instance on its own; 0 turns the limit off (benchmarks)
    #[arg(
        long,
        env = "POULS_PUBLIC_RATE_LIMIT",
        default_value_t = 60,
        global = true
    )]
    pub public_rate_limit: u32,

    /// Reverse proxies in front of pouls, as comma-separated IP addresses: from these
    /// peers, the client address (for rate limits) is the last one in X-Forwarded-For
    #[arg(
        long,
        env = "POULS_TRUSTED_PROXIES",
        value_delimiter = ',',
        global = true
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// Serve Prometheus metrics at http://ADDRESS/metrics (request counts and latencies per
    /// route, submission batch sizes); off when unset. Keep this address private
    #[arg(long, env = "POULS_METRICS_BIND", global = true)]
    pub metrics_bind: Option<SocketAddr>,

    /// Key that signs the resident form's one-time tokens: at least 32 characters, the
    /// same for every instance (prefer the environment variable: a command line is
    /// visible to other users of the machine). Unset, a key made at the first start and
    /// kept in the database is used, which instances on one database share
    #[arg(
        long,
        env = "POULS_FORM_KEY",
        hide_env_values = true,
        value_parser = parse_form_key,
        global = true
    )]
    pub form_key: Option<FormKey>,

    /// SQLite durability. full: an acknowledged answer is on disk before the resident sees
    /// "merci" and survives a power cut. normal: faster commits, still safe if pouls
    /// crashes, but the answers of the last moments can be lost if the machine loses power
    /// or its OS crashes
    #[arg(
        long,
        env = "POULS_SQLITE_SYNC",
        default_value = "full",
        value_parser = ["full", "normal"],
        global = true
    )]
    pub sqlite_sync: String,
}

impl Settings {
    pub const DEFAULT_DATABASE_URL: &'static str = "sqlite://pouls.db";

    /// The base URL of QR codes and links: the one given, or the listen address.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.bind))
    }

    /// Connection settings beyond the URL.
    pub fn connect_options(&self) -> ConnectOptions {
        ConnectOptions {
            sqlite_sync: if self.sqlite_sync == "normal" {
                SqliteSync::Normal
            } else {
                SqliteSync::Full
            },
        }
    }

    /// The database to use: the one given, or `sqlite://pouls.db`.
    pub fn database_url(&self) -> &str {
        self.database_url
            .as_deref()
            .unwrap_or(Self::DEFAULT_DATABASE_URL)
    }
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Apply migrations, load the CTG plan if the database has none, and serve (the default)
    Serve,
    /// Apply migrations and load the CTG plan, then exit
    Migrate,
    /// Manage staff accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Print the plan's indicators for a period as CSV on standard output (code, action,
    /// label, period, value, n, source)
    Indicators {
        /// A year from 2026 to 2030, or a half-year such as 2026-S1
        #[arg(long)]
        period: String,
        /// Only the indicators of this action (1 to 17)
        #[arg(long)]
        action: Option<u8>,
    },
    /// Write a CSV export to standard output
    #[command(subcommand)]
    Export(ExportCommand),
    /// Import typed-in paper answers
    #[command(subcommand)]
    Import(ImportCommand),
    /// Fill an empty database (DATABASE_URL, or a new temporary file) with realistic demo
    /// data, print a staff login, and serve
    Demo,
    /// Write a consistent copy of the SQLite database to FILE, even while the server runs
    /// (on PostgreSQL, use pg_dump)
    Backup {
        /// Where to write the copy; it must not exist yet
        file: std::path::PathBuf,
    },
    /// Measure the server on a temporary database (SQLite, or PostgreSQL with
    /// --database-url) and print a table: submissions, survey page, page weight,
    /// indicators, needs board, CSV export
    Bench(BenchArgs),
    /// Delete the responses of every survey past its retention date (the server also
    /// does it once a day)
    Purge {
        /// Only report what would be deleted
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Small sizes and short runs: finishes in under a minute
    #[arg(long)]
    pub quick: bool,
    /// Seconds each load scenario runs [default: 60, or 5 with --quick]
    #[arg(long)]
    pub duration: Option<u64>,
    /// Concurrent connections of the load generator
    #[arg(long, default_value_t = 32)]
    pub concurrency: usize,
    /// Responses in the largest data set [default: 1000000, or 20000 with --quick]
    #[arg(long)]
    pub responses: Option<u64>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum UserCommand {
    /// Create a staff account; the password is read from standard input (never from the
    /// command line): typed twice without echo at a terminal, or the first line of a pipe
    Add {
        /// The account's email address (normalised to lowercase)
        #[arg(long)]
        email: String,
        /// admin (everything), agent (surveys, indicators, needs, exports) or partenaire
        /// (read-only views and field reports)
        #[arg(long, value_parser = ["admin", "agent", "partenaire"])]
        role: String,
    },
}

fn parse_form_key(value: &str) -> Result<FormKey, String> {
    FormKey::parse(value).map_err(|e| e.0)
}

fn parse_public_url(value: &str) -> Result<String, String> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or("must start with http:// or https://")?;
    if rest.trim_end_matches('/').is_empty() || rest.contains(char::is_whitespace) {
        return Err("must name a host, for example https://pouls.example.fr".to_owned());
    }
    Ok(value.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn public_url_must_be_http() {
        assert_eq!(
            parse_public_url("https://pouls.ccyn.fr/"),
            Ok("https://pouls.ccyn.fr".to_owned())
        );
        assert!(parse_public_url("pouls.ccyn.fr").is_err());
        assert!(parse_public_url("http://").is_err());
    }

    #[test]
    fn a_form_key_is_long_enough_and_never_printed() {
        let key = "0123456789abcdef0123456789abcdef";
        let cli = Cli::try_parse_from(["pouls", "--form-key", key]).expect("valid");
        assert_eq!(cli.settings.form_key, FormKey::parse(key).ok());
        assert!(!format!("{cli:?}").contains(key));
        assert!(Cli::try_parse_from(["pouls", "--form-key", "courte"]).is_err());
    }

    #[test]
    fn settings_come_from_flags_before_or_after_the_command() {
        let cli = Cli::try_parse_from(["pouls", "migrate", "--bind", "0.0.0.0:8080"])
            .expect("valid command line");
        assert_eq!(cli.settings.bind.port(), 8080);
        assert!(matches!(cli.command, Some(Command::Migrate)));
    }
}

#[derive(Debug, Clone, Args)]
pub struct DialectArg {
    /// excel: "Excel (France)" (BOM, ';', decimal comma, formula-safe); standard: for R and
    /// Python (',', ISO dates, decimal point)
    #[arg(long, default_value = "excel", value_parser = ["excel", "standard"])]
    pub dialect: String,
}

#[derive(Debug, Clone, Subcommand)]
pub enum ExportCommand {
    /// A survey's responses, streamed as they are read
    Responses {
        /// The survey: its number, or the code of any of its collection points
        #[arg(long)]
        survey: String,
        /// wide: one row per response; long: one row per answer; codebook: the codes
        #[arg(long, default_value = "wide", value_parser = ["wide", "long", "codebook"])]
        layout: String,
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
    },
    /// The plan's indicators, every period or one
    Indicators {
        #[command(flatten)]
        dialect: DialectArg,
        /// A year from 2026 to 2030, or a half-year such as 2026-S1
        #[arg(long)]
        period: Option<String>,
    },
    /// Field reports
    Reports {
        #[command(flatten)]
        dialect: DialectArg,
    },
    /// Needs
    Needs {
        #[command(flatten)]
        dialect: DialectArg,
    },
    /// Decisions of observatory meetings
    Decisions {
        #[command(flatten)]
        dialect: DialectArg,
    },
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
        file: std::path::PathBuf,
    },
}
