//! Pouls pages: each feature module renders its pages with Leptos on the server and exposes
//! its axum routes; `pouls-server` assembles them.
//!
//! Pages are plain HTML: handlers load what they need from [`pouls::storage::Storage`], then
//! render a Leptos view to a string. No page needs JavaScript or WebAssembly, and forms post
//! url-encoded data to ordinary handlers so a failed validation can answer 422 with the
//! person's input kept.

pub mod assets;
mod charts;
pub mod client;
pub mod error;
pub mod format;
mod forms;
pub mod health;
mod layout;
pub mod metrics;
pub mod pages;
mod query;
mod rate_limit;
mod render;
pub mod resident;
pub mod staff;
mod state;
mod tables;
mod text;
mod urlencoded;
mod values;

pub use state::{AppState, ServerOptions, SiteConfig};
