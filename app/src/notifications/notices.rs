//! Reading notifications with what they say about their case: for the emails the worker sends
//! and for the recipient's list in the app.

use crate::db::Db;
use crate::notifications::templates::CaseNotice;
use sqlx::Row;

/// A notification, its recipient and its case.
#[derive(Debug, Clone)]
pub struct Addressed {
    pub id: i64,
    pub attempts: i64,
    pub created_at: i64,
    pub read: bool,
    pub email: String,
    pub language: String,
    pub notice: CaseNotice,
}

const SELECT: &str = "SELECT n.id, n.attempts, n.created_at, CASE WHEN n.read_at IS NULL THEN 0 ELSE 1 END AS read, \
            u.email, u.language, o.category, o.event, d.case_number, d.stage, d.status, \
            d.reason_code, d.disputed_amount, d.currency, d.reply_by, t.card_masked, e.trading_name, e.number \
     FROM notifications n \
     JOIN users u ON u.id = n.user_id \
     JOIN notification_outbox o ON o.id = n.outbox_id \
     JOIN disputes d ON d.id = o.dispute_id \
     JOIN transactions t ON t.id = d.transaction_id \
     JOIN establishments e ON e.id = d.establishment_id";

fn addressed(row: &sqlx::any::AnyRow) -> Result<Addressed, sqlx::Error> {
    Ok(Addressed {
        id: row.try_get("id")?,
        attempts: row.try_get("attempts")?,
        created_at: row.try_get("created_at")?,
        read: row.try_get::<i64, _>("read")? == 1,
        email: row.try_get("email")?,
        language: row.try_get("language")?,
        notice: CaseNotice {
            category: row.try_get("category")?,
            event: row.try_get("event")?,
            case_number: row.try_get("case_number")?,
            stage: row.try_get("stage")?,
            status: row.try_get("status")?,
            reason_code: row.try_get("reason_code")?,
            amount: row.try_get("disputed_amount")?,
            currency: row.try_get("currency")?,
            reply_by: row.try_get("reply_by")?,
            card_masked: row.try_get("card_masked")?,
            establishment: row.try_get("trading_name")?,
            establishment_number: row.try_get("number")?,
        },
    })
}

/// The notifications of `ids` that name a case, oldest first.
pub async fn by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Addressed>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids are numbers read from the database, never user input.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let rows = sqlx::query(&format!("{SELECT} WHERE n.id IN ({list}) ORDER BY n.id")).fetch_all(&db.pool).await?;
    rows.iter().map(addressed).collect()
}

/// A user's latest `limit` notifications, newest first.
pub async fn latest_for(db: &Db, user: i64, limit: i64) -> Result<Vec<Addressed>, sqlx::Error> {
    let rows = sqlx::query(&format!("{SELECT} WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2"))
        .bind(user)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(addressed).collect()
}
