//! What every account form shares: the session view (who is signed in, the last form's answer),
//! labelled fields that show their problem, the notice banner, the sign-in prompt and the idle
//! timeout warning.

use crate::accounts::api::{fetch_session_view, keep_session_alive};
use crate::accounts::model::{Flash, Notice, Problem, SessionView};
use crate::i18n::*;
use crate::AppError;
use leptos::prelude::*;

/// The visit's [`SessionView`], loaded once per page load (before the page is sent).
#[derive(Clone, Copy)]
pub struct SessionResource(pub Resource<Result<SessionView, AppError>>);

/// Loads the session view; called once by the app shell.
pub fn provide_session() -> SessionResource {
    let resource = SessionResource(Resource::new_blocking(|| (), |_| fetch_session_view()));
    provide_context(resource);
    resource
}

/// The session view resource the shell provided.
pub fn use_session() -> Resource<Result<SessionView, AppError>> {
    expect_context::<SessionResource>().0
}

/// A translated text as a signal, so it follows a language switch in place.
macro_rules! text {
    ($i18n:ident, $key:ident) => {
        Signal::derive(move || t_string!($i18n, $key).to_string())
    };
}
pub(crate) use text;

/// The sentence for a refused field.
pub fn problem_text(i18n: leptos_i18n::I18nContext<Locale>, problem: Problem, flash: &Flash) -> String {
    let until = flash.until.clone().unwrap_or_default();
    let text = match problem {
        Problem::Required => t_string!(i18n, problem_required).to_string(),
        Problem::EstablishmentNotRecognised => t_string!(i18n, problem_establishment_not_recognised).to_string(),
        Problem::UsernameFormat => t_string!(i18n, problem_username_format).to_string(),
        Problem::UsernameTaken => t_string!(i18n, problem_username_taken).to_string(),
        Problem::EmailFormat => t_string!(i18n, problem_email_format).to_string(),
        Problem::PasswordTooShort => t_string!(i18n, problem_password_too_short).to_string(),
        Problem::PasswordTooLong => t_string!(i18n, problem_password_too_long).to_string(),
        Problem::PasswordNeedsLettersAndDigits => t_string!(i18n, problem_password_letters_digits).to_string(),
        Problem::PasswordTooCommon => t_string!(i18n, problem_password_common).to_string(),
        Problem::PasswordsDiffer => t_string!(i18n, problem_passwords_differ).to_string(),
        Problem::WrongPassword => t_string!(i18n, problem_wrong_password).to_string(),
        Problem::BadCredentials => t_string!(i18n, problem_bad_credentials).to_string(),
        Problem::AccountLocked => {
            format!(
                "{} {until} {}",
                t_string!(i18n, problem_account_locked),
                t_string!(i18n, problem_account_locked_end)
            )
        }
        Problem::TooManyAttempts => t_string!(i18n, problem_too_many_attempts).to_string(),
        Problem::LinkInvalid => t_string!(i18n, problem_link_invalid).to_string(),
        Problem::SubscriptionRequired => t_string!(i18n, problem_subscription_required).to_string(),
        Problem::NotAllowed => t_string!(i18n, problem_not_allowed).to_string(),
        Problem::AnsweredByEstablishment => t_string!(i18n, problem_answered_by_establishment).to_string(),
        Problem::CaseNotOpen => t_string!(i18n, problem_case_not_open).to_string(),
        Problem::DeadlinePassed => t_string!(i18n, problem_deadline_passed).to_string(),
        Problem::StaleForm => t_string!(i18n, problem_stale_form).to_string(),
        Problem::EmptyResponse => t_string!(i18n, problem_empty_response).to_string(),
        Problem::CommentsTooLong => t_string!(i18n, problem_comments_too_long).to_string(),
        Problem::FileWrongType => t_string!(i18n, problem_file_wrong_type).to_string(),
        Problem::FileTooLarge => t_string!(i18n, problem_file_too_large).to_string(),
        Problem::FileEmpty => t_string!(i18n, problem_file_empty).to_string(),
        Problem::TooManyFiles => t_string!(i18n, problem_too_many_files).to_string(),
        Problem::ConfirmationRequired => t_string!(i18n, problem_confirmation_required).to_string(),
        Problem::NoCaseSelected => t_string!(i18n, problem_no_case_selected).to_string(),
        Problem::TooManyCases => t_string!(i18n, problem_too_many_cases).to_string(),
        Problem::NotUnderReview => t_string!(i18n, problem_not_under_review).to_string(),
        Problem::ReplyByInvalid => t_string!(i18n, problem_reply_by_invalid).to_string(),
        Problem::AmountInvalid => t_string!(i18n, problem_amount_invalid).to_string(),
        Problem::ReasonInvalid => t_string!(i18n, problem_reason_invalid).to_string(),
        Problem::TransactionNotFound => t_string!(i18n, problem_transaction_not_found).to_string(),
    };
    // The file or case a refusal names.
    match flash.values.get("subject").filter(|subject| !subject.is_empty()) {
        Some(subject) => format!("{text} ({subject})"),
        None => text,
    }
}

