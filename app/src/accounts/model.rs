//! The account types pages and the server share: who is signed in, what a form sent back when it
//! was refused, the account summary and the profile.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a user is to the portal: a merchant (scoped by memberships) or the network's staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserKind {
    Merchant,
    DisputeAnalyst,
    SupportAgent,
    PlatformAdmin,
}

impl UserKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UserKind::Merchant => "merchant",
            UserKind::DisputeAnalyst => "dispute_analyst",
            UserKind::SupportAgent => "support_agent",
            UserKind::PlatformAdmin => "platform_admin",
        }
    }

    pub fn parse(value: &str) -> Option<UserKind> {
        [UserKind::Merchant, UserKind::DisputeAnalyst, UserKind::SupportAgent, UserKind::PlatformAdmin]
            .into_iter()
            .find(|kind| kind.as_str() == value)
    }
}

/// A merchant's role in one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// One establishment's staff.
    EstablishmentUser,
    /// Headquarters: sees every establishment of the organisation.
    HqUser,
    /// Headquarters who also manages the organisation's users.
    OrgAdmin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::EstablishmentUser => "establishment_user",
            Role::HqUser => "hq_user",
            Role::OrgAdmin => "org_admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        [Role::EstablishmentUser, Role::HqUser, Role::OrgAdmin].into_iter().find(|role| role.as_str() == value)
    }
}

/// The signed-in user as pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub username: String,
    pub kind: UserKind,
    /// The highest merchant role held, if any.
    pub role: Option<Role>,
    /// Organisations this user administers.
    pub administers: Vec<i64>,
}

/// Headquarters decide whether they answer disputes themselves (central) or leave it to each
/// establishment (local).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisputeConfig {
    Central,
    Local,
}

impl DisputeConfig {
    pub fn as_str(self) -> &'static str {
        match self {
            DisputeConfig::Central => "central",
            DisputeConfig::Local => "local",
        }
    }

    pub fn parse(value: &str) -> Option<DisputeConfig> {
        match value {
            "central" => Some(DisputeConfig::Central),
            "local" => Some(DisputeConfig::Local),
            _ => None,
        }
    }
}

/// Why a form field was refused; pages turn each into a sentence in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    EstablishmentNotRecognised,
    UsernameFormat,
    UsernameTaken,
    EmailFormat,
    PasswordTooShort,
    PasswordTooLong,
    PasswordNeedsLettersAndDigits,
    PasswordTooCommon,
    PasswordsDiffer,
    WrongPassword,
    BadCredentials,
    AccountLocked,
    TooManyAttempts,
    LinkInvalid,
    SubscriptionRequired,
    NotAllowed,
    /// Establishment memberships are for establishment users, not HQ users or administrators.
    EstablishmentsForEstablishmentUsers,
    // Disputes (the case page's forms):
    /// Headquarters under local configuration: the establishment answers.
    AnsweredByEstablishment,
    /// The case no longer waits for the merchant (submitted, accepted, decided or expired).
    CaseNotOpen,
    DeadlinePassed,
    /// Someone else changed the case after the form was shown.
    StaleForm,
    EmptyResponse,
    CommentsTooLong,
    FileWrongType,
    FileTooLarge,
    FileEmpty,
    TooManyFiles,
    ConfirmationRequired,
    NoCaseSelected,
    TooManyCases,
    /// The dispute team only decides submitted responses.
    NotUnderReview,
    ReplyByInvalid,
    AmountInvalid,
    /// A dispute-rate threshold that is not a percentage between 0.01 and 100.
    ThresholdInvalid,
    ReasonInvalid,
    TransactionNotFound,
    // Onboarding (platform administrators):
    TooLong,
    NumberFormat,
    NumberTaken,
    CurrencyInvalid,
    AnniversaryInvalid,
    InstallmentsInvalid,
    /// A Plan Amex rate table that cannot be read (see `onboarding::parse_rates`).
    RatesInvalid,
    UnknownUser,
    /// A change of the dispute configuration needs its box ticked.
    ChangeNotConfirmed,
    // Secure messages:
    /// A card number typed in a message, its subject or a file's name: refused, not masked.
    CardNumberInText,
    /// The case number names no case of the caller's scope (and chosen establishment).
    CaseUnknown,
    /// The thread is closed: nothing more is written in it.
    ThreadClosed,
    // Live chat:
    /// Outside the chat's opening hours.
    ChatClosed,
    /// No support agent is available.
    ChatNoAgent,
    /// Another agent took the chat first.
    ChatTaken,
    /// The chat has ended: nothing more is written in it.
    ChatEnded,
    /// Another agent has the chat.
    ChatNotYours,
    /// The account's allowance of emails is used up.
    ChatEmailLimit,
}

