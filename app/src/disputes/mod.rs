//! Disputes: inquiries and chargebacks, their reason codes, responses, decisions and deadlines.

pub mod pages;
pub mod reason_codes;
pub mod state;

#[cfg(feature = "ssr")]
pub mod deadline;
#[cfg(feature = "ssr")]
pub mod documents;
#[cfg(feature = "ssr")]
pub mod queue;
#[cfg(feature = "ssr")]
pub mod sweep;
