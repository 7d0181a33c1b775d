//! Disputes: inquiries and chargebacks, their reason codes, responses, decisions and deadlines.

pub mod case_page;
pub mod pages;
pub mod reason_codes;
pub mod review_pages;
pub mod state;

#[cfg(feature = "ssr")]
pub mod answer;
#[cfg(feature = "ssr")]
pub mod case;
#[cfg(feature = "ssr")]
pub mod deadline;
#[cfg(feature = "ssr")]
pub mod documents;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod queue;
#[cfg(feature = "ssr")]
pub mod record;
#[cfg(feature = "ssr")]
pub mod review;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod sweep;
