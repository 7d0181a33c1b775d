//! Registration: whether a username is taken, and the last step's writes (the merchant user,
//! their membership, the establishment's choices), made inside the caller's transaction. The
//! activation code is checked and consumed by `store::activation`.

use crate::db::Db;
use sqlx::{Any, Transaction};

const USERNAME_COUNT: &str = "SELECT COUNT(*) FROM users WHERE lower(username) = lower($1)";

/// Whether a user (disabled or not) has `username`, in any case.
pub async fn username_taken(db: &Db, username: &str) -> Result<bool, sqlx::Error> {
    let count: i64 = sqlx::query_scalar(USERNAME_COUNT).bind(username).fetch_one(&db.pool).await?;
    Ok(count > 0)
}

/// [`username_taken`], inside the caller's transaction.
pub async fn username_taken_in(transaction: &mut Transaction<'_, Any>, username: &str) -> Result<bool, sqlx::Error> {
    let count: i64 = sqlx::query_scalar(USERNAME_COUNT).bind(username).fetch_one(&mut **transaction).await?;
    Ok(count > 0)
}

/// The new merchant user's account, created at `now`; its id.
pub async fn insert_merchant_user(
    transaction: &mut Transaction<'_, Any>,
    username: &str,
    email: &str,
    password_hash: &str,
    language: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (username, email, password_hash, language, kind, password_changed_at, created_at) \
         VALUES ($1, $2, $3, $4, 'merchant', $5, $5) RETURNING id",
    )
    .bind(username)
    .bind(email)
    .bind(password_hash)
    .bind(language)
    .bind(now)
    .fetch_one(&mut **transaction)
    .await
}

/// Makes `user_id` a user of `establishment_id` (in its organisation).
pub async fn add_establishment_user(
    transaction: &mut Transaction<'_, Any>,
    user_id: i64,
    establishment_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO memberships (user_id, organisation_id, establishment_id, role, created_at) \
         SELECT $1, organisation_id, id, 'establishment_user', $2 FROM establishments WHERE id = $3",
    )
    .bind(user_id)
    .bind(now)
    .bind(establishment_id)
    .execute(&mut **transaction)
    .await
    .map(|_| ())
}

/// The last step's choices for `establishment_id`: paperless statements, online dispute
/// management (`subscribe` never turns it off; it counts from `now` if it was off); the
/// activation code was consumed earlier in the same transaction (`store::activation::consume`).
pub async fn finish_establishment_registration(
    transaction: &mut Transaction<'_, Any>,
    establishment_id: i64,
    paperless: bool,
    subscribe: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE establishments SET paperless = $2, \
             dispute_subscribed = (dispute_subscribed OR $3), \
             dispute_subscribed_at = CASE WHEN dispute_subscribed OR NOT $3 THEN dispute_subscribed_at ELSE $4 END \
         WHERE id = $1",
    )
    .bind(establishment_id)
    .bind(paperless)
    .bind(subscribe)
    .bind(now)
    .execute(&mut **transaction)
    .await
    .map(|_| ())
}
