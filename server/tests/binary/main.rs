//! Tests that run the real `pouls` binary: the command line, crashes and restarts, several
//! instances on one database, storage failures. The in-process API tests are `tests/api`.

mod support;

mod cli;
mod cli_import;
mod cli_territory;
mod durability;
mod instances;
mod storage_failures;
