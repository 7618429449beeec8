//! Public pages, one module a feature, each exposing its routes.

pub mod accessibility;
mod action;
mod heard;
pub mod home;
pub mod plan;
pub mod privacy;
mod public;
pub mod results;
