//! One case as its page shows it: the case, the original transaction, the reason code and its
//! checklist, the response of the current round with its documents, the timeline, and what the
//! caller may do with it. Loading a case checks that the caller may see it ("not found"
//! otherwise) and records the view in the timeline.

use super::reason_codes::{self, ReasonCode};
use super::record::{event, Actor};
use super::state::{Stage, Status};
use crate::accounts::caller::Caller;
use crate::accounts::model::UserKind;
use crate::db::Db;
use crate::AppError;
use chrono::NaiveDate;
use sqlx::{Any, Transaction};

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

/// A checklist line as stored (the flag as an integer: sqlx's `Any` driver cannot decode
/// SQLite's BOOLEAN).
#[derive(sqlx::FromRow)]
struct ChecklistRow {
    position: i64,
    description: String,
    ticked: i64,
}

/// A document as stored.
#[derive(sqlx::FromRow)]
struct DocumentRow {
    id: i64,
    original_name: String,
    content_type: String,
    size_bytes: i64,
    created_at: i64,
    submitted: i64,
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

const CASE_COLUMNS: &str = "d.id, d.case_number, d.establishment_id, e.number, e.trading_name, d.stage, d.status, \
     d.reason_code, d.disputed_amount, d.currency, d.opened_at, d.reply_by, d.version, d.transaction_id, \
     p.case_number AS parent_case";

/// A case as [`CASE_COLUMNS`] select it.
#[derive(sqlx::FromRow)]
struct CaseRow {
    id: i64,
    case_number: String,
    establishment_id: i64,
    number: String,
    trading_name: String,
    #[sqlx(try_from = "String")]
    stage: Stage,
    #[sqlx(try_from = "String")]
    status: Status,
    reason_code: String,
    disputed_amount: i64,
    currency: String,
    opened_at: i64,
    reply_by: String,
    version: i64,
    transaction_id: i64,
    parent_case: Option<String>,
}

impl TryFrom<CaseRow> for Case {
    type Error = sqlx::Error;

