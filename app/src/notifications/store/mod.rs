//! All of the notifications' SQL, one file per subject: the outbox and its fan-out to
//! recipients (`outbox`), notifications read with their case or payment (`addressed`), the
//! claims and attempts of email delivery and of the daily digest (`emails`), the in-app centre
//! (`centre`) and the administrator's delivery overview (`admin`). Callers use the functions
//! re-exported here.
//!
//! Rows are decoded by `sqlx::FromRow`; flags are selected as integers (sqlx's `Any` driver
//! cannot decode SQLite's BOOLEAN) and turned into `bool` here. Every function that writes more
//! than one statement does so in one transaction opened by [`crate::db::Db::write`]. The rules
//! (who receives what, backoff, leases, digest grouping) belong to the calling modules; this one
//! only says how they are stored.
//!
//! Lists of ids are spliced into the SQL text: they are numbers read from the database, never
//! user input.

mod addressed;
mod admin;
mod centre;
mod emails;
mod outbox;

pub use addressed::{addressed_by_ids, latest_for_user};
pub use admin::{count_by_email_state, latest_failures, requeue_failed, Failure};
pub use centre::{mark_all_read, mark_one_read, unread_and_newest};
pub use emails::{
    claim_digest, claim_due_emails, fail_emails, record_attempt, record_digest_attempt, users_awaiting_digest, Attempt,
};
pub use outbox::{announce_payments, fan_out_to_recipients, waiting_outbox, Waiting};

/// `1,2,3`, for an `IN (…)` list.
fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}