fn notice_text(i18n: leptos_i18n::I18nContext<Locale>, notice: Notice) -> String {
    match notice {
        Notice::SignedOut => t_string!(i18n, notice_signed_out).to_string(),
        Notice::SessionExpired => t_string!(i18n, notice_session_expired).to_string(),
        Notice::Registered => t_string!(i18n, notice_registered).to_string(),
        Notice::RecoverySent => t_string!(i18n, notice_recovery_sent).to_string(),
        Notice::PasswordReset => t_string!(i18n, notice_password_reset).to_string(),
        Notice::PasswordChanged => t_string!(i18n, notice_password_changed).to_string(),
        Notice::EmailChangeSent => t_string!(i18n, notice_email_change_sent).to_string(),
        Notice::EmailChanged => t_string!(i18n, notice_email_changed).to_string(),
        Notice::PreferencesSaved => t_string!(i18n, notice_saved).to_string(),
        Notice::Activated => t_string!(i18n, notice_activated).to_string(),
        Notice::InvitationSent => t_string!(i18n, notice_invitation_sent).to_string(),
        Notice::UserUpdated => t_string!(i18n, notice_user_updated).to_string(),
        Notice::UserRemoved => t_string!(i18n, notice_user_removed).to_string(),
        Notice::DraftSaved => t_string!(i18n, notice_draft_saved).to_string(),
        Notice::ResponseSubmitted => t_string!(i18n, notice_response_submitted).to_string(),
        Notice::CaseAccepted => t_string!(i18n, notice_case_accepted).to_string(),
        Notice::CasesAccepted => t_string!(i18n, notice_cases_accepted).to_string(),
        Notice::DocumentRemoved => t_string!(i18n, notice_document_removed).to_string(),
        Notice::CaseDecided => t_string!(i18n, notice_case_decided).to_string(),
        Notice::InfoRequested => t_string!(i18n, notice_info_requested).to_string(),
        Notice::CaseOpened => t_string!(i18n, notice_case_opened).to_string(),
    }
}

/// The success notice of the last form, if it answered `flash.form`.
#[component]
pub fn NoticeBanner(flash: Flash) -> impl IntoView {
    let i18n = use_i18n();
    flash.notice.map(|notice| {
        view! { <p class="notice notice--success" role="status" data-testid="notice">{move || notice_text(i18n, notice)}</p> }
    })
}

/// A form's problem that belongs to no single field (an expired link, a refused action).
#[component]
pub fn FormProblem(flash: Flash, #[prop(into)] field: String) -> impl IntoView {
    let i18n = use_i18n();
    flash.problem(&field).map(|problem| {
        let flash = flash.clone();
        view! { <p class="notice notice--error" role="alert" data-testid="form-problem">{move || problem_text(i18n, problem, &flash)}</p> }
    })
}

