//! The `pouls` server: assembles the feature routes of `pouls-app` into one router and runs
//! the commands of the binary.

mod caching;
mod commands;
pub mod config;
mod headers;

use std::time::Duration;

use anyhow::Context;
use axum::Router;
use pouls::plan::PlanData;
use pouls::storage::ConnectOptions;
use pouls::storage::Storage;
use pouls::territory::TerritorySlug;
use pouls_app::{
    AppState, ServerOptions, SiteConfig, assets, client, error, health, metrics, pages, resident,
    staff,
};
use tokio::sync::watch;
use tower_http::CompressionLevel;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::config::{Command, ImportCommand, ServeArgs, TerritoryCommand, UserCommand};

/// The whole application: every route, the error pages and the security headers.
/// Tests drive it in-process; `serve` puts it on a socket.
pub fn build_router(state: AppState) -> Router {
    let https = state.site.is_https();
    let router = Router::new()
        .merge(pages::home::routes())
        .merge(pages::plan::routes())
        .merge(pages::accessibility::routes())
        .merge(pages::privacy::routes())
        .merge(pages::results::routes())
        .merge(resident::routes())
        .merge(staff::router(state.clone()))
        .merge(health::routes())
        .merge(assets::routes())
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .fallback(|| async { error::not_found() })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            client::from_trusted_proxy,
        ))
        .with_state(state)
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn(error::error_pages))
        .layer(axum::middleware::from_fn(caching::etag));
    headers::security_headers(router, https)
        // Brotli and gzip at their fastest useful level (1): pages are made per request
        // (each form carries its own token), and at quality 4 brotli took 40 % of the
        // server's time on the survey page, for 10 % fewer bytes (BENCHMARKS.md).
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(1)))
        .layer(TraceLayer::new_for_http())
}

/// Opens the database, applies migrations and loads the CTG plan if it is not there yet.
/// Refuses a `POULS_DEFAULT_TERRITORY` that names no territory of the database.
pub async fn check_default_territory(
    storage: &Storage,
    slug: Option<&TerritorySlug>,
) -> anyhow::Result<()> {
    let Some(slug) = slug else {
        return Ok(());
    };
    if storage.territory_by_slug(slug).await?.is_some() {
        return Ok(());
    }
    let known: Vec<String> = storage
        .territories()
        .await?
        .into_iter()
        .map(|t| t.slug.as_str().to_owned())
        .collect();
    anyhow::bail!(
        "POULS_DEFAULT_TERRITORY (--default-territory) is {:?}, but no territory has that slug; \
         the territories are: {} (see `pouls territory list`)",
        slug.as_str(),
        known.join(", ")
    )
}

pub async fn prepare_storage(database_url: &str) -> anyhow::Result<Storage> {
    prepare_storage_with(database_url, ConnectOptions::default()).await
}

/// [`prepare_storage`] with connection settings.
pub async fn prepare_storage_with(
    database_url: &str,
    options: ConnectOptions,
) -> anyhow::Result<Storage> {
    let storage = Storage::connect_with(database_url, options).await?;
    // Several instances may start at once on one PostgreSQL database: one prepares it,
    // the others wait, then find it ready.
    let lock = storage.lock_startup().await?;
    storage.migrate().await?;
    let plan = PlanData::embedded()?;
    if storage.rebuild_tallies_if_missing().await? {
        tracing::info!("rebuilt the answer tallies from the stored answers");
    }
    if storage.rebuild_theme_tallies_if_missing().await? {
        tracing::info!("rebuilt the theme tallies of the needs board");
    }
    if storage.load_plan_if_empty(&plan).await? {
        tracing::info!(
            actions = plan.actions.len(),
            indicators = plan.indicator_count(),
            "loaded the CTG plan {}",
            plan.plan_version
        );
    }
    lock.release().await?;
    Ok(storage)
}

/// Fills an empty, prepared database with the data of `pouls demo` and returns the
/// admin login it printed; the tests that walk every page start from it too.
pub async fn fill_demo(storage: &Storage) -> anyhow::Result<(String, String)> {
    let login = commands::demo::fill(storage).await?;
    Ok((login.email, login.password))
}

/// Runs one command of the binary.
pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(settings) => serve(&settings).await,
        Command::Migrate(database) => migrate(database.url()).await,
        Command::User(UserCommand::Add {
            email,
            role,
            territories,
            instance_role,
            database,
        }) => {
            let access = commands::user::Access {
                role: role.map(Into::into),
                territories,
                instance_role: instance_role.map(Into::into),
            };
            commands::user::add(database.url(), &email, access).await
        }
        Command::Territory(TerritoryCommand::Add { plan, database }) => {
            commands::territory::add(database.url(), &plan).await
        }
        Command::Territory(TerritoryCommand::List { database }) => {
            commands::territory::list(database.url()).await
        }
        Command::Demo(settings) => demo(settings).await,
        Command::Export(what) => commands::export::export(what).await,
        Command::Import(ImportCommand::Responses {
            survey,
            point,
            date,
            file,
            database,
        }) => {
            commands::export::import(
                database.url(),
                &survey,
                point.as_deref(),
                date.as_deref(),
                &file,
            )
            .await
        }
        Command::Indicators {
            period,
            action,
            database,
        } => commands::indicators::run(database.url(), &period, action).await,
        Command::Backup { file, database } => commands::backup::run(database.url(), &file).await,
        Command::Bench(args) => commands::bench::run(&args).await,
        Command::Purge { dry_run, database } => commands::purge::run(database.url(), dry_run).await,
    }
}

