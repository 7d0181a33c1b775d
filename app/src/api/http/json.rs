//! The JSON API (`/api/v1/...`): thin handlers that authenticate the key (`ApiCaller`), read
//! the `Idempotency-Key` of a POST, refuse a body holding a full card number before anything
//! reads it, and answer with the domain's JSON or its problem document.

use crate::api::keys::{ApiCaller, Refused, Scope};
use crate::api::operations::{self, establishment_for_key, operation_json, valid_idempotency_key};
use crate::api::problem::{json_response, Fault, Problem, JSON};
use crate::api::rules::holds_card_number;
use crate::api::store::operations as store;
use crate::api::wire::{Transaction, TransactionPage};
#[allow(unused_imports)] // named by the OpenAPI attributes
use crate::api::{
    problem::{PostRefusals, ProblemDocument, ReadRefusals},
    wire::{Operation, OperationBody, PaymentTerms, TermsBody},
};
use crate::money::filter::{refusal_message, Refusal, TransactionFilter};
use crate::services::Services;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRef, Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

/// Where the API lives.
pub const API_PREFIX: &str = "/api/v1/";
/// The largest request body (an operation with 100 Level 3 lines fits well within it).
const BODY_LIMIT: usize = 64 * 1024;
/// The largest capture file (50,000 lines of about 60 bytes fit within it).
const FILE_LIMIT: usize = 4 * 1024 * 1024;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Services: FromRef<S>,
{
    Router::new()
        .route("/api/v1/operations", post(send_operation).layer(DefaultBodyLimit::max(BODY_LIMIT)))
        .route("/api/v1/operations/{id}", get(read_operation))
        .route("/api/v1/transactions", get(transactions))
        .route("/api/v1/payment-plans/{plan}/terms", post(terms).layer(DefaultBodyLimit::max(BODY_LIMIT)))
        .route("/api/v1/capture-files", post(capture_file).layer(DefaultBodyLimit::max(FILE_LIMIT)))
}

/// An answer of the domain as a response, a success as `success_type`, a refusal as a problem
/// document; a replayed one says so.
fn answered(answer: operations::Answer, replayed: bool, success_type: &'static str) -> Response {
    let (status, body) = answer;
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let content_type = if status.is_success() { success_type } else { crate::api::problem::PROBLEM_JSON };
    let mut response = (status, body).into_response();
    response.headers_mut().insert(axum::http::header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if replayed {
        response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}

/// The checks every POST shares: the key, no card number, an `Idempotency-Key`.
fn post_checks<'h>(headers: &'h HeaderMap, body: &[u8]) -> Result<&'h str, Problem> {
    // Refused before any other reading: the number is never parsed, stored or logged.
    if holds_card_number(body) {
        return Err(Problem::new(Fault::CardNumber));
    }
    headers
        .get("idempotency-key")
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|key| valid_idempotency_key(key))
        .ok_or(Problem::new(Fault::IdempotencyKeyMissing))
}

/// The start every POST shares: the key authenticated, then [`post_checks`].
fn begin_post<'h>(
    caller: Result<ApiCaller, Refused>,
    headers: &'h HeaderMap,
    body: &[u8],
) -> Result<(ApiCaller, &'h str), Response> {
    let caller = caller.map_err(IntoResponse::into_response)?;
    match post_checks(headers, body) {
        Ok(key) => Ok((caller, key)),
        Err(problem) => Err(problem.response(caller.language)),
    }
}

/// `POST /api/v1/operations`
#[utoipa::path(
    post,
    path = "/api/v1/operations",
    tag = "operations",
    summary = "Send a card operation",
    params(("Idempotency-Key" = String, Header, description = "1 to 255 visible ASCII characters; a retry with the same key and body gets the first answer")),
    request_body = OperationBody,
    responses(
        (status = 201, description = "The operation, approved or declined", body = Operation),
        PostRefusals,
    ),
    security(("bearer" = []))
)]
pub(super) async fn send_operation(
    State(services): State<Services>,
    caller: Result<ApiCaller, Refused>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (caller, key) = match begin_post(caller, &headers, &body) {
        Ok(begun) => begun,
        Err(refused) => return refused,
    };
    match operations::send(&services.db, &caller, key, &body).await {
        Ok((answer, replayed)) => answered(answer, replayed, JSON),
        Err(problem) => problem.response(caller.language),
    }
}

/// `POST /api/v1/payment-plans/{plan}/terms`
#[utoipa::path(
    post,
    path = "/api/v1/payment-plans/{plan}/terms",
    tag = "payment plans",
    summary = "Ask the payment terms of a plan",
    params(("plan" = String, Path, description = "`PLANAMEX`"), ("Idempotency-Key" = String, Header, description = "1 to 255 visible ASCII characters; a retry with the same key and body gets the first answer")),
    request_body = TermsBody,
    responses(
        (status = 200, description = "The terms", body = PaymentTerms),
        PostRefusals,
    ),
    security(("bearer" = []))
)]
pub(super) async fn terms(
    State(services): State<Services>,
    caller: Result<ApiCaller, Refused>,
    Path(plan): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (caller, key) = match begin_post(caller, &headers, &body) {
        Ok(begun) => begun,
        Err(refused) => return refused,
    };
    match operations::terms_inquiry(&services.db, &caller, &plan, key, &body).await {
        Ok((answer, replayed)) => answered(answer, replayed, JSON),
        Err(problem) => problem.response(caller.language),
    }
}

