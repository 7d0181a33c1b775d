//! The SQL of onboarding by the platform: organisations and their establishments as the platform
//! administrator lists, creates and edits them, and disabling a user. Rows are decoded by
//! `sqlx::FromRow`; only platform administrators reach these (checked by the handlers and pages).

use crate::accounts::model::DisputeConfig;
use crate::accounts::onboarding::{EstablishmentInput, OrganisationInput};
use crate::db::{Db, Write};
use sqlx::{Any, Transaction};

/// An organisation in the platform's list.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrganisationRow {
    pub id: i64,
    pub name: String,
    pub dispute_config: String,
    pub establishments: i64,
}

/// An establishment as the platform administrator edits it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EstablishmentRow {
    pub id: i64,
    pub organisation_id: i64,
    pub number: String,
    pub trading_name: String,
    pub address_line: String,
    pub postcode: String,
    pub city: String,
    pub currency: String,
    pub pricing: String,
    pub contract_anniversary: String,
    pub max_installments: i64,
    pub activation_code_expires_at: Option<i64>,
    pub activation_code_used_at: Option<i64>,
    pub payment_facilitator: i64,
    /// Its Plan Amex rates (read by [`find_establishment`] only).
    #[sqlx(skip)]
    pub installment_rates: Vec<(i64, i64)>,
}

const ORGANISATION: &str = "SELECT o.id, o.name, o.dispute_config, \
     (SELECT COUNT(*) FROM establishments e WHERE e.organisation_id = o.id) AS establishments FROM organisations o";
const ESTABLISHMENT: &str = "SELECT id, organisation_id, number, trading_name, address_line, postcode, city, \
     currency, pricing, contract_anniversary, max_installments, activation_code_expires_at, activation_code_used_at, \
     CASE WHEN payment_facilitator THEN 1 ELSE 0 END AS payment_facilitator FROM establishments";

pub async fn list_organisations(db: &Db) -> Result<Vec<OrganisationRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ORGANISATION} ORDER BY o.name, o.id")).fetch_all(&db.pool).await
}

pub async fn find_organisation(db: &Db, id: i64) -> Result<Option<OrganisationRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ORGANISATION} WHERE o.id = $1")).bind(id).fetch_optional(&db.pool).await
}

