//! Payment notifications: a pending payment is announced once it is known, a paid one from its
//! payment date (within the last three days, so a worker that was down catches up), each once
//! per state whichever instance announces it (a unique index on the outbox).

use crate::db::Db;
use chrono::NaiveDate;

/// Writes the outbox rows of payments not yet announced in their current state; how many.
pub async fn announce(db: &Db, today: NaiveDate, now: i64) -> Result<u64, sqlx::Error> {
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
    .bind((today - chrono::Duration::days(3)).to_string())
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected())
}
