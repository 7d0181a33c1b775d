//! The dispute team's side: the cases waiting for a decision, and the decision (or request for
//! more information) recorded.

use crate::db::Db;
use crate::disputes::model::ReviewRow;
use crate::disputes::state::Status;
use chrono::NaiveDate;
use sqlx::{Any, Transaction};

/// Cases in `status`, the longest unchanged first (at most 200), with the time their latest
/// response was submitted.
pub async fn review_rows(db: &Db, status: Status) -> Result<Vec<ReviewRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.case_number, e.trading_name, d.stage, d.reason_code, d.disputed_amount, d.currency, \
             (SELECT MAX(r.submitted_at) FROM responses r WHERE r.dispute_id = d.id) AS submitted_at \
         FROM disputes d JOIN establishments e ON e.id = d.establishment_id \
         WHERE d.status = $1 ORDER BY d.updated_at, d.id LIMIT 200",
    )
    .bind(status.as_str())
    .fetch_all(&db.pool)
    .await
}

/// Records the analyst's decision (`outcome`: merchant, cardholder or info_requested, with the
/// new reply-by date of a request for information).
pub async fn insert_decision(
    transaction: &mut Transaction<'_, Any>,
    dispute: i64,
    analyst: i64,
    outcome: &str,
    note: &str,
    new_reply_by: Option<NaiveDate>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO decisions (dispute_id, analyst_user_id, outcome, note, new_reply_by, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(dispute)
    .bind(analyst)
    .bind(outcome)
    .bind(note)
    .bind(new_reply_by.map(|date| date.to_string()))
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}
