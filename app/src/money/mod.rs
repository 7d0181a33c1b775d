//! Money: statements (16 months), payments (paid and pending), transactions (35 days), and the
//! files finance teams download. Everything is read for one establishment at a time, checked
//! against the caller's scope.

#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod filter;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod payments;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod reports;
#[cfg(feature = "ssr")]
pub mod statements;
#[cfg(feature = "ssr")]
pub mod transactions;
#[cfg(feature = "ssr")]
pub mod views;
