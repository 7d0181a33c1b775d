//! Changes to a case's own row, each guarded by the version the change was decided on: its
//! status moved to the one the state machine gave (with its closing time, and for a request for
//! information a new reply-by date), or only its version (a draft's document removed). Each
//! answers whether the case still had that version; `false` means the form was stale.

use crate::disputes::state::Status;
use chrono::NaiveDate;
use sqlx::{Any, Transaction};

/// Sets the case's status (and `closed_at`), if it still has `version`. A new reply-by date
/// restarts the clock: the urgent window is not yet entered.
pub async fn set_status(
    transaction: &mut Transaction<'_, Any>,
    dispute: i64,
    version: i64,
    status: Status,
    closed_at: Option<i64>,
    new_reply_by: Option<NaiveDate>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let reply_by = if new_reply_by.is_some() { ", reply_by = $6, urgent_marked_at = NULL" } else { "" };
    let sql = format!(
        "UPDATE disputes SET status = $1, closed_at = $2, version = version + 1, updated_at = $3{reply_by} \
         WHERE id = $4 AND version = $5"
    );
    let mut update = sqlx::query(&sql).bind(status.as_str()).bind(closed_at).bind(now).bind(dispute).bind(version);
    if let Some(date) = new_reply_by {
        update = update.bind(date.to_string());
    }
    Ok(update.execute(&mut **transaction).await?.rows_affected() == 1)
}

/// Counts a change to the case that leaves its status as it is, if it still has `version`.
pub async fn bump_version(
    transaction: &mut Transaction<'_, Any>,
    dispute: i64,
    version: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let changed =
        sqlx::query("UPDATE disputes SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3")
            .bind(now)
            .bind(dispute)
            .bind(version)
            .execute(&mut **transaction)
            .await?;
    Ok(changed.rows_affected() == 1)
}
