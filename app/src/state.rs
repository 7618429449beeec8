use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, RwLock};

use pouls::auth::PasswordChecks;
use pouls::storage::{ResponseWriter, Storage, StorageError, WriterOptions};
use pouls::survey::FormKey;
use pouls::territory::{Territory, TerritoryId, TerritorySlug};

use crate::metrics::Metrics;
use crate::rate_limit::RateLimiter;
use crate::resident::SurveyCache;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub storage: Storage,
    pub site: Arc<SiteConfig>,
    pub public_limiter: Arc<RateLimiter>,
    /// Residents' responses go through it (group commit).
    pub writer: ResponseWriter,
    pub metrics: Arc<Metrics>,
    /// Collection points and their surveys, as residents' phones ask for them.
    pub surveys: Arc<SurveyCache>,
    /// Turns to hash or check a staff password: one per core for the whole server.
    pub password_checks: Arc<PasswordChecks>,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Arc<[IpAddr]>,
    /// Signs the resident form's one-time tokens.
    pub form_key: Arc<FormKey>,
    /// Territory names for the pages' header, read once: a territory is never renamed,
    /// and one added since (by `pouls territory add`) is read on its first page.
    territory_names: Arc<RwLock<HashMap<TerritoryId, String>>>,
}

/// Settings that change what pages show.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Base URL written into QR codes, posters and links, without a trailing slash.
    pub public_url: String,
    /// The territory `/` and the old public addresses stand for when the instance has
    /// several (`POULS_DEFAULT_TERRITORY`); `None` for the first one (lowest id).
    pub default_territory: Option<TerritorySlug>,
}

impl SiteConfig {
    pub fn new(public_url: &str) -> Self {
        Self {
            public_url: public_url.trim_end_matches('/').to_owned(),
            default_territory: None,
        }
    }

    /// The same, with the territory public pages stand for by default.
    pub fn with_default_territory(mut self, slug: Option<TerritorySlug>) -> Self {
        self.default_territory = slug;
        self
    }

    /// The scheme, host and port of the public URL, as browsers send it in `Origin`.
    pub fn origin(&self) -> &str {
        let after_scheme = self.public_url.find("://").map_or(0, |i| i + 3);
        match self.public_url[after_scheme..].find('/') {
            Some(slash) => &self.public_url[..after_scheme + slash],
            None => &self.public_url,
        }
    }

    /// Whether the platform is served over https, which decides cookie and HSTS settings.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// How the server treats load.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Public POSTs allowed per client address per minute, per server instance; 0 for no
    /// limit (benchmarks).
    pub public_posts_per_minute: u32,
    pub writer: WriterOptions,
    pub trusted_proxies: Vec<IpAddr>,
    /// The key of form tokens. `serve` gives the one of `POULS_FORM_KEY` or of the
    /// database, which every instance shares; by default, one of this process only.
    pub form_key: FormKey,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            public_posts_per_minute: 60,
            writer: WriterOptions::default(),
            trusted_proxies: Vec::new(),
            form_key: FormKey::generate(),
        }
    }
}

impl AppState {
    /// The territory public pages stand for by default: the configured one, else the
    /// first (`serve` refuses to start when the configured one does not exist). Staff pages
    /// work in their session's, [`crate::staff::CurrentUser::territory`].
    pub async fn default_public_territory(&self) -> Result<Territory, StorageError> {
        let found = match &self.site.default_territory {
            Some(slug) => self.storage.territory_by_slug(slug).await?,
            None => self.storage.default_territory().await?,
        };
        found.ok_or(StorageError::NoTerritory)
    }

    /// The name of a territory, for the header of its pages.
    pub async fn territory_name(&self, id: TerritoryId) -> Result<String, StorageError> {
        let cached = |names: &HashMap<TerritoryId, String>| names.get(&id).cloned();
        if let Some(name) = self.territory_names.read().ok().and_then(|n| cached(&n)) {
            return Ok(name);
        }
        let territories = self.storage.territories().await?;
        let name = territories
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name.clone())
            .ok_or(StorageError::NoTerritory)?;
        if let Ok(mut names) = self.territory_names.write() {
            names.extend(territories.into_iter().map(|t| (t.id, t.name)));
        }
        Ok(name)
    }

    /// The state with default options. Starts the response writer, so it must be called
    /// within a Tokio runtime.
    pub fn new(storage: Storage, site: SiteConfig) -> Self {
        Self::with_options(storage, site, ServerOptions::default())
    }

    pub fn with_options(storage: Storage, site: SiteConfig, options: ServerOptions) -> Self {
        Self {
            writer: ResponseWriter::start(storage.clone(), options.writer),
            storage,
            site: Arc::new(site),
            public_limiter: Arc::new(RateLimiter::new(options.public_posts_per_minute)),
            metrics: Arc::new(Metrics::default()),
            trusted_proxies: options.trusted_proxies.into(),
            surveys: Arc::new(SurveyCache::default()),
            password_checks: Arc::new(PasswordChecks::per_core()),
            form_key: Arc::new(options.form_key),
            territory_names: Arc::default(),
        }
    }
}
