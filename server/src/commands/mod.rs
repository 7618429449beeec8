//! Subcommands of the binary other than `serve`.

pub mod user;
