//! The portal's application crate: pages, components, shared types and server functions.
//!
//! One folder per capability (`accounts`, `disputes`, `money`, `notifications`, `support`), each
//! holding its pages, its shared types and, behind the `ssr` feature, its server-only store.
//! Everything that touches the database, passwords or email is compiled only with `ssr`, so it
//! never reaches the browser's wasm.

#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod accounts;
pub mod disputes;
pub mod error;
pub mod layout;
pub mod money;
pub mod notifications;
pub mod shell;
pub mod support;

#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod services;

pub use error::AppError;
pub use shell::{shell, App};
