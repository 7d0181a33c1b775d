//! The merchant's response to a case: found again by its idempotency key, its comments saved
//! as the round's draft, the checklist ticked, and the response marked submitted. A response's
//! own state (`draft`, `submitted`) is written here; the case's status is not (see `status`).

use crate::db::Db;
use sqlx::{Any, Transaction};

/// The case a submission carrying this idempotency key was already applied to, if any.
pub async fn case_of_submission(db: &Db, idempotency_key: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT dispute_id FROM responses WHERE idempotency_key = $1")
        .bind(idempotency_key)
        .fetch_optional(&db.pool)
        .await
}

/// Writes the comments of the case's response for `round`, a new draft if there is none yet;
/// returns the response's id.
pub async fn save_response(
    transaction: &mut Transaction<'_, Any>,
    dispute: i64,
    round: i64,
    comments: &str,
    author: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM responses WHERE dispute_id = $1 AND round = $2")
        .bind(dispute)
        .bind(round)
        .fetch_optional(&mut **transaction)
        .await?;
    match existing {
        Some(id) => {
            sqlx::query("UPDATE responses SET comments = $1, author_user_id = $2, updated_at = $3 WHERE id = $4")
                .bind(comments)
                .bind(author)
                .bind(now)
                .bind(id)
                .execute(&mut **transaction)
                .await?;
            Ok(id)
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO responses (dispute_id, round, state, comments, author_user_id, created_at, updated_at) \
                 VALUES ($1, $2, 'draft', $3, $4, $5, $5) RETURNING id",
            )
            .bind(dispute)
            .bind(round)
            .bind(comments)
            .bind(author)
            .bind(now)
            .fetch_one(&mut **transaction)
            .await
        }
    }
}

/// Ticks the checklist lines at `positions` and unticks the others.
pub async fn tick_checklist(
    transaction: &mut Transaction<'_, Any>,
    dispute: i64,
    positions: &[i64],
) -> Result<(), sqlx::Error> {
    // Positions are numbers; only they are formatted into the SQL.
    let ticked = positions.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let ticked_sql = if ticked.is_empty() { "FALSE".to_owned() } else { format!("position IN ({ticked})") };
    sqlx::query(&format!(
        "UPDATE requested_documents SET ticked = CASE WHEN {ticked_sql} THEN TRUE ELSE FALSE END WHERE dispute_id = $1"
    ))
    .bind(dispute)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// Marks the response submitted, with the key that makes a second sending of the same form a
/// no-op.
pub async fn mark_response_submitted(
    transaction: &mut Transaction<'_, Any>,
    response: i64,
    idempotency_key: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE responses SET state = 'submitted', submitted_at = $1, idempotency_key = $2 WHERE id = $3")
        .bind(now)
        .bind(idempotency_key)
        .bind(response)
        .execute(&mut **transaction)
        .await?;
    Ok(())
}
