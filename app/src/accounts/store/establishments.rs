//! An establishment's settings its managers change: online dispute management and business
//! details. Scope is checked by the caller (`Caller::establishment`).

use crate::db::Db;

/// Turns online dispute management on for `establishment_id`, counted from `now` unless it
/// already was.
pub async fn subscribe_to_disputes(db: &Db, establishment_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE establishments SET dispute_subscribed = TRUE, dispute_subscribed_at = COALESCE(dispute_subscribed_at, $2) WHERE id = $1",
    )
    .bind(establishment_id)
    .bind(now)
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// An establishment's address and phone number.
pub struct BusinessDetails<'a> {
    pub address_line: &'a str,
    pub postcode: &'a str,
    pub city: &'a str,
    pub phone: &'a str,
}

/// Saves the business details of `establishment_id`.
pub async fn save_business_details(
    db: &Db,
    establishment_id: i64,
    details: &BusinessDetails<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE establishments SET address_line = $2, postcode = $3, city = $4, phone = $5 WHERE id = $1")
        .bind(establishment_id)
        .bind(details.address_line)
        .bind(details.postcode)
        .bind(details.city)
        .bind(details.phone)
        .execute(&db.pool)
        .await
        .map(|_| ())
}
