use std::sync::Arc;

use pouls::storage::Storage;

use crate::rate_limit::RateLimiter;

/// Public POSTs allowed per client address per minute (per server instance).
pub const PUBLIC_POSTS_PER_MINUTE: u32 = 60;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub storage: Storage,
    pub site: Arc<SiteConfig>,
    pub public_limiter: Arc<RateLimiter>,
}

/// Settings that change what pages show.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Base URL written into QR codes, posters and links, without a trailing slash.
    pub public_url: String,
}

impl SiteConfig {
    pub fn new(public_url: &str) -> Self {
        Self {
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
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

impl AppState {
    pub fn new(storage: Storage, site: SiteConfig) -> Self {
        Self {
            storage,
            site: Arc::new(site),
            public_limiter: Arc::new(RateLimiter::new(PUBLIC_POSTS_PER_MINUTE)),
        }
    }
}
