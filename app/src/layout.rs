//! The frame every page shares: header (identity, language switch), navigation, footer, and the
//! heading block pages start with. The layout is one column on a phone and widens from 48rem.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

/// The top bar: portal name, who is signed in, the language switch; then the navigation.
#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#content">{t!(i18n, skip_to_content)}</a>
        <header class="site-header">
            <div class="site-header__bar">
                <a class="brand" href="/">{t!(i18n, app_name)}</a>
                <div class="identity">
                    <span class="identity__name" data-testid="identity">{t!(i18n, not_signed_in)}</span>
                    <a class="identity__action" href="/login">{t!(i18n, sign_in)}</a>
                </div>
                <LanguageSwitch />
            </div>
            <Nav />
        </header>
    }
}

/// The main navigation; the current page is marked with `aria-current`.
#[component]
fn Nav() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="main-nav" aria-label=move || t_string!(i18n, main_navigation)>
            <ul>
                <li><A href="/" exact=true>{t!(i18n, nav_dashboard)}</A></li>
                <li><A href="/disputes">{t!(i18n, nav_disputes)}</A></li>
                <li><A href="/payments">{t!(i18n, nav_payments)}</A></li>
                <li><A href="/transactions">{t!(i18n, nav_transactions)}</A></li>
                <li><A href="/statements">{t!(i18n, nav_statements)}</A></li>
                <li><A href="/messages">{t!(i18n, nav_messages)}</A></li>
                <li><A href="/profile">{t!(i18n, nav_profile)}</A></li>
            </ul>
        </nav>
    }
}

/// The other language of the two the portal speaks.
fn other_locale(locale: Locale) -> Locale {
    match locale {
        Locale::fr => Locale::en,
        Locale::en => Locale::fr,
    }
}

/// Switches between French and English. Without JavaScript the form posts to `/language`, which
/// sets the same cookie and redirects back; with it, the page switches in place.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let target = move || other_locale(i18n.get_locale());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        i18n.set_locale(target());
    };
    view! {
        <form class="language-switch" method="post" action="/language" on:submit=on_submit>
            <input type="hidden" name="lang" value=move || target().as_str() />
            <button type="submit" lang=move || target().as_str() data-testid="language-switch">
                {t!(i18n, switch_language)}
            </button>
        </form>
    }
}

/// The heading block of a page: its title and one sentence on what it holds.
#[component]
pub fn PageHeading(title: Signal<String>, intro: Signal<String>) -> impl IntoView {
    view! {
        <div class="page-heading">
            <h1>{title}</h1>
            <p class="page-heading__intro">{intro}</p>
        </div>
    }
}

/// Shown for any path no page answers.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <div class="page-heading">
            <h1>{t!(i18n, not_found_title)}</h1>
            <p class="page-heading__intro">{t!(i18n, not_found_body)}</p>
            <p><a href="/">{t!(i18n, back_to_dashboard)}</a></p>
        </div>
    }
}

/// Customer-service contact, on every page.
#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{t!(i18n, footer_phone)}</p>
        </footer>
    }
}
