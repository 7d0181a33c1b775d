//! Support: secure messages between merchants and customer service. Merchants list their
//! threads, write new ones (with attachments) and reply (`pages`); customer service answers
//! and closes them from its console (`console_pages`). `http` holds the forms' handlers,
//! `rules` and `state` the rules (who sees a thread, what a message may hold, the status
//! machine), `threads` what each action does, `store` all the SQL and `model` the types they
//! share. A reply of customer service reaches merchants by email through the notifications'
//! outbox; the email never carries the message. Server only.

pub mod console_pages;
pub mod http;
pub mod model;
pub mod pages;
pub mod rules;
pub mod state;
pub mod store;
pub mod threads;
