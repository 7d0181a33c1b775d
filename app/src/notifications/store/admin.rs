//! The administrator's delivery overview: counts by email state, failures, sending again.

use crate::db::Db;

/// An email given up on (the overview in `notifications::admin` lists them).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Failure {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub category: String,
    pub case_number: Option<String>,
    pub attempts: i64,
    pub last_error: String,
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct StateCount {
    email_state: String,
    n: i64,
}

/// `(email state, count)` for every state present, by state.
pub async fn count_by_email_state(db: &Db) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows: Vec<StateCount> = sqlx::query_as(
        "SELECT email_state, COUNT(*) AS n FROM notifications GROUP BY email_state ORDER BY email_state",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|row| (row.email_state, row.n)).collect())
}

/// The latest `limit` emails given up on, newest first.
pub async fn latest_failures(db: &Db, limit: i64) -> Result<Vec<Failure>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.id, u.username, u.email, n.category, d.case_number, n.attempts, COALESCE(n.last_error, '') AS last_error, \
                n.created_at \
         FROM notifications n JOIN users u ON u.id = n.user_id \
         JOIN notification_outbox o ON o.id = n.outbox_id LEFT JOIN disputes d ON d.id = o.dispute_id \
         WHERE n.email_state = 'failed' ORDER BY n.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

/// Puts failed email `id` back in the queue, due at `now`, with a fresh count of attempts;
/// `false` if it is not (or no longer) failed.
pub async fn requeue_failed(db: &Db, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE notifications SET email_state = 'pending', attempts = 0, next_attempt_at = $1 \
         WHERE id = $2 AND email_state = 'failed'",
    )
    .bind(now)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}
