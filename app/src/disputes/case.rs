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
use sqlx::{Any, Row, Transaction};

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

#[derive(Debug, Clone)]
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub at: i64,
    pub actor: Option<String>,
    pub role: String,
    pub scope: String,
    pub action: String,
    pub detail: String,
}

/// The dispute team's last word: a decision, or a request for more information.
#[derive(Debug, Clone, PartialEq, Eq)]
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

fn case_from(row: &sqlx::any::AnyRow) -> Result<Case, sqlx::Error> {
    let stage: String = row.try_get("stage")?;
    let status: String = row.try_get("status")?;
    let reply_by: String = row.try_get("reply_by")?;
    let corrupt = |what: &str| sqlx::Error::Decode(format!("unknown {what} in disputes").into());
    Ok(Case {
        id: row.try_get("id")?,
        case_number: row.try_get("case_number")?,
        establishment_id: row.try_get("establishment_id")?,
        establishment_number: row.try_get("number")?,
        establishment_name: row.try_get("trading_name")?,
        stage: Stage::parse(&stage).ok_or_else(|| corrupt("stage"))?,
        status: Status::parse(&status).ok_or_else(|| corrupt("status"))?,
        reason_code: row.try_get("reason_code")?,
        amount: row.try_get("disputed_amount")?,
        currency: row.try_get("currency")?,
        opened_at: row.try_get("opened_at")?,
        reply_by: super::deadline::parse(&reply_by).ok_or_else(|| corrupt("reply_by"))?,
        version: row.try_get("version")?,
        transaction_id: row.try_get("transaction_id")?,
        parent_case: row.try_get("parent_case")?,
    })
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
    let row = sqlx::query(&sql).bind(case_number).fetch_optional(&db.pool).await?.ok_or(AppError::NotFound)?;
    let case = case_from(&row)?;
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
    let row = sqlx::query(&sql).bind(id).fetch_one(&mut **transaction).await?;
    Ok(case_from(&row)?)
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

    let row = sqlx::query(
        "SELECT occurred_at, card_masked, amount, currency, kind, reference FROM transactions WHERE id = $1",
    )
    .bind(case.transaction_id)
    .fetch_one(&db.pool)
    .await?;
    let transaction = CardTransaction {
        occurred_at: row.try_get("occurred_at")?,
        card_masked: row.try_get("card_masked")?,
        amount: row.try_get("amount")?,
        currency: row.try_get("currency")?,
        kind: row.try_get("kind")?,
        reference: row.try_get("reference")?,
    };
    let checklist = sqlx::query(
        "SELECT position, description, CASE WHEN ticked THEN 1 ELSE 0 END AS ticked FROM requested_documents \
         WHERE dispute_id = $1 ORDER BY position",
    )
    .bind(case.id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|row| {
        Ok(ChecklistItem {
            position: row.try_get("position")?,
            description: row.try_get("description")?,
            ticked: row.try_get::<i64, _>("ticked")? == 1,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let response = sqlx::query("SELECT comments, state FROM responses WHERE dispute_id = $1 AND round = $2")
        .bind(case.id)
        .bind(round)
        .fetch_optional(&db.pool)
        .await?;
    let (comments, submitted) = match response {
        Some(row) => (row.try_get("comments")?, row.try_get::<String, _>("state")? == "submitted"),
        None => (String::new(), false),
    };
    let documents = documents(db, case.id).await?;
    let timeline = timeline(db, case.id).await?;
    let last_decision = sqlx::query(
        "SELECT outcome, note, decided_at FROM decisions WHERE dispute_id = $1 ORDER BY decided_at DESC, id DESC LIMIT 1",
    )
    .bind(case.id)
    .fetch_optional(&db.pool)
    .await?
    .map(|row| -> Result<Decision, sqlx::Error> {
        Ok(Decision { outcome: row.try_get("outcome")?, note: row.try_get("note")?, decided_at: row.try_get("decided_at")? })
    })
    .transpose()?;
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
    sqlx::query(
        "SELECT doc.id, doc.original_name, doc.content_type, doc.size_bytes, doc.created_at, \
             CASE WHEN r.state = 'submitted' THEN 1 ELSE 0 END AS submitted \
         FROM documents doc LEFT JOIN responses r ON r.id = doc.response_id \
         WHERE doc.dispute_id = $1 AND doc.removed_at IS NULL ORDER BY doc.id",
    )
    .bind(dispute)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|row| {
        Ok(Document {
            id: row.try_get("id")?,
            name: row.try_get("original_name")?,
            content_type: row.try_get("content_type")?,
            size_bytes: row.try_get("size_bytes")?,
            uploaded_at: row.try_get("created_at")?,
            submitted: row.try_get::<i64, _>("submitted")? == 1,
        })
    })
    .collect()
}

/// The case's audit trail, oldest first.
pub async fn timeline(db: &Db, dispute: i64) -> Result<Vec<TimelineEntry>, sqlx::Error> {
    sqlx::query(
        "SELECT ev.at, u.username, ev.actor_role, ev.actor_scope, ev.action, ev.detail \
         FROM case_events ev LEFT JOIN users u ON u.id = ev.actor_user_id \
         WHERE ev.dispute_id = $1 ORDER BY ev.at, ev.id",
    )
    .bind(dispute)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|row| {
        Ok(TimelineEntry {
            at: row.try_get("at")?,
            actor: row.try_get("username")?,
            role: row.try_get("actor_role")?,
            scope: row.try_get("actor_scope")?,
            action: row.try_get("action")?,
            detail: row.try_get("detail")?,
        })
    })
    .collect()
}
