//! The messages page: secure messages and the live chat.

use crate::i18n::*;
use crate::web::page::PageHeading;
use leptos::prelude::*;

/// Secure messages and live chat.
#[component]
pub fn MessagesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading
            title=Signal::derive(move || t_string!(i18n, nav_messages).to_owned())
            intro=Signal::derive(move || t_string!(i18n, messages_intro).to_owned())
        />
        <p class="notice">{t!(i18n, sign_in_to_continue)}</p>
    }
}
