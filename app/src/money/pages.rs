//! The payments, transactions and statements pages.

use crate::i18n::*;
use crate::layout::PageHeading;
use leptos::prelude::*;

/// Paid and pending payments.
#[component]
pub fn PaymentsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading
            title=Signal::derive(move || t_string!(i18n, nav_payments).to_owned())
            intro=Signal::derive(move || t_string!(i18n, payments_intro).to_owned())
        />
        <p class="notice">{t!(i18n, sign_in_to_continue)}</p>
    }
}

/// The transaction search of one establishment.
#[component]
pub fn TransactionsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading
            title=Signal::derive(move || t_string!(i18n, nav_transactions).to_owned())
            intro=Signal::derive(move || t_string!(i18n, transactions_intro).to_owned())
        />
        <p class="notice">{t!(i18n, sign_in_to_continue)}</p>
    }
}

/// The monthly statements.
#[component]
pub fn StatementsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading
            title=Signal::derive(move || t_string!(i18n, nav_statements).to_owned())
            intro=Signal::derive(move || t_string!(i18n, statements_intro).to_owned())
        />
        <p class="notice">{t!(i18n, sign_in_to_continue)}</p>
    }
}
