//! The merchant's dispute work queues.

use crate::i18n::*;
use crate::layout::PageHeading;
use leptos::prelude::*;

/// The dispute queues: response needed, under review, closed.
#[component]
pub fn DisputesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading
            title=Signal::derive(move || t_string!(i18n, nav_disputes).to_owned())
            intro=Signal::derive(move || t_string!(i18n, disputes_intro).to_owned())
        />
        <p class="notice">{t!(i18n, sign_in_to_continue)}</p>
    }
}
