//! The account pages made only of forms are rendered on the server, whole, in the page's
//! language, and shown by the browser as received ([`ServerSection`]): they work the same with
//! or without JavaScript, and the wasm carries none of their code. Switching the language in
//! place fetches them again.

use super::forms::{text, ServerSection};
use crate::i18n::*;
use crate::layout::PageHeading;
use crate::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Which page body to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormPage {
    Summary,
    Login,
    Register,
    RecoverUsername,
    RecoverPassword,
    ResetPassword,
    ConfirmEmail,
    Invitation,
}

/// A page's body as HTML, in `language`; `token` and `expired` come from the page's address.
#[server(endpoint = "render_form_page")]
pub async fn render_form_page(
    page: FormPage,
    language: String,
    token: String,
    expired: bool,
) -> Result<String, AppError> {
    use super::register::RegisterBody;
    use super::sign_in::{ConfirmEmailBody, InvitationBody, LoginBody, RecoverBody, ResetPasswordBody};
    use super::summary::SummaryBody;
    let view = crate::accounts::api::fetch_session_view().await?;
    let summary = match page {
        FormPage::Summary => match crate::accounts::api::load_account_summary().await {
            Ok(summary) => Some(summary),
            Err(error) => return super::forms::or_problem(&language, Err(error)),
        },
        _ => None,
    };
    let flash = |form: &str| view.flash_for(form);
    let (login, recover_username, recover_password) =
        (flash("login"), flash("recover_username"), flash("recover_password"));
    let (reset, confirm, invitation) = (flash("reset_password"), flash("confirm_email"), flash("invitation"));
    Ok(super::forms::render_html(&language, move || match page {
        FormPage::Summary => {
            view! { <SummaryBody view summary=summary.unwrap_or_else(|| unreachable!()) /> }.into_any()
        }
        FormPage::Login => view! { <LoginBody flash=login expired /> }.into_any(),
        FormPage::Register => view! { <RegisterBody view /> }.into_any(),
        FormPage::RecoverUsername => {
            view! { <RecoverBody flash=recover_username action="/recover/username" field="email" /> }.into_any()
        }
        FormPage::RecoverPassword => {
            view! { <RecoverBody flash=recover_password action="/recover/password" field="username" /> }.into_any()
        }
        FormPage::ResetPassword => view! { <ResetPasswordBody flash=reset token /> }.into_any(),
        FormPage::ConfirmEmail => view! { <ConfirmEmailBody flash=confirm token /> }.into_any(),
        FormPage::Invitation => view! { <InvitationBody flash=invitation token /> }.into_any(),
    }))
}

/// A page whose heading is rendered here and whose body comes from the server.
#[component]
fn FormPageView(page: FormPage, title: Signal<String>, intro: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let (token, expired) = leptos_router::hooks::use_query_map()
        .with_untracked(|query| (query.get("token").unwrap_or_default(), query.get("expired").is_some()));
    let html = crate::accounts::pages::section_resource(
        move || i18n.get_locale().as_str().to_owned(),
        move |language| render_form_page(page, language, token.clone(), expired),
    );
    view! {
        <PageHeading title intro />
        <ServerSection html />
    }
}

/// `/`: the account summary.
#[component]
pub fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    view! { <FormPageView page=FormPage::Summary title=text!(i18n, nav_dashboard) intro=text!(i18n, dashboard_intro) /> }
}

/// `/login`
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    view! { <FormPageView page=FormPage::Login title=text!(i18n, login_title) intro=text!(i18n, login_intro) /> }
}

/// `/register`
#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    view! { <FormPageView page=FormPage::Register title=text!(i18n, register_title) intro=text!(i18n, register_intro) /> }
}

/// `/recover/username`
#[component]
pub fn RecoverUsernamePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <FormPageView page=FormPage::RecoverUsername title=text!(i18n, recover_username_title) intro=text!(i18n, recover_username_intro) />
    }
}

/// `/recover/password`
#[component]
pub fn RecoverPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <FormPageView page=FormPage::RecoverPassword title=text!(i18n, recover_password_title) intro=text!(i18n, recover_password_intro) />
    }
}

/// `/reset-password?token=…`
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <FormPageView page=FormPage::ResetPassword title=text!(i18n, reset_password_title) intro=text!(i18n, reset_password_intro) />
    }
}

/// `/confirm-email?token=…`
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <FormPageView page=FormPage::ConfirmEmail title=text!(i18n, confirm_email_title) intro=text!(i18n, confirm_email_intro) />
    }
}

/// `/invitation?token=…`
#[component]
pub fn InvitationPage() -> impl IntoView {
    let i18n = use_i18n();
    view! { <FormPageView page=FormPage::Invitation title=text!(i18n, invitation_title) intro=text!(i18n, invitation_intro) /> }
}
