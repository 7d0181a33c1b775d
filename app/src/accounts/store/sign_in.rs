//! Signing in: the account a username names, and its count of failed sign-ins and lock (the
//! threshold and the lock's length are `http::login`'s).

use crate::db::Db;

/// What signing in needs of an account.
#[derive(sqlx::FromRow)]
pub struct SignInAccount {
    pub id: i64,
    pub password_hash: String,
    /// Unix seconds; locked while in the future.
    pub locked_until: Option<i64>,
    pub email: String,
    pub language: String,
}

/// The account named `username` exactly, if not disabled.
pub async fn account_by_username(db: &Db, username: &str) -> Result<Option<SignInAccount>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, password_hash, locked_until, email, language FROM users WHERE username = $1 AND disabled_at IS NULL",
    )
    .bind(username)
    .fetch_optional(&db.pool)
    .await
}

/// After a successful sign-in: no failures counted, no lock.
pub async fn clear_failed_sign_ins(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET failed_login_count = 0, locked_until = NULL WHERE id = $1")
        .bind(user_id)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

/// Counts one more failed sign-in; the failures in a row so far.
pub async fn count_failed_sign_in(db: &Db, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE users SET failed_login_count = failed_login_count + 1 WHERE id = $1 RETURNING failed_login_count",
    )
    .bind(user_id)
    .fetch_one(&db.pool)
    .await
}

/// Locks the account until `until` (Unix seconds) and starts the count of failures afresh.
pub async fn lock_account(db: &Db, user_id: i64, until: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET failed_login_count = 0, locked_until = $2 WHERE id = $1")
        .bind(user_id)
        .bind(until)
        .execute(&db.pool)
        .await
        .map(|_| ())
}
