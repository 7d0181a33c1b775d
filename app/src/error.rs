//! The one error type a user can meet, returned by every server function.
//!
//! Database and unexpected errors are logged on the server and reach the user as a generic
//! `Internal` error: their details never leave the server.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What went wrong, in the terms a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing does not exist, or belongs to someone else (ids cannot be probed).
    #[error("not found")]
    NotFound,
    /// The caller is not signed in.
    #[error("you need to sign in")]
    Unauthorised,
    /// Signed in, but this action is not theirs to take; the message says why.
    #[error("{0}")]
    Forbidden(String),
    /// Field name to the messages that explain what to fix.
    #[error("some fields need attention")]
    Validation(BTreeMap<String, Vec<String>>),
    /// The case (or other record) is not in a state that allows this action.
    #[error("{0}")]
    InvalidTransition(String),
    /// Someone else changed the record first; reload and try again.
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts; try again later.
    #[error("too many attempts, please try again later")]
    RateLimited,
    /// The server is too busy to take the request now (a full password-hashing queue).
    #[error("the server is busy; please try again in a few seconds")]
    Busy,
    /// Anything unexpected: details are in the server log only.
    #[error("something went wrong on our side; please try again")]
    Internal,
}

impl AppError {
    /// A validation error on one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let mut fields = BTreeMap::new();
        fields.insert(field.to_owned(), vec![message.into()]);
        AppError::Validation(fields)
    }

    /// The HTTP status this error answers with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorised => 401,
            AppError::Forbidden(_) => 403,
            AppError::Validation(_) => 422,
            AppError::InvalidTransition(_) | AppError::Conflict(_) => 409,
            AppError::RateLimited => 429,
            AppError::Busy => 503,
            AppError::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // A request the client could not encode or the server could not decode is the
            // client's mistake; everything else is ours.
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::Deserialization(message) => {
                AppError::invalid("request", message)
            }
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => AppError::NotFound,
            _ => {
                tracing::error!(%error, "database error");
                AppError::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_details() {
        let error = AppError::from_server_fn_error(ServerFnErrorErr::ServerError("db password wrong".into()));
        assert_eq!(error, AppError::Internal);
        assert!(!error.to_string().contains("password"));
    }

    #[test]
    fn validation_names_the_field() {
        let AppError::Validation(fields) = AppError::invalid("email", "enter an email address") else {
            panic!("expected a validation error");
        };
        assert_eq!(fields["email"], vec!["enter an email address".to_owned()]);
    }

    #[test]
    fn statuses_follow_http_meaning() {
        assert_eq!(AppError::NotFound.status_code(), 404);
        assert_eq!(AppError::Forbidden("local configuration".into()).status_code(), 403);
        assert_eq!(AppError::Conflict("stale".into()).status_code(), 409);
        assert_eq!(AppError::Internal.status_code(), 500);
    }
}

/// Handlers answer an error with its status and its sentence.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = axum::http::StatusCode::from_u16(self.status_code())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, self.to_string()).into_response();
        if self == AppError::Busy {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("5"));
        }
        response
    }
}
