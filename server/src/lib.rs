//! Start-up and wiring of the portal: configuration from the environment, the router, the
//! command line and the demo data. Pages and business rules live in the `app` crate.

pub mod cli;
pub mod config;
pub mod seed;
pub mod startup;
pub mod telemetry;

mod health;
mod language;
mod security;
