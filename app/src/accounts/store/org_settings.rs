//! The SQL of the organisation administrator's settings that are not user lists: who holds a
//! headquarters role (establishment memberships are for establishment users only), and the
//! organisation's dispute configuration with its audit trail and the notices it causes.

use super::onboarding as store_onboarding;
use crate::accounts::model::DisputeConfig;
use crate::db::Db;

/// Whether the user is an HQ user or an administrator of the organisation: such a user sees every
/// establishment through the organisation, and must not also hold establishment memberships
/// (they would answer as "establishment user" under the local configuration).
pub async fn holds_headquarters_role(db: &Db, user_id: i64, organisation_id: i64) -> Result<bool, sqlx::Error> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships WHERE user_id = $1 AND organisation_id = $2 \
             AND role IN ('hq_user', 'org_admin')",
    )
    .bind(user_id)
    .bind(organisation_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(count > 0)
}

/// One change of the dispute configuration, for the audit trail shown to the administrator.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConfigChange {
    pub changed_at: i64,
    pub username: String,
    pub from_config: String,
    pub to_config: String,
}

/// The organisation's dispute configuration now, and its latest changes (newest first).
pub async fn dispute_config(db: &Db, organisation_id: i64) -> Result<(String, Vec<ConfigChange>), sqlx::Error> {
    let current: String = sqlx::query_scalar("SELECT dispute_config FROM organisations WHERE id = $1")
        .bind(organisation_id)
        .fetch_one(&db.pool)
        .await?;
    let changes = sqlx::query_as(
        "SELECT c.changed_at, u.username, c.from_config, c.to_config FROM dispute_config_changes c \
         JOIN users u ON u.id = c.changed_by WHERE c.organisation_id = $1 ORDER BY c.changed_at DESC, c.id DESC LIMIT 20",
    )
    .bind(organisation_id)
    .fetch_all(&db.pool)
    .await?;
    Ok((current, changes))
}

/// Changes the organisation's dispute configuration, in one transaction with its audit row and
/// one outbox row (category `account`) for each of the organisation's active HQ users. Returns
/// whether it changed.
pub async fn change_dispute_config(
    db: &Db,
    organisation_id: i64,
    by: i64,
    to: DisputeConfig,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut transaction = db.write().await?;
    let Some(from) = store_onboarding::current_config(&mut transaction, organisation_id).await? else {
        return Ok(false);
    };
    if !store_onboarding::set_config(&mut transaction, organisation_id, by, from, to, now).await? {
        return Ok(false);
    }
    // The email names who made the change as the audit trail shows them.
    let actor: String =
        sqlx::query_scalar("SELECT username FROM users WHERE id = $1").bind(by).fetch_one(&mut **transaction).await?;
    let payload = serde_json::json!({ "actor_user_id": by, "actor": actor, "from": from.as_str(), "to": to.as_str() })
        .to_string();
    sqlx::query(
        "INSERT INTO notification_outbox (category, event, organisation_id, user_id, payload, created_at) \
         SELECT 'account', 'dispute_config_changed', m.organisation_id, m.user_id, $2, $3 \
         FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.organisation_id = $1 AND m.role = 'hq_user' AND u.disabled_at IS NULL",
    )
    .bind(organisation_id)
    .bind(payload)
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    transaction.commit().await?;
    Ok(true)
}
