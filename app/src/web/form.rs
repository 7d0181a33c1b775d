//! Form pieces every page shares: labelled fields that show what was typed and, when refused,
//! why; checkboxes; the success notice and a form-wide problem. The sentences for each
//! [`Problem`] and [`Notice`] are here, in the reader's language.

use crate::accounts::model::{Flash, Notice, Problem};
use crate::i18n::*;
use leptos::prelude::*;

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
        Problem::EstablishmentsForEstablishmentUsers => {
            t_string!(i18n, problem_establishments_for_establishment_users).to_string()
        }
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
        Problem::ThresholdInvalid => t_string!(i18n, analytics_problem_threshold).to_string(),
        Problem::ReasonInvalid => t_string!(i18n, problem_reason_invalid).to_string(),
        Problem::TransactionNotFound => t_string!(i18n, problem_transaction_not_found).to_string(),
        Problem::TooLong => t_string!(i18n, problem_too_long).to_string(),
        Problem::NumberFormat => t_string!(i18n, problem_number_format).to_string(),
        Problem::NumberTaken => t_string!(i18n, problem_number_taken).to_string(),
        Problem::CurrencyInvalid => t_string!(i18n, problem_currency_invalid).to_string(),
        Problem::AnniversaryInvalid => t_string!(i18n, problem_anniversary_invalid).to_string(),
        Problem::InstallmentsInvalid => t_string!(i18n, problem_installments_invalid).to_string(),
        Problem::RatesInvalid => t_string!(i18n, problem_rates_invalid).to_string(),
        Problem::UnknownUser => t_string!(i18n, problem_unknown_user).to_string(),
        Problem::ChangeNotConfirmed => t_string!(i18n, problem_change_not_confirmed).to_string(),
        Problem::CardNumberInText => t_string!(i18n, problem_card_number_in_text).to_string(),
        Problem::CaseUnknown => t_string!(i18n, problem_case_unknown).to_string(),
        Problem::ThreadClosed => t_string!(i18n, problem_thread_closed).to_string(),
        Problem::ChatClosed => t_string!(i18n, chat_problem_closed).to_string(),
        Problem::ChatNoAgent => t_string!(i18n, chat_problem_no_agent).to_string(),
        Problem::ChatTaken => t_string!(i18n, chat_problem_taken).to_string(),
        Problem::ChatEnded => t_string!(i18n, chat_problem_ended).to_string(),
        Problem::ChatNotYours => t_string!(i18n, chat_problem_not_yours).to_string(),
        Problem::ChatEmailLimit => t_string!(i18n, chat_problem_email_limit).to_string(),
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
        Notice::OrganisationSaved => t_string!(i18n, notice_organisation_saved).to_string(),
        Notice::EstablishmentSaved => t_string!(i18n, notice_establishment_saved).to_string(),
        Notice::ActivationCodeIssued => t_string!(i18n, notice_activation_code_issued).to_string(),
        Notice::UserDisabled => t_string!(i18n, notice_user_disabled).to_string(),
        Notice::DisputeConfigChanged => t_string!(i18n, notice_dispute_config_changed).to_string(),
        Notice::MessageSent => t_string!(i18n, notice_message_sent).to_string(),
        Notice::ReplySent => t_string!(i18n, notice_reply_sent).to_string(),
        Notice::ThreadClosed => t_string!(i18n, notice_thread_closed).to_string(),
        Notice::ChatEnded => t_string!(i18n, chat_notice_ended).to_string(),
        Notice::TranscriptSent => t_string!(i18n, chat_notice_transcript_sent).to_string(),
        Notice::ChatTransferred => t_string!(i18n, chat_notice_transferred).to_string(),
        Notice::AvailabilitySaved => t_string!(i18n, chat_notice_availability).to_string(),
        Notice::ApiKeyIssued => t_string!(i18n, api_notice_key_issued).to_string(),
        Notice::ApiKeyRevoked => t_string!(i18n, api_notice_key_revoked).to_string(),
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