/// What the server sends back to a page after a form: the typed values (never passwords), the
/// problems per field, or a notice when it succeeded. Kept in the session for one page view.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    /// Which form this answers, e.g. `login`.
    pub form: String,
    pub values: BTreeMap<String, String>,
    pub problems: BTreeMap<String, Problem>,
    pub notice: Option<Notice>,
    /// For a lockout: until when (Paris time, `HH:MM`).
    pub until: Option<String>,
}

impl Flash {
    pub fn for_form(form: &str) -> Flash {
        Flash { form: form.to_owned(), ..Flash::default() }
    }

    pub fn value(&self, field: &str) -> String {
        self.values.get(field).cloned().unwrap_or_default()
    }

    pub fn problem(&self, field: &str) -> Option<Problem> {
        self.problems.get(field).copied()
    }
}

/// A confirmation shown at the top of the next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Notice {
    SignedOut,
    SessionExpired,
    Registered,
    RecoverySent,
    PasswordReset,
    PasswordChanged,
    EmailChangeSent,
    EmailChanged,
    PreferencesSaved,
    Activated,
    InvitationSent,
    UserUpdated,
    UserRemoved,
    DraftSaved,
    ResponseSubmitted,
    CaseAccepted,
    CasesAccepted,
    DocumentRemoved,
    CaseDecided,
    InfoRequested,
    CaseOpened,
    OrganisationSaved,
    EstablishmentSaved,
    ActivationCodeIssued,
    UserDisabled,
    DisputeConfigChanged,
    /// A new secure-message thread was sent to customer service.
    MessageSent,
    ReplySent,
    ThreadClosed,
    ChatEnded,
    TranscriptSent,
    ChatTransferred,
    AvailabilitySaved,
    /// An API key was issued (its secret travels in the flash, shown once).
    ApiKeyIssued,
    ApiKeyRevoked,
}

/// What every page knows about the visit: who is signed in, the registration step reached, the
/// last form's answer, and the idle timeout.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub identity: Option<Identity>,
    pub flash: Option<Flash>,
    /// 1, 2 or 3 while registering.
    pub registration_step: u8,
    pub idle_timeout_seconds: u32,
    /// The signed-in user's unread notifications (the header's count).
    pub unread_notifications: i64,
    /// Secure-message threads with an unopened reply (the count beside "Messages").
    pub unread_threads: i64,
}

impl SessionView {
    /// The flash, if it answers `form`.
    pub fn flash_for(&self, form: &str) -> Flash {
        self.flash.clone().filter(|flash| flash.form == form).unwrap_or_else(|| Flash::for_form(form))
    }
}

/// One establishment in the account summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstablishmentSummary {
    pub id: i64,
    pub number: String,
    pub trading_name: String,
    pub city: String,
    pub organisation: String,
    pub dispute_subscribed: bool,
    pub paperless: bool,
    /// Whether this user may activate online dispute management here.
    pub can_activate: bool,
}

/// The account summary page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub username: String,
    pub establishments: Vec<EstablishmentSummary>,
}

/// One notification category's switches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationSetting {
    pub category: String,
    pub enabled: bool,
    pub daily_digest: bool,
}

/// The profile page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub username: String,
    pub email: String,
    pub pending_email: Option<String>,
    pub full_name: String,
    pub language: String,
    pub comm_email: bool,
    pub comm_post: bool,
    pub comm_phone: bool,
    pub notifications: Vec<NotificationSetting>,
    pub is_merchant: bool,
}

/// A user of the organisation, as its administrator sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationUser {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub role: Role,
    pub establishment_ids: Vec<i64>,
}

/// The organisation's users page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationUsers {
    pub organisation_id: i64,
    pub organisation: String,
    pub establishments: Vec<(i64, String)>,
    pub users: Vec<OrganisationUser>,
}
