//! The shared web layer every capability's pages and handlers use: the request context, the
//! page frame's pieces (heading, not found, problems), form fields and flash messages, and the
//! replies that answer a form (a redirect carrying the outcome for the next page view).
//!
//! Server only, but for the one island every signed-in page carries (the idle-session warning)
//! and the header names islands that send forms share with the server (`script`).
//! No module here imports a capability's pages or handlers.

pub mod idle;
pub mod script;

#[cfg(feature = "ssr")]
pub mod context;
#[cfg(feature = "ssr")]
pub mod form;
#[cfg(feature = "ssr")]
pub mod page;
#[cfg(feature = "ssr")]
pub mod reply;
