//! Sign-in, the two recovery forms, and the pages behind emailed links (password reset, email
//! confirmation, invitation). A link page only shows a form: using the link is a POST.

use super::forms::{text, token_from_query, Field, FormProblem, NoticeBanner, WithFlash};
use crate::accounts::model::{Flash, Notice};
use crate::i18n::*;
use crate::layout::PageHeading;
use leptos::prelude::*;

/// `/login`
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let expired = leptos_router::hooks::use_query_map().with_untracked(|query| query.get("expired").is_some());
    let render = move |mut flash: Flash| {
        if expired && flash.notice.is_none() && flash.problems.is_empty() {
            flash.notice = Some(Notice::SessionExpired);
        }
        view! {
            <NoticeBanner flash=flash.clone() />
            <form class="form" method="post" action="/login" data-testid="login-form">
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
    };
    view! {
        <PageHeading title=text!(i18n, login_title) intro=text!(i18n, login_intro) />
        <WithFlash form="login" render />
    }
}

/// `/recover/username`
#[component]
pub fn RecoverUsernamePage() -> impl IntoView {
    let i18n = use_i18n();
    let render = move |flash: Flash| {
        view! {
            <NoticeBanner flash=flash.clone() />
            <form class="form" method="post" action="/recover/username">
                <Field name="email" label=text!(i18n, field_email) flash=flash.clone() kind="email" autocomplete="email" />
                <button type="submit" class="button button--primary">{t!(i18n, send)}</button>
            </form>
            <p><a href="/login">{t!(i18n, back_to_sign_in)}</a></p>
        }
    };
    view! {
        <PageHeading title=text!(i18n, recover_username_title) intro=text!(i18n, recover_username_intro) />
        <WithFlash form="recover_username" render />
    }
}

/// `/recover/password`
#[component]
pub fn RecoverPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let render = move |flash: Flash| {
        view! {
            <NoticeBanner flash=flash.clone() />
            <form class="form" method="post" action="/recover/password">
                <Field name="username" label=text!(i18n, field_username) flash=flash.clone() autocomplete="username" />
                <button type="submit" class="button button--primary">{t!(i18n, send)}</button>
            </form>
            <p><a href="/login">{t!(i18n, back_to_sign_in)}</a></p>
        }
    };
    view! {
        <PageHeading title=text!(i18n, recover_password_title) intro=text!(i18n, recover_password_intro) />
        <WithFlash form="recover_password" render />
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
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let render = move |flash: Flash| {
        let token = token_from_query();
        view! {
            <FormProblem flash=flash.clone() field="token" />
            <form class="form" method="post" action="/reset-password" data-testid="reset-form">
                <input type="hidden" name="token" value=token />
                <NewPasswordFields flash=flash.clone() />
                <button type="submit" class="button button--primary">{t!(i18n, save_password)}</button>
            </form>
        }
    };
    view! {
        <PageHeading title=text!(i18n, reset_password_title) intro=text!(i18n, reset_password_intro) />
        <WithFlash form="reset_password" render />
    }
}

/// `/confirm-email?token=…`
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let render = move |flash: Flash| {
        let token = token_from_query();
        view! {
            <FormProblem flash=flash.clone() field="token" />
            <form class="form" method="post" action="/confirm-email">
                <input type="hidden" name="token" value=token />
                <button type="submit" class="button button--primary">{t!(i18n, confirm_email_button)}</button>
            </form>
        }
    };
    view! {
        <PageHeading title=text!(i18n, confirm_email_title) intro=text!(i18n, confirm_email_intro) />
        <WithFlash form="confirm_email" render />
    }
}

/// `/invitation?token=…`
#[component]
pub fn InvitationPage() -> impl IntoView {
    let i18n = use_i18n();
    let render = move |flash: Flash| {
        let token = token_from_query();
        view! {
            <FormProblem flash=flash.clone() field="token" />
            <form class="form" method="post" action="/invitation">
                <input type="hidden" name="token" value=token />
                <Field name="username" label=text!(i18n, field_username) flash=flash.clone() autocomplete="username" />
                <NewPasswordFields flash=flash.clone() />
                <button type="submit" class="button button--primary">{t!(i18n, create_access)}</button>
            </form>
        }
    };
    view! {
        <PageHeading title=text!(i18n, invitation_title) intro=text!(i18n, invitation_intro) />
        <WithFlash form="invitation" render />
    }
}
