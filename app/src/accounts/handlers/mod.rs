//! The account forms' endpoints. Every form is a plain HTML POST, so everything works without
//! JavaScript: the handler checks the input on the server, then redirects (303) to a page that
//! shows the outcome. A refused form comes back with the typed values (never passwords) and one
//! problem per field, kept in the session for that one page view (`web::reply`).

mod login;
mod organisation;
mod profile;
mod recovery;
mod register;

pub use register::{Registration, REGISTRATION};

use crate::web::reply::{session_error, Fields};

use super::model::{Flash, Problem};
use super::rate_limit::RateLimits;
use crate::services::Services;
use crate::AppError;
use axum::extract::{ConnectInfo, FromRef, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use tower_sessions::Session;

/// The account endpoints. Those an attacker could use to guess or flood go through the per-client
/// rate limit.
pub fn routes<S>(services: &Services) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Services: FromRef<S>,
{
    let limited = Router::new()
        .route("/login", post(login::login))
        .route("/register/establishment", post(register::establishment))
        .route("/register/account", post(register::account))
        .route("/register/finance", post(register::finance))
        .route("/recover/username", post(recovery::username))
        .route("/recover/password", post(recovery::password))
        .route("/reset-password", post(recovery::reset))
        .route("/invitation", post(organisation::accept))
        .route_layer(axum::middleware::from_fn_with_state(services.limits.clone(), rate_limit));
    Router::new()
        .merge(limited)
        .route("/logout", post(login::logout))
        .route("/register/restart", post(register::restart))
        .route("/establishments/{id}/activate", post(profile::activate))
        .route("/establishments/{id}/business", post(profile::business))
        .route("/profile/password", post(profile::password))
        .route("/profile/email", post(profile::email))
        .route("/confirm-email", post(profile::confirm_email))
        .route("/profile/preferences", post(profile::preferences))
        .route("/profile/notifications", post(profile::notifications))
        .route("/organisation/users/invite", post(organisation::invite))
        .route("/organisation/users/{id}/establishments", post(organisation::assign))
        .route("/organisation/users/{id}/remove", post(organisation::remove))
}

/// Middleware: 429 with `Retry-After` once a client has used its allowance.
async fn rate_limit(State(limits): State<Arc<RateLimits>>, request: Request, next: Next) -> Response {
    let client = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    if let Some(client) = client {
        if let Err(wait) = limits.check_auth(client) {
            let body = "Trop de tentatives : réessayez dans une minute. / Too many attempts: try again in a minute.";
            let mut response = (StatusCode::TOO_MANY_REQUESTS, body).into_response();
            if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return response;
        }
    }
    next.run(request).await
}

/// Ends the session (data and stored record) and starts an empty one under a new id. (After
/// `flush` alone, tower-sessions would store new data under the old id again.)
pub(crate) async fn restart_session(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)?;
    session.cycle_id().await.map_err(session_error)
}

/// Checks the `password` / `password_confirm` pair against the rules; returns the password.
fn check_new_password(flash: &mut Flash, fields: &Fields) -> String {
    let password = fields.raw("password");
    check(flash, "password", super::rules::check_password(&password));
    if password != fields.raw("password_confirm") {
        flash.problems.entry("password_confirm".into()).or_insert(Problem::PasswordsDiffer);
    }
    password
}

/// Signs `user_id` in under a new session id (the id the browser had before is dead).
async fn sign_in(session: &Session, user_id: i64) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.insert(super::caller::USER_ID, user_id).await.map_err(session_error)
}

/// Records `problem` against `field` when `check` fails.
fn check(flash: &mut Flash, field: &str, result: Result<(), Problem>) {
    if let Err(problem) = result {
        flash.problems.entry(field.to_owned()).or_insert(problem);
    }
}

/// `HH:MM` in Paris of an instant (lockout ends).
fn paris_clock(unix_seconds: i64) -> String {
    chrono::DateTime::from_timestamp(unix_seconds, 0)
        .unwrap_or_default()
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockout_end_is_shown_in_paris_time() {
        // 2026-11-22 09:00 UTC is 10:00 in Paris (winter time).
        assert_eq!(paris_clock(1_795_338_000), "10:00");
    }
}
