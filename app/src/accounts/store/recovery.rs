//! Recovery: the accounts an email address or a username names, and the password a reset link
//! sets.

use crate::db::Db;
use sqlx::{Any, Transaction};

/// An account registered with an email address: its username and language.
#[derive(sqlx::FromRow)]
pub struct UsernameReminder {
    pub username: String,
    pub language: String,
}

/// An account a reset link is sent for.
#[derive(sqlx::FromRow)]
pub struct ResetAccount {
    pub id: i64,
    pub email: String,
    pub language: String,
}

/// The accounts registered with `email` (in any case), not disabled, by username.
pub async fn accounts_by_email(db: &Db, email: &str) -> Result<Vec<UsernameReminder>, sqlx::Error> {
    sqlx::query_as(
        "SELECT username, language FROM users WHERE lower(email) = lower($1) AND disabled_at IS NULL ORDER BY username",
    )
    .bind(email)
    .fetch_all(&db.pool)
    .await
}

/// The account named `username` exactly, if not disabled.
pub async fn reset_account_by_username(db: &Db, username: &str) -> Result<Option<ResetAccount>, sqlx::Error> {
    sqlx::query_as("SELECT id, email, language FROM users WHERE username = $1 AND disabled_at IS NULL")
        .bind(username)
        .fetch_optional(&db.pool)
        .await
}

/// Sets `user_id`'s password hash from a reset link, changed at `now`, and lifts any lock.
pub async fn reset_password(
    transaction: &mut Transaction<'_, Any>,
    user_id: i64,
    password_hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET password_hash = $2, password_changed_at = $3, failed_login_count = 0, locked_until = NULL WHERE id = $1",
    )
    .bind(user_id)
    .bind(password_hash)
    .bind(now)
    .execute(&mut **transaction)
    .await
    .map(|_| ())
}
