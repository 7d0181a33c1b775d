//! All of the secure messages' SQL, one file per subject: reading threads, their messages and
//! attachments, the merchant's list and the agents' console (`read`); writing threads,
//! messages, attachments, status changes, read marks, the audit trail and the reply notices'
//! outbox rows (`write`); and the unread count the caller's query embeds (`unread`). Callers use
//! the functions re-exported here.
//!
//! Reads take the [`Db`](crate::db::Db), writes the transaction of the caller's
//! [`Db::write`](crate::db::Db::write), so that a change and everything it causes commit
//! together. Nothing here decides who sees what or which status comes next (`rules` and
//! `state` do); lists of ids spliced into SQL are numbers from the caller's scope, never user
//! input. This module imports only `support::model` and `support::state`.

mod read;
mod unread;
mod write;

pub use read::{
    attachment_of_thread, case_by_number, case_summary, console_threads, establishment_number, latest_message_id,
    messages_of, read_mark, thread_by_id, threads_for_scope, MessageRow,
};
pub use unread::{unread_threads_sql, visible_sql};
pub use write::{
    audit, insert_attachment, insert_event, insert_message, insert_reply_notices, insert_thread, mark_read, set_status,
    AuditTrail, NewAttachment, NewThread,
};
