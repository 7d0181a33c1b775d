//! The pieces of a page's body: its heading, the body read on the server from typed data
//! ([`server_body`]), and what is shown instead when that data cannot be read (sign in, not
//! found, an apology) with the matching HTTP status.

use crate::i18n::*;
use crate::AppError;
use leptos::either::Either;
use leptos::prelude::*;
use std::future::Future;

/// The heading block of a page: its title and one sentence on what it holds.
#[component]
pub fn PageHeading(#[prop(into)] title: Signal<String>, #[prop(into)] intro: Signal<String>) -> impl IntoView {
    view! {
        <div class="page-heading">
            <h1>{title}</h1>
            <p class="page-heading__intro">{intro}</p>
        </div>
    }
}

/// Sets the HTTP status of the page being rendered.
pub fn set_status(status: axum::http::StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// The body of a page, rendered on the server once `load` has read its data: the view it gives,
/// or the problem in its place. Someone else's (or a missing) record answers 404, an internal
/// error 500 (its details are in the server log); a visitor is asked to sign in.
pub fn server_body<Fut, V>(load: Fut) -> impl IntoView
where
    Fut: Future<Output = Result<V, AppError>> + Send + 'static,
    V: IntoView + Send + 'static,
{
    view! {
        <Suspense>
            {Suspend::new(async move {
                match load.await {
                    Ok(body) => Either::Left(body),
                    Err(error) => {
                        match error {
                            AppError::NotFound => set_status(axum::http::StatusCode::NOT_FOUND),
                            AppError::Internal => set_status(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
                            _ => {}
                        }
                        Either::Right(view! { <PageProblem error /> })
                    }
                }
            })}
        </Suspense>
    }
}

/// Shown for any path no page answers.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(axum::http::StatusCode::NOT_FOUND);
    let i18n = use_i18n();
    view! {
        <div class="page-heading">
            <h1>{t_string!(i18n, not_found_title)}</h1>
            <p class="page-heading__intro">{t_string!(i18n, not_found_body)}</p>
            <p><a href="/">{t_string!(i18n, back_to_dashboard)}</a></p>
        </div>
    }
}

/// Shown instead of a page's content to someone not signed in; signing in from its link leads
/// back to this page (a case opened from an email, say).
#[component]
pub fn SignInPrompt() -> impl IntoView {
    let i18n = use_i18n();
    let here = crate::web::context::parts()
        .ok()
        .and_then(|parts| parts.uri.path_and_query().map(|address| address.as_str().to_owned()))
        .unwrap_or_default();
    let href = crate::web::reply::sign_in_then(&here);
    view! {
        <p class="notice" data-testid="sign-in-prompt">
            {t_string!(i18n, sign_in_to_continue)} " " <a href=href>{t_string!(i18n, sign_in)}</a>
        </p>
    }
}

/// What a page shows instead of its content when its data could not be read: the sign-in prompt
/// for a visitor, "not found" for someone else's data, an apology otherwise.
#[component]
pub fn PageProblem(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    match error {
        AppError::Unauthorised => leptos::either::EitherOf3::A(view! { <SignInPrompt /> }),
        AppError::NotFound => leptos::either::EitherOf3::B(
            view! { <p class="notice notice--error">{t_string!(i18n, not_found_body)}</p> },
        ),
        _ => leptos::either::EitherOf3::C(
            view! { <p class="notice notice--error">{t_string!(i18n, something_went_wrong)}</p> },
        ),
    }
}

/// The page's language code ("fr" or "en"), for amounts and dates written on the server.
pub fn language() -> String {
    use_i18n().get_locale_untracked().as_str().to_owned()
}
