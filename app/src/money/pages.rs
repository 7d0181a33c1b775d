//! The money pages: `/transactions` (search and CSV), `/payments` (paid and pending tabs),
//! `/payments/{reference}`, `/statements`, `/statements/{month}` and `/reports` (files for
//! finance teams). Rendered on the server, whole; their forms are GETs, so every view has its
//! own address. The files themselves are served by `money::handlers`.

// The bodies are rendered on the server only; the wasm build sees them unused.
#![cfg_attr(not(feature = "ssr"), allow(dead_code))]

use crate::accounts::pages::{query_page, ServerSection};
use crate::i18n::*;
use crate::layout::PageHeading;
use crate::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server {
    use crate::accounts::caller::Caller;
    use crate::money::filter::Refusal;
    use crate::money::views::Choices;
    use crate::services::Services;
    use crate::AppError;

    pub fn context() -> Result<(Caller, Services), AppError> {
        use crate::accounts::api::server::{caller, services};
        Ok((caller()?, services()?))
    }

    pub fn choices(caller: &Caller) -> Choices {
        caller.establishments.iter().map(|scope| (scope.id, scope.name.clone())).collect()
    }

    /// The `establishment` of a query string, checked against the caller's scope.
    pub fn chosen(caller: &Caller, query: &str) -> Result<i64, AppError> {
        // A malformed id is "not found" on a page, like another tenant's.
        let requested = crate::money::handlers::requested_establishment(query).map_err(|_| AppError::NotFound)?;
        Ok(crate::money::handlers::establishment(caller, requested)?.id)
    }

    pub fn message(refusal: Refusal, language: &str) -> &'static str {
        crate::money::handlers::refusal_message(refusal, language)
    }

    pub fn render<V: leptos::prelude::IntoView + 'static>(
        language: &str,
        body: impl FnOnce(String) -> V + Send + 'static,
    ) -> String {
        let body_language = language.to_owned();
        crate::accounts::pages::render_html(language, move || body(body_language))
    }
}

#[server(endpoint = "render_transactions")]
pub async fn render_transactions(language: String, query: String) -> Result<String, AppError> {
    let rendered = async {
        use crate::money::filter::TransactionFilter;
        use crate::money::views::TransactionsBody;
        let (caller, services) = server::context()?;
        let today = crate::clock::paris_today();
        let parsed = TransactionFilter::parse(&query, today);
        // The establishment is checked first, whatever else is wrong.
        let chosen = server::chosen(&caller, &query)?;
        let (filter, result) = match parsed {
            Ok(filter) => {
                let page = crate::money::transactions::search(&services.db, chosen, &filter).await?;
                (filter, Ok(page))
            }
            Err(refusal) => {
                let fallback = TransactionFilter::parse("", today).expect("the default search is valid");
                (fallback, Err(server::message(refusal, &language)))
            }
        };
        let choices = server::choices(&caller);
        Ok(server::render(&language, move |language| {
            view! { <TransactionsBody choices chosen filter result language /> }
        }))
    };
    crate::accounts::pages::or_problem(&language, rendered.await)
}

#[server(endpoint = "render_payments")]
pub async fn render_payments(language: String, query: String) -> Result<String, AppError> {
    let rendered = async {
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
        Ok(server::render(&language, move |language| {
            view! { <PaymentsBody choices chosen tab payments language /> }
        }))
    };
    crate::accounts::pages::or_problem(&language, rendered.await)
}

#[server(endpoint = "render_payment")]
pub async fn render_payment(language: String, reference: String) -> Result<String, AppError> {
    let rendered = async {
        use crate::money::views::PaymentBody;
        let (caller, services) = server::context()?;
        let today = crate::clock::paris_today();
        let (establishment, payment, lines) =
            crate::money::payments::detail(&services.db, &caller.establishment_ids(), &reference, today)
                .await?
                .ok_or(AppError::NotFound)?;
        Ok(server::render(&language, move |language| view! { <PaymentBody establishment payment lines language /> }))
    };
    crate::accounts::pages::or_problem(&language, rendered.await)
}

#[server(endpoint = "render_statements")]
pub async fn render_statements(language: String, query: String) -> Result<String, AppError> {
    let rendered = async {
        use crate::money::views::StatementsBody;
        let (caller, services) = server::context()?;
        let chosen = server::chosen(&caller, &query)?;
        let statements = crate::money::statements::list(&services.db, chosen, crate::clock::paris_today()).await?;
        let choices = server::choices(&caller);
        Ok(server::render(&language, move |language| {
            view! { <StatementsBody choices chosen statements language /> }
        }))
    };
    crate::accounts::pages::or_problem(&language, rendered.await)
}

