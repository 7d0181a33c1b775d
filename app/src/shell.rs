//! The HTML document and the router: which page answers which path. Everything here renders on
//! the server; the hydration scripts load the wasm that wakes the islands only.

use crate::frame::{Footer, Header};
use crate::i18n::*;
use crate::web::page::NotFound;
use crate::{accounts, analytics, api, disputes, money, notifications, support};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};
use leptos_use::UseLocalesOptions;

/// The document the server renders around [`App`]; the hydration scripts load the wasm.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy: scripts only from the portal or carrying this response's
/// nonce (the hydration loader and Leptos' streamed data), wasm compilation allowed, nothing
/// inline otherwise, no framing.
fn set_content_security_policy() {
    let (Some(response), Some(nonce)) = (use_context::<leptos_axum::ResponseOptions>(), leptos::nonce::use_nonce())
    else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = axum::http::HeaderValue::from_str(&policy) {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The document's title, in the current language, as a plain string: the title is read after
/// the page has rendered (async pages), when the page's reactive values may already be disposed.
#[component]
fn DocumentTitle() -> impl IntoView {
    let i18n = use_i18n();
    let text = t_string!(i18n, app_name).to_owned();
    view! { <Title text /> }
}

/// Keeps the language's reactive owner (and so its signal) alive as long as the page's.
#[derive(Clone)]
struct LanguageOwner {
    _owner: Owner,
}

/// Provides the page's language: French unless the user chose English (the cookie); the
/// browser's Accept-Language is not followed, so a French establishment's staff see French
/// whatever their browser. `I18nContextProvider` reuses the context it finds here.
///
/// Made here rather than by the provider because leptos_i18n's context starts an effect that
/// re-reads the language to write its cookie. On the server that effect is a task on another
/// thread: on a busy server it could run while the page, already sent, was being disposed, and
/// panic ("Tried to access a reactive value that has already been disposed"; a few times a
/// minute under the mixed-load benchmark, never a failed response). The language only changes
/// through `POST /language`, which writes the cookie itself, so the effect's owner is paused
/// before its task can run: it never reads the language at all.
fn provide_language() -> Option<leptos_i18n::I18nContext<Locale>> {
    let owner = Owner::current()?.child();
    let options = leptos_i18n::context::I18nContextOptions::default()
        .ssr_lang_header_getter(UseLocalesOptions::default().ssr_lang_header_getter(|| None));
    let language = owner.with(|| leptos_i18n::context::init_i18n_context_with_options::<Locale>(options));
    owner.pause();
    provide_context(language);
    provide_context(LanguageOwner { _owner: owner });
    Some(language)
}

/// The whole portal: header, navigation, the routed page and the footer.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_language();
    view! {
        <Stylesheet id="portal" href="/pkg/portal.css" />
        <I18nContextProvider>
            <DocumentTitle />
            <Router>
                <Header />
                <main id="content" class="page">
                    // Async: every page is sent whole, its data read on the server, so that it
                    // reads and its forms work before (or without) the wasm.
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=analytics::dashboard_pages::DashboardPage ssr=SsrMode::Async />
                        <Route path=path!("/analytics") view=analytics::pages::AnalyticsPage ssr=SsrMode::Async />
                        <Route path=path!("/analytics/settings") view=analytics::pages::AnalyticsSettingsPage ssr=SsrMode::Async />
                        <Route path=path!("/login") view=accounts::pages::LoginPage ssr=SsrMode::Async />
                        <Route path=path!("/register") view=accounts::pages::RegisterPage ssr=SsrMode::Async />
                        <Route path=path!("/recover/username") view=accounts::pages::RecoverUsernamePage ssr=SsrMode::Async />
                        <Route path=path!("/recover/password") view=accounts::pages::RecoverPasswordPage ssr=SsrMode::Async />
                        <Route path=path!("/reset-password") view=accounts::pages::ResetPasswordPage ssr=SsrMode::Async />
                        <Route path=path!("/confirm-email") view=accounts::pages::ConfirmEmailPage ssr=SsrMode::Async />
                        <Route path=path!("/invitation") view=accounts::pages::InvitationPage ssr=SsrMode::Async />
                        <Route path=path!("/profile") view=accounts::pages::ProfilePage ssr=SsrMode::Async />
                        <Route path=path!("/organisation/users") view=accounts::pages::OrganisationUsersPage ssr=SsrMode::Async />
                        <Route path=path!("/disputes") view=disputes::pages::DisputesPage ssr=SsrMode::Async />
                        <Route path=path!("/disputes/:number") view=disputes::case_page::CasePage ssr=SsrMode::Async />
                        <Route path=path!("/review") view=disputes::review_pages::ReviewPage ssr=SsrMode::Async />
                        <Route path=path!("/review/open") view=disputes::review_pages::OpenCasePage ssr=SsrMode::Async />
                        <Route path=path!("/notifications") view=notifications::pages::NotificationsPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/organisations") view=accounts::pages::AdminOrganisationsPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/organisations/:id") view=accounts::pages::AdminOrganisationPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/establishments/:id") view=accounts::pages::AdminEstablishmentPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/notifications") view=notifications::pages::DeliveryPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/api-keys") view=api::pages::PlatformKeysPage ssr=SsrMode::Async />
                        <Route path=path!("/organisation/api-keys") view=api::pages::OrganisationKeysPage ssr=SsrMode::Async />
                        <Route path=path!("/developers/api") view=api::pages::ApiReferencePage ssr=SsrMode::Async />
                        <Route path=path!("/payments") view=money::pages::PaymentsPage ssr=SsrMode::Async />
                        <Route path=path!("/payments/:reference") view=money::pages::PaymentPage ssr=SsrMode::Async />
                        <Route path=path!("/transactions") view=money::pages::TransactionsPage ssr=SsrMode::Async />
                        <Route path=path!("/statements") view=money::pages::StatementsPage ssr=SsrMode::Async />
                        <Route path=path!("/statements/:month") view=money::pages::StatementPage ssr=SsrMode::Async />
                        <Route path=path!("/reports") view=money::pages::ReportsPage ssr=SsrMode::Async />
                        <Route path=path!("/messages") view=support::pages::MessagesPage ssr=SsrMode::Async />
                        <Route path=path!("/messages/:id") view=support::pages::ThreadPage ssr=SsrMode::Async />
                        <Route path=path!("/chat") view=support::chat::pages::ChatStartPage ssr=SsrMode::Async />
                        <Route path=path!("/chat/:id") view=support::chat::pages::ChatPage ssr=SsrMode::Async />
                        <Route path=path!("/support/chats/:id") view=support::chat::console_pages::AgentChatPage ssr=SsrMode::Async />
                        <Route path=path!("/support") view=support::console_pages::ConsolePage ssr=SsrMode::Async />
                        <Route path=path!("/support/threads/:id") view=support::console_pages::AgentThreadPage ssr=SsrMode::Async />
                    </Routes>
                </main>
                <Footer />
            </Router>
        </I18nContextProvider>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_language_is_provided_with_its_effects_paused() {
        let _ = any_spawner::Executor::init_tokio();
        let page = Owner::new();
        let language = page.with(provide_language).expect("an owner");
        assert_eq!(language.get_locale_untracked(), Locale::fr);
        page.with(|| {
            assert!(use_context::<leptos_i18n::I18nContext<Locale>>().is_some(), "the context is provided");
            let owner = use_context::<LanguageOwner>().expect("the language's owner is kept");
            // Paused, its effect's task skips its run whenever it comes (see `provide_language`).
            assert!(owner._owner.paused(), "the language's effects would run on the server");
        });
        page.unset_with_forced_cleanup();
    }
}
