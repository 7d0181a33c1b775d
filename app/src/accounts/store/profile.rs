//! The signed-in user's own settings: password, email address, preferences and notification
//! preferences (each notification category on or off, immediate or in the daily digest).

use crate::db::Db;
use crate::notifications::category::Category;
use sqlx::{Any, Transaction};

/// The password hash of `user_id`.
pub async fn password_hash_of_user(db: &Db, user_id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1").bind(user_id).fetch_one(&db.pool).await
}

/// Sets `user_id`'s password hash, changed at `now`, inside the caller's transaction (which also
/// cancels the links sent before the change).
pub async fn change_password(
    transaction: &mut Transaction<'_, Any>,
    user_id: i64,
    password_hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1")
        .bind(user_id)
        .bind(password_hash)
        .bind(now)
        .execute(&mut **transaction)
        .await
        .map(|_| ())
}

/// The address `user_id` asked to change to, waiting for its confirmation link, inside the
/// caller's transaction (which first cancels the older links).
pub async fn set_pending_email(
    transaction: &mut Transaction<'_, Any>,
    user_id: i64,
    email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET pending_email = $2 WHERE id = $1")
        .bind(user_id)
        .bind(email)
        .execute(&mut **transaction)
        .await
        .map(|_| ())
}

/// The confirmed address replaces `user_id`'s email, inside the caller's transaction.
pub async fn confirm_email(
    transaction: &mut Transaction<'_, Any>,
    user_id: i64,
    email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET email = $2, pending_email = NULL WHERE id = $1")
        .bind(user_id)
        .bind(email)
        .execute(&mut **transaction)
        .await
        .map(|_| ())
}

/// How the network may contact a user (the profile's preferences form).
pub struct Preferences<'a> {
    pub full_name: &'a str,
    /// `fr` or `en`.
    pub language: &'a str,
    pub comm_email: bool,
    pub comm_post: bool,
    pub comm_phone: bool,
}

/// Saves `user_id`'s name, language and contact channels.
pub async fn save_preferences(db: &Db, user_id: i64, preferences: &Preferences<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET full_name = $2, language = $3, comm_email = $4, comm_post = $5, comm_phone = $6 WHERE id = $1")
        .bind(user_id)
        .bind(preferences.full_name)
        .bind(preferences.language)
        .bind(preferences.comm_email)
        .bind(preferences.comm_post)
        .bind(preferences.comm_phone)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

/// A new user's notification preferences: every category on, none in the digest.
pub async fn add_default_preferences(transaction: &mut Transaction<'_, Any>, user_id: i64) -> Result<(), sqlx::Error> {
    for category in Category::ALL {
        sqlx::query("INSERT INTO notification_preferences (user_id, category, enabled, daily_digest) VALUES ($1, $2, TRUE, FALSE)")
            .bind(user_id)
            .bind(category.as_str())
            .execute(&mut **transaction)
            .await?;
    }
    Ok(())
}

/// Saves one category of `user_id`'s notification preferences, inside the caller's transaction.
pub async fn save_notification_preference(
    transaction: &mut Transaction<'_, Any>,
    user_id: i64,
    category: Category,
    enabled: bool,
    daily_digest: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO notification_preferences (user_id, category, enabled, daily_digest) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, category) DO UPDATE SET enabled = excluded.enabled, daily_digest = excluded.daily_digest",
    )
    .bind(user_id)
    .bind(category.as_str())
    .bind(enabled)
    .bind(daily_digest)
    .execute(&mut **transaction)
    .await
    .map(|_| ())
}
