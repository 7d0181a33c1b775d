//! The account forms' endpoints. Every form is a plain HTML POST, so everything works without
//! JavaScript: the handler checks the input on the server, then redirects (303) to a page that
//! shows the outcome. A refused form comes back with the typed values (never passwords) and one
//! problem per field, kept in the session for that one page view ([`answer`]).

mod login;
mod organisation;
mod profile;
mod recovery;
mod register;

pub use register::{Registration, REGISTRATION};

use super::caller::FLASH;
use super::model::{Flash, Notice, Problem};
use super::rate_limit::RateLimits;
use crate::services::Services;
use crate::AppError;
use axum::extract::{ConnectInfo, FromRef, FromRequest, RawForm, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use tower_sessions::Session;

/// The cookie the pages read to choose the language (leptos_i18n's name).
pub const LANGUAGE_COOKIE: &str = "i18n_pref_locale";

/// A `Set-Cookie` value choosing the page language for a year.
pub fn language_cookie(language: &str) -> String {
    format!("{LANGUAGE_COOKIE}={language}; Path=/; Max-Age=31536000; SameSite=Lax")
}

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

/// Keeps the form's answer for the next page view and sends the browser there.
pub(crate) async fn answer(session: &Session, flash: Flash, to: &str) -> Result<Response, AppError> {
    session.insert(FLASH, flash).await.map_err(session_error)?;
    Ok(Redirect::to(to).into_response())
}

/// A success notice for the next page.
pub(crate) async fn notify(session: &Session, form: &str, notice: Notice, to: &str) -> Result<Response, AppError> {
    answer(session, Flash { notice: Some(notice), ..Flash::for_form(form) }, to).await
}

/// Ends the session (data and stored record) and starts an empty one under a new id. (After
/// `flush` alone, tower-sessions would store new data under the old id again.)
pub(crate) async fn restart_session(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)?;
    session.cycle_id().await.map_err(session_error)
}

fn session_error(error: tower_sessions::session::Error) -> AppError {
    tracing::error!(%error, "session store");
    AppError::Internal
}

/// A form's fields as sent; repeated names (checkbox lists) are kept.
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// The field's value, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> String {
        self.raw(name).trim().to_owned()
    }

    /// The field's value exactly as typed (passwords).
    pub fn raw(&self, name: &str) -> String {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone()).unwrap_or_default()
    }

    /// Whether a checkbox was ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(key, _)| key == name)
    }

    /// Every value sent under `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(key, _)| key == name).map(|(_, value)| value.clone()).collect()
    }

    /// A flash for `form` holding the typed values of `names`.
    pub fn flash(&self, form: &str, names: &[&str]) -> Flash {
        let mut flash = Flash::for_form(form);
        for name in names {
            flash.values.insert((*name).to_owned(), self.get(name));
        }
        flash
    }
}

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Fields, Response> {
        let RawForm(bytes) = RawForm::from_request(request, state).await.map_err(IntoResponse::into_response)?;
        Ok(Fields(url::form_urlencoded::parse(&bytes).into_owned().collect()))
    }
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
    fn fields_keep_repeated_names_and_trim() {
        let fields = Fields(url::form_urlencoded::parse(b"a=+x+&e=1&e=2&box=on&pw=+s+").into_owned().collect());
        assert_eq!(fields.get("a"), "x");
        assert_eq!(fields.raw("pw"), " s ");
        assert_eq!(fields.all("e"), vec!["1", "2"]);
        assert!(fields.checked("box") && !fields.checked("nope"));
        assert_eq!(fields.flash("f", &["a"]).value("a"), "x");
    }

    #[test]
    fn lockout_end_is_shown_in_paris_time() {
        // 2026-11-22 09:00 UTC is 10:00 in Paris (winter time).
        assert_eq!(paris_clock(1_795_338_000), "10:00");
    }
}
