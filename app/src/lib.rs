//! The portal's application crate: pages, islands, shared types and the server-only stores.
//!
//! One folder per capability (`accounts`, `analytics`, `api`, `disputes`, `money`, `notifications`, `support`), each
//! with its pages (server components), its HTTP handlers, its domain and its store. The shared web
//! layer is `web/`, amount and date formatting `format.rs`, the document and the router `shell.rs`.
//!
//! Pages render on the server only (Leptos islands): the browser's wasm holds the `#[island]`s
//! alone — the notification bell, the idle-session warning, the response form's upload progress, the chat
//! box —
//! and the few types they share. Everything else compiles only with `ssr`.

#![recursion_limit = "256"]

// The translations, generated from `locales/{fr,en}.json` by the macro. leptos_i18n marks it
// deprecated in favour of a build script, but that script's crate (leptos_i18n_build) pulls ICU's
// data-generation crates into every build; the macro generates the same module without them.
#[cfg(feature = "ssr")]
#[allow(deprecated)]
mod translations {
    leptos_i18n::load_locales!();
}
#[cfg(feature = "ssr")]
pub use translations::i18n;

pub mod disputes;
pub mod error;
pub mod notifications;
pub mod support;
pub mod web;

#[cfg(feature = "ssr")]
pub mod accounts;
#[cfg(feature = "ssr")]
pub mod analytics;
#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod cards;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod format;
#[cfg(feature = "ssr")]
pub mod frame;
#[cfg(feature = "ssr")]
pub mod money;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
pub mod shell;
#[cfg(feature = "ssr")]
pub mod transaction_details;

pub use error::AppError;
#[cfg(feature = "ssr")]
pub use shell::{shell, App};
