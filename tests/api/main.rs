//! The API tests: one binary driving `build_router` in-process, a module per feature,
//! each test on SQLite and on PostgreSQL (see `on_both_backends!`).

#[macro_use]
#[path = "../support/mod.rs"]
mod support;

mod builder;
mod department;
mod escaping;
mod exports;
mod follow_up;
mod form_decoding;
mod http;
mod imports;
mod indicator_values;
mod indicators;
mod live;
mod login_load;
mod memberships;
mod migrations;
mod needs;
mod plan_pages;
mod posters;
mod prints;
mod public_forms;
mod public_results;
mod public_territories;
mod resident;
mod results;
mod review;
mod review_changes;
mod staff_accounts;
mod staff_auth;
mod staff_menu;
mod staff_routes;
mod storage;
mod territories;
mod territory_observations;
mod wording;
