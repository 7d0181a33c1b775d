//! The frame every page shares: header (identity, language switch), navigation, footer, and the
//! heading block pages start with. The layout is one column on a phone and widens from 48rem.

use crate::accounts::model::{SessionView, UserKind};
use crate::accounts::pages::{use_session, IdleWarning};
use crate::i18n::*;
use crate::notifications::bell::NotificationBell;
use leptos::either::Either;
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
                <Identity />
                <LanguageSwitch />
            </div>
            <Nav />
        </header>
    }
}

/// Who is signed in, with the sign-out button (a POST form), or the sign-in link; while signed
/// in, the idle timeout warning.
#[component]
fn Identity() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <div class="identity">
            <Suspense>
                {move || Suspend::new(async move {
                    let view = session.await.unwrap_or_default();
                    match view.identity {
                        Some(identity) => Either::Left(view! {
                            <span class="identity__name" data-testid="identity">{identity.username}</span>
                            <NotificationBell count=view.unread_notifications />
                            <form method="post" action="/logout" class="identity__action">
                                <button type="submit" class="button button--link" data-testid="sign-out">{t!(i18n, sign_out)}</button>
                            </form>
                            <IdleWarning timeout_seconds=view.idle_timeout_seconds />
                        }),
                        None => Either::Right(view! {
                            <span class="identity__name" data-testid="identity">{t!(i18n, not_signed_in)}</span>
                            <a class="identity__action" href="/login">{t!(i18n, sign_in)}</a>
                        }),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// Whether the signed-in user administers an organisation (the Users entry).
fn administers(view: &Result<SessionView, crate::AppError>) -> bool {
    matches!(view, Ok(SessionView { identity: Some(identity), .. }) if !identity.administers.is_empty())
}

/// The main navigation; the current page is marked with `aria-current`.
#[component]
fn Nav() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <nav class="main-nav" aria-label=move || t_string!(i18n, main_navigation)>
            <ul>
                <li><A href="/" exact=true>{t!(i18n, nav_dashboard)}</A></li>
                <li><A href="/disputes">{t!(i18n, nav_disputes)}</A></li>
                <li><A href="/payments">{t!(i18n, nav_payments)}</A></li>
                <li><A href="/transactions">{t!(i18n, nav_transactions)}</A></li>
                <li><A href="/statements">{t!(i18n, nav_statements)}</A></li>
                <li><A href="/reports">{t!(i18n, nav_reports)}</A></li>
                <li><A href="/messages">{t!(i18n, nav_messages)}</A></li>
                <li><A href="/profile">{t!(i18n, nav_profile)}</A></li>
                <Suspense>
                    {move || Suspend::new(async move {
                        let view = session.await;
                        let analyst = matches!(&view, Ok(SessionView { identity: Some(identity), .. }) if identity.kind == UserKind::DisputeAnalyst);
                        let admin = matches!(&view, Ok(SessionView { identity: Some(identity), .. }) if identity.kind == UserKind::PlatformAdmin);
                        view! {
                            {administers(&view).then(|| view! {
                                <li><A href="/organisation/users">{t!(i18n, nav_users)}</A></li>
                            })}
                            {analyst.then(|| view! {
                                <li><A href="/review">{t!(i18n, nav_review)}</A></li>
                            })}
                            {admin.then(|| view! {
                                <li><A href="/admin/notifications">{t!(i18n, nav_delivery)}</A></li>
                            })}
                        }
                    })}
                </Suspense>
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
