//! Refusals of the API as `application/problem+json` (RFC 9457): `type` (an anchor of the
//! reference page), `title` (the sentence for the fault, in the caller's language: French unless
//! `Accept-Language` asks for English), `status`, `detail` and, when one field is at fault, the
//! extension member `field` holding its path (`card.first_six`, `level3.line_items.0.quantity`).

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos_i18n::td_string;

/// Every way an API request can be refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// No `Authorization: Bearer` header.
    MissingKey,
    /// An unknown or revoked key.
    BadKey,
    /// The key lacks the scope the endpoint needs.
    ScopeMissing,
    /// Too many requests for this key; wait this many seconds.
    RateLimited(u64),
    /// An establishment, operation or plan the key cannot see (or that does not exist).
    NotFound,
    /// The body is not a JSON object.
    MalformedBody,
    /// A POST without an `Idempotency-Key` header (or with a malformed one).
    IdempotencyKeyMissing,
    /// The `Idempotency-Key` was used before with another body.
    IdempotencyConflict,
    /// A required field is missing.
    Required,
    /// A field's value is not valid (type, length, format).
    Invalid,
    /// A full card number somewhere in the request: refused, never stored or logged.
    CardNumber,
    /// Not an ISO 4217 currency code.
    Currency,
    /// A foreign currency without its settlement amount and rate, or a currency other than the
    /// authorisation's.
    SettlementRequired,
    /// A capture above what was authorised.
    AboveAuthorised,
    /// A second capture of one authorisation.
    AlreadyCaptured,
    /// A refund above what is left of the capture.
    AboveCaptured,
    /// A cancellation of a capture already submitted for payment.
    AlreadySubmitted,
    /// A cancellation of a captured or already cancelled operation, a refund of a cancelled one.
    NotCancellable,
    /// The operation named was cancelled.
    Cancelled,
    /// The operation named cannot be acted on this way (a capture of a refund, of a decline).
    WrongParent,
    /// More payments than the establishment's maximum number of installments.
    AboveMaxInstallments,
    /// A Payment Facilitator's operation without its sub-merchant, or a sub-merchant for an
    /// establishment that is not one.
    SubMerchant,
    /// Something went wrong on the server (details in its log only).
    Internal,
}

/// The refusals every JSON POST of the API can answer, as the OpenAPI document lists them.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // a description for the document, never built
pub enum PostRefusals {
    #[response(
        status = 400,
        description = "Malformed body, or no `Idempotency-Key`",
        content_type = "application/problem+json"
    )]
    BadRequest(ProblemDocument),
    #[response(
        status = 401,
        description = "No key, or an unknown or revoked one",
        content_type = "application/problem+json"
    )]
    Unauthorized(ProblemDocument),
    #[response(status = 403, description = "The key lacks the scope", content_type = "application/problem+json")]
    Forbidden(ProblemDocument),
    #[response(
        status = 404,
        description = "An establishment, operation or plan the key does not reach",
        content_type = "application/problem+json"
    )]
    NotFound(ProblemDocument),
    #[response(
        status = 409,
        description = "The `Idempotency-Key` was used with another body",
        content_type = "application/problem+json"
    )]
    Conflict(ProblemDocument),
    #[response(status = 413, description = "The body is above 64 KiB")]
    TooLarge,
    #[response(
        status = 422,
        description = "A field is missing or not valid, or the operation is refused; `field` names it",
        content_type = "application/problem+json"
    )]
    Unprocessable(ProblemDocument),
    #[response(
        status = 429,
        description = "Too many requests for this key (`Retry-After`)",
        content_type = "application/problem+json"
    )]
    TooMany(ProblemDocument),
}

/// The refusals every GET of the API can answer, as the OpenAPI document lists them.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // a description for the document, never built
pub enum ReadRefusals {
    #[response(
        status = 401,
        description = "No key, or an unknown or revoked one",
        content_type = "application/problem+json"
    )]
    Unauthorized(ProblemDocument),
    #[response(status = 403, description = "The key lacks the scope", content_type = "application/problem+json")]
    Forbidden(ProblemDocument),
    #[response(
        status = 404,
        description = "Not found, or not reached by the key",
        content_type = "application/problem+json"
    )]
    NotFound(ProblemDocument),
    #[response(
        status = 422,
        description = "A parameter is missing or not valid; `field` names it",
        content_type = "application/problem+json"
    )]
    Unprocessable(ProblemDocument),
    #[response(
        status = 429,
        description = "Too many requests for this key (`Retry-After`)",
        content_type = "application/problem+json"
    )]
    TooMany(ProblemDocument),
}

