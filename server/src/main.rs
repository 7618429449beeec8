use std::process::ExitCode;

use pouls_server::config::Invocation;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let invocation = Invocation::parse_from(std::env::args_os()).unwrap_or_else(|e| e.exit());
    let filter = EnvFilter::try_new(&invocation.log).unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    match pouls_server::run(invocation.command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("pouls: error: {}", one_line(&error));
            ExitCode::FAILURE
        }
    }
}

/// The cause chain on one line: what failed and where, then why. Causes already quoted
/// by the message before them (sqlx repeats its driver's message) are left out.
fn one_line(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain().map(ToString::to_string) {
        if line.contains(&cause) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&cause);
    }
    line
}
