//! The single-use tokens of the links sent by email (password reset, email change, invitation):
//! stored by the SHA-256 of their secret (`accounts::tokens`), claimed once.

use crate::accounts::tokens::Purpose;
use crate::db::Db;
use sqlx::{Any, Transaction};

/// A token still usable: its user and, for an email change, the new address.
#[derive(sqlx::FromRow)]
pub struct ValidToken {
    pub id: i64,
    pub user_id: i64,
    pub new_email: Option<String>,
}

/// Stores a token of `purpose` for `user_id`, valid until `expires_at` (Unix seconds).
pub async fn insert_token(
    db: &Db,
    user_id: i64,
    purpose: Purpose,
    token_hash: &str,
    new_email: Option<&str>,
    expires_at: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO account_tokens (user_id, purpose, token_hash, new_email, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(token_hash)
    .bind(new_email)
    .bind(expires_at)
    .bind(now)
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// The token of `purpose` whose hash is `token_hash`, if unused and not expired at `now`.
pub async fn valid_token(
    db: &Db,
    token_hash: &str,
    purpose: Purpose,
    now: i64,
) -> Result<Option<ValidToken>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, user_id, new_email FROM account_tokens \
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(purpose.as_str())
    .bind(now)
    .fetch_optional(&db.pool)
    .await
}

/// Marks token `id` used, inside the caller's transaction; `false` if someone used it first (a
/// second use of the same link then fails).
pub async fn claim_token(transaction: &mut Transaction<'_, Any>, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query("UPDATE account_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(&mut **transaction)
        .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Marks every password-reset token of `user_id` still unused as used (one reset spends the
/// other links sent before it; a password change spends them all).
pub async fn use_up_password_resets(
    transaction: &mut Transaction<'_, Any>,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    spend_tokens(transaction, user_id, "password_reset", now).await
}

/// Marks every token of `user_id` for `purpose` still unused as used.
async fn spend_tokens(
    transaction: &mut Transaction<'_, Any>,
    user_id: i64,
    purpose: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE account_tokens SET used_at = $2 WHERE user_id = $1 AND purpose = $3 AND used_at IS NULL")
        .bind(user_id)
        .bind(now)
        .bind(purpose)
        .execute(&mut **transaction)
        .await
        .map(|_| ())
}

/// Marks every email-change token of `user_id` still unused as used and forgets the address
/// waiting for confirmation: a newer request, a password change or a reset replaces them.
pub async fn cancel_email_changes(
    transaction: &mut Transaction<'_, Any>,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    spend_tokens(transaction, user_id, "email_change", now).await?;
    sqlx::query("UPDATE users SET pending_email = NULL WHERE id = $1")
        .bind(user_id)
        .execute(&mut **transaction)
        .await
        .map(|_| ())
}
