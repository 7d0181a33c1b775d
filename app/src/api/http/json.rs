//! The JSON API (`/api/v1/...`): thin handlers that authenticate the key (`ApiCaller`), read
//! the `Idempotency-Key` of a POST, refuse a body holding a full card number before anything
//! reads it, and answer with the domain's JSON or its problem document.

use crate::api::keys::{ApiCaller, Refused, Scope};
use crate::api::operations::{self, establishment_for_key, operation_json, valid_idempotency_key};
use crate::api::problem::{json_response, Fault, Problem, JSON};
use crate::api::rules::holds_card_number;
use crate::api::store::operations as store;
use crate::money::filter::{refusal_message, Refusal, TransactionFilter};
use crate::services::Services;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRef, Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

/// Where the API lives.
pub const API_PREFIX: &str = "/api/v1/";
/// The largest request body (an operation with 100 Level 3 lines fits well within it).
const BODY_LIMIT: usize = 64 * 1024;

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
}

/// An answer of the domain as a response; a replayed one says so.
fn answered(answer: operations::Answer, replayed: bool) -> Response {
    let (status, body) = answer;
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let content_type = if status.is_success() { JSON } else { crate::api::problem::PROBLEM_JSON };
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
async fn send_operation(
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
        Ok((answer, replayed)) => answered(answer, replayed),
        Err(problem) => problem.response(caller.language),
    }
}

/// `POST /api/v1/payment-plans/{plan}/terms`
async fn terms(
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
        Ok((answer, replayed)) => answered(answer, replayed),
        Err(problem) => problem.response(caller.language),
    }
}

/// `GET /api/v1/operations/{id}`: an operation of an establishment the key reaches.
async fn read_operation(
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
async fn transactions(
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
        Ok::<_, Problem>(crate::money::transactions::search(&services.db, establishment.id, &filter).await?)
    };
    match page.await {
        Ok(page) => {
            let rows: Vec<Value> = page
                .rows
                .iter()
                .map(|row| {
                    json!({
                        "id": row.id,
                        "occurred_at": row.occurred_at,
                        "type": row.kind,
                        "amount": row.amount,
                        "currency": row.currency,
                        "card_masked": row.card_masked,
                        "reference": row.reference,
                        "payment_plan": row.plan.as_ref().map(|(plan, payments)| json!({ "plan_id": plan, "payments": payments })),
                        "case_number": row.case_number,
                    })
                })
                .collect();
            let next = page.next.map(|(at, id)| format!("{at}_{id}"));
            json_response(StatusCode::OK, &json!({ "transactions": rows, "next_after": next }), JSON)
        }
        Err(problem) => problem.response(caller.language),
    }
}
