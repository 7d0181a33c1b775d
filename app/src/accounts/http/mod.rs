//! The account forms' endpoints. Every form is a plain HTML POST, so everything works without
//! JavaScript: the handler checks the input on the server, then redirects (303) to a page that
//! shows the outcome. A refused form comes back with the typed values (never passwords) and one
//! problem per field, kept in the session for that one page view (`web::reply`).

mod common;
mod dispute_config;
mod login;
mod onboarding;
mod organisation;
mod profile;
mod recovery;
mod register;

pub use register::{Registration, REGISTRATION};

use super::rate_limit::RateLimits;
use crate::services::Services;
use axum::extract::{ConnectInfo, FromRef, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;

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
        .route("/organisation/dispute-config", post(dispute_config::change))
        .merge(onboarding::routes())
}

/// Middleware: 429 with `Retry-After` once a client has used its allowance.
async fn rate_limit(State(limits): State<Arc<RateLimits>>, request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    if let Some(peer) = peer {
        let forwarded_for: Vec<&str> =
            request.headers().get_all("x-forwarded-for").iter().filter_map(|value| value.to_str().ok()).collect();
        let client = limits.client(peer, &forwarded_for);
        if let Err(wait) = limits.check_auth(client) {
            return too_many(wait);
        }
    }
    next.run(request).await
}

/// 429 with `Retry-After`: wait `seconds` before trying again.
fn too_many(seconds: u64) -> Response {
    let body = "Trop de tentatives : réessayez plus tard. / Too many attempts: try again later.";
    let mut response = (StatusCode::TOO_MANY_REQUESTS, body).into_response();
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}
