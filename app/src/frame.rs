//! The frame every page shares, rendered on the server: header (identity, notification bell,
//! language switch), navigation and footer. The layout is one column on a phone and widens from
//! 48rem. The bell and the idle warning are islands; the rest is plain HTML, and the language
//! switch is a form posting to `/language`, which works with or without JavaScript.

use crate::accounts::model::{SessionView, UserKind};
use crate::i18n::*;
use crate::notifications::bell::NotificationBell;
use crate::web::context;
use crate::web::idle::IdleWarning;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;

/// The top bar: portal name, who is signed in, the language switch; then the navigation.
#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = context::session_view().unwrap_or_default();
    view! {
        <a class="skip-link" href="#content">{t!(i18n, skip_to_content)}</a>
        <header class="site-header">
            <div class="site-header__bar">
                <a class="brand" href="/">{t!(i18n, app_name)}</a>
                <Identity session=session.clone() />
                <LanguageSwitch />
            </div>
            <Nav session />
        </header>
    }
}

/// Who is signed in, with the sign-out button (a POST form), or the sign-in link; while signed
/// in, the notification bell and the idle timeout warning.
#[component]
fn Identity(session: SessionView) -> impl IntoView {
    let i18n = use_i18n();
    let body = match session.identity {
        Some(identity) => Either::Left(view! {
            <span class="identity__name" data-testid="identity">{identity.username}</span>
            <NotificationBell
                count=session.unread_notifications
                label=t_string!(i18n, nav_notifications).to_owned()
                unread_label=t_string!(i18n, notifications_unread_count).to_owned()
                new_prefix=t_string!(i18n, notifications_new).to_owned()
            />
            <form method="post" action="/logout" class="identity__action">
                <button type="submit" class="button button--link" data-testid="sign-out">{t!(i18n, sign_out)}</button>
            </form>
            <IdleWarning
                timeout_seconds=session.idle_timeout_seconds
                message=t_string!(i18n, idle_warning).to_owned()
                stay_label=t_string!(i18n, stay_signed_in).to_owned()
            />
        }),
        None => Either::Right(view! {
            <span class="identity__name" data-testid="identity">{t!(i18n, not_signed_in)}</span>
            <a class="identity__action" href="/login">{t!(i18n, sign_in)}</a>
        }),
    };
    view! { <div class="identity">{body}</div> }
}

/// The main navigation; the current page is marked with `aria-current`.
#[component]
fn Nav(session: SessionView) -> impl IntoView {
    let i18n = use_i18n();
    let identity = session.identity;
    let administers = identity.as_ref().is_some_and(|identity| !identity.administers.is_empty());
    let analyst = identity.as_ref().is_some_and(|identity| identity.kind == UserKind::DisputeAnalyst);
    let admin = identity.as_ref().is_some_and(|identity| identity.kind == UserKind::PlatformAdmin);
    view! {
        <nav class="main-nav" aria-label=t_string!(i18n, main_navigation)>
            <ul>
                <li><A href="/" exact=true>{t!(i18n, nav_dashboard)}</A></li>
                <li><A href="/disputes">{t!(i18n, nav_disputes)}</A></li>
                <li><A href="/payments">{t!(i18n, nav_payments)}</A></li>
                <li><A href="/transactions">{t!(i18n, nav_transactions)}</A></li>
                <li><A href="/statements">{t!(i18n, nav_statements)}</A></li>
                <li><A href="/reports">{t!(i18n, nav_reports)}</A></li>
                <li><A href="/messages">{t!(i18n, nav_messages)}</A></li>
                <li><A href="/profile">{t!(i18n, nav_profile)}</A></li>
                {administers.then(|| view! { <li><A href="/organisation/users">{t!(i18n, nav_users)}</A></li> })}
                {analyst.then(|| view! { <li><A href="/review">{t!(i18n, nav_review)}</A></li> })}
                {admin.then(|| view! { <li><A href="/admin/notifications">{t!(i18n, nav_delivery)}</A></li> })}
            </ul>
        </nav>
    }
}

/// Switches between French and English: the form posts to `/language`, which sets the cookie,
/// saves a signed-in user's choice and sends the browser back to the same page.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let target = match i18n.get_locale_untracked() {
        Locale::fr => Locale::en,
        Locale::en => Locale::fr,
    };
    view! {
        <form class="language-switch" method="post" action="/language">
            <input type="hidden" name="lang" value=target.as_str() />
            <button type="submit" lang=target.as_str() data-testid="language-switch">
                {t!(i18n, switch_language)}
            </button>
        </form>
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
