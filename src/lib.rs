//! Pouls core: domain types, the CTG plan as data, and storage on SQLite or PostgreSQL.
//!
//! This crate knows nothing of HTTP or HTML; `pouls-app` renders pages from what it returns.

pub mod audit;
pub mod auth;
pub mod department;
pub mod disclosure;
pub mod domain;
pub mod export;
pub mod french;
pub mod import;
pub mod indicators;
pub mod metrics;
pub mod needs;
pub mod plan;
pub mod qr;
#[cfg(test)]
mod readme;
pub mod staff;
pub mod storage;
pub mod survey;
pub mod territory;
pub mod throttle;
