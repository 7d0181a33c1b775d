//! The account pages made only of forms, rendered on the server in the page's language: they
//! work the same with or without JavaScript, and the wasm carries none of their code.

use crate::accounts::http::{Registration, REGISTRATION};
use crate::i18n::*;
use crate::web::context;
use crate::web::form::text;
use crate::web::page::{server_body, PageHeading};
use crate::AppError;
use leptos::prelude::*;

/// Which page body to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FormPage {
    Login,
    Register,
    RecoverUsername,
    RecoverPassword,
    ResetPassword,
    ConfirmEmail,
    Invitation,
}

/// A page's body; `token`, `expired` and `next` (where signing in leads) come from the page's
/// address.
async fn form_page_body(
    page: FormPage,
    token: String,
    expired: bool,
    next: Option<String>,
) -> Result<AnyView, AppError> {
    use super::register::RegisterBody;
    use super::sign_in::{ConfirmEmailBody, InvitationBody, LoginBody, RecoverBody, ResetPasswordBody};
    let mut view = context::session_view()?;
    let flash = |form: &str| view.flash_for(form);
    Ok(match page {
        FormPage::Login => view! { <LoginBody flash=flash("login") expired next /> }.into_any(),
        FormPage::Register => {
            let session = context::session()?;
            let registration = session.get::<Registration>(REGISTRATION).await.ok().flatten();
            view.registration_step = registration.map(|registration| registration.step).unwrap_or(1);
            view! { <RegisterBody view /> }.into_any()
        }
        FormPage::RecoverUsername => {
            view! { <RecoverBody flash=flash("recover_username") action="/recover/username" field="email" /> }
                .into_any()
        }
        FormPage::RecoverPassword => {
            view! { <RecoverBody flash=flash("recover_password") action="/recover/password" field="username" /> }
                .into_any()
        }
        FormPage::ResetPassword => view! { <ResetPasswordBody flash=flash("reset_password") token /> }.into_any(),
        FormPage::ConfirmEmail => view! { <ConfirmEmailBody flash=flash("confirm_email") token /> }.into_any(),
        FormPage::Invitation => view! { <InvitationBody flash=flash("invitation") token /> }.into_any(),
    })
}

/// A page whose heading is rendered here and whose body is read on the server.
#[component]
fn FormPageView(page: FormPage, title: Signal<String>, intro: Signal<String>) -> impl IntoView {
    let token = context::query_value("token").unwrap_or_default();
    let expired = context::query_value("expired").is_some();
    let next = context::query_value("next").filter(|next| crate::web::reply::way_back(next).is_some());
    view! {
        <PageHeading title intro />
        {server_body(form_page_body(page, token, expired, next))}
    }
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
