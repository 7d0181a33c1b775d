//! All of the disputes' SQL, one file per subject: reading a case (`case`), the guarded
//! changes of a case's row (`status`), the merchant's response (`answer`) and its documents'
//! rows (`documents`), new cases (`opening`), the dispute team's queue and decisions
//! (`review`), the timeline, outbox and adjustments written beside every change and the views
//! of a case (`record`), the merchant's queues (`queue`), the deadline sweep's updates
//! (`sweep`) and the reason codes' table (`reason_codes`). Callers use the functions
//! re-exported here.
//!
//! Functions are named for what they read or write and take typed values already checked by
//! the domain modules: reads take the [`Db`](crate::db::Db), writes the transaction of the
//! caller's [`Db::write`](crate::db::Db::write), so that a change and everything it causes
//! commit together. Nothing here decides a status: the state machine (`disputes::state`) does,
//! and the status it gives is written as its stored name. Rows are decoded by `sqlx::FromRow`;
//! flags are selected as integers (sqlx's `Any` driver cannot decode SQLite's BOOLEAN). This
//! module imports only `disputes::model` and `disputes::state` (and `deadline::parse`, to read
//! a stored date), never the modules that call it.

mod answer;
mod case;
mod documents;
mod opening;
mod queue;
mod reason_codes;
mod record;
mod review;
mod status;
mod sweep;

pub use answer::{case_of_submission, mark_response_submitted, save_response, tick_checklist};
pub use case::{answerers, card_transaction, case_by_number, checklist, current_round, documents, last_decision};
pub use case::{lock_case, response, timeline};
pub use documents::{document_for_case, insert_document, remove_draft_document, stored_object_is_known, NewDocument};
pub use opening::{charge_by_reference, insert_case, insert_checklist, set_case_number, Charge, NewCaseRow};
pub use queue::{open_counts_for_establishments, queue_count, queue_page, PageQuery, QueueEntry, Search};
pub use reason_codes::{upsert_reason_code, ReasonCodeRow};
pub use record::{
    insert_adjustment, insert_event, insert_outbox, is_debited, record_view, viewed_this_hour, Adjustment,
};
pub use review::{insert_decision, review_rows};
pub use status::{bump_version, set_status};
pub use sweep::{claim_overdue, claim_urgent, Claimed};
