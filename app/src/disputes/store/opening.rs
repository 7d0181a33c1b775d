//! New cases: the charge an analyst opens one on, the case's row (an analyst's inquiry or
//! chargeback, or the R13 chargeback of an expired inquiry) with the stage, status and reason
//! code it is given, its final case number, and the checklist of documents it asks for.

use crate::db::Db;
use crate::disputes::state::{Stage, Status};
use chrono::NaiveDate;
use sqlx::{Any, Transaction};

/// The charge a new case is opened on, with its establishment's number and language.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Charge {
    pub id: i64,
    pub establishment_id: i64,
    pub amount: i64,
    pub currency: String,
    pub language: String,
    pub number: String,
}

/// The first charge (not a refund) with this reference, whoever's it is.
pub async fn charge_by_reference(db: &Db, reference: &str) -> Result<Option<Charge>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id, t.establishment_id, t.amount, t.currency, e.language, e.number FROM transactions t \
         JOIN establishments e ON e.id = t.establishment_id WHERE t.reference = $1 AND t.kind = 'charge' ORDER BY t.id LIMIT 1",
    )
    .bind(reference)
    .fetch_optional(&db.pool)
    .await
}

/// A case to insert, as its opener decided it.
pub struct NewCaseRow<'a> {
    pub case_number: &'a str,
    pub establishment: i64,
    pub transaction: i64,
    /// The inquiry an R13 chargeback follows.
    pub parent: Option<i64>,
    pub stage: Stage,
    pub status: Status,
    pub reason_code: &'a str,
    pub amount: i64,
    pub currency: &'a str,
    pub reply_by: NaiveDate,
}

/// Inserts a case opened at `now` (its version 0); returns its id.
pub async fn insert_case(
    transaction: &mut Transaction<'_, Any>,
    case: &NewCaseRow<'_>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO disputes (case_number, establishment_id, transaction_id, parent_dispute_id, stage, status, \
             reason_code, disputed_amount, currency, opened_at, reply_by, version, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $10) RETURNING id",
    )
    .bind(case.case_number)
    .bind(case.establishment)
    .bind(case.transaction)
    .bind(case.parent)
    .bind(case.stage.as_str())
    .bind(case.status.as_str())
    .bind(case.reason_code)
    .bind(case.amount)
    .bind(case.currency)
    .bind(now)
    .bind(case.reply_by.to_string())
    .fetch_one(&mut **transaction)
    .await
}

/// Gives the case its number (known once its id is).
pub async fn set_case_number(
    transaction: &mut Transaction<'_, Any>,
    dispute: i64,
    case_number: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE disputes SET case_number = $1 WHERE id = $2")
        .bind(case_number)
        .bind(dispute)
        .execute(&mut **transaction)
        .await?;
    Ok(())
}

/// Writes the documents the case asks for, unticked, numbered from 0 in this order.
pub async fn insert_checklist(
    transaction: &mut Transaction<'_, Any>,
    dispute: i64,
    descriptions: &[&str],
) -> Result<(), sqlx::Error> {
    for (position, description) in descriptions.iter().enumerate() {
        sqlx::query(
            "INSERT INTO requested_documents (dispute_id, position, description, ticked) VALUES ($1, $2, $3, FALSE)",
        )
        .bind(dispute)
        .bind(position as i64)
        .bind(*description)
        .execute(&mut **transaction)
        .await?;
    }
    Ok(())
}
