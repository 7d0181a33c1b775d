//! Accounts: registration, sign-in and out, recovery, the account summary, the profile, the
//! organisation's users, and the authorisation layer every other capability goes through.
//!
//! Pages and shared types compile for both sides; the server side (`ssr`) holds the caller and
//! its scope, the session store, the rate limits, the form endpoints and the emails.

pub mod api;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod caller;
#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod rate_limit;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod session_store;
#[cfg(feature = "ssr")]
pub mod tokens;
