//! The SQL of activation codes (see [`crate::accounts::activation`]): issue one for an establishment, find
//! the establishment a typed code opens, and consume the code inside the transaction that
//! creates the user, so of two registrations with one code only one succeeds.

use crate::accounts::activation;
use crate::db::Db;
use sqlx::{Any, Transaction};

/// A code just issued: shown once, never stored in clear.
#[derive(Debug, Clone)]
pub struct IssuedCode {
    pub code: String,
    pub expires_at: i64,
}

/// Issues a new code for an establishment, replacing (and so cancelling) its previous one.
/// `None` when there is no such establishment.
pub async fn issue(db: &Db, establishment_id: i64, now: i64) -> Result<Option<IssuedCode>, sqlx::Error> {
    let code = activation::new_code();
    let expires_at = now + activation::LIFETIME_SECONDS;
    let done = sqlx::query(
        "UPDATE establishments SET activation_code_hash = $2, activation_code_expires_at = $3, \
             activation_code_used_at = NULL WHERE id = $1",
    )
    .bind(establishment_id)
    .bind(activation::hash(&code))
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok((done.rows_affected() == 1).then_some(IssuedCode { code, expires_at }))
}

/// [`issue`] for the establishment with this number.
pub async fn issue_for_number(db: &Db, number: &str, now: i64) -> Result<Option<IssuedCode>, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM establishments WHERE number = $1")
        .bind(number)
        .fetch_optional(&db.pool)
        .await?;
    match id {
        Some(id) => issue(db, id, now).await,
        None => Ok(None),
    }
}

/// The establishment whose number and valid (unused, unexpired) code these are.
pub async fn establishment_for_code(db: &Db, number: &str, code: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM establishments WHERE number = $1 AND activation_code_hash = $2 \
             AND activation_code_used_at IS NULL AND activation_code_expires_at > $3",
    )
    .bind(number)
    .bind(activation::hash(code))
    .bind(now)
    .fetch_optional(&db.pool)
    .await
}

/// Marks the code used, in the caller's transaction. False when it was used, replaced or expired
/// since step 1: the registration must not go on.
pub async fn consume(
    transaction: &mut Transaction<'_, Any>,
    establishment_id: i64,
    code_hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE establishments SET activation_code_used_at = $3 WHERE id = $1 AND activation_code_hash = $2 \
             AND activation_code_used_at IS NULL AND activation_code_expires_at > $3",
    )
    .bind(establishment_id)
    .bind(code_hash)
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    Ok(done.rows_affected() == 1)
}
