//! The case as the disputes' pages and rules see it: its row, its transaction, checklist,
//! documents, timeline, last decision, and the whole file its page shows. Read by `store`,
//! assembled and checked by `case`.

use super::reason_codes::ReasonCode;
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
}

/// Why the caller cannot answer a case they can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerRefusal {
    /// Headquarters under local configuration: the establishment answers.
    LocalConfiguration,
    /// The network's staff decide; they do not answer.
    NetworkStaff,
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
}

/// The dispute team's last word: a decision, or a request for more information.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Decision {
    pub outcome: String,
    pub note: String,
    pub decided_at: i64,
}

/// Everything the case page shows.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub case: Case,
    pub transaction: CardTransaction,
    pub reason: Option<&'static ReasonCode>,
    pub checklist: Vec<ChecklistItem>,
    /// The current round's response: comments and whether it was submitted.
    pub comments: String,
    pub submitted: bool,
    pub documents: Vec<Document>,
    pub timeline: Vec<TimelineEntry>,
    pub last_decision: Option<Decision>,
    /// `None` when the caller may answer.
    pub refusal: Option<AnswerRefusal>,
    /// Who can answer when the caller cannot (local configuration).
    pub answerers: Vec<String>,
    pub is_analyst: bool,
}