/// `pouls migrate`: prepares the database and says what it holds.
async fn migrate(database_url: &str) -> anyhow::Result<()> {
    let storage = prepare_storage(database_url).await?;
    let counts = storage.in_default_territory().await?.plan_counts().await?;
    println!(
        "{} database at {} is up to date: {} actions, {} indicators.",
        storage.backend(),
        storage.location(),
        counts.actions,
        counts.indicators
    );
    storage.close().await;
    Ok(())
}

/// `pouls demo`: fills an empty database, prints a login, then serves it. A temporary
/// database it created itself is removed once the server has stopped.
async fn demo(mut settings: ServeArgs) -> anyhow::Result<()> {
    let temporary = settings
        .database
        .database_url
        .is_none()
        .then(|| std::env::temp_dir().join(format!("pouls-demo-{:08x}.db", rand_suffix())));
    if let Some(file) = &temporary {
        settings.database.database_url = Some(format!("sqlite://{}", file.display()));
    }
    let served = async {
        let storage = prepare_storage(settings.database.url()).await?;
        if storage.holds_data().await? {
            anyhow::bail!(
                "the database at {} already holds data; pouls demo only fills an empty database",
                storage.location()
            );
        }
        let login = commands::demo::fill(&storage).await?;
        println!("Données de démonstration dans {}", storage.location());
        println!("Espace agents : {}/connexion", settings.public_url());
        println!("email: {}", login.email);
        println!("mot de passe: {}", login.password);
        println!("Tous les comptes de démonstration (même mot de passe) :");
        for (email, role) in &login.accounts {
            println!("  {email} : {role}");
        }
        storage.close().await;
        serve(&settings).await
    }
    .await;
    if let Some(file) = temporary {
        remove_sqlite_files(&file);
    }
    served
}

/// Removes a SQLite database and the `-wal` and `-shm` files beside it. Only for a closed
/// database; a file already gone is fine, any other failure is only logged, since the
/// demo has nothing left to protect.
fn remove_sqlite_files(file: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut path = file.as_os_str().to_owned();
        path.push(suffix);
        match std::fs::remove_file(&path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                tracing::warn!(%error, "could not remove {}", std::path::Path::new(&path).display());
            }
            _ => {}
        }
    }
}

fn rand_suffix() -> u32 {
    std::process::id()
        ^ (std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos()))
}

async fn serve(settings: &ServeArgs) -> anyhow::Result<()> {
    let storage =
        prepare_storage_with(settings.database.url(), settings.sqlite.connect_options()).await?;
    // Every instance must sign form tokens with the same key: the operator's, or the one
    // the database keeps.
    let form_key = match &settings.form_key {
        Some(key) => key.clone(),
        None => storage.form_key().await?,
    };
    let options = ServerOptions {
        public_posts_per_minute: settings.public_rate_limit,
        trusted_proxies: settings.trusted_proxies.clone(),
        form_key,
        ..ServerOptions::default()
    };
    check_default_territory(&storage, settings.default_territory.as_ref()).await?;
    let site = SiteConfig::new(&settings.public_url())
        .with_default_territory(settings.default_territory.clone());
    let state = AppState::with_options(storage.clone(), site, options);
    let listener = tokio::net::TcpListener::bind(settings.bind)
        .await
        .with_context(|| format!("cannot listen on {}", settings.bind))?;
    let (stop, stopping) = watch::channel(false);
    let metrics_server = match settings.metrics_bind {
        Some(address) => Some(serve_metrics(address, state.clone(), stopping.clone()).await?),
        None => None,
    };
    tracing::info!(
        "serving {} on http://{} ({} database at {})",
        settings.public_url(),
        settings.bind,
        storage.backend(),
        storage.location()
    );
    tokio::spawn(commands::purge::daily(storage.clone()));
    tokio::spawn(async move {
        shutdown_signal().await;
        stop.send_replace(true);
    });
    let writer = state.writer.clone();
    let app = build_router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(stopped(stopping))
        .await
        .context("server error")?;
    // No request is in flight any more: store what the writer still holds, then close.
    writer.shutdown().await;
    if let Some(metrics_server) = metrics_server {
        metrics_server.await.ok();
    }
    tokio::time::timeout(Duration::from_secs(5), storage.close())
        .await
        .ok();
    tracing::info!("stopped");
    Ok(())
}

/// Serves `/metrics` on its own address until `stopping` turns true.
async fn serve_metrics(
    address: std::net::SocketAddr,
    state: AppState,
    stopping: watch::Receiver<bool>,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| format!("cannot listen on {address} for metrics"))?;
    tracing::info!("metrics on http://{address}/metrics");
    Ok(tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, metrics::router(state))
            .with_graceful_shutdown(stopped(stopping))
            .await
        {
            tracing::error!(%error, "metrics server error");
        }
    }))
}

/// Resolves once the shutdown signal has been seen.
async fn stopped(mut stopping: watch::Receiver<bool>) {
    // An error means the sender is gone, which only happens on the way out.
    let _ = stopping.wait_for(|stop| *stop).await;
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
