//! Reading notifications joined to their recipient and to the case, payment or organisation
//! setting they are about, as [`Addressed`] notifications.

use super::id_list;
use crate::db::Db;
use crate::notifications::notices::{About, Addressed};
use crate::notifications::templates::{AccountNotice, CaseNotice, MessageNotice, PaymentNotice};

const ADDRESSED: &str =
    "SELECT n.id, n.attempts, n.created_at, CASE WHEN n.read_at IS NULL THEN 0 ELSE 1 END AS read, \
            u.email, u.language, o.category, o.event, d.case_number, d.stage, d.status, \
            d.reason_code, d.disputed_amount, d.currency, d.reply_by, t.card_masked, \
            p.reference AS payment_reference, p.payment_date, p.net_amount, p.currency AS payment_currency, \
            e.trading_name, e.number, g.name AS organisation_name, o.payload \
     FROM notifications n \
     JOIN users u ON u.id = n.user_id \
     JOIN notification_outbox o ON o.id = n.outbox_id \
     LEFT JOIN establishments e ON e.id = o.establishment_id \
     LEFT JOIN organisations g ON g.id = o.organisation_id \
     LEFT JOIN disputes d ON d.id = o.dispute_id \
     LEFT JOIN transactions t ON t.id = d.transaction_id \
     LEFT JOIN payments p ON p.id = o.payment_id";

/// A notification joined to its recipient and to the case or payment it is about (the other's
/// columns are NULL).
#[derive(sqlx::FromRow)]
struct AddressedRow {
    id: i64,
    attempts: i64,
    created_at: i64,
    read: i64,
    email: String,
    language: String,
    category: String,
    event: String,
    case_number: Option<String>,
    stage: Option<String>,
    status: Option<String>,
    reason_code: Option<String>,
    disputed_amount: Option<i64>,
    currency: Option<String>,
    reply_by: Option<String>,
    card_masked: Option<String>,
    payment_reference: Option<String>,
    payment_date: Option<String>,
    net_amount: Option<i64>,
    payment_currency: Option<String>,
    trading_name: Option<String>,
    number: Option<String>,
    organisation_name: Option<String>,
    payload: String,
}

/// Why a row is not an [`Addressed`] notification.
enum Unaddressed {
    /// It names neither a case, a payment nor an account event: skipped.
    NoSubject,
    /// A column its subject needs is NULL: an error, as decoding it directly would be.
    Null(&'static str),
}

/// The value of a column its subject needs.
fn needed<T>(value: Option<T>, column: &'static str) -> Result<T, Unaddressed> {
    value.ok_or(Unaddressed::Null(column))
}

impl TryFrom<AddressedRow> for Addressed {
    type Error = Unaddressed;

    fn try_from(row: AddressedRow) -> Result<Addressed, Unaddressed> {
        let about = if let Some(case_number) = row.case_number {
            About::Case(CaseNotice {
                category: row.category,
                event: row.event,
                case_number,
                stage: needed(row.stage, "stage")?,
                status: needed(row.status, "status")?,
                reason_code: needed(row.reason_code, "reason_code")?,
                amount: needed(row.disputed_amount, "disputed_amount")?,
                currency: needed(row.currency, "currency")?,
                reply_by: needed(row.reply_by, "reply_by")?,
                card_masked: needed(row.card_masked, "card_masked")?,
                establishment: needed(row.trading_name, "trading_name")?,
                establishment_number: needed(row.number, "number")?,
            })
        } else if let Some(reference) = row.payment_reference {
            About::Payment(PaymentNotice {
                event: row.event,
                reference,
                payment_date: needed(row.payment_date, "payment_date")?,
                net_amount: needed(row.net_amount, "net_amount")?,
                currency: needed(row.payment_currency, "payment_currency")?,
                establishment: needed(row.trading_name, "trading_name")?,
                establishment_number: needed(row.number, "number")?,
            })
        } else if row.category == "account" && row.event == "message_reply" {
            let payload: serde_json::Value = serde_json::from_str(&row.payload).unwrap_or_default();
            let thread_id = payload.get("thread_id").and_then(|value| value.as_i64()).ok_or(Unaddressed::NoSubject)?;
            About::Message(MessageNotice { thread_id })
        } else if row.category == "account" {
            let payload: serde_json::Value = serde_json::from_str(&row.payload).unwrap_or_default();
            let field = |name: &str| payload.get(name).and_then(|value| value.as_str()).unwrap_or_default().to_owned();
            About::Account(AccountNotice {
                event: row.event,
                organisation: needed(row.organisation_name, "organisation_name")?,
                actor: field("actor"),
                from: field("from"),
                to: field("to"),
            })
        } else {
            return Err(Unaddressed::NoSubject);
        };
        Ok(Addressed {
            id: row.id,
            attempts: row.attempts,
            created_at: row.created_at,
            read: row.read == 1,
            email: row.email,
            language: row.language,
            about,
        })
    }
}

/// The rows' notifications, leaving out those about nothing this version knows.
fn addressed(rows: Vec<AddressedRow>) -> Result<Vec<Addressed>, sqlx::Error> {
    let mut notifications = Vec::with_capacity(rows.len());
    for row in rows {
        match Addressed::try_from(row) {
            Ok(notification) => notifications.push(notification),
            Err(Unaddressed::NoSubject) => {}
            Err(Unaddressed::Null(column)) => {
                return Err(sqlx::Error::ColumnDecode {
                    index: format!("{column:?}"),
                    source: Box::new(sqlx::error::UnexpectedNullError),
                })
            }
        }
    }
    Ok(notifications)
}

/// The notifications of `ids`, oldest first.
pub async fn addressed_by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Addressed>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("{ADDRESSED} WHERE n.id IN ({}) ORDER BY n.id", id_list(ids));
    addressed(sqlx::query_as(&sql).fetch_all(&db.pool).await?)
}

/// A user's latest `limit` notifications, newest first.
pub async fn latest_for_user(db: &Db, user: i64, limit: i64) -> Result<Vec<Addressed>, sqlx::Error> {
    let sql = format!("{ADDRESSED} WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2");
    addressed(sqlx::query_as(&sql).bind(user).bind(limit).fetch_all(&db.pool).await?)
}