pub async fn create_organisation(db: &Db, input: &OrganisationInput, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO organisations (name, dispute_config, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(&input.name)
        .bind(input.dispute_config.as_str())
        .bind(now)
        .fetch_one(&db.pool)
        .await
}

/// Renames an organisation and sets its configuration; a changed configuration is recorded in
/// the audit trail as made by `by`. False when there is no such organisation.
pub async fn update_organisation(
    db: &Db,
    id: i64,
    input: &OrganisationInput,
    by: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut transaction = db.write().await?;
    let Some(from) = current_config(&mut transaction, id).await? else {
        return Ok(false);
    };
    sqlx::query("UPDATE organisations SET name = $2 WHERE id = $1")
        .bind(id)
        .bind(&input.name)
        .execute(&mut **transaction)
        .await?;
    set_config(&mut transaction, id, by, from, input.dispute_config, now).await?;
    transaction.commit().await?;
    Ok(true)
}

/// The organisation's configuration, read inside a write transaction.
pub async fn current_config(
    transaction: &mut Transaction<'_, Any>,
    id: i64,
) -> Result<Option<DisputeConfig>, sqlx::Error> {
    let config: Option<String> = sqlx::query_scalar("SELECT dispute_config FROM organisations WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **transaction)
        .await?;
    Ok(config.as_deref().and_then(DisputeConfig::parse))
}

/// Sets the configuration and, when it changes, writes the audit row (who, when, from, to).
/// Returns whether it changed.
pub async fn set_config(
    transaction: &mut Transaction<'_, Any>,
    id: i64,
    by: i64,
    from: DisputeConfig,
    to: DisputeConfig,
    now: i64,
) -> Result<bool, sqlx::Error> {
    if from == to {
        return Ok(false);
    }
    sqlx::query("UPDATE organisations SET dispute_config = $2 WHERE id = $1")
        .bind(id)
        .bind(to.as_str())
        .execute(&mut **transaction)
        .await?;
    sqlx::query(
        "INSERT INTO dispute_config_changes (organisation_id, changed_by, changed_at, from_config, to_config) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(by)
    .bind(now)
    .bind(from.as_str())
    .bind(to.as_str())
    .execute(&mut **transaction)
    .await?;
    Ok(true)
}

pub async fn list_establishments(db: &Db, organisation_id: i64) -> Result<Vec<EstablishmentRow>, sqlx::Error> {
    sqlx::query_as(&format!("{ESTABLISHMENT} WHERE organisation_id = $1 ORDER BY number"))
        .bind(organisation_id)
        .fetch_all(&db.pool)
        .await
}

pub async fn find_establishment(db: &Db, id: i64) -> Result<Option<EstablishmentRow>, sqlx::Error> {
    let found: Option<EstablishmentRow> =
        sqlx::query_as(&format!("{ESTABLISHMENT} WHERE id = $1")).bind(id).fetch_optional(&db.pool).await?;
    let Some(mut establishment) = found else { return Ok(None) };
    establishment.installment_rates = sqlx::query_as(
        "SELECT installments, rate_basis_points FROM installment_rates WHERE establishment_id = $1 ORDER BY installments",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(Some(establishment))
}

/// Replaces an establishment's Plan Amex rates, in the transaction that saves it.
async fn write_rates(write: &mut Write, id: i64, rates: &[(i64, i64)]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM installment_rates WHERE establishment_id = $1").bind(id).execute(&mut ***write).await?;
    for (installments, basis_points) in rates {
        sqlx::query(
            "INSERT INTO installment_rates (establishment_id, installments, rate_basis_points) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(installments)
        .bind(basis_points)
        .execute(&mut ***write)
        .await?;
    }
    Ok(())
}

/// Whether another establishment (not `except`) has this number.
pub async fn number_taken(db: &Db, number: &str, except: Option<i64>) -> Result<bool, sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM establishments WHERE number = $1 AND id <> $2")
        .bind(number)
        .bind(except.unwrap_or(0))
        .fetch_one(&db.pool)
        .await?;
    Ok(count > 0)
}

fn is_unique_violation(error: &sqlx::Error) -> bool {
    error.as_database_error().is_some_and(|error| error.is_unique_violation())
}

/// Creates an establishment; `None` when its number was taken meanwhile.
pub async fn create_establishment(
    db: &Db,
    organisation_id: i64,
    input: &EstablishmentInput,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let mut write = db.write().await?;
    let created: Result<i64, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO establishments (organisation_id, number, trading_name, address_line, postcode, city, currency, \
             pricing, contract_anniversary, max_installments, created_at, payment_facilitator) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(organisation_id)
    .bind(&input.number)
    .bind(&input.trading_name)
    .bind(&input.address_line)
    .bind(&input.postcode)
    .bind(&input.city)
    .bind(&input.currency)
    .bind(&input.pricing)
    .bind(&input.contract_anniversary)
    .bind(input.max_installments)
    .bind(now)
    .bind(input.payment_facilitator)
    .fetch_one(&mut **write)
    .await;
    match created {
        Ok(id) => {
            write_rates(&mut write, id, &input.installment_rates).await?;
            write.commit().await?;
            Ok(Some(id))
        }
        Err(error) if is_unique_violation(&error) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Saves an establishment's details; false when its new number was taken meanwhile.
pub async fn update_establishment(db: &Db, id: i64, input: &EstablishmentInput) -> Result<bool, sqlx::Error> {
    let mut write = db.write().await?;
    let updated = sqlx::query(
        "UPDATE establishments SET number = $2, trading_name = $3, address_line = $4, postcode = $5, city = $6, \
             currency = $7, pricing = $8, contract_anniversary = $9, max_installments = $10, payment_facilitator = $11 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(&input.number)
    .bind(&input.trading_name)
    .bind(&input.address_line)
    .bind(&input.postcode)
    .bind(&input.city)
    .bind(&input.currency)
    .bind(&input.pricing)
    .bind(&input.contract_anniversary)
    .bind(input.max_installments)
    .bind(input.payment_facilitator)
    .execute(&mut **write)
    .await;
    match updated {
        Ok(_) => {
            write_rates(&mut write, id, &input.installment_rates).await?;
            write.commit().await?;
            Ok(true)
        }
        Err(error) if is_unique_violation(&error) => Ok(false),
        Err(error) => Err(error),
    }
}

/// Disables the active user with this username (never `except`, the administrator's own
/// account); returns their id. Their sessions are ended by the caller.
pub async fn disable_user(db: &Db, username: &str, except: i64, now: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE users SET disabled_at = $2 WHERE lower(username) = lower($1) AND id <> $3 AND disabled_at IS NULL \
         RETURNING id",
    )
    .bind(username)
    .bind(now)
    .bind(except)
    .fetch_optional(&db.pool)
    .await
}
