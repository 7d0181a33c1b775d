//! A notification with what it is about (a case or a payment), as the emails the worker sends,
//! the digest and the recipient's list in the app use it: where it leads, its title, its email.
//! The store reads them.

use crate::notifications::mailer::Email;
use crate::notifications::templates::{case_email, payment_email, CaseNotice, PaymentNotice};

/// What a notification is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum About {
    Case(CaseNotice),
    Payment(PaymentNotice),
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
            About::Payment(_) => "/payments".to_owned(),
        }
    }

    /// The case number or the payment reference.
    pub fn key(&self) -> &str {
        match &self.about {
            About::Case(case) => &case.case_number,
            About::Payment(payment) => &payment.reference,
        }
    }

    /// The email to its recipient, in their language, linking to `public_url` + [`Addressed::path`].
    pub fn email(&self, public_url: &url::Url) -> Email {
        let link = public_url.join(self.path().trim_start_matches('/')).map(String::from).unwrap_or_default();
        match &self.about {
            About::Case(case) => case_email(&self.email, &self.language, case, &link),
            About::Payment(payment) => payment_email(&self.email, &self.language, payment, &link),
        }
    }

    /// Its title in `language` (the email's subject).
    pub fn title(&self, language: &str) -> String {
        match &self.about {
            About::Case(case) => case_email("", language, case, "").subject,
            About::Payment(payment) => payment_email("", language, payment, "").subject,
        }
    }
}