    fn try_from(row: CaseRow) -> Result<Case, sqlx::Error> {
        let reply_by = super::deadline::parse(&row.reply_by)
            .ok_or_else(|| sqlx::Error::Decode(format!("reply-by date {:?} in disputes", row.reply_by).into()))?;
        Ok(Case {
            id: row.id,
            case_number: row.case_number,
            establishment_id: row.establishment_id,
            establishment_number: row.number,
            establishment_name: row.trading_name,
            stage: row.stage,
            status: row.status,
            reason_code: row.reason_code,
            amount: row.disputed_amount,
            currency: row.currency,
            opened_at: row.opened_at,
            reply_by,
            version: row.version,
            transaction_id: row.transaction_id,
            parent_case: row.parent_case,
        })
    }
}

/// Whether the caller may see the case of `establishment_id`: the network's dispute analysts
/// see every case; merchants the cases of their establishments.
pub fn check_visible(caller: &Caller, establishment_id: i64) -> Result<(), AppError> {
    match caller.kind {
        UserKind::DisputeAnalyst => Ok(()),
        UserKind::Merchant => caller.establishment(establishment_id).map(|_| ()),
        _ => Err(AppError::NotFound),
    }
}

/// Whether the caller may answer (accept, respond) a case of `establishment_id` they can see.
pub fn answer_refusal(caller: &Caller, establishment_id: i64) -> Option<AnswerRefusal> {
    match caller.establishment(establishment_id) {
        Ok(scope) if scope.can_answer_disputes() => None,
        Ok(_) => Some(AnswerRefusal::LocalConfiguration),
        Err(_) => Some(AnswerRefusal::NetworkStaff),
    }
}

/// The case with this number, if the caller may see it.
pub async fn find(db: &Db, caller: &Caller, case_number: &str) -> Result<Case, AppError> {
    let sql = format!(
        "SELECT {CASE_COLUMNS} FROM disputes d JOIN establishments e ON e.id = d.establishment_id \
         LEFT JOIN disputes p ON p.id = d.parent_dispute_id WHERE d.case_number = $1"
    );
    let row: CaseRow =
        sqlx::query_as(&sql).bind(case_number).fetch_optional(&db.pool).await?.ok_or(AppError::NotFound)?;
    let case = Case::try_from(row)?;
    check_visible(caller, case.establishment_id)?;
    Ok(case)
}

/// The case again, inside a write's transaction (on PostgreSQL, locked until it ends).
pub async fn lock(db: &Db, transaction: &mut Transaction<'_, Any>, id: i64) -> Result<Case, AppError> {
    let lock = if db.engine == crate::db::Engine::Postgres { " FOR UPDATE OF d" } else { "" };
    let sql = format!(
        "SELECT {CASE_COLUMNS} FROM disputes d JOIN establishments e ON e.id = d.establishment_id \
         LEFT JOIN disputes p ON p.id = d.parent_dispute_id WHERE d.id = $1{lock}"
    );
    let row: CaseRow = sqlx::query_as(&sql).bind(id).fetch_one(&mut **transaction).await?;
    Ok(Case::try_from(row)?)
}

/// The round the merchant is answering: one more than the requests for information so far.
pub async fn current_round(transaction: &mut Transaction<'_, Any>, dispute: i64) -> Result<i64, sqlx::Error> {
    let requests: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM decisions WHERE dispute_id = $1 AND outcome = 'info_requested'")
            .bind(dispute)
            .fetch_one(&mut **transaction)
            .await?;
    Ok(requests + 1)
}

/// The whole case file for its page; records the view.
pub async fn open(db: &Db, caller: &Caller, case_number: &str) -> Result<CaseFile, AppError> {
    let case = find(db, caller, case_number).await?;
    let mut transaction = db.write().await?;
    let actor = Actor::of(caller, case.establishment_id, &case.establishment_number);
    event(&mut transaction, case.id, &actor, crate::clock::now(), "viewed", "").await?;
    let round = current_round(&mut transaction, case.id).await?;
    transaction.commit().await?;

    let transaction: CardTransaction = sqlx::query_as(
        "SELECT occurred_at, card_masked, amount, currency, kind, reference FROM transactions WHERE id = $1",
    )
    .bind(case.transaction_id)
    .fetch_one(&db.pool)
    .await?;
    let checklist: Vec<ChecklistRow> = sqlx::query_as(
        "SELECT position, description, CASE WHEN ticked THEN 1 ELSE 0 END AS ticked FROM requested_documents \
         WHERE dispute_id = $1 ORDER BY position",
    )
    .bind(case.id)
    .fetch_all(&db.pool)
    .await?;
    let checklist = checklist
        .into_iter()
        .map(|row| ChecklistItem { position: row.position, description: row.description, ticked: row.ticked == 1 })
        .collect();
    let response: Option<(String, String)> =
        sqlx::query_as("SELECT comments, state FROM responses WHERE dispute_id = $1 AND round = $2")
            .bind(case.id)
            .bind(round)
            .fetch_optional(&db.pool)
            .await?;
    let (comments, submitted) = match response {
        Some((comments, state)) => (comments, state == "submitted"),
        None => (String::new(), false),
    };
    let documents = documents(db, case.id).await?;
    let timeline = timeline(db, case.id).await?;
    let last_decision: Option<Decision> = sqlx::query_as(
        "SELECT outcome, note, decided_at FROM decisions WHERE dispute_id = $1 ORDER BY decided_at DESC, id DESC LIMIT 1",
    )
    .bind(case.id)
    .fetch_optional(&db.pool)
    .await?;
    let refusal = answer_refusal(caller, case.establishment_id);
    let answerers = if refusal == Some(AnswerRefusal::LocalConfiguration) {
        sqlx::query_scalar(
            "SELECT u.username FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.establishment_id = $1 AND u.disabled_at IS NULL ORDER BY u.username",
        )
        .bind(case.establishment_id)
        .fetch_all(&db.pool)
        .await?
    } else {
        Vec::new()
    };
    Ok(CaseFile {
        reason: reason_codes::find(&case.reason_code),
        case,
        transaction,
        checklist,
        comments,
        submitted,
        documents,
        timeline,
        last_decision,
        refusal,
        answerers,
        is_analyst: caller.kind == UserKind::DisputeAnalyst,
    })
}

/// The case's documents not removed, oldest first.
pub async fn documents(db: &Db, dispute: i64) -> Result<Vec<Document>, sqlx::Error> {
    let rows: Vec<DocumentRow> = sqlx::query_as(
        "SELECT doc.id, doc.original_name, doc.content_type, doc.size_bytes, doc.created_at, \
             CASE WHEN r.state = 'submitted' THEN 1 ELSE 0 END AS submitted \
         FROM documents doc LEFT JOIN responses r ON r.id = doc.response_id \
         WHERE doc.dispute_id = $1 AND doc.removed_at IS NULL ORDER BY doc.id",
    )
    .bind(dispute)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Document {
            id: row.id,
            name: row.original_name,
            content_type: row.content_type,
            size_bytes: row.size_bytes,
            uploaded_at: row.created_at,
            submitted: row.submitted == 1,
        })
        .collect())
}

/// The case's audit trail, oldest first.
pub async fn timeline(db: &Db, dispute: i64) -> Result<Vec<TimelineEntry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT ev.at, u.username, ev.actor_role, ev.actor_scope, ev.action, ev.detail \
         FROM case_events ev LEFT JOIN users u ON u.id = ev.actor_user_id \
         WHERE ev.dispute_id = $1 ORDER BY ev.at, ev.id",
    )
    .bind(dispute)
    .fetch_all(&db.pool)
    .await
}
