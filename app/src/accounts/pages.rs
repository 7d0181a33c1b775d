//! The account summary (dashboard) and the profile page.

use crate::i18n::*;
use crate::layout::PageHeading;
use leptos::prelude::*;

/// The account summary: the first page after signing in.
#[component]
pub fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading
            title=Signal::derive(move || t_string!(i18n, nav_dashboard).to_owned())
            intro=Signal::derive(move || t_string!(i18n, dashboard_intro).to_owned())
        />
        <p class="notice">{t!(i18n, sign_in_to_continue)}</p>
    }
}

/// The user's profile: email, preferences, password, business information.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading
            title=Signal::derive(move || t_string!(i18n, nav_profile).to_owned())
            intro=Signal::derive(move || t_string!(i18n, profile_intro).to_owned())
        />
        <p class="notice">{t!(i18n, sign_in_to_continue)}</p>
    }
}
