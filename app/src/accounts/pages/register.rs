//! `/register`: the three registration steps on one address; the session knows which step the
//! visitor reached, and each step shows what was typed when the server refused it. Rendered on
//! the server (see `server_pages`).

use super::sign_in::NewPasswordFields;
use crate::accounts::model::{Flash, SessionView};
use crate::i18n::*;
use crate::web::form::{text, Checkbox, Field, FormProblem};
use leptos::either::EitherOf3;
use leptos::prelude::*;

/// The step list at the top of each step.
#[component]
fn Steps(current: u8) -> impl IntoView {
    let i18n = use_i18n();
    let steps = [
        text!(i18n, register_step_establishment),
        text!(i18n, register_step_account),
        text!(i18n, register_step_finance),
    ];
    view! {
        <ol class="steps" data-testid="register-steps">
            {steps
                .into_iter()
                .enumerate()
                .map(|(index, label)| {
                    let number = index as u8 + 1;
                    view! {
                        <li class:steps__current=number == current aria-current=(number == current).then_some("step")>
                            {label}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

#[component]
fn EstablishmentStep(flash: Flash) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form class="form" method="post" action="/register/establishment" data-testid="register-step-1">
            <Field name="number" label=text!(i18n, field_establishment_number) flash=flash.clone()
                hint=text!(i18n, establishment_number_hint) />
            <Field name="code" label=text!(i18n, field_activation_code) flash=flash.clone()
                hint=text!(i18n, activation_code_hint) />
            <button type="submit" class="button button--primary">{t!(i18n, next_step)}</button>
        </form>
    }
}

#[component]
fn AccountStep(flash: Flash) -> impl IntoView {
    let i18n = use_i18n();
    let language = move || i18n.get_locale().as_str();
    view! {
        <form class="form" method="post" action="/register/account" data-testid="register-step-2">
            <input type="hidden" name="language" value=language />
            <Field name="username" label=text!(i18n, field_username) flash=flash.clone() autocomplete="username" />
            <Field name="email" label=text!(i18n, field_email) flash=flash.clone() kind="email" autocomplete="email" />
            <NewPasswordFields flash=flash.clone() />
            <button type="submit" class="button button--primary">{t!(i18n, next_step)}</button>
        </form>
    }
}

#[component]
fn FinanceStep() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form class="form" method="post" action="/register/finance" data-testid="register-step-3">
            <fieldset>
                <legend>{t!(i18n, financial_management)}</legend>
                <Checkbox name="paperless".into() label=text!(i18n, paperless_statements) checked=true />
                <Checkbox name="dispute_management".into() label=text!(i18n, online_dispute_management) checked=true />
            </fieldset>
            <button type="submit" class="button button--primary">{t!(i18n, create_account)}</button>
        </form>
    }
}

/// `/register`: the step the visitor reached, with what they typed when it was refused.
#[component]
pub fn RegisterBody(view: SessionView) -> impl IntoView {
    let i18n = use_i18n();
    let flash = view.flash_for("register");
    let step = view.registration_step.clamp(1, 3);
    let form = match step {
        1 => EitherOf3::A(view! { <EstablishmentStep flash=flash.clone() /> }),
        2 => EitherOf3::B(view! { <AccountStep flash=flash.clone() /> }),
        _ => EitherOf3::C(view! { <FinanceStep /> }),
    };
    view! {
        <Steps current=step />
        <FormProblem flash=flash.clone() field="form" />
        {form}
        {(step > 1).then(|| view! {
            <form method="post" action="/register/restart" class="form-links">
                <button type="submit" class="button button--link">{t!(i18n, register_restart)}</button>
            </form>
        })}
        <p><a href="/login">{t!(i18n, back_to_sign_in)}</a></p>
    }
}