/// A labelled input that shows what was typed and, when refused, why.
#[component]
pub fn Field(
    name: &'static str,
    label: Signal<String>,
    flash: Flash,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] value: Option<String>,
    #[prop(optional)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let problem = flash.problem(name);
    // Passwords are never sent back; other fields show what was typed, else the saved value.
    let typed = flash.values.get(name).cloned().or(value).filter(|_| kind != "password").unwrap_or_default();
    let id = format!("field-{name}");
    let problem_id = format!("{name}-problem");
    let hint_id = format!("{name}-hint");
    let described = match (problem.is_some(), hint.is_some()) {
        (true, _) => Some(problem_id.clone()),
        (false, true) => Some(hint_id.clone()),
        _ => None,
    };
    view! {
        <div class="field" class:field--invalid=problem.is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="field__hint" id=hint_id.clone()>{hint}</p> })}
            <input
                id=id
                name=name
                type=kind
                value=typed
                autocomplete=autocomplete
                aria-invalid=problem.is_some().then_some("true")
                aria-describedby=described
            />
            {problem.map(|problem| {
                let flash = flash.clone();
                view! { <p class="field__problem" id=problem_id role="alert">{move || problem_text(i18n, problem, &flash)}</p> }
            })}
        </div>
    }
}

/// A labelled checkbox.
#[component]
pub fn Checkbox(name: String, label: Signal<String>, checked: bool) -> impl IntoView {
    let id = format!("field-{name}");
    view! {
        <div class="checkbox">
            <input id=id.clone() name=name type="checkbox" checked=checked />
            <label for=id>{label}</label>
        </div>
    }
}

/// Shown instead of a page's content to someone not signed in.
#[component]
pub fn SignInPrompt() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="notice" data-testid="sign-in-prompt">
            {t!(i18n, sign_in_to_continue)} " " <a href="/login">{t!(i18n, sign_in)}</a>
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
        AppError::NotFound => {
            leptos::either::EitherOf3::B(view! { <p class="notice notice--error">{t!(i18n, not_found_body)}</p> })
        }
        _ => {
            leptos::either::EitherOf3::C(view! { <p class="notice notice--error">{t!(i18n, something_went_wrong)}</p> })
        }
    }
}

/// Before the session's idle timeout ends, offers to stay signed in; at the end, goes to the
/// sign-in page. Runs only in the browser.
#[component]
pub fn IdleWarning(timeout_seconds: u32) -> impl IntoView {
    use std::time::Duration;
    let i18n = use_i18n();
    let (warning, set_warning) = signal(false);
    let handles = StoredValue::new(Vec::<TimeoutHandle>::new());
    let lead = (timeout_seconds / 8).clamp(1, 120);
    let expire = || {
        let _ = window().location().set_href("/login?expired=1");
    };
    let arm = move || {
        handles.update_value(|handles| handles.drain(..).for_each(|handle| handle.clear()));
        set_warning.set(false);
        let warn_after = Duration::from_secs(u64::from(timeout_seconds.saturating_sub(lead)));
        let mut armed = Vec::new();
        armed.extend(set_timeout_with_handle(move || set_warning.set(true), warn_after).ok());
        armed.extend(set_timeout_with_handle(expire, Duration::from_secs(u64::from(timeout_seconds))).ok());
        handles.set_value(armed);
    };
    Effect::new(move |_| arm());
    let stay = move |_| {
        leptos::task::spawn_local(async move {
            match keep_session_alive().await {
                Ok(true) => arm(),
                _ => expire(),
            }
        })
    };
    view! {
        <Show when=move || warning.get()>
            <div class="idle-warning" role="alertdialog" aria-live="assertive" data-testid="idle-warning">
                <p>{t!(i18n, idle_warning)}</p>
                <button type="button" on:click=stay>{t!(i18n, stay_signed_in)}</button>
            </div>
        </Show>
    }
}