/// `POST /api/v1/capture-files`: a CSV file of captures in, its result file out (`text/csv`).
#[utoipa::path(
    post,
    path = "/api/v1/capture-files",
    tag = "operations",
    summary = "Send a file of captures",
    description = "CSV, one header line: establishment_number,parent_operation_id,amount,merchant_reference,settlement_amount,settlement_rate. \
        The answer lists every line: line,result (accepted or refused),operation_id,amount,reason (a problem type),column. \
        The file is applied whole or not at all; sent again, nothing is captured twice.",
    params(("Idempotency-Key" = String, Header, description = "1 to 255 visible ASCII characters; the same file sent again with the same key gets the first result file")),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, description = "The result file", body = String, content_type = "text/csv"),
        (status = 400, description = "Not a capture file (header, encoding, no line), or no `Idempotency-Key`", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 401, description = "No key, or an unknown or revoked one", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the scope", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 409, description = "The `Idempotency-Key` was used with another file", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 413, description = "The file is above 4 MiB"),
        (status = 422, description = "A full card number in the file", body = ProblemDocument, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests for this key (`Retry-After`)", body = ProblemDocument, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(super) async fn capture_file(
    State(services): State<Services>,
    caller: Result<ApiCaller, Refused>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (caller, key) = match begin_post(caller, &headers, &body) {
        Ok(begun) => begun,
        Err(refused) => return refused,
    };
    match crate::api::batch::send_file(&services.db, &caller, key, &body).await {
        Ok((answer, replayed)) => answered(answer, replayed, "text/csv; charset=utf-8"),
        Err(problem) => problem.response(caller.language),
    }
}

/// `GET /api/v1/operations/{id}`: an operation of an establishment the key reaches.
#[utoipa::path(
    get,
    path = "/api/v1/operations/{id}",
    tag = "operations",
    summary = "Read an operation",
    params(("id" = String, Path, description = "The operation's id")),
    responses(
        (status = 200, description = "The operation", body = Operation),
        ReadRefusals,
    ),
    security(("bearer" = []))
)]
pub(super) async fn read_operation(
    State(services): State<Services>,
    caller: Result<ApiCaller, Refused>,
    Path(id): Path<String>,
) -> Response {
    let caller = match caller {
        Ok(caller) => caller,
        Err(refused) => return refused.into_response(),
    };
    let found = async {
        caller.key.require(Scope::Read)?;
        let id: i64 = id.parse().map_err(|_| Problem::new(Fault::NotFound))?;
        store::operation_by_id(&services.db, id)
            .await?
            .filter(|row| caller.key.reaches(row.establishment_id, row.organisation_id))
            .ok_or(Problem::new(Fault::NotFound))
    };
    match found.await {
        Ok(row) => json_response(StatusCode::OK, &operation_json(&row), JSON),
        Err(problem) => problem.response(caller.language),
    }
}

/// The query parameter a transaction search refusal is about.
fn refused_field(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::BadDate | Refusal::Reversed | Refusal::Future | Refusal::TooOld | Refusal::TooLong => "from",
        Refusal::BadAmount => "amount_min",
        Refusal::BadCard => "card",
        Refusal::BadKind => "kind",
        Refusal::BadParameter => "after",
    }
}

/// `GET /api/v1/transactions?establishment_number=…&from=…&to=…&kind=…&after=…`: a page of 50,
/// newest first, within the last 35 days as on the pages.
#[utoipa::path(
    get,
    path = "/api/v1/transactions",
    tag = "transactions",
    summary = "Search an establishment's transactions",
    params(
        ("establishment_number" = String, Query, description = "Ten digits"),
        ("from" = Option<String>, Query, description = "First day, `YYYY-MM-DD`, within the last 35 days"),
        ("to" = Option<String>, Query, description = "Last day, `YYYY-MM-DD`"),
        ("kind" = Option<String>, Query, description = "`charge`, `refund`, `cancellation` or `chargeback`"),
        ("after" = Option<String>, Query, description = "The previous page's `next_after`"),
    ),
    responses(
        (status = 200, description = "A page of 50 transactions", body = TransactionPage),
        ReadRefusals,
    ),
    security(("bearer" = []))
)]
pub(super) async fn transactions(
    State(services): State<Services>,
    caller: Result<ApiCaller, Refused>,
    RawQuery(query): RawQuery,
) -> Response {
    let caller = match caller {
        Ok(caller) => caller,
        Err(refused) => return refused.into_response(),
    };
    let query = query.unwrap_or_default();
    let page = async {
        caller.key.require(Scope::Read)?;
        let number = url::form_urlencoded::parse(query.as_bytes())
            .find(|(name, _)| name == "establishment_number")
            .map(|(_, value)| value.trim().to_owned())
            .ok_or(Problem::at(Fault::Required, "establishment_number"))?;
        let establishment = establishment_for_key(&services.db, &caller, &number, "establishment_number").await?;
        let filter = TransactionFilter::parse(&query, crate::clock::paris_today()).map_err(|refusal| Problem {
            detail: Some(refusal_message(refusal, caller.language).to_owned()),
            ..Problem::at(Fault::Invalid, refused_field(refusal))
        })?;
        let page = crate::money::transactions::search(&services.db, establishment.id, &filter).await?;
        let ids: Vec<i64> = page.rows.iter().map(|row| row.id).collect();
        let details = crate::transaction_details::store::details_of(&services.db, &ids).await?;
        Ok::<_, Problem>((page, details))
    };
    match page.await {
        Ok((page, details)) => {
            let answer = TransactionPage {
                transactions: page.rows.iter().map(|row| Transaction::new(row, details.get(&row.id))).collect(),
                next_after: page.next.map(|(at, id)| format!("{at}_{id}")),
            };
            json_response(StatusCode::OK, &answer, JSON)
        }
        Err(problem) => problem.response(caller.language),
    }
}
