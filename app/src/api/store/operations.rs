//! Operations: writing one, reading one in a key's scope, and the guarded updates of an
//! authorisation's or capture's running totals (each checks its rule in its own `WHERE`, so two
//! concurrent captures of one authorisation cannot both pass).

use super::flag;
use crate::db::{Db, Write};

/// An operation as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OperationRow {
    pub id: i64,
    pub establishment_id: i64,
    pub establishment_number: String,
    pub organisation_id: i64,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub status: String,
    pub decline_reason: Option<String>,
    pub authorization_code: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub captured: i64,
    pub refunded: i64,
    pub cancelled: i64,
    pub card_masked: Option<String>,
    pub card_last4: Option<String>,
    pub card_expiry: Option<String>,
    pub merchant_reference: String,
    pub details: String,
    pub transaction_id: Option<i64>,
    pub created_at: i64,
}

fn select() -> String {
    format!(
        "SELECT o.id, o.establishment_id, e.number AS establishment_number, e.organisation_id, o.kind, o.parent_id, \
         o.status, o.decline_reason, o.authorization_code, o.amount, o.currency, o.captured, o.refunded, {}, \
         o.card_masked, o.card_last4, o.card_expiry, o.merchant_reference, o.details, o.transaction_id, o.created_at \
         FROM api_operations o JOIN establishments e ON e.id = o.establishment_id",
        flag!("o.cancelled", "cancelled")
    )
}

/// The operation `id` (the caller checks that its key reaches the establishment).
pub async fn operation_by_id(db: &Db, id: i64) -> Result<Option<OperationRow>, sqlx::Error> {
    sqlx::query_as(&format!("{} WHERE o.id = $1", select())).bind(id).fetch_optional(&db.pool).await
}

/// The operation `id`, read inside a write transaction (its totals as of now).
pub async fn operation_in(write: &mut Write, id: i64) -> Result<Option<OperationRow>, sqlx::Error> {
    sqlx::query_as(&format!("{} WHERE o.id = $1", select())).bind(id).fetch_optional(&mut ***write).await
}

/// An operation to write.
pub struct NewOperation<'a> {
    pub key_id: i64,
    pub establishment_id: i64,
    pub kind: &'a str,
    pub parent_id: Option<i64>,
    pub approved: bool,
    pub decline_reason: Option<&'a str>,
    pub authorization_code: Option<&'a str>,
    pub amount: i64,
    pub currency: &'a str,
    /// Its own amount for a capture; what an authorisation with capture took.
    pub captured: i64,
    pub card: Option<(&'a str, &'a str, &'a str, &'a str)>,
    pub merchant_reference: &'a str,
    pub details: &'a str,
    pub now: i64,
}

impl NewOperation<'_> {
    /// The operation as stored once written with `id` at `establishment` (it has no refund,
    /// no cancellation and no transaction yet), without reading it back.
    pub fn written(&self, id: i64, establishment: &super::establishments::EstablishmentRow) -> OperationRow {
        let (masked, last4, expiry) = match self.card {
            Some((masked, last4, expiry, _token)) => (Some(masked), Some(last4), Some(expiry)),
            None => (None, None, None),
        };
        OperationRow {
            id,
            establishment_id: self.establishment_id,
            establishment_number: establishment.number.clone(),
            organisation_id: establishment.organisation_id,
            kind: self.kind.to_owned(),
            parent_id: self.parent_id,
            status: self.status().to_owned(),
            decline_reason: self.decline_reason.map(str::to_owned),
            authorization_code: self.authorization_code.map(str::to_owned),
            amount: self.amount,
            currency: self.currency.to_owned(),
            captured: self.captured,
            refunded: 0,
            cancelled: 0,
            card_masked: masked.map(str::to_owned),
            card_last4: last4.map(str::to_owned),
            card_expiry: expiry.map(str::to_owned),
            merchant_reference: self.merchant_reference.to_owned(),
            details: self.details.to_owned(),
            transaction_id: None,
            created_at: self.now,
        }
    }

    fn status(&self) -> &'static str {
        if self.approved {
            "approved"
        } else {
            "declined"
        }
    }
}

/// Writes an operation; its id.
pub async fn insert_operation(write: &mut Write, op: &NewOperation<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO api_operations (key_id, establishment_id, kind, parent_id, status, decline_reason, \
         authorization_code, amount, currency, captured, card_masked, card_last4, card_expiry, card_token, \
         merchant_reference, details, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
    )
    .bind(op.key_id)
    .bind(op.establishment_id)
    .bind(op.kind)
    .bind(op.parent_id)
    .bind(op.status())
    .bind(op.decline_reason)
    .bind(op.authorization_code)
    .bind(op.amount)
    .bind(op.currency)
    .bind(op.captured)
    .bind(op.card.map(|c| c.0))
    .bind(op.card.map(|c| c.1))
    .bind(op.card.map(|c| c.2))
    .bind(op.card.map(|c| c.3))
    .bind(op.merchant_reference)
    .bind(op.details)
    .bind(op.now)
    .fetch_one(&mut ***write)
    .await
}

/// Links an operation to the transaction it wrote.
pub async fn set_transaction(write: &mut Write, id: i64, transaction_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_operations SET transaction_id = $2 WHERE id = $1")
        .bind(id)
        .bind(transaction_id)
        .execute(&mut ***write)
        .await
        .map(|_| ())
}

/// Captures `amount` of the approved authorisation `id`: only once, never above what it
/// authorised, never once cancelled. `false` when the rule refused.
pub async fn take_capture(write: &mut Write, id: i64, amount: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE api_operations SET captured = $2 WHERE id = $1 AND captured = 0 AND NOT cancelled AND $2 <= amount",
    )
    .bind(id)
    .bind(amount)
    .execute(&mut ***write)
    .await?
    .rows_affected();
    Ok(done == 1)
}

/// Refunds `amount` of the capture `id`: never more than captured in total, never once
/// cancelled. `false` when the rule refused.
pub async fn take_refund(write: &mut Write, id: i64, amount: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE api_operations SET refunded = refunded + $2 WHERE id = $1 AND NOT cancelled AND refunded + $2 <= captured",
    )
    .bind(id)
    .bind(amount)
    .execute(&mut ***write)
    .await?
    .rows_affected();
    Ok(done == 1)
}

/// Cancels the operation `id`: an authorisation not captured, or a capture not refunded, not
/// already cancelled. `false` when the rule refused.
pub async fn take_cancellation(write: &mut Write, id: i64, capture: bool) -> Result<bool, sqlx::Error> {
    let rule = if capture { "refunded = 0" } else { "captured = 0" };
    let done =
        sqlx::query(&format!("UPDATE api_operations SET cancelled = TRUE WHERE id = $1 AND NOT cancelled AND {rule}"))
            .bind(id)
            .execute(&mut ***write)
            .await?
            .rows_affected();
    Ok(done == 1)
}
