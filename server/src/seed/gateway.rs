//! The demo's gateway API: a platform gateway key reaching every establishment (its secret is
//! random, printed with the report and kept with the activation codes, stored only hashed),
//! twelve installments with Plan Amex rates at every establishment, and Hôtel Rivage Nice as a
//! Payment Facilitator (its operations name their sub-merchant).

use super::SeedError;
use sqlx::AnyConnection;

/// Plan Amex rates of the demo (number of payments, basis points); other numbers are free.
const RATES: &[(i64, i64)] = &[(3, 0), (6, 250), (10, 450), (12, 590)];
/// The Payment Facilitator of the demo.
pub const FACILITATOR: &str = "9421000045";

/// Writes the key, the rates and the maximum installments; the key's secret.
pub async fn load(connection: &mut AnyConnection, admin_user_id: i64, now: i64) -> Result<String, SeedError> {
    let secret = app::api::keys::new_secret();
    sqlx::query(
        "INSERT INTO api_keys (organisation_id, name, key_prefix, key_hash, all_establishments, can_send, can_read, \
         created_by, created_at) VALUES (NULL, 'Demo gateway', $1, $2, TRUE, TRUE, TRUE, $3, $4)",
    )
    .bind(&secret.prefix)
    .bind(&secret.hash)
    .bind(admin_user_id)
    .bind(now)
    .execute(&mut *connection)
    .await?;
    sqlx::query("UPDATE establishments SET max_installments = 12").execute(&mut *connection).await?;
    sqlx::query("UPDATE establishments SET payment_facilitator = TRUE WHERE number = $1")
        .bind(FACILITATOR)
        .execute(&mut *connection)
        .await?;
    for (payments, rate) in RATES {
        sqlx::query(
            "INSERT INTO installment_rates (establishment_id, installments, rate_basis_points) \
             SELECT id, $1, $2 FROM establishments",
        )
        .bind(payments)
        .bind(rate)
        .execute(&mut *connection)
        .await?;
    }
    Ok(secret.secret)
}
