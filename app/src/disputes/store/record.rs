//! What every change to a case writes beside it, in the caller's transaction: the timeline
//! event, the notification outbox row and, when money moves, the adjustment; the view of a
//! case, recorded at most once per user, case, document and hour; and the read of whether a
//! case's amount is debited now.

use crate::db::Db;
use crate::disputes::model::Actor;
use sqlx::{Any, Transaction};

/// Appends an event to the case's timeline: who (`actor`) did `action` at `now`.
pub async fn insert_event(
    transaction: &mut Transaction<'_, Any>,
    dispute: i64,
    actor: &Actor,
    now: i64,
    action: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_events (dispute_id, at, actor_user_id, actor_role, actor_scope, action, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(dispute)
    .bind(now)
    .bind(actor.user_id)
    .bind(&actor.role)
    .bind(&actor.scope)
    .bind(action)
    .bind(detail)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// The start of `now`'s clock hour: views are recorded once per hour.
fn hour_start(now: i64) -> i64 {
    now - now.rem_euclid(3600)
}

/// Whether the user already viewed the case (`detail`: a document's name, or empty for the page)
/// in the clock hour of `now`: read without the writer's turn, so that a case page seen again
/// writes nothing and waits for no writer.
pub async fn viewed_this_hour(db: &Db, dispute: i64, user: i64, now: i64, detail: &str) -> Result<bool, sqlx::Error> {
    let seen: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM case_events WHERE dispute_id = $1 AND actor_user_id = $2 AND action = 'viewed' \
         AND detail = $3 AND at >= $4 LIMIT 1",
    )
    .bind(dispute)
    .bind(user)
    .bind(detail)
    .bind(hour_start(now))
    .fetch_optional(&db.pool)
    .await?;
    Ok(seen.is_some())
}

/// Records that the actor viewed the case (`detail`: a document's name, or empty for the
/// page), unless they already did in this clock hour: one view event per user, case, document
/// and hour.
pub async fn record_view(
    transaction: &mut Transaction<'_, Any>,
    dispute: i64,
    actor: &Actor,
    now: i64,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_events (dispute_id, at, actor_user_id, actor_role, actor_scope, action, detail) \
         SELECT $1, $2, $3, $4, $5, 'viewed', $6 WHERE NOT EXISTS (SELECT 1 FROM case_events \
         WHERE dispute_id = $1 AND actor_user_id = $3 AND action = 'viewed' AND detail = $6 AND at >= $7)",
    )
    .bind(dispute)
    .bind(now)
    .bind(actor.user_id)
    .bind(&actor.role)
    .bind(&actor.scope)
    .bind(detail)
    .bind(hour_start(now))
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// Queues a notification (`category`: new_inquiry, new_chargeback, case_update, urgent_case)
/// about a case of `establishment`; its payload says who acted, so that they are not told of
/// their own change.
pub async fn insert_outbox(
    transaction: &mut Transaction<'_, Any>,
    category: &str,
    event: &str,
    establishment: i64,
    dispute: i64,
    actor: &Actor,
    now: i64,
) -> Result<(), sqlx::Error> {
    let payload = match actor.user_id {
        Some(user) => format!("{{\"actor_user_id\":{user}}}"),
        None => "{}".to_owned(),
    };
    sqlx::query(
        "INSERT INTO notification_outbox (category, event, organisation_id, establishment_id, dispute_id, payload, created_at) \
         VALUES ($1, $2, (SELECT organisation_id FROM establishments WHERE id = $3), $3, $4, $5, $6)",
    )
    .bind(category)
    .bind(event)
    .bind(establishment)
    .bind(dispute)
    .bind(payload)
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// A signed amount settled in the establishment's next payment (`kind`: chargeback,
/// chargeback_reversal, refund_accepted).
pub struct Adjustment<'a> {
    pub establishment: i64,
    pub dispute: i64,
    pub kind: &'a str,
    pub amount: i64,
    pub currency: &'a str,
    pub label: String,
}

/// Records an adjustment for the establishment's next payment.
pub async fn insert_adjustment(
    transaction: &mut Transaction<'_, Any>,
    adjustment: Adjustment<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO adjustments (establishment_id, dispute_id, kind, amount, currency, label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(adjustment.establishment)
    .bind(adjustment.dispute)
    .bind(adjustment.kind)
    .bind(adjustment.amount)
    .bind(adjustment.currency)
    .bind(adjustment.label)
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// Whether the case's amount is debited from the merchant now (a chargeback debit not credited
/// back): acceptance and decisions debit only a case that is not.
pub async fn is_debited(transaction: &mut Transaction<'_, Any>, dispute: i64) -> Result<bool, sqlx::Error> {
    let net: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM adjustments WHERE dispute_id = $1 \
         AND kind IN ('chargeback', 'chargeback_reversal')",
    )
    .bind(dispute)
    .fetch_one(&mut **transaction)
    .await?;
    Ok(net < 0)
}
