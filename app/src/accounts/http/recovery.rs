//! Forgotten username and password. Both answer the same way whether or not the account exists
//! (the email, if any, is sent in the background). A reset link works once, for 30 minutes; the
//! old password keeps working until the new one is set, and setting it ends every session and
//! cancels the links still waiting (password resets, email changes).

use super::common::{check, check_new_password};
use crate::accounts::model::{Notice, Problem};
use crate::accounts::session_store::DbSessionStore;
use crate::accounts::store::{self, ValidToken};
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
    if let Err(wait) = services.limits.check_account(&email).and_then(|()| services.limits.check_email(&email)) {
        return Ok(super::too_many(wait));
    }
    let accounts = store::accounts_by_email(&services.db, &email).await?;
    if let Some(first) = accounts.first() {
        let usernames: Vec<String> = accounts.iter().map(|account| account.username.clone()).collect();
        services.mailer.send_in_background(emails::username_reminder(&email, &first.language, &usernames));
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
    let expires_at = now + purpose.lifetime_seconds();
    store::insert_token(db, user_id, purpose, &tokens::sha256_hex(&secret), new_email, expires_at, now).await?;
    Ok(secret)
}

/// The unused, unexpired token of `purpose` whose secret is `secret`.
pub(crate) async fn find_token(db: &Db, secret: &str, purpose: Purpose) -> Result<Option<ValidToken>, AppError> {
    Ok(store::valid_token(db, &tokens::sha256_hex(secret), purpose, crate::clock::now()).await?)
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
    if let Err(wait) = services.limits.check_account(&username).and_then(|()| services.limits.check_email(&username)) {
        return Ok(super::too_many(wait));
    }
    if let Some(account) = store::reset_account_by_username(&services.db, &username).await? {
        let secret = issue_token(&services.db, account.id, Purpose::PasswordReset, None).await?;
        let link = services.link(&format!("/reset-password?token={secret}"));
        services.mailer.send_in_background(emails::password_reset(&account.email, &account.language, &username, link));
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
    if !store::claim_token(&mut transaction, token.id, now).await? {
        flash.problems.insert("token".into(), Problem::LinkInvalid);
        return answer(&session, flash, &back).await;
    }
    store::use_up_password_resets(&mut transaction, token.user_id, now).await?;
    store::cancel_email_changes(&mut transaction, token.user_id, now).await?;
    store::reset_password(&mut transaction, token.user_id, &hash, now).await?;
    transaction.commit().await?;
    DbSessionStore::end_sessions_of(&services.db, token.user_id, None).await?;
    // Whoever used the link starts afresh too (and signs in with the new password).
    crate::accounts::caller::restart_session(&session).await?;
    notify(&session, "login", Notice::PasswordReset, "/login").await
}
