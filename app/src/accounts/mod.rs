//! Accounts: registration, sign-in and out, recovery, the account summary, the profile, the
//! organisation's users, and the authorisation layer every other capability goes through.
//!
//! `pages` are server components; `http` the form endpoints (thin axum handlers); `caller` the
//! authorisation layer; `store` all of its SQL; `activation` (activation codes) and `onboarding`
//! (organisations and establishments as the platform creates them) rules without SQL; the
//! session store, the rate limits and the emails beside.

pub mod model;
pub mod pages;
pub mod store;

pub mod activation;
pub mod caller;
pub mod client_address;
pub mod emails;
pub mod http;
pub mod onboarding;
pub mod password;
pub mod rate_limit;
pub mod rules;
pub mod session_store;
pub mod tokens;
