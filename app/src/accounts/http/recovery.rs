//! Forgotten username and password. Both answer the same way whether or not the account exists
//! (the email, if any, is sent in the background). A reset link works once, for 30 minutes; the
//! old password keeps working until the new one is set, and setting it ends every session.

use super::common::{check, check_new_password};
use crate::accounts::model::{Notice, Problem};
use crate::accounts::session_store::DbSessionStore;
use crate::accounts::tokens::{self, Purpose};
use crate::accounts::{emails, password, rules};
use crate::db::Db;
use crate::services::Services;
use crate::web::reply::{answer, notify, Fields};
use crate::AppError;
use axum::extract::State;
use axum::response::Response;
use tower_sessions::Session;

/// `POST /recover/username`: emails the usernames registered with the address.
pub async fn username(
    State(services): State<Services>,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    let email = fields.get("email");
    let mut flash = fields.flash("recover_username", &["email"]);
    check(&mut flash, "email", rules::check_email(&email));
    if !flash.problems.is_empty() {
        return answer(&session, flash, "/recover/username").await;
    }
    let accounts: Vec<(String, String)> = sqlx::query_as(
        "SELECT username, language FROM users WHERE lower(email) = lower($1) AND disabled_at IS NULL ORDER BY username",
    )
    .bind(&email)
    .fetch_all(&services.db.pool)
    .await?;
    if let Some((_, language)) = accounts.first() {
        let usernames: Vec<String> = accounts.iter().map(|(username, _)| username.clone()).collect();
        services.mailer.send_in_background(emails::username_reminder(&email, language, &usernames));
    }
    notify(&session, "recover_username", Notice::RecoverySent, "/recover/username").await
}

/// Stores a new single-use token for `user_id` and returns its secret.
pub(crate) async fn issue_token(
    db: &Db,
    user_id: i64,
    purpose: Purpose,
    new_email: Option<&str>,
) -> Result<String, AppError> {
    let secret = tokens::new_secret();
    let now = crate::clock::now();
    sqlx::query(
        "INSERT INTO account_tokens (user_id, purpose, token_hash, new_email, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(tokens::sha256_hex(&secret))
    .bind(new_email)
    .bind(now + purpose.lifetime_seconds())
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(secret)
}

/// A token still usable: its user and, for an email change, the new address.
pub(crate) struct ValidToken {
    pub id: i64,
    pub user_id: i64,
    pub new_email: Option<String>,
}

/// The unused, unexpired token of `purpose` whose secret is `secret`.
pub(crate) async fn find_token(db: &Db, secret: &str, purpose: Purpose) -> Result<Option<ValidToken>, AppError> {
    let row: Option<(i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT id, user_id, new_email FROM account_tokens \
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(tokens::sha256_hex(secret))
    .bind(purpose.as_str())
    .bind(crate::clock::now())
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(id, user_id, new_email)| ValidToken { id, user_id, new_email }))
}

/// Marks the token used, inside the caller's transaction; `false` if someone used it first (a
/// second use of the same link then fails).
pub(crate) async fn claim_token(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    now: i64,
) -> Result<bool, AppError> {
    let claimed = sqlx::query("UPDATE account_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(&mut **transaction)
        .await?;
    Ok(claimed.rows_affected() == 1)
}

/// `POST /recover/password`: emails a reset link to the account's address.
pub async fn password(
    State(services): State<Services>,
    session: Session,
    fields: Fields,
) -> Result<Response, AppError> {
    let username = fields.get("username");
    let mut flash = fields.flash("recover_password", &["username"]);
    if username.is_empty() {
        flash.problems.insert("username".into(), Problem::Required);
        return answer(&session, flash, "/recover/password").await;
    }
    let account: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, email, language FROM users WHERE username = $1 AND disabled_at IS NULL")
            .bind(&username)
            .fetch_optional(&services.db.pool)
            .await?;
    if let Some((user_id, email, language)) = account {
        let secret = issue_token(&services.db, user_id, Purpose::PasswordReset, None).await?;
        let link = services.link(&format!("/reset-password?token={secret}"));
        services.mailer.send_in_background(emails::password_reset(&email, &language, &username, link));
    }
    notify(&session, "recover_password", Notice::RecoverySent, "/recover/password").await
}

/// `POST /reset-password`: sets the new password from a valid link.
pub async fn reset(State(services): State<Services>, session: Session, fields: Fields) -> Result<Response, AppError> {
    let secret = fields.get("token");
    let back = format!(
        "/reset-password?token={}",
        url::form_urlencoded::byte_serialize(secret.as_bytes()).collect::<String>()
    );
    let mut flash = fields.flash("reset_password", &[]);
    let Some(token) = find_token(&services.db, &secret, Purpose::PasswordReset).await? else {
        flash.problems.insert("token".into(), Problem::LinkInvalid);
        return answer(&session, flash, &back).await;
    };
    let new_password = check_new_password(&mut flash, &fields);
    if !flash.problems.is_empty() {
        return answer(&session, flash, &back).await;
    }
    let hash = password::hash(new_password).await?;
    let now = crate::clock::now();
    let mut transaction = services.db.write().await?;
    if !claim_token(&mut transaction, token.id, now).await? {
        flash.problems.insert("token".into(), Problem::LinkInvalid);
        return answer(&session, flash, &back).await;
    }
    sqlx::query(
        "UPDATE account_tokens SET used_at = $2 WHERE user_id = $1 AND purpose = 'password_reset' AND used_at IS NULL",
    )
    .bind(token.user_id)
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    sqlx::query(
        "UPDATE users SET password_hash = $2, password_changed_at = $3, failed_login_count = 0, locked_until = NULL WHERE id = $1",
    )
    .bind(token.user_id)
    .bind(hash)
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    transaction.commit().await?;
    DbSessionStore::end_sessions_of(&services.db, token.user_id, None).await?;
    // Whoever used the link starts afresh too (and signs in with the new password).
    crate::accounts::caller::restart_session(&session).await?;
    notify(&session, "login", Notice::PasswordReset, "/login").await
}
