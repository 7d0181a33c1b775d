//! What the disputes' store reads and writes, as the pages and rules see it: a case's row, its
//! transaction, checklist, documents, timeline and last decision; the dispute team's review
//! rows and headquarters' counts; who acts on a case. Read and written by `store`, assembled and
//! checked by `case`, `queue` and `review`; nothing here reads the database or knows the caller.

use super::state::{Stage, Status};
use chrono::NaiveDate;

/// The case's own row.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: i64,
    pub case_number: String,
    pub establishment_id: i64,
    pub establishment_number: String,
    pub establishment_name: String,
    pub stage: Stage,
    pub status: Status,
    pub reason_code: String,
    pub amount: i64,
    pub currency: String,
    pub opened_at: i64,
    pub reply_by: NaiveDate,
    pub version: i64,
    pub transaction_id: i64,
    pub parent_case: Option<String>,
    /// Its establishment has activated online dispute management: only then is it answered
    /// online.
    pub subscribed: bool,
}

/// Why the caller cannot answer a case they can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerRefusal {
    /// Headquarters under local configuration: the establishment answers.
    LocalConfiguration,
    /// The network's staff decide; they do not answer.
    NetworkStaff,
    /// The establishment has not activated online dispute management.
    NotSubscribed,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CardTransaction {
    pub occurred_at: i64,
    pub card_masked: String,
    pub amount: i64,
    pub currency: String,
    pub kind: String,
    pub reference: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    pub position: i64,
    pub description: String,
    pub ticked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_at: i64,
    /// Part of a submitted response: it can no longer be removed.
    pub submitted: bool,
}

/// A document's file: its name and type as uploaded, and where the object store keeps it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredDocument {
    #[sqlx(rename = "original_name")]
    pub name: String,
    pub content_type: String,
    #[sqlx(rename = "storage_key")]
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TimelineEntry {
    pub at: i64,
    /// The acting user's name; `None` for the system (the deadline worker).
    #[sqlx(rename = "username")]
    pub actor: Option<String>,
    #[sqlx(rename = "actor_role")]
    pub role: String,
    #[sqlx(rename = "actor_scope")]
    pub scope: String,
    pub action: String,
    pub detail: String,
    /// Views folded into this one (the same user's, one after the other): it stands for
    /// `repeats + 1` views. Zero as read.
    #[sqlx(skip)]
    pub repeats: i64,
}

/// The dispute team's last word: a decision, or a request for more information.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Decision {
    pub outcome: String,
    pub note: String,
    pub decided_at: i64,
}

/// One submitted response waiting for a decision.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReviewRow {
    pub case_number: String,
    #[sqlx(rename = "trading_name")]
    pub establishment: String,
    #[sqlx(try_from = "String")]
    pub stage: Stage,
    pub reason_code: String,
    #[sqlx(rename = "disputed_amount")]
    pub amount: i64,
    pub currency: String,
    pub submitted_at: Option<i64>,
}

/// One establishment's open cases, for headquarters' overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstablishmentCount {
    pub id: i64,
    pub name: String,
    pub open: i64,
    /// Due within the urgent window (today included).
    pub urgent: i64,
    /// Past their reply-by date and not yet expired by the deadline worker.
    pub overdue: i64,
}

/// Who acts on a case, as the timeline records them (`case::actor` says who the caller is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `None`: the portal itself (deadline worker).
    pub user_id: Option<i64>,
    /// `establishment_user`, `hq_user`, `org_admin`, `dispute_analyst` or `system`.
    pub role: String,
    /// The establishment's number, `HQ`, `network` or `system`.
    pub scope: String,
}

impl Actor {
    pub fn system() -> Actor {
        Actor { user_id: None, role: "system".into(), scope: "system".into() }
    }
}
