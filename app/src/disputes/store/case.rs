//! Reading a case: the case itself (also locked inside a write), its round, transaction,
//! checklist, current response, documents, timeline, last decision and who may answer it.
//! Scope is checked by the caller of these functions (`case::find`), which reads the case first.

use crate::db::{Db, Engine};
use crate::disputes::model::{CardTransaction, Case, ChecklistItem, Decision, Document, TimelineEntry};
use crate::disputes::state::{Stage, Status};
use sqlx::{Any, Transaction};

const CASE_COLUMNS: &str = "d.id, d.case_number, d.establishment_id, e.number, e.trading_name, d.stage, d.status, \
     d.reason_code, d.disputed_amount, d.currency, d.opened_at, d.reply_by, d.version, d.transaction_id, \
     p.case_number AS parent_case, CASE WHEN e.dispute_subscribed THEN 1 ELSE 0 END AS subscribed";

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
    subscribed: i64,
}

impl TryFrom<CaseRow> for Case {
    type Error = sqlx::Error;

    fn try_from(row: CaseRow) -> Result<Case, sqlx::Error> {
        let reply_by = crate::disputes::deadline::parse(&row.reply_by)
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
            subscribed: row.subscribed != 0,
        })
    }
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

/// The case with this number, whoever's it is.
pub async fn case_by_number(db: &Db, case_number: &str) -> Result<Option<Case>, sqlx::Error> {
    let sql = format!(
        "SELECT {CASE_COLUMNS} FROM disputes d JOIN establishments e ON e.id = d.establishment_id \
         LEFT JOIN disputes p ON p.id = d.parent_dispute_id WHERE d.case_number = $1"
    );
    let row: Option<CaseRow> = sqlx::query_as(&sql).bind(case_number).fetch_optional(&db.pool).await?;
    row.map(Case::try_from).transpose()
}

/// The case again, inside a write's transaction (on PostgreSQL, locked until it ends).
pub async fn lock_case(db: &Db, transaction: &mut Transaction<'_, Any>, id: i64) -> Result<Case, sqlx::Error> {
    let lock = if db.engine == Engine::Postgres { " FOR UPDATE OF d" } else { "" };
    let sql = format!(
        "SELECT {CASE_COLUMNS} FROM disputes d JOIN establishments e ON e.id = d.establishment_id \
         LEFT JOIN disputes p ON p.id = d.parent_dispute_id WHERE d.id = $1{lock}"
    );
    let row: CaseRow = sqlx::query_as(&sql).bind(id).fetch_one(&mut **transaction).await?;
    Case::try_from(row)
}

/// The round the merchant is answering: one more than the requests for information so far.
pub async fn current_round<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    dispute: i64,
) -> Result<i64, sqlx::Error> {
    let requests: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM decisions WHERE dispute_id = $1 AND outcome = 'info_requested'")
            .bind(dispute)
            .fetch_one(executor)
            .await?;
    Ok(requests + 1)
}

/// The card transaction a case disputes.
pub async fn card_transaction(db: &Db, id: i64) -> Result<CardTransaction, sqlx::Error> {
    sqlx::query_as("SELECT occurred_at, card_masked, amount, currency, kind, reference FROM transactions WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
}

/// The documents the case asks for, in order, ticked or not.
pub async fn checklist(db: &Db, dispute: i64) -> Result<Vec<ChecklistItem>, sqlx::Error> {
    let rows: Vec<ChecklistRow> = sqlx::query_as(
        "SELECT position, description, CASE WHEN ticked THEN 1 ELSE 0 END AS ticked FROM requested_documents \
         WHERE dispute_id = $1 ORDER BY position",
    )
    .bind(dispute)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ChecklistItem { position: row.position, description: row.description, ticked: row.ticked == 1 })
        .collect())
}

/// The response of `round`: its comments and whether it was submitted.
pub async fn response(db: &Db, dispute: i64, round: i64) -> Result<Option<(String, bool)>, sqlx::Error> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT comments, state FROM responses WHERE dispute_id = $1 AND round = $2")
            .bind(dispute)
            .bind(round)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(comments, state)| (comments, state == "submitted")))
}

/// The dispute team's latest decision or request for information.
pub async fn last_decision(db: &Db, dispute: i64) -> Result<Option<Decision>, sqlx::Error> {
    sqlx::query_as(
        "SELECT outcome, note, decided_at FROM decisions WHERE dispute_id = $1 ORDER BY decided_at DESC, id DESC LIMIT 1",
    )
    .bind(dispute)
    .fetch_optional(&db.pool)
    .await
}

/// The establishment's own users, who answer its cases under local configuration.
pub async fn answerers(db: &Db, establishment: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT u.username FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.establishment_id = $1 AND u.disabled_at IS NULL ORDER BY u.username",
    )
    .bind(establishment)
    .fetch_all(&db.pool)
    .await
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