/// A refusal (RFC 9457), sent as `application/problem+json`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ProblemDocument {
    /// The reference page's anchor for the fault (`/developers/api#above-captured`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The fault in a sentence, in French unless `Accept-Language` asks for English.
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The path of the field at fault (`card.first_six`, `level3.line_items.0.quantity`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ProblemDocument {
    pub fn new(fault: Fault, title: &str, detail: String, field: Option<String>) -> ProblemDocument {
        ProblemDocument {
            kind: format!("/developers/api#{}", fault.code()),
            title: title.to_owned(),
            status: fault.status().as_u16(),
            detail,
            field,
        }
    }
}

impl Fault {
    pub fn status(self) -> StatusCode {
        match self {
            Fault::MissingKey | Fault::BadKey => StatusCode::UNAUTHORIZED,
            Fault::ScopeMissing => StatusCode::FORBIDDEN,
            Fault::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Fault::NotFound => StatusCode::NOT_FOUND,
            Fault::MalformedBody | Fault::IdempotencyKeyMissing => StatusCode::BAD_REQUEST,
            Fault::IdempotencyConflict => StatusCode::CONFLICT,
            Fault::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// The fault's name: the anchor of its explanation on the reference page.
    pub fn code(self) -> &'static str {
        match self {
            Fault::MissingKey => "missing-key",
            Fault::BadKey => "bad-key",
            Fault::ScopeMissing => "scope-missing",
            Fault::RateLimited(_) => "rate-limited",
            Fault::NotFound => "not-found",
            Fault::MalformedBody => "malformed-body",
            Fault::IdempotencyKeyMissing => "idempotency-key-missing",
            Fault::IdempotencyConflict => "idempotency-conflict",
            Fault::Required => "required",
            Fault::Invalid => "invalid",
            Fault::CardNumber => "card-number",
            Fault::Currency => "currency",
            Fault::SettlementRequired => "settlement-required",
            Fault::AboveAuthorised => "above-authorised",
            Fault::AlreadyCaptured => "already-captured",
            Fault::AboveCaptured => "above-captured",
            Fault::AlreadySubmitted => "already-submitted",
            Fault::NotCancellable => "not-cancellable",
            Fault::Cancelled => "cancelled",
            Fault::WrongParent => "wrong-parent",
            Fault::AboveMaxInstallments => "above-max-installments",
            Fault::SubMerchant => "sub-merchant",
            Fault::Internal => "internal",
        }
    }

    /// Every fault, for the reference page.
    pub const ALL: [Fault; 23] = [
        Fault::MissingKey,
        Fault::BadKey,
        Fault::ScopeMissing,
        Fault::RateLimited(1),
        Fault::NotFound,
        Fault::MalformedBody,
        Fault::IdempotencyKeyMissing,
        Fault::IdempotencyConflict,
        Fault::Required,
        Fault::Invalid,
        Fault::CardNumber,
        Fault::Currency,
        Fault::SettlementRequired,
        Fault::AboveAuthorised,
        Fault::AlreadyCaptured,
        Fault::AboveCaptured,
        Fault::AlreadySubmitted,
        Fault::NotCancellable,
        Fault::Cancelled,
        Fault::WrongParent,
        Fault::AboveMaxInstallments,
        Fault::SubMerchant,
        Fault::Internal,
    ];

    /// The sentence for the fault, in `language`.
    pub fn title(self, language: &str) -> &'static str {
        let locale = crate::format::locale(language);
        match self {
            Fault::MissingKey => td_string!(locale, api_fault_missing_key),
            Fault::BadKey => td_string!(locale, api_fault_bad_key),
            Fault::ScopeMissing => td_string!(locale, api_fault_scope_missing),
            Fault::RateLimited(_) => td_string!(locale, api_fault_rate_limited),
            Fault::NotFound => td_string!(locale, api_fault_not_found),
            Fault::MalformedBody => td_string!(locale, api_fault_malformed_body),
            Fault::IdempotencyKeyMissing => td_string!(locale, api_fault_idempotency_key_missing),
            Fault::IdempotencyConflict => td_string!(locale, api_fault_idempotency_conflict),
            Fault::Required => td_string!(locale, api_fault_required),
            Fault::Invalid => td_string!(locale, api_fault_invalid),
            Fault::CardNumber => td_string!(locale, api_fault_card_number),
            Fault::Currency => td_string!(locale, api_fault_currency),
            Fault::SettlementRequired => td_string!(locale, api_fault_settlement_required),
            Fault::AboveAuthorised => td_string!(locale, api_fault_above_authorised),
            Fault::AlreadyCaptured => td_string!(locale, api_fault_already_captured),
            Fault::AboveCaptured => td_string!(locale, api_fault_above_captured),
            Fault::AlreadySubmitted => td_string!(locale, api_fault_already_submitted),
            Fault::NotCancellable => td_string!(locale, api_fault_not_cancellable),
            Fault::Cancelled => td_string!(locale, api_fault_cancelled),
            Fault::WrongParent => td_string!(locale, api_fault_wrong_parent),
            Fault::AboveMaxInstallments => td_string!(locale, api_fault_above_max_installments),
            Fault::SubMerchant => td_string!(locale, api_fault_sub_merchant),
            Fault::Internal => td_string!(locale, api_fault_internal),
        }
    }
}

/// A refusal: the fault and the field at fault, if one is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub fault: Fault,
    pub field: Option<String>,
    /// A more precise sentence than the fault's, when there is one (why a date range is refused).
    pub detail: Option<String>,
}

