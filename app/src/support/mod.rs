//! Support: live chat and secure messages between merchants and customer service. Merchants list their
//! threads, write new ones (with attachments) and reply (`pages`); customer service answers
//! and closes them from its console (`console_pages`; the case beside a thread or a chat is
//! `case_facts`). `http` holds the forms' handlers,
//! `rules` and `state` the rules (who sees a thread, what a message may hold, the status
//! machine), `threads` what each action does, `store` all the SQL and `model` the types they
//! share. A reply of customer service reaches merchants by email through the notifications'
//! outbox; the email never carries the message. The live chat is `chat`, whose chat box is an
//! island (it compiles for the browser too); everything else is server only.

pub mod chat;

#[cfg(feature = "ssr")]
pub mod case_facts;
#[cfg(feature = "ssr")]
pub mod console_pages;
#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod model;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod threads;
