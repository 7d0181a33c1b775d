//! From the outbox to one notification per recipient. An outbox row about an establishment
//! reaches that establishment's users and its organisation's headquarters users (who see every
//! case of the organisation), except the person who acted, those who switched the category off
//! and disabled accounts. Each recipient's row says whether an email is due now, gathered into
//! the daily digest, or not wanted (email not among their contact channels).
//!
//! Several instances may fan out at once: a row is taken by the one statement that still finds
//! it not fanned out, in the transaction that writes its notifications, and `(outbox_id,
//! user_id)` is unique besides.

use crate::db::Db;
use sqlx::Row;

/// How many outbox rows one pass takes at most.
pub const BATCH: i64 = 200;

/// The acting user named in an outbox row's payload (`{"actor_user_id":12}`).
fn actor(payload: &str) -> Option<i64> {
    serde_json::from_str::<serde_json::Value>(payload).ok()?.get("actor_user_id")?.as_i64()
}

/// Fans out up to [`BATCH`] waiting outbox rows; how many recipients' notifications it wrote.
pub async fn fan_out(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let waiting = sqlx::query(
        "SELECT id, category, establishment_id, payload FROM notification_outbox \
         WHERE fanned_out_at IS NULL AND category <> 'account' ORDER BY id LIMIT $1",
    )
    .bind(BATCH)
    .fetch_all(&db.pool)
    .await?;
    let mut written = 0;
    for row in waiting {
        let id: i64 = row.try_get("id")?;
        let category: String = row.try_get("category")?;
        let establishment: Option<i64> = row.try_get("establishment_id")?;
        let payload: String = row.try_get("payload")?;
        let mut transaction = db.write().await?;
        let taken =
            sqlx::query("UPDATE notification_outbox SET fanned_out_at = $1 WHERE id = $2 AND fanned_out_at IS NULL")
                .bind(now)
                .bind(id)
                .execute(&mut **transaction)
                .await?
                .rows_affected();
        if taken == 0 {
            continue; // another instance has it
        }
        if let Some(establishment) = establishment {
            written += sqlx::query(
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
            .bind(id)
            .bind(&category)
            .bind(now)
            .bind(actor(&payload).unwrap_or(0))
            .bind(establishment)
            .execute(&mut **transaction)
            .await?
            .rows_affected();
        }
        transaction.commit().await?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_actor_is_read_from_the_payload() {
        assert_eq!(actor(r#"{"actor_user_id":12}"#), Some(12));
        assert_eq!(actor("{}"), None);
        assert_eq!(actor("not json"), None);
    }
}