impl Problem {
    pub fn new(fault: Fault) -> Problem {
        Problem { fault, field: None, detail: None }
    }

    pub fn at(fault: Fault, field: impl Into<String>) -> Problem {
        Problem { fault, field: Some(field.into()), detail: None }
    }

    /// The problem document, in `language`.
    pub fn body(&self, language: &str) -> serde_json::Value {
        let title = self.fault.title(language);
        let detail = match &self.field {
            _ if self.detail.is_some() => self.detail.clone().unwrap_or_default(),
            Some(field) => {
                let locale = crate::format::locale(language);
                crate::format::fill(td_string!(locale, api_fault_detail_field), &[("title", title), ("field", field)])
            }
            None => title.to_owned(),
        };
        let document = ProblemDocument::new(self.fault, title, detail, self.field.clone());
        serde_json::to_value(document).unwrap_or_default()
    }

    /// The response, in `language`.
    pub fn response(&self, language: &str) -> Response {
        let mut response = json_response(self.fault.status(), &self.body(language), PROBLEM_JSON);
        if let Fault::RateLimited(seconds) = self.fault {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

impl From<sqlx::Error> for Problem {
    fn from(error: sqlx::Error) -> Problem {
        tracing::error!(%error, "gateway API: database");
        Problem::new(Fault::Internal)
    }
}

pub const PROBLEM_JSON: &str = "application/problem+json";
pub const JSON: &str = "application/json";

/// A JSON body with its status and content type.
pub fn json_response<T: serde::Serialize + ?Sized>(
    status: StatusCode,
    body: &T,
    content_type: &'static str,
) -> Response {
    let mut response = (status, serde_json::to_string(body).unwrap_or_default()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The caller's language for problem documents: English when `Accept-Language` puts it first,
/// French (the portal's default) otherwise.
pub fn language(headers: &HeaderMap) -> &'static str {
    let first = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(',').next())
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if first.starts_with("en") {
        "en"
    } else {
        "fr"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_names_its_field_and_links_to_its_explanation() {
        let body = Problem::at(Fault::AboveAuthorised, "amount").body("en");
        assert_eq!(body["status"], 422);
        assert_eq!(body["field"], "amount");
        assert_eq!(body["type"], "/developers/api#above-authorised");
        assert!(body["detail"].as_str().unwrap().contains("amount"));
        assert!(Problem::new(Fault::NotFound).body("fr").get("field").is_none());
        let mut codes: Vec<_> = Fault::ALL.iter().map(|fault| fault.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Fault::ALL.len(), "every fault has its own anchor");
    }

    #[test]
    fn english_only_when_asked_first() {
        let mut headers = HeaderMap::new();
        assert_eq!(language(&headers), "fr");
        headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("en-GB,fr;q=0.5"));
        assert_eq!(language(&headers), "en");
        headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("fr-FR,en;q=0.5"));
        assert_eq!(language(&headers), "fr");
    }
}
