//! The money pages: `/transactions` (search and CSV), `/payments` (paid and pending tabs),
//! `/payments/{reference}`, `/statements`, `/statements/{month}` and `/reports` (files for
//! finance teams). Rendered on the server, whole; their forms are GETs, so every view has its
//! own address. The files themselves are served by `money::http`.

use crate::i18n::*;
use crate::web::context::query;
use crate::web::page::{language, server_body, PageHeading};
use crate::AppError;
use leptos::prelude::*;

mod server {
    use crate::accounts::caller::Caller;
    use crate::money::filter::Refusal;
    use crate::money::views::Choices;
    use crate::services::Services;
    use crate::AppError;

    pub fn context() -> Result<(Caller, Services), AppError> {
        use crate::web::context::{caller, services};
        Ok((caller()?, services()?))
    }

    pub fn choices(caller: &Caller) -> Choices {
        caller.establishments.iter().map(|scope| (scope.id, scope.name.clone())).collect()
    }

    /// The `establishment` of a query string, checked against the caller's scope.
    pub fn chosen(caller: &Caller, query: &str) -> Result<i64, AppError> {
        // A malformed id is "not found" on a page, like another tenant's.
        let requested = crate::money::filter::requested_establishment(query).map_err(|_| AppError::NotFound)?;
        Ok(crate::money::filter::establishment(caller, requested)?.id)
    }

    pub fn message(refusal: Refusal, language: &str) -> &'static str {
        crate::money::filter::refusal_message(refusal, language)
    }
}

async fn transactions_body(language: String, query: String) -> Result<impl IntoView, AppError> {
    use crate::money::filter::TransactionFilter;
    use crate::money::views::TransactionsBody;
    let (caller, services) = server::context()?;
    let today = crate::clock::paris_today();
    let parsed = TransactionFilter::parse(&query, today);
    // The establishment is checked first, whatever else is wrong.
    let chosen = server::chosen(&caller, &query)?;
    let mut details = Default::default();
    let (filter, result) = match parsed {
        Ok(filter) => {
            let page = crate::money::transactions::search(&services.db, chosen, &filter).await?;
            let ids: Vec<i64> = page.rows.iter().map(|row| row.id).collect();
            details = crate::transaction_details::store::details_of(&services.db, &ids).await?;
            (filter, Ok(page))
        }
        Err(refusal) => {
            let fallback = TransactionFilter::parse("", today).expect("the default search is valid");
            (fallback, Err(server::message(refusal, &language)))
        }
    };
    let choices = server::choices(&caller);
    Ok(view! { <TransactionsBody choices chosen filter result details language /> })
}

async fn payments_body(language: String, query: String) -> Result<impl IntoView, AppError> {
    use crate::money::filter::Range;
    use crate::money::payments::{list, Tab};
    use crate::money::views::PaymentsBody;
    let (caller, services) = server::context()?;
    let chosen = server::chosen(&caller, &query)?;
    let tab = url::form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "tab")
        .map(|(_, value)| Tab::parse(&value).ok_or(AppError::NotFound))
        .transpose()?
        .unwrap_or(Tab::Paid);
    let payments = list(&services.db, chosen, tab, Range::online(crate::clock::paris_today())).await?;
    let choices = server::choices(&caller);
    Ok(view! { <PaymentsBody choices chosen tab payments language /> })
}

async fn payment_body(language: String, reference: String) -> Result<impl IntoView, AppError> {
    use crate::money::views::PaymentBody;
    let (caller, services) = server::context()?;
    let today = crate::clock::paris_today();
    let (establishment, payment, lines) =
        crate::money::payments::detail(&services.db, &caller.establishment_ids(), &reference, today)
            .await?
            .ok_or(AppError::NotFound)?;
    Ok(view! { <PaymentBody establishment payment lines language /> })
}

async fn statements_body(language: String, query: String) -> Result<impl IntoView, AppError> {
    use crate::money::views::StatementsBody;
    let (caller, services) = server::context()?;
    let chosen = server::chosen(&caller, &query)?;
    let statements = crate::money::statements::list(&services.db, chosen, crate::clock::paris_today()).await?;
    let choices = server::choices(&caller);
    Ok(view! { <StatementsBody choices chosen statements language /> })
}

async fn statement_body(language: String, month: String, query: String) -> Result<impl IntoView, AppError> {
    use crate::money::statements;
    use crate::money::views::StatementBody;
    let (caller, services) = server::context()?;
    let establishment = server::chosen(&caller, &query)?;
    let month = statements::online_month(&month, crate::clock::paris_today()).ok_or(AppError::NotFound)?;
    let (holder, statement, lines) =
        statements::detail(&services.db, establishment, &month).await?.ok_or(AppError::NotFound)?;
    Ok(view! { <StatementBody establishment holder statement lines language /> })
}

async fn reports_body(query: String) -> Result<impl IntoView, AppError> {
    use crate::money::views::ReportsBody;
    let (caller, _) = server::context()?;
    let chosen = server::chosen(&caller, &query)?;
    let choices = server::choices(&caller);
    Ok(view! { <ReportsBody choices chosen /> })
}

/// A path parameter of the route.
fn parameter(name: &'static str) -> String {
    leptos_router::hooks::use_params_map().with_untracked(|params| params.get(name)).unwrap_or_default()
}

/// `/transactions`
#[component]
pub fn TransactionsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=t_string!(i18n, nav_transactions).to_owned() intro=t_string!(i18n, transactions_intro).to_owned() />
        {server_body(transactions_body(language(), query()))}
    }
}

/// `/payments`
#[component]
pub fn PaymentsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=t_string!(i18n, nav_payments).to_owned() intro=t_string!(i18n, payments_intro).to_owned() />
        {server_body(payments_body(language(), query()))}
    }
}

/// `/payments/{reference}`
#[component]
pub fn PaymentPage() -> impl IntoView {
    let i18n = use_i18n();
    let reference = parameter("reference");
    view! {
        <PageHeading
            title=format!("{} {}", t_string!(i18n, payment_title), reference)
            intro=t_string!(i18n, payment_intro).to_owned()
        />
        {server_body(payment_body(language(), reference))}
    }
}

/// `/statements`
#[component]
pub fn StatementsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=t_string!(i18n, nav_statements).to_owned() intro=t_string!(i18n, statements_intro).to_owned() />
        {server_body(statements_body(language(), query()))}
    }
}

/// `/statements/{month}`
#[component]
pub fn StatementPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=t_string!(i18n, statement_title).to_owned() intro=t_string!(i18n, statement_intro).to_owned() />
        {server_body(statement_body(language(), parameter("month"), query()))}
    }
}

/// `/reports`
#[component]
pub fn ReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading title=t_string!(i18n, nav_reports).to_owned() intro=t_string!(i18n, reports_intro).to_owned() />
        {server_body(reports_body(query()))}
    }
}
