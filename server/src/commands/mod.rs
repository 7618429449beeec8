//! Subcommands of the binary other than `serve`.

pub mod backup;
pub mod bench;
pub mod demo;
pub mod export;
pub mod indicators;
pub mod purge;
pub mod territory;
pub mod user;
