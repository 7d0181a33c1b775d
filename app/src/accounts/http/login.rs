//! Signing in and out. Unknown usernames cost the same password verification as known ones;
//! 10 failures in a row lock the account for 30 minutes (the user is told and emailed); a
//! successful sign-in gets a new session id.

use super::common::paris_clock;
use crate::accounts::model::{Notice, Problem};
use crate::accounts::store::{self, SignInOutcome};
use crate::accounts::{emails, password};
use crate::services::Services;
use crate::web::reply::{answer, language_cookie, local_path, notify, sign_in_then, Fields};
use crate::AppError;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::LazyLock;
use tower_sessions::Session;

/// Failed sign-ins in a row that lock an account.
pub const LOCKOUT_THRESHOLD: i64 = 10;
/// How long a lock lasts.
pub const LOCKOUT_SECONDS: i64 = 30 * 60;

/// A hash verified when the username is unknown, so that both cases take the same time.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let params = argon2::Params::new(19 * 1024, 2, 1, None).expect("valid parameters");
    let salt = SaltString::encode_b64(b"portal-dummy-salt").expect("a valid salt");
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password(b"not a real password", &salt)
        .expect("hashing succeeds")
        .to_string()
});

/// Why a sign-in was refused.
enum Refusal {
    BadCredentials,
    Locked { until: i64 },
}

/// Checks the credentials and keeps the failure count; the user's id and language on success.
async fn authenticate(
    services: &Services,
    username: &str,
    secret: &str,
) -> Result<Result<(i64, String), Refusal>, AppError> {
    let Some(account) = store::account_by_username(&services.db, username).await? else {
        password::verify(secret.to_owned(), DUMMY_HASH.clone()).await?;
        return Ok(Err(Refusal::BadCredentials));
    };
    // Verified first, then counted and decided in one UPDATE: a locked account refuses even the
    // right password, and concurrent attempts cannot clear a lock their neighbours set.
    let password_ok = password::verify(secret.to_owned(), account.password_hash.clone()).await?;
    let until = crate::clock::now() + LOCKOUT_SECONDS;
    match store::record_sign_in(&services.db, account.id, password_ok, LOCKOUT_THRESHOLD, until).await? {
        SignInOutcome::SignedIn => Ok(Ok((account.id, account.language))),
        SignInOutcome::Failed => Ok(Err(Refusal::BadCredentials)),
        SignInOutcome::Locked { until } => Ok(Err(Refusal::Locked { until })),
        SignInOutcome::LockedNow { until } => {
            tracing::warn!(user_id = account.id, "account locked after {LOCKOUT_THRESHOLD} failed sign-ins");
            services.mailer.send_in_background(emails::lockout(
                &account.email,
                &account.language,
                username,
                &paris_clock(until),
            ));
            Ok(Err(Refusal::Locked { until }))
        }
    }
}

/// `POST /login`: on success, to the local page named by `next` (the page that asked to sign in),
/// else the dashboard; on refusal, back to the form, `next` kept.
pub async fn login(State(services): State<Services>, session: Session, fields: Fields) -> Result<Response, AppError> {
    let username = fields.get("username");
    let secret = fields.raw("password");
    let next = fields.get("next");
    let next = local_path(&next).unwrap_or("/");
    let form_page = sign_in_then(next);
    let mut flash = fields.flash("login", &["username"]);
    if username.is_empty() {
        flash.problems.insert("username".into(), Problem::Required);
    }
    if secret.is_empty() {
        flash.problems.insert("password".into(), Problem::Required);
    }
    if !flash.problems.is_empty() {
        return answer(&session, flash, &form_page).await;
    }
    if let Err(wait) = services.limits.check_account(&username) {
        return Ok(super::too_many(wait));
    }
    match authenticate(&services, &username, &secret).await? {
        Ok((user_id, language)) => {
            super::common::sign_in(&session, user_id).await?;
            let mut response = Redirect::to(next).into_response();
            if let Ok(cookie) = HeaderValue::from_str(&language_cookie(&language)) {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            Ok(response)
        }
        Err(Refusal::BadCredentials) => {
            flash.problems.insert("password".into(), Problem::BadCredentials);
            answer(&session, flash, &form_page).await
        }
        Err(Refusal::Locked { until }) => {
            flash.problems.insert("password".into(), Problem::AccountLocked);
            flash.until = Some(paris_clock(until));
            answer(&session, flash, &form_page).await
        }
    }
}

/// `POST /logout`: the session is deleted from the store and its cookie cleared.
pub async fn logout(session: Session) -> Result<Response, AppError> {
    crate::accounts::caller::restart_session(&session).await?;
    notify(&session, "login", Notice::SignedOut, "/login").await
}
