//! Accounts: registration, sign-in, the account summary (dashboard), profile, roles and scope.
//!
//! This foundation holds the pages' frame; the Accounts issue fills them in.

pub mod pages;

#[cfg(feature = "ssr")]
pub mod password;
