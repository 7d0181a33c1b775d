//! Sign-in, the two recovery forms, and the pages behind emailed links (password reset, email
//! confirmation, invitation): their bodies, rendered on the server (see `server_pages`). A link
//! page only shows a form: using the link is a POST.

use crate::accounts::model::{Flash, Notice};
use crate::i18n::*;
use crate::web::form::{text, Field, FormProblem, NoticeBanner};
use leptos::prelude::*;

/// `/login`: after an idle timeout (`?expired`), says why; `next` is the local page that signing
/// in leads to (checked again by the handler).
#[component]
pub fn LoginBody(mut flash: Flash, expired: bool, next: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    if expired && flash.notice.is_none() && flash.problems.is_empty() {
        flash.notice = Some(Notice::SessionExpired);
    }
    view! {
        <NoticeBanner flash=flash.clone() />
        <form class="form" method="post" action="/login" data-testid="login-form">
            {next.map(|next| view! { <input type="hidden" name="next" value=next /> })}
            <Field name="username" label=text!(i18n, field_username) flash=flash.clone() autocomplete="username" />
            <Field name="password" label=text!(i18n, field_password) flash=flash.clone() kind="password" autocomplete="current-password" />
            <button type="submit" class="button button--primary">{t!(i18n, sign_in)}</button>
        </form>
        <ul class="form-links">
            <li><a href="/recover/username">{t!(i18n, forgot_username)}</a></li>
            <li><a href="/recover/password">{t!(i18n, forgot_password)}</a></li>
            <li><a href="/register">{t!(i18n, register_link)}</a></li>
        </ul>
    }
}

/// `/recover/username` and `/recover/password`: one field, then the same answer for everyone.
#[component]
pub fn RecoverBody(flash: Flash, action: &'static str, field: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let label = if field == "email" { text!(i18n, field_email) } else { text!(i18n, field_username) };
    let (kind, autocomplete) = if field == "email" { ("email", "email") } else { ("text", "username") };
    view! {
        <NoticeBanner flash=flash.clone() />
        <form class="form" method="post" action=action>
            <Field name=field label flash=flash.clone() kind autocomplete />
            <button type="submit" class="button button--primary">{t!(i18n, send)}</button>
        </form>
        <p><a href="/login">{t!(i18n, back_to_sign_in)}</a></p>
    }
}

/// The new-password pair of fields, with the rules spelled out.
#[component]
pub fn NewPasswordFields(flash: Flash) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Field name="password" label=text!(i18n, field_new_password) flash=flash.clone() kind="password"
            autocomplete="new-password" hint=text!(i18n, password_rules) />
        <Field name="password_confirm" label=text!(i18n, field_password_confirm) flash=flash kind="password" autocomplete="new-password" />
    }
}

/// `/reset-password?token=…`
#[component]
pub fn ResetPasswordBody(flash: Flash, token: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <FormProblem flash=flash.clone() field="token" />
        <form class="form" method="post" action="/reset-password" data-testid="reset-form">
            <input type="hidden" name="token" value=token />
            <NewPasswordFields flash=flash.clone() />
            <button type="submit" class="button button--primary">{t!(i18n, save_password)}</button>
        </form>
    }
}

/// `/confirm-email?token=…`
#[component]
pub fn ConfirmEmailBody(flash: Flash, token: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <FormProblem flash=flash.clone() field="token" />
        <form class="form" method="post" action="/confirm-email">
            <input type="hidden" name="token" value=token />
            <button type="submit" class="button button--primary">{t!(i18n, confirm_email_button)}</button>
        </form>
    }
}

/// `/invitation?token=…`
#[component]
pub fn InvitationBody(flash: Flash, token: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <FormProblem flash=flash.clone() field="token" />
        <form class="form" method="post" action="/invitation">
            <input type="hidden" name="token" value=token />
            <Field name="username" label=text!(i18n, field_username) flash=flash.clone() autocomplete="username" />
            <NewPasswordFields flash=flash.clone() />
            <button type="submit" class="button button--primary">{t!(i18n, create_access)}</button>
        </form>
    }
}
