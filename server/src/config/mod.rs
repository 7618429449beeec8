//! Command line and configuration. Each command takes only the settings it uses, each
//! setting a flag or the matching environment variable; `pouls` alone serves, with the
//! settings of `pouls serve`.

use std::ffi::OsString;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{Args, Parser, Subcommand};
use pouls::storage::ConnectOptions;
use pouls::survey::FormKey;
use pouls::territory::TerritorySlug;

mod csv;
mod values;

pub use csv::{DialectArg, ExportCommand, ImportCommand};
pub use values::{DialectName, InstanceRoleArg, LayoutName, RoleArg, SyncMode};

#[derive(Debug, Parser)]
#[command(
    name = "pouls",
    version,
    about = "Pouls: participation and needs observation for the CTG 2026-2030 of the Communauté de Communes Yonne Nord",
    long_about = None,
    after_help = "Without a command, pouls serves: `pouls [OPTIONS]` is `pouls serve [OPTIONS]` (see `pouls serve --help`).",
)]
struct Cli {
    /// Log filter, in tracing's EnvFilter syntax (for example info or pouls=debug)
    #[arg(long = "log", env = "RUST_LOG", default_value = "info", global = true)]
    log: String,
    #[command(subcommand)]
    command: Option<Command>,
}

/// What the command line asks for.
#[derive(Debug)]
pub struct Invocation {
    pub log: String,
    pub command: Command,
}

impl Invocation {
    /// Reads the command line (`args` starts with the program's name). Without a command,
    /// or when it starts with an option, it is `serve`'s: the serve settings are read, from
    /// flags or the environment, only when serving, so no other command depends on them.
    pub fn parse_from<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        let starts_with_option = args
            .get(1)
            .is_some_and(|first| first.to_string_lossy().starts_with('-'));
        match Cli::try_parse_from(&args) {
            Ok(Cli {
                log,
                command: Some(command),
            }) => Ok(Self { log, command }),
            Ok(_) => Self::as_serve(&args),
            Err(error) if error.kind() == ErrorKind::UnknownArgument && starts_with_option => {
                Self::as_serve(&args)
            }
            Err(error) => Err(error),
        }
    }

    /// The command line read as `pouls serve ...`.
    fn as_serve(args: &[OsString]) -> Result<Self, clap::Error> {
        let (program, rest) = args.split_first().unzip();
        let program = program.cloned().unwrap_or_else(|| "pouls".into());
        let serve = std::iter::once(program)
            .chain(std::iter::once("serve".into()))
            .chain(rest.into_iter().flatten().cloned());
        match Cli::try_parse_from(serve)? {
            Cli {
                log,
                command: Some(command),
            } => Ok(Self { log, command }),
            Cli { command: None, .. } => Err(clap::Error::new(ErrorKind::MissingSubcommand)),
        }
    }
}

/// The database of a command.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Database: sqlite://FILE (created if missing) or postgres://USER[:PASSWORD]@HOST[:PORT]/DB
    /// [default: sqlite://pouls.db; for `demo`, a new temporary file]
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

impl DatabaseArgs {
    pub const DEFAULT_URL: &'static str = "sqlite://pouls.db";

    /// The database to use: the one given, or `sqlite://pouls.db`.
    pub fn url(&self) -> &str {
        self.database_url.as_deref().unwrap_or(Self::DEFAULT_URL)
    }
}

/// What serving takes: `serve`, `demo`, and `pouls` alone.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,

    /// Address and port to listen on
    #[arg(long, env = "POULS_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,

    /// Base URL written into QR codes, posters and links (https:// turns on secure cookies and HSTS)
    /// [default: http:// and the listen address, so http://127.0.0.1:3000]
    #[arg(long, env = "POULS_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,

    /// Survey answers accepted per client address per minute, counted by each server
    /// instance on its own; 0 turns the limit off (benchmarks)
    #[arg(long, env = "POULS_PUBLIC_RATE_LIMIT", default_value_t = 60)]
    pub public_rate_limit: u32,

    /// Reverse proxies in front of pouls, as comma-separated IP addresses: from these
    /// peers, the client address (for rate limits) is the last one in X-Forwarded-For
    #[arg(long, env = "POULS_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<IpAddr>,

    /// Serve Prometheus metrics at http://ADDRESS/metrics (request counts and latencies per
    /// route, submission batch sizes); off when unset. Keep this address private
    #[arg(long, env = "POULS_METRICS_BIND")]
    pub metrics_bind: Option<SocketAddr>,

    /// Key that signs the resident form's one-time tokens: at least 32 characters, the
    /// same for every instance (prefer the environment variable: a command line is
    /// visible to other users of the machine). Unset, a key made at the first start and
    /// kept in the database is used, which instances on one database share
    #[arg(long, env = "POULS_FORM_KEY", hide_env_values = true, value_parser = parse_form_key)]
    pub form_key: Option<FormKey>,

    /// Slug of the territory that `/` and the unprefixed public addresses (`/plan`,
    /// `/resultats`) lead to when the instance holds several (for example ccyn); unset,
    /// the first territory added. Refused at startup if no territory has it
    #[arg(long, env = "POULS_DEFAULT_TERRITORY", value_parser = parse_territory_slug)]
    pub default_territory: Option<TerritorySlug>,

    #[command(flatten)]
    pub sqlite: SqliteArgs,
}

