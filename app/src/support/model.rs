//! What the secure messages' store reads and writes, as the pages and rules see it: a thread, a
//! row of the merchant's list and of the agents' console, a message with its sender, an
//! attachment, the case a thread is about, who acted. Read and written by `store`, checked by
//! `rules` and `threads`; nothing here reads the database or knows the caller.

use super::state::Status;

/// What a thread is about, chosen by the merchant who starts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// A question about the website.
    Website,
    /// An update to the account.
    Account,
    /// A dispute case.
    Case,
    /// Statements and payments.
    Payments,
}

impl Topic {
    pub const ALL: [Topic; 4] = [Topic::Website, Topic::Account, Topic::Case, Topic::Payments];

    /// The stored name (and the form's value).
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Website => "website",
            Topic::Account => "account",
            Topic::Case => "case",
            Topic::Payments => "payments",
        }
    }

    pub fn parse(value: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|topic| topic.as_str() == value)
    }
}

/// A thread with what its pages name: its establishment, organisation and case.
#[derive(Debug, Clone)]
pub struct Thread {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation: String,
    pub establishment_id: Option<i64>,
    /// The establishment's number and trading name.
    pub establishment: Option<(String, String)>,
    pub created_by: i64,
    pub subject: String,
    pub topic: Topic,
    pub status: Status,
    pub dispute_id: Option<i64>,
    pub case_number: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The newest message customer service wrote in it.
    pub last_agent_message_id: Option<i64>,
}

/// A thread as the merchant's list shows it.
#[derive(Debug, Clone)]
pub struct ListedThread {
    pub id: i64,
    pub subject: String,
    pub topic: Topic,
    pub status: Status,
    /// The establishment's trading name, if the thread names one.
    pub establishment: Option<String>,
    pub updated_at: i64,
    /// Customer service wrote since the reader last opened it.
    pub unread: bool,
}

/// A thread as the agents' console lists it.
#[derive(Debug, Clone)]
pub struct ConsoleThread {
    pub id: i64,
    pub subject: String,
    pub topic: Topic,
    pub status: Status,
    pub organisation: String,
    pub establishment_number: Option<String>,
    pub case_number: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Who wrote a message, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    pub user_id: i64,
    pub username: String,
    pub full_name: String,
    /// The user's kind (`merchant`, `support_agent`, …).
    pub kind: String,
}

/// A message of a thread, with its attachments.
#[derive(Debug, Clone)]
pub struct Message {
    pub id: i64,
    pub sender: Sender,
    pub body: String,
    pub sent_at: i64,
    pub attachments: Vec<Attachment>,
}

/// An attachment as a page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: i64,
    pub message_id: i64,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// An attachment's file: its name and type, and where the object store keeps it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredAttachment {
    #[sqlx(rename = "original_name")]
    pub name: String,
    pub content_type: String,
    #[sqlx(rename = "storage_key")]
    pub key: String,
}

/// A case a thread may be tied to: enough to check the caller's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseRef {
    pub id: i64,
    pub establishment_id: i64,
}

/// A case's summary, read-only, for customer service.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseSummary {
    pub case_number: String,
    pub stage: String,
    pub status: String,
    pub reason_code: String,
    pub disputed_amount: i64,
    pub currency: String,
    /// `YYYY-MM-DD`.
    pub reply_by: String,
}

/// Who acted on a thread, for its audit trail: the user, their role and from where (`HQ`, an
/// establishment's number, or `network` for customer service).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: String,
    pub scope: String,
}
