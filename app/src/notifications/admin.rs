//! What a platform administrator sees of email delivery: how many notifications are in each
//! state, and the emails that failed for good (recipient, case, attempts, last error), each of
//! which can be sent again.

use crate::accounts::caller::Caller;
use crate::accounts::model::UserKind;
use crate::db::Db;
use crate::AppError;
use sqlx::Row;

/// Only platform administrators; everyone else is told the page does not exist.
pub fn require_admin(caller: &Caller) -> Result<(), AppError> {
    if caller.kind == UserKind::PlatformAdmin {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// An email given up on.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// The delivery overview.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overview {
    /// `(state, count)` for every state present.
    pub states: Vec<(String, i64)>,
    /// The latest 100 failures, newest first.
    pub failures: Vec<Failure>,
}

pub async fn overview(db: &Db) -> Result<Overview, sqlx::Error> {
    let states =
        sqlx::query("SELECT email_state, COUNT(*) AS n FROM notifications GROUP BY email_state ORDER BY email_state")
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(|row| Ok((row.try_get("email_state")?, row.try_get("n")?)))
            .collect::<Result<_, sqlx::Error>>()?;
    let failures = sqlx::query(
        "SELECT n.id, u.username, u.email, n.category, d.case_number, n.attempts, COALESCE(n.last_error, '') AS last_error, \
                n.created_at \
         FROM notifications n JOIN users u ON u.id = n.user_id \
         JOIN notification_outbox o ON o.id = n.outbox_id LEFT JOIN disputes d ON d.id = o.dispute_id \
         WHERE n.email_state = 'failed' ORDER BY n.id DESC LIMIT 100",
    )
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|row| {
        Ok(Failure {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            email: row.try_get("email")?,
            category: row.try_get("category")?,
            case_number: row.try_get("case_number")?,
            attempts: row.try_get("attempts")?,
            last_error: row.try_get("last_error")?,
            created_at: row.try_get("created_at")?,
        })
    })
    .collect::<Result<_, sqlx::Error>>()?;
    Ok(Overview { states, failures })
}

/// Puts a failed email back in the queue, due now, with a fresh count of attempts; `false` if
/// it is not (or no longer) failed.
pub async fn send_again(db: &Db, id: i64, now: i64) -> Result<bool, sqlx::Error> {
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
