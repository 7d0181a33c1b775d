//! What every change to a case writes beside it, in the same transaction: the timeline event
//! (who, in which role, for which establishment or headquarters), the notification outbox row
//! and, when money moves, the adjustment.

use crate::accounts::caller::Caller;
use crate::accounts::model::UserKind;
use sqlx::{Any, Transaction};

/// Who acts on a case, as the timeline records them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `None`: the portal itself (deadline worker).
    pub user_id: Option<i64>,
    /// `establishment_user`, `hq_user`, `org_admin`, `dispute_analyst` or `system`.
    pub role: String,
    /// The establishment's number, `HQ`, `network` or `system`.
    pub scope: String,
}

impl Actor {
    pub fn system() -> Actor {
        Actor { user_id: None, role: "system".into(), scope: "system".into() }
    }

    /// The caller acting on a case of `establishment` (its number): as one of its own users, or
    /// from headquarters, or as the network's staff.
    pub fn of(caller: &Caller, establishment_id: i64, establishment_number: &str) -> Actor {
        if caller.kind != UserKind::Merchant {
            return Actor { user_id: Some(caller.user_id), role: caller.kind.as_str().into(), scope: "network".into() };
        }
        let scope = caller.establishments.iter().find(|scope| scope.id == establishment_id);
        match scope.and_then(|scope| if scope.own { None } else { scope.headquarters }) {
            Some(role) => Actor { user_id: Some(caller.user_id), role: role.as_str().into(), scope: "HQ".into() },
            None => Actor {
                user_id: Some(caller.user_id),
                role: "establishment_user".into(),
                scope: establishment_number.to_owned(),
            },
        }
    }
}

/// Appends an event to the case's timeline.
pub async fn event(
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

/// Queues a notification (`category`: new_inquiry, new_chargeback, case_update, urgent_case)
/// about a case of `establishment`; `payload` says who acted, so that they are not told of
/// their own change.
pub async fn outbox(
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

pub async fn adjustment(
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
