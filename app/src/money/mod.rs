//! Money: statements (16 months), payments (paid and pending), transactions (35 days), and the
//! files finance teams download. Everything is read for one establishment at a time, checked
//! against the caller's scope.

pub mod columns;
pub mod export;
pub mod filter;
pub mod http;
pub mod pages;
pub mod payments;
pub mod pdf;
pub mod reports;
pub mod statements;
mod store;
pub mod transactions;
pub mod views;