/// Renders `body` to HTML on the server, in `language`. Pages made only of forms are sent this
/// way (see [`ServerSection`]): the browser shows them as received and needs no code for them,
/// which keeps the wasm small.
#[cfg(feature = "ssr")]
pub fn render_html<V: IntoView + 'static>(language: &str, body: impl FnOnce() -> V + Send + 'static) -> String {
    use leptos::tachys::view::RenderHtml;
    let locale = if language == "en" { Locale::en } else { Locale::fr };
    let owner = Owner::current().map(|owner| owner.child()).unwrap_or_default();
    owner.with(|| {
        view! { <I18nSubContextProvider initial_locale=Signal::stored(locale)>{body()}</I18nSubContextProvider> }
            .to_html()
    })
}

/// A server-rendered section's outcome: a problem the user can act on (sign in, not found, not
/// allowed) is rendered as the section itself, so the request succeeds (the browser logs failed
/// requests as errors); only an internal error stays an error. A page loaded whole for something
/// that does not exist (or is not the caller's) answers 404; the section fetched by the browser
/// itself (`/api/…`, after a navigation) stays a success, which its decoder expects.
#[cfg(feature = "ssr")]
pub fn or_problem(language: &str, rendered: Result<String, AppError>) -> Result<String, AppError> {
    if matches!(rendered, Err(AppError::NotFound)) {
        let page_load =
            use_context::<http::request::Parts>().is_some_and(|parts| !parts.uri.path().starts_with("/api/"));
        if let (true, Some(response)) = (page_load, use_context::<leptos_axum::ResponseOptions>()) {
            response.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    match rendered {
        Err(AppError::Internal) => Err(AppError::Internal),
        Err(error) => Ok(render_html(language, move || view! { <PageProblem error /> })),
        ok => ok,
    }
}

/// A server-rendered section's HTML. In the page's hydration data it travels as an empty
/// string: hydration keeps the HTML the server already put in the page (it does not set
/// `inner_html` again), so sending it a second time, escaped inside a script, only cost bytes
/// and server time. When the browser fetches the section itself (language switch, navigation
/// within the app) the server function's answer carries the real HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionHtml(pub String);

impl serde::Serialize for SectionHtml {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("")
    }
}

impl<'de> serde::Deserialize<'de> for SectionHtml {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<SectionHtml, D::Error> {
        String::deserialize(deserializer).map(SectionHtml)
    }
}

/// The resource of a server-rendered section: `fetch` (a server function rendering it with
/// [`render_html`]) called with what `source` reads (the language, the address…).
pub fn section_resource<S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetch: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<Result<SectionHtml, AppError>>
where
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<String, AppError>> + Send + 'static,
{
    Resource::new_blocking(source, move |value| {
        let html = fetch(value);
        async move { html.await.map(SectionHtml) }
    })
}

/// A page whose body the server renders for the address's query string, in the page's language.
pub fn query_page<F, Fut>(title: Signal<String>, intro: Signal<String>, render: F) -> impl IntoView
where
    F: Fn(String, String) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<String, AppError>> + Send + 'static,
{
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location().search;
    let query = Memo::new(move |_| location.get().trim_start_matches('?').to_owned());
    let html = section_resource(
        move || (i18n.get_locale().as_str().to_owned(), query.get()),
        move |(language, query)| render(language, query),
    );
    view! {
        <crate::layout::PageHeading title intro />
        <ServerSection html />
    }
}

/// A page section rendered on the server by [`render_html`], in the page's language (it is
/// fetched again when the language is switched in place).
#[component]
pub fn ServerSection(html: Resource<Result<SectionHtml, AppError>>) -> impl IntoView {
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match html.await {
                    Ok(SectionHtml(html)) => leptos::either::Either::Left(view! { <div class="server-section" inner_html=html></div> }),
                    Err(error) => leptos::either::Either::Right(view! { <PageProblem error /> }),
                }
            })}
        </Suspense>
    }
}
