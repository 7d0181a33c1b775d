//! Establishments as operations see them (found by number), and their Plan Amex rates.

use super::flag;
use crate::db::Db;

/// What an operation needs of its establishment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EstablishmentRow {
    pub id: i64,
    pub organisation_id: i64,
    pub number: String,
    /// The settlement currency.
    pub currency: String,
    pub pricing: String,
    pub max_installments: i64,
    pub payment_facilitator: i64,
}

const COLUMNS: &str = "id, organisation_id, number, currency, pricing, max_installments";

/// The establishment with this number, if any (the caller checks that its key reaches it).
pub async fn establishment_by_number(db: &Db, number: &str) -> Result<Option<EstablishmentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS}, {} FROM establishments WHERE number = $1",
        flag!("payment_facilitator", "payment_facilitator")
    ))
    .bind(number)
    .fetch_optional(&db.pool)
    .await
}

/// The establishment with this id.
pub async fn establishment_by_id(db: &Db, id: i64) -> Result<Option<EstablishmentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS}, {} FROM establishments WHERE id = $1",
        flag!("payment_facilitator", "payment_facilitator")
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// The establishment's rate for a plan of `payments` payments, in basis points (no row: 0).
pub async fn installment_rate(db: &Db, establishment_id: i64, payments: i64) -> Result<i64, sqlx::Error> {
    let rate: Option<i64> = sqlx::query_scalar(
        "SELECT rate_basis_points FROM installment_rates WHERE establishment_id = $1 AND installments = $2",
    )
    .bind(establishment_id)
    .bind(payments)
    .fetch_optional(&db.pool)
    .await?;
    Ok(rate.unwrap_or(0))
}

/// Establishments of an organisation (every one for `None`), as (id, number, trading name):
/// the choices of the key forms.
pub async fn establishments_of(
    db: &Db,
    organisation_id: Option<i64>,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, number, trading_name FROM establishments WHERE ($1 IS NULL OR organisation_id = $1) ORDER BY number",
    )
    .bind(organisation_id)
    .fetch_all(&db.pool)
    .await
}
