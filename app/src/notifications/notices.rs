//! A notification with what it is about (a case, a payment, a change to the organisation's
//! settings, a reply of customer service), as the emails the worker sends,
//! the digest and the recipient's list in the app use it: where it leads, its title, its email.
//! The store reads them.

use crate::notifications::mailer::Email;
use crate::notifications::templates::{
    account_email, case_email, message_email, payment_email, AccountNotice, CaseNotice, MessageNotice, PaymentNotice,
};

/// What a notification is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum About {
    Case(CaseNotice),
    Payment(PaymentNotice),
    Account(AccountNotice),
    /// Customer service replied in a secure-message thread.
    Message(MessageNotice),
}

/// A notification, its recipient and its subject.
#[derive(Debug, Clone)]
pub struct Addressed {
    pub id: i64,
    pub attempts: i64,
    pub created_at: i64,
    pub read: bool,
    pub email: String,
    pub language: String,
    pub about: About,
}

impl Addressed {
    /// Where the notification leads in the portal.
    pub fn path(&self) -> String {
        match &self.about {
            About::Case(case) => format!("/disputes/{}", case.case_number),
            About::Payment(payment) => format!("/payments/{}", payment.reference),
            // Who answers the organisation's disputes changed: the list shows what is answerable.
            About::Account(_) => "/disputes".to_owned(),
            About::Message(message) => format!("/messages/{}", message.thread_id),
        }
    }

    /// The case number, the payment reference, the organisation's name or the thread's number.
    pub fn key(&self) -> String {
        match &self.about {
            About::Case(case) => case.case_number.clone(),
            About::Payment(payment) => payment.reference.clone(),
            About::Account(account) => account.organisation.clone(),
            About::Message(message) => message.thread_id.to_string(),
        }
    }

    /// The email to its recipient, in their language, linking to `public_url` + [`Addressed::path`].
    pub fn email(&self, public_url: &url::Url) -> Email {
        let link = public_url.join(self.path().trim_start_matches('/')).map(String::from).unwrap_or_default();
        match &self.about {
            About::Case(case) => case_email(&self.email, &self.language, case, &link),
            About::Payment(payment) => payment_email(&self.email, &self.language, payment, &link),
            About::Account(account) => account_email(&self.email, &self.language, account, &link),
            About::Message(message) => message_email(&self.email, &self.language, message, &link),
        }
    }

    /// Its title in `language` (the email's subject).
    pub fn title(&self, language: &str) -> String {
        match &self.about {
            About::Case(case) => case_email("", language, case, "").subject,
            About::Payment(payment) => payment_email("", language, payment, "").subject,
            About::Account(account) => account_email("", language, account, "").subject,
            About::Message(message) => message_email("", language, message, "").subject,
        }
    }
}