impl ServeArgs {
    /// The base URL of QR codes and links: the one given, or the listen address.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.bind))
    }
}

/// How the server commits to SQLite: `serve`, `demo` and `bench`.
#[derive(Debug, Clone, Args)]
pub struct SqliteArgs {
    /// SQLite durability
    #[arg(long, env = "POULS_SQLITE_SYNC", value_enum, default_value = "full")]
    pub sqlite_sync: SyncMode,
}

impl SqliteArgs {
    /// Connection settings beyond the URL.
    pub fn connect_options(&self) -> ConnectOptions {
        ConnectOptions {
            sqlite_sync: self.sqlite_sync.into(),
        }
    }
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Apply migrations, load the CTG plan if the database has none, and serve (the default)
    Serve(ServeArgs),
    /// Apply migrations and load the CTG plan, then exit
    Migrate(DatabaseArgs),
    /// Manage staff accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Manage the territories (one CTG each) the instance serves
    #[command(subcommand)]
    Territory(TerritoryCommand),
    /// Print the plan's indicators for a period as CSV on standard output (code, action,
    /// label, period, value, n, source)
    Indicators {
        /// A year from 2026 to 2030, or a half-year such as 2026-S1
        #[arg(long)]
        period: String,
        /// Only the indicators of this action (1 to 17)
        #[arg(long)]
        action: Option<u8>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Write a CSV export to standard output
    #[command(subcommand)]
    Export(ExportCommand),
    /// Import typed-in paper answers
    #[command(subcommand)]
    Import(ImportCommand),
    /// Fill an empty database (DATABASE_URL, or a new temporary file) with realistic demo
    /// data, print a staff login, and serve
    Demo(ServeArgs),
    /// Write a consistent copy of the SQLite database to FILE, even while the server runs
    /// (on PostgreSQL, use pg_dump)
    Backup {
        /// Where to write the copy; it must not exist yet
        file: PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
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
        #[command(flatten)]
        database: DatabaseArgs,
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
    /// A PostgreSQL server (postgres://...) to make the temporary database on
    /// [default: a temporary SQLite file]
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    #[command(flatten)]
    pub sqlite: SqliteArgs,
}

#[derive(Debug, Clone, Subcommand)]
pub enum UserCommand {
    /// Create a staff account; the password is read from standard input (never from the
    /// command line): typed twice without echo at a terminal, or the first line of a pipe
    Add {
        /// The account's email address (normalised to lowercase)
        #[arg(long)]
        email: String,
        /// What the account may do in each --territory (lecteur by default for a
        /// lecteur départemental; needed otherwise)
        #[arg(long, value_enum, required_unless_present = "instance_role")]
        role: Option<RoleArg>,
        /// A territory (its slug) the account works in, repeatable; the first territory
        /// when none is given
        #[arg(long = "territory", value_name = "SLUG")]
        territories: Vec<String>,
        /// A role over the whole instance: admin (every territory and its accounts) or
        /// lecteur (the departmental view of its territories)
        #[arg(long, value_enum)]
        instance_role: Option<InstanceRoleArg>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum TerritoryCommand {
    /// Add a territory and its CTG plan from a plan file (docs/plan-format.md), in one
    /// transaction: a file with a mistake is refused with its line and field, and nothing
    /// is written
    Add {
        /// The plan file (TOML)
        #[arg(long)]
        plan: PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// List the territories: id, slug, kind and name
    List {
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

fn parse_form_key(value: &str) -> Result<FormKey, String> {
    FormKey::parse(value).map_err(|e| e.0)
}

fn parse_territory_slug(value: &str) -> Result<TerritorySlug, String> {
    TerritorySlug::parse(value).map_err(|e| e.0)
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
mod tests;
