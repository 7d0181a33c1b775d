//! The money files: the transactions of a search (`/transactions/export`), a statement as PDF
//! or CSV (`/statements/{month}/pdf|csv`), and the finance team's payments file with or without
//! reconciliation (`/reports/payments`). Every request names its establishment, checked against
//! the caller's scope before anything is read; a bad request is answered 400 with the reason.

use super::columns;
use super::export::{self, WriteError};
use super::filter::{establishment, refusal_message, requested_establishment, Range, Refusal, TransactionFilter};
use super::{reports, statements, transactions};
use crate::accounts::caller::Caller;
use crate::services::Services;
use crate::AppError;
use axum::extract::{FromRef, Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Services: FromRef<S>,
{
    Router::new()
        .route("/transactions/export", get(transactions_file))
        .route("/statements/{month}/pdf", get(statement_pdf))
        .route("/statements/{month}/csv", get(statement_csv))
        .route("/reports/payments", get(payments_file))
        .route("/reports/file", get(report_file))
}

/// `GET /reports/file?kind=…&…` (the reports form): on to the file the form chose.
async fn report_file(_caller: Caller, RawQuery(query): RawQuery) -> Response {
    let query = query.unwrap_or_default();
    let kind = url::form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "kind")
        .map(|(_, kind)| kind.into_owned());
    let kept: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(url::form_urlencoded::parse(query.as_bytes()).filter(|(name, _)| name != "kind"))
        .finish();
    let to = match kind.as_deref() {
        Some("transactions") => format!("/transactions/export?{kept}"),
        Some("payments") => format!("/reports/payments?{kept}"),
        Some("reconciliation") => format!("/reports/payments?{kept}&reconciliation=1"),
        _ => return AppError::NotFound.into_response(),
    };
    axum::response::Redirect::to(&to).into_response()
}

fn refused(refusal: Refusal, caller: &Caller) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        refusal_message(refusal, &caller.language),
    )
        .into_response()
}

/// `GET /transactions/export?…`: the whole search as CSV, streamed.
async fn transactions_file(State(services): State<Services>, caller: Caller, RawQuery(query): RawQuery) -> Response {
    let filter = match TransactionFilter::parse(query.as_deref().unwrap_or(""), crate::clock::paris_today()) {
        Ok(filter) => filter,
        Err(refusal) => return refused(refusal, &caller),
    };
    let scope = match establishment(&caller, filter.establishment) {
        Ok(scope) => scope.id,
        Err(error) => return error.into_response(),
    };
    let name = format!("transactions-{scope}-{}-{}.csv", filter.range.from, filter.range.to);
    export::stream(&name, &columns::transactions(crate::format::locale(&caller.language)), move |mut sink| async move {
        transactions::write_all(&services.db, scope, &filter, &mut sink).await?;
        Ok(sink)
    })
}

/// The statement of `month` for the establishment the query names.
async fn statement_of(
    services: &Services,
    caller: &Caller,
    month: &str,
    query: Option<String>,
) -> Result<(statements::Holder, statements::Statement, Vec<statements::StatementLine>), Response> {
    let requested =
        requested_establishment(query.as_deref().unwrap_or("")).map_err(|refusal| refused(refusal, caller))?;
    let scope = establishment(caller, requested).map_err(IntoResponse::into_response)?;
    let month = statements::online_month(month, crate::clock::paris_today())
        .ok_or_else(|| AppError::NotFound.into_response())?;
    statements::detail(&services.db, scope.id, &month)
        .await
        .map_err(|error| AppError::from(error).into_response())?
        .ok_or_else(|| AppError::NotFound.into_response())
}

/// `GET /statements/{month}/pdf?establishment=…`
async fn statement_pdf(
    State(services): State<Services>,
    caller: Caller,
    Path(month): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    match statement_of(&services, &caller, &month, query).await {
        Ok((holder, statement, lines)) => {
            let bytes = super::pdf::statement(&holder, &statement, &lines, &caller.language);
            let name = format!("statement-{}-{}.pdf", holder.number, statement.month);
            (
                [
                    (header::CONTENT_TYPE, "application/pdf".to_owned()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                bytes,
            )
                .into_response()
        }
        Err(response) => response,
    }
}

/// `GET /statements/{month}/csv?establishment=…`
async fn statement_csv(
    State(services): State<Services>,
    caller: Caller,
    Path(month): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    match statement_of(&services, &caller, &month, query).await {
        Ok((holder, statement, lines)) => {
            let name = format!("statement-{}-{}.csv", holder.number, statement.month);
            let language = caller.language.clone();
            export::stream(
                &name,
                &columns::statement(crate::format::locale(&caller.language)),
                move |mut sink| async move {
                    let locale = crate::format::locale(&language);
                    for line in &lines {
                        sink.row([
                            line.date.as_str(),
                            line.kind.as_str(),
                            &export::text(&statements::line_label(line, locale)),
                            &export::text(line.payment.as_deref().unwrap_or("")),
                            &crate::format::plain(line.amount, &statement.currency),
                            &export::text(&statement.currency),
                        ])
                        .await?;
                    }
                    Ok::<_, WriteError>(sink)
                },
            )
        }
        Err(response) => response,
    }
}

/// `GET /reports/payments?establishment=…&from=…&to=…&reconciliation=1`: the paid and pending
/// payments dated in the range; with reconciliation, each followed by the submissions,
/// transactions and adjustments it settles.
async fn payments_file(State(services): State<Services>, caller: Caller, RawQuery(query): RawQuery) -> Response {
    let query = query.unwrap_or_default();
    let today = crate::clock::paris_today();
    let filter = match TransactionFilter::parse(&query, today) {
        Ok(filter) => filter,
        Err(refusal) => return refused(refusal, &caller),
    };
    let reconciliation =
        url::form_urlencoded::parse(query.as_bytes()).any(|(name, value)| name == "reconciliation" && value == "1");
    let scope = match establishment(&caller, filter.establishment) {
        Ok(scope) => scope.id,
        Err(error) => return error.into_response(),
    };
    let range: Range = filter.range;
    let name = format!(
        "payments{}-{scope}-{}-{}.csv",
        if reconciliation { "-reconciliation" } else { "" },
        range.from,
        range.to
    );
    let locale = crate::format::locale(&caller.language);
    let header = if reconciliation { columns::reconciliation(locale) } else { columns::payments(locale) };
    export::stream(&name, &header, move |mut sink| async move {
        reports::write_payments(&services.db, scope, range, reconciliation, &mut sink).await?;
        Ok(sink)
    })
}
