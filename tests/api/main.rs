//! The API tests: one binary driving `build_router` in-process, a module per feature,
//! each test on SQLite and on PostgreSQL (see `on_both_backends!`).

#[macro_use]
#[path = "../support/mod.rs"]
mod support;

mod builder;
mod escaping;
mod exports;
mod form_decoding;
mod http;
mod imports;
mod indicators;
mod login_load;
mod needs;
mod plan_pages;
mod posters;
mod public_forms;
mod resident;
mod results;
mod staff_accounts;
mod staff_auth;
mod staff_routes;
mod storage;
mod wording;
