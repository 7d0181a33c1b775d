//! The outbox: fanning its rows out to recipients' notifications, and the payment
//! announcements written to it.

use crate::db::Db;
use chrono::NaiveDate;

/// An outbox row not yet fanned out.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Waiting {
    pub id: i64,
    pub category: String,
    pub establishment_id: Option<i64>,
    /// The one recipient of an account notice (category `account`).
    pub user_id: Option<i64>,
    /// JSON, e.g. `{"actor_user_id":12}`.
    pub payload: String,
}

/// Up to `limit` outbox rows waiting to be fanned out, oldest first.
pub async fn waiting_outbox(db: &Db, limit: i64) -> Result<Vec<Waiting>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, category, establishment_id, user_id, payload FROM notification_outbox \
         WHERE fanned_out_at IS NULL ORDER BY id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

/// Takes outbox row `waiting` and, in the same transaction, writes one notification for each of
/// its recipients except `actor`: the users of its establishment and its organisation's
/// headquarters users, neither disabled nor having switched the category off; each recipient's
/// email is due now, gathered into the digest, or off (email not among their contact channels).
/// An account notice goes to its one user, if not disabled, by email whatever their preferences.
/// `None` when another instance took the row first; otherwise how many notifications were written.
pub async fn fan_out_to_recipients(
    db: &Db,
    waiting: &Waiting,
    actor: i64,
    now: i64,
) -> Result<Option<u64>, sqlx::Error> {
    let mut transaction = db.write().await?;
    let taken =
        sqlx::query("UPDATE notification_outbox SET fanned_out_at = $1 WHERE id = $2 AND fanned_out_at IS NULL")
            .bind(now)
            .bind(waiting.id)
            .execute(&mut **transaction)
            .await?
            .rows_affected();
    if taken == 0 {
        return Ok(None);
    }
    let mut written = 0;
    if let Some(establishment) = waiting.establishment_id {
        written = sqlx::query(
            "INSERT INTO notifications (outbox_id, user_id, category, created_at, email_state, next_attempt_at) \
             SELECT $1, u.id, $2, $3, \
                    CASE WHEN NOT u.comm_email THEN 'off' \
                         WHEN COALESCE(p.daily_digest, FALSE) THEN 'digest' ELSE 'pending' END, $3 \
             FROM users u \
             LEFT JOIN notification_preferences p ON p.user_id = u.id AND p.category = $2 \
             WHERE u.disabled_at IS NULL AND u.id <> $4 AND COALESCE(p.enabled, TRUE) \
               AND EXISTS (SELECT 1 FROM memberships m JOIN establishments e ON e.id = $5 \
                           WHERE m.user_id = u.id AND (m.establishment_id = e.id \
                              OR (m.establishment_id IS NULL AND m.organisation_id = e.organisation_id))) \
             ON CONFLICT (outbox_id, user_id) DO NOTHING",
        )
        .bind(waiting.id)
        .bind(&waiting.category)
        .bind(now)
        .bind(actor)
        .bind(establishment)
        .execute(&mut **transaction)
        .await?
        .rows_affected();
    } else if let Some(user) = waiting.user_id.filter(|_| waiting.category == "account") {
        written = sqlx::query(
            "INSERT INTO notifications (outbox_id, user_id, category, created_at, email_state, next_attempt_at) \
             SELECT $1, u.id, 'account', $2, 'pending', $2 FROM users u WHERE u.id = $3 AND u.disabled_at IS NULL \
             ON CONFLICT (outbox_id, user_id) DO NOTHING",
        )
        .bind(waiting.id)
        .bind(now)
        .bind(user)
        .execute(&mut **transaction)
        .await?
        .rows_affected();
    }
    transaction.commit().await?;
    Ok(Some(written))
}

/// Writes the outbox rows of payments not yet announced in their current state: pending ones
/// dated from `today`, paid ones dated from `paid_since` to `today`. At most one row per payment
/// and state, whichever instance writes it (a unique index); how many were written.
pub async fn announce_payments(db: &Db, today: NaiveDate, paid_since: NaiveDate, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO notification_outbox (category, event, organisation_id, establishment_id, payment_id, payload, created_at) \
         SELECT 'payments', p.status, e.organisation_id, p.establishment_id, p.id, '{}', $1 \
         FROM payments p JOIN establishments e ON e.id = p.establishment_id \
         WHERE ((p.status = 'pending' AND p.payment_date >= $2) \
             OR (p.status = 'paid' AND p.payment_date <= $3 AND p.payment_date >= $4)) \
           AND NOT EXISTS (SELECT 1 FROM notification_outbox o WHERE o.payment_id = p.id AND o.event = p.status) \
         ON CONFLICT DO NOTHING",
    )
    .bind(now)
    .bind(today.to_string())
    .bind(today.to_string())
    .bind(paid_since.to_string())
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected())
}