#[server(endpoint = "render_statement")]
pub async fn render_statement(language: String, month: String, query: String) -> Result<String, AppError> {
    let rendered = async {
        use crate::money::statements;
        use crate::money::views::StatementBody;
        let (caller, services) = server::context()?;
        let establishment = server::chosen(&caller, &query)?;
        let month = statements::online_month(&month, crate::clock::paris_today()).ok_or(AppError::NotFound)?;
        let (holder, statement, lines) =
            statements::detail(&services.db, establishment, &month).await?.ok_or(AppError::NotFound)?;
        Ok(server::render(&language, move |language| {
            view! { <StatementBody establishment holder statement lines language /> }
        }))
    };
    crate::accounts::pages::or_problem(&language, rendered.await)
}

#[server(endpoint = "render_reports")]
pub async fn render_reports(language: String, query: String) -> Result<String, AppError> {
    let rendered = async {
        use crate::money::views::ReportsBody;
        let (caller, _) = server::context()?;
        let chosen = server::chosen(&caller, &query)?;
        let choices = server::choices(&caller);
        Ok(server::render(&language, move |_| view! { <ReportsBody choices chosen /> }))
    };
    crate::accounts::pages::or_problem(&language, rendered.await)
}

/// The page's query string, without its `?`.
fn search() -> Memo<String> {
    let location = leptos_router::hooks::use_location().search;
    Memo::new(move |_| location.get().trim_start_matches('?').to_owned())
}

/// A path parameter of the route.
fn parameter(name: &'static str) -> Memo<String> {
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| params.get().get(name).unwrap_or_default())
}

/// `/transactions`
#[component]
pub fn TransactionsPage() -> impl IntoView {
    let i18n = use_i18n();
    query_page(
        Signal::derive(move || t_string!(i18n, nav_transactions).to_owned()),
        Signal::derive(move || t_string!(i18n, transactions_intro).to_owned()),
        render_transactions,
    )
}

/// `/payments`
#[component]
pub fn PaymentsPage() -> impl IntoView {
    let i18n = use_i18n();
    query_page(
        Signal::derive(move || t_string!(i18n, nav_payments).to_owned()),
        Signal::derive(move || t_string!(i18n, payments_intro).to_owned()),
        render_payments,
    )
}

/// `/payments/{reference}`
#[component]
pub fn PaymentPage() -> impl IntoView {
    let i18n = use_i18n();
    let reference = parameter("reference");
    let html = crate::accounts::pages::section_resource(
        move || (i18n.get_locale().as_str().to_owned(), reference.get()),
        |(language, reference)| render_payment(language, reference),
    );
    view! {
        <PageHeading
            title=Signal::derive(move || format!("{} {}", t_string!(i18n, payment_title), reference.get()))
            intro=Signal::derive(move || t_string!(i18n, payment_intro).to_owned())
        />
        <ServerSection html />
    }
}

/// `/statements`
#[component]
pub fn StatementsPage() -> impl IntoView {
    let i18n = use_i18n();
    query_page(
        Signal::derive(move || t_string!(i18n, nav_statements).to_owned()),
        Signal::derive(move || t_string!(i18n, statements_intro).to_owned()),
        render_statements,
    )
}

/// `/statements/{month}`
#[component]
pub fn StatementPage() -> impl IntoView {
    let i18n = use_i18n();
    let month = parameter("month");
    let query = search();
    let html = crate::accounts::pages::section_resource(
        move || (i18n.get_locale().as_str().to_owned(), month.get(), query.get()),
        |(language, month, query)| render_statement(language, month, query),
    );
    view! {
        <PageHeading
            title=Signal::derive(move || t_string!(i18n, statement_title).to_owned())
            intro=Signal::derive(move || t_string!(i18n, statement_intro).to_owned())
        />
        <ServerSection html />
    }
}

/// `/reports`
#[component]
pub fn ReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    query_page(
        Signal::derive(move || t_string!(i18n, nav_reports).to_owned()),
        Signal::derive(move || t_string!(i18n, reports_intro).to_owned()),
        render_reports,
    )
}
