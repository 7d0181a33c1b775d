//! Dashboard and analytics: what needs doing now for each role (`/`), and how each
//! establishment fares with its disputes over up to 16 months (`/analytics`).
//!
//! - `dashboard` (domain) gathers each role's figures and the address of the list each counts;
//!   `dashboard_pages` renders them.
//! - `figures` (domain) reads the analytics filter, computes the figures from the store's rows,
//!   applies the dispute-rate rule; `chart` draws its charts as SVG on the server; `pages`
//!   renders the page and `http` serves its CSV files and the threshold setting; `period`
//!   reads the filter and `tables` lays the figures out once for the page and the files.
//! - `cache` answers the same analytics question from the last minute's computation, one
//!   computation at a time per instance (a stopgap until monthly aggregates).
//! - `store` holds all of this capability's SQL. It reads other capabilities' tables (disputes,
//!   payments, notifications) but imports none of their pages or handlers.

pub mod cache;
pub mod chart;
pub mod dashboard;
pub mod dashboard_pages;
pub mod figures;
pub mod http;
pub mod pages;
pub mod period;
pub mod store;
pub mod tables;
