//! The frame every page shares, rendered on the server: header (identity, notification bell,
//! language switch, and for merchants the live chat's entry), navigation and footer. The layout is one column on a phone and widens from
//! 48rem. The bell and the idle warning are islands; the rest is plain HTML, and the language
//! switch is a form posting to `/language`, which works with or without JavaScript.

use crate::accounts::model::{SessionView, UserKind};
use crate::format;
use crate::i18n::*;
use crate::notifications::bell::NotificationBell;
use crate::web::context;
use crate::web::idle::IdleWarning;
use leptos::either::Either;
use leptos::prelude::*;

/// The top bar: portal name, who is signed in, the language switch; then the navigation.
#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = context::session_view().unwrap_or_default();
    // Merchants reach customer service's live chat from every page.
    let merchant = session.identity.as_ref().is_some_and(|identity| identity.kind == UserKind::Merchant);
    view! {
        <a class="skip-link" href="#content">{t_string!(i18n, skip_to_content)}</a>
        <header class="site-header">
            <div class="site-header__bar">
                <a class="brand" href="/">{t_string!(i18n, app_name)}</a>
                <Identity session=session.clone() />
                <LanguageSwitch />
            </div>
            <Nav session />
            {merchant.then(|| view! { <crate::support::chat::pages::ChatEntry /> })}
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
                <button type="submit" class="button button--link" data-testid="sign-out">{t_string!(i18n, sign_out)}</button>
            </form>
            <IdleWarning
                timeout_seconds=session.idle_timeout_seconds
                message=t_string!(i18n, idle_warning).to_owned()
                stay_label=t_string!(i18n, stay_signed_in).to_owned()
            />
        }),
        None => Either::Right(view! {
            <span class="identity__name" data-testid="identity">{t_string!(i18n, not_signed_in)}</span>
            <a class="identity__action" href="/login">{t_string!(i18n, sign_in)}</a>
        }),
    };
    view! { <div class="identity">{body}</div> }
}

/// The main navigation; the current page (or the section it belongs to) is marked with
/// `aria-current`.
#[component]
fn Nav(session: SessionView) -> impl IntoView {
    let i18n = use_i18n();
    let identity = session.identity;
    let administers = identity.as_ref().is_some_and(|identity| !identity.administers.is_empty());
    let analyst = identity.as_ref().is_some_and(|identity| identity.kind == UserKind::DisputeAnalyst);
    let admin = identity.as_ref().is_some_and(|identity| identity.kind == UserKind::PlatformAdmin);
    let agent = identity.as_ref().is_some_and(|identity| identity.kind == UserKind::SupportAgent);
    let unread_threads = session.unread_threads;
    let path = context::parts().map(|parts| parts.uri.path().to_owned()).unwrap_or_default();
    let mut links = vec![
        ("/", t_string!(i18n, nav_dashboard)),
        ("/disputes", t_string!(i18n, nav_disputes)),
        ("/payments", t_string!(i18n, nav_payments)),
        ("/transactions", t_string!(i18n, nav_transactions)),
        ("/statements", t_string!(i18n, nav_statements)),
        ("/reports", t_string!(i18n, nav_reports)),
        ("/messages", t_string!(i18n, nav_messages)),
        ("/profile", t_string!(i18n, nav_profile)),
    ];
    // Secure messages are the merchants' (the network's staff answer them from `/support`).
    if identity.as_ref().is_some_and(|identity| identity.kind != UserKind::Merchant) {
        links.retain(|(href, _)| *href != "/messages");
    }
    let merchant = identity.as_ref().is_some_and(|identity| identity.kind == UserKind::Merchant);
    if merchant || analyst {
        links.insert(2, ("/analytics", t_string!(i18n, analytics_nav)));
    }
    if administers {
        links.push(("/organisation/users", t_string!(i18n, nav_users)));
        links.push(("/organisation/api-keys", t_string!(i18n, api_nav_keys)));
    }
    if analyst {
        links.push(("/review", t_string!(i18n, nav_review)));
    }
    if agent {
        links.push(("/support", t_string!(i18n, nav_support)));
    }
    if admin {
        links.push(("/admin/organisations", t_string!(i18n, nav_organisations)));
        links.push(("/admin/notifications", t_string!(i18n, nav_delivery)));
        links.push(("/admin/api-keys", t_string!(i18n, api_nav_keys)));
        links.push(("/analytics/settings", t_string!(i18n, analytics_settings_title)));
    }
    view! {
        <nav class="main-nav" aria-label=t_string!(i18n, main_navigation)>
            <ul>
                {links.into_iter().map(|(href, label)| {
                    let current = is_current(&path, href).then_some("page");
                    // Beside "Messages": how many threads have a reply not yet opened. (A
                    // link without it is rendered whole, with no empty placeholder inside.)
                    if href == "/messages" && unread_threads > 0 {
                        let count = unread_threads.to_string();
                        let described =
                            format::fill(t_string!(i18n, messages_unread_count), &[("count", count.as_str())]);
                        Either::Left(view! {
                            <li><a href=href aria-current=current>
                                {label} " "
                                <span class="badge" data-testid="unread-threads" aria-hidden="true">{count.clone()}</span>
                                <span class="visually-hidden">{described}</span>
                            </a></li>
                        })
                    } else {
                        Either::Right(view! { <li><a href=href aria-current=current>{label}</a></li> })
                    }
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// Whether the page at `path` is the one `href` names, or inside its section ("/" only itself).
fn is_current(path: &str, href: &str) -> bool {
    path == href || (href != "/" && path.strip_prefix(href).is_some_and(|rest| rest.starts_with('/')))
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
                {t_string!(i18n, switch_language)}
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
            <p>{t_string!(i18n, footer_phone)}</p>
        </footer>
    }
}

#[cfg(test)]
mod tests {
    use super::is_current;

    #[test]
    fn the_current_section_is_marked() {
        assert!(is_current("/", "/"));
        assert!(!is_current("/disputes", "/"));
        assert!(is_current("/disputes", "/disputes"));
        assert!(is_current("/disputes/LIT-2026-0000001", "/disputes"));
        assert!(!is_current("/disputesx", "/disputes"));
        assert!(!is_current("/review/open", "/disputes"));
    }
}
