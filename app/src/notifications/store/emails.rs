//! The emails' claims (leased rows) and attempts: one notification's email at a time, or a
//! user's daily digest at once.

use super::id_list;
use crate::db::{Db, Engine};
use chrono::NaiveDate;

/// Claims up to `limit` due emails (pending and due at `now`, or `sending` with a lease that
/// ended before `now`): each becomes `sending` until `claimed_until`, its attempts counted one
/// more. On PostgreSQL rows another instance is claiming are skipped, not waited for. The ids.
pub async fn claim_due_emails(db: &Db, now: i64, claimed_until: i64, limit: i64) -> Result<Vec<i64>, sqlx::Error> {
    let lock = if db.engine == Engine::Postgres { "FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE notifications SET email_state = 'sending', claimed_until = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM notifications \
                      WHERE (email_state = 'pending' AND next_attempt_at <= $2) \
                         OR (email_state = 'sending' AND claimed_until < $2) \
                      ORDER BY next_attempt_at, id LIMIT $3 {lock}) \
         RETURNING id"
    );
    sqlx::query_scalar(&sql).bind(claimed_until).bind(now).bind(limit).fetch_all(&db.pool).await
}

/// Marks the emails of `ids` failed for good, with `reason` as their last error.
pub async fn fail_emails(db: &Db, ids: &[i64], reason: &str, now: i64) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE notifications SET email_state = 'failed', claimed_until = NULL, next_attempt_at = $1, \
                last_error = $2 WHERE id IN ({})",
        id_list(ids)
    );
    sqlx::query(&sql).bind(now).bind(reason).execute(&db.pool).await?;
    Ok(())
}

/// One attempt to send a notification's email, and where it leaves the notification.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    pub notification: i64,
    pub at: i64,
    /// `None` when the email was sent.
    pub error: Option<&'a str>,
    /// `sent`, `pending` (tried again) or `failed`.
    pub state: &'a str,
    pub next_attempt_at: i64,
    pub message_id: &'a str,
}

/// Records `attempt` and moves its notification on, in one transaction; a notification no longer
/// `sending` (another instance took it after the lease ended) keeps its state.
pub async fn record_attempt(db: &Db, attempt: &Attempt<'_>) -> Result<(), sqlx::Error> {
    let mut transaction = db.write().await?;
    let succeeded = if attempt.error.is_none() { "TRUE" } else { "FALSE" };
    sqlx::query(&format!(
        "INSERT INTO notification_attempts (notification_id, attempted_at, succeeded, error) VALUES ($1, $2, {succeeded}, $3)"
    ))
    .bind(attempt.notification)
    .bind(attempt.at)
    .bind(attempt.error)
    .execute(&mut **transaction)
    .await?;
    sqlx::query(
        "UPDATE notifications SET email_state = $1, next_attempt_at = $2, claimed_until = NULL, last_error = $3, \
                message_id = $4, sent_at = COALESCE($5, sent_at) \
         WHERE id = $6 AND email_state = 'sending'",
    )
    .bind(attempt.state)
    .bind(attempt.next_attempt_at)
    .bind(attempt.error)
    .bind(attempt.message_id)
    .bind(attempt.error.is_none().then_some(attempt.at))
    .bind(attempt.notification)
    .execute(&mut **transaction)
    .await?;
    transaction.commit().await
}

/// The users with notifications waiting for their digest whose digest has not gone out on
/// `today` (a Paris date) yet.
pub async fn users_awaiting_digest(db: &Db, today: NaiveDate) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT n.user_id FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE n.email_state = 'digest' AND (u.digest_sent_on IS NULL OR u.digest_sent_on < $1)",
    )
    .bind(today.to_string())
    .fetch_all(&db.pool)
    .await
}

/// Claims all of `user`'s notifications waiting for the digest, in one statement (so two
/// instances cannot both claim one): `sending` until `claimed_until`; none when the user's
/// digest already went out on `today`. The ids.
pub async fn claim_digest(db: &Db, user: i64, today: NaiveDate, claimed_until: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE notifications SET email_state = 'sending', claimed_until = $1, attempts = attempts + 1 \
         WHERE user_id = $2 AND email_state = 'digest' \
           AND user_id IN (SELECT id FROM users WHERE id = $2 AND (digest_sent_on IS NULL OR digest_sent_on < $3)) \
         RETURNING id",
    )
    .bind(claimed_until)
    .bind(user)
    .bind(today.to_string())
    .fetch_all(&db.pool)
    .await
}

/// Records one digest's attempt for each of its notifications `ids` and moves them to `state`
/// (`sent`, or back to `digest` for the next run), in one transaction; a digest sent marks
/// `today` as its user's digest day (the next one waits for tomorrow).
pub async fn record_digest_attempt(
    db: &Db,
    (user, today): (i64, NaiveDate),
    ids: &[i64],
    at: i64,
    error: Option<&str>,
    state: &str,
    message_id: &str,
) -> Result<(), sqlx::Error> {
    let list = id_list(ids);
    let mut transaction = db.write().await?;
    let succeeded = if error.is_none() { "TRUE" } else { "FALSE" };
    sqlx::query(&format!(
        "INSERT INTO notification_attempts (notification_id, attempted_at, succeeded, error) \
         SELECT id, $1, {succeeded}, $2 FROM notifications WHERE id IN ({list})"
    ))
    .bind(at)
    .bind(error)
    .execute(&mut **transaction)
    .await?;
    sqlx::query(&format!(
        "UPDATE notifications SET email_state = $1, claimed_until = NULL, last_error = $2, message_id = $3, \
                sent_at = $4 WHERE id IN ({list}) AND email_state = 'sending'"
    ))
    .bind(state)
    .bind(error)
    .bind(message_id)
    .bind(error.is_none().then_some(at))
    .execute(&mut **transaction)
    .await?;
    if error.is_none() {
        sqlx::query("UPDATE users SET digest_sent_on = $2 WHERE id = $1")
            .bind(user)
            .bind(today.to_string())
            .execute(&mut **transaction)
            .await?;
    }
    transaction.commit().await
}
