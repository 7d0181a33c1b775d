//! The notification emails, per event, in the recipient's language (texts from
//! `locales/{fr,en}.json`): a subject, a text body and an HTML body (through [`compose`]).
//! Dispute notifications link to the case and show the card only in its masked form; payment
//! notifications link to the payment itself; a change of the organisation's dispute
//! configuration is told to its headquarters users; a reply of customer service to a secure
//! message says a reply is waiting and links to its thread, never carrying the message itself.

use crate::disputes::reason_codes;
use crate::format::{self, fill};
use crate::notifications::compose::{compose, Content};
use crate::notifications::mailer::Email;
use leptos_i18n::td_string;

/// What a dispute notification says about its case, read when it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseNotice {
    /// The outbox category (`new_inquiry`, `new_chargeback`, `case_update`, `urgent_case`).
    pub category: String,
    /// The outbox event (`opened`, `submitted`, `decided`, `urgent`, …).
    pub event: String,
    pub case_number: String,
    pub stage: String,
    pub status: String,
    pub reason_code: String,
    /// In minor units.
    pub amount: i64,
    pub currency: String,
    /// `YYYY-MM-DD`.
    pub reply_by: String,
    /// Masked as stored (`497010******1234`): the only form of a card number in an email.
    pub card_masked: String,
    pub establishment: String,
    pub establishment_number: String,
}

/// `2026-12-01` as the reader writes a date (`01/12/2026` in French), or as it is if unreadable.
fn date(text: &str, language: &str) -> String {
    match crate::disputes::deadline::parse(text) {
        Some(day) => format::date(day, language),
        None => text.to_owned(),
    }
}

/// The email telling `to` (who reads `language`) about `notice`; `link` opens the case.
pub fn case_email(to: &str, language: &str, notice: &CaseNotice, link: &str) -> Email {
    let locale = format::locale(language);
    let n = notice;
    let amount = format::amount(n.amount, &n.currency, language);
    let reply_by = date(&n.reply_by, language);
    let reason = reason_codes::find(&n.reason_code)
        .map(|code| format!("{} ({})", n.reason_code, code.label(locale)))
        .unwrap_or_else(|| n.reason_code.clone());
    let facts = fill(
        td_string!(locale, email_case_facts),
        &[
            ("establishment", &n.establishment),
            ("number", &n.establishment_number),
            ("card", &n.card_masked),
            ("amount", &amount),
            ("reason", &reason),
        ],
    );
    let (subject, lead) = match (n.event.as_str(), n.category.as_str()) {
        ("opened", "new_inquiry") => {
            (td_string!(locale, email_new_inquiry_subject), td_string!(locale, email_new_inquiry_lead))
        }
        ("opened", _) => {
            (td_string!(locale, email_new_chargeback_subject), td_string!(locale, email_new_chargeback_lead))
        }
        ("urgent", _) => (td_string!(locale, email_urgent_subject), td_string!(locale, email_urgent_lead)),
        ("submitted", _) => (td_string!(locale, email_submitted_subject), td_string!(locale, email_submitted_lead)),
        ("draft_saved", _) => {
            (td_string!(locale, email_draft_saved_subject), td_string!(locale, email_draft_saved_lead))
        }
        ("accepted", _) => (td_string!(locale, email_accepted_subject), td_string!(locale, email_accepted_lead)),
        ("decided", _) if n.status == "won" => {
            (td_string!(locale, email_won_subject), td_string!(locale, email_won_lead))
        }
        ("decided", _) => (td_string!(locale, email_lost_subject), td_string!(locale, email_lost_lead)),
        ("info_requested", _) => {
            (td_string!(locale, email_info_requested_subject), td_string!(locale, email_info_requested_lead))
        }
        ("expired", _) => (td_string!(locale, email_expired_subject), td_string!(locale, email_expired_lead)),
        _ => (td_string!(locale, email_changed_subject), td_string!(locale, email_changed_lead)),
    };
    let values = [("case", n.case_number.as_str()), ("reply_by", reply_by.as_str())];
    let (subject, lead) = (fill(subject, &values), fill(lead, &values));
    let paragraphs = [lead, facts];
    let label = td_string!(locale, email_case_open);
    compose(to, language, Content { subject: &subject, paragraphs: &paragraphs, link: Some((link, label)) })
}

/// What a payment notification says, read when it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentNotice {
    /// `paid` or `pending`.
    pub event: String,
    pub reference: String,
    /// `YYYY-MM-DD`.
    pub payment_date: String,
    /// In minor units.
    pub net_amount: i64,
    pub currency: String,
    pub establishment: String,
    pub establishment_number: String,
}

/// The email telling `to` about a payment; `link` opens the payment.
pub fn payment_email(to: &str, language: &str, notice: &PaymentNotice, link: &str) -> Email {
    let locale = format::locale(language);
    let n = notice;
    let amount = format::amount(n.net_amount, &n.currency, language);
    let day = date(&n.payment_date, language);
    let (subject, lead) = match n.event.as_str() {
        "paid" => (td_string!(locale, email_paid_subject), td_string!(locale, email_paid_lead)),
        _ => (td_string!(locale, email_pending_subject), td_string!(locale, email_pending_lead)),
    };
    let values = [("amount", amount.as_str()), ("day", day.as_str()), ("reference", n.reference.as_str())];
    let (subject, lead) = (fill(subject, &values), fill(lead, &values));
    let facts = fill(
        td_string!(locale, email_payment_facts),
        &[("establishment", &n.establishment), ("number", &n.establishment_number)],
    );
    let paragraphs = [lead, facts];
    let label = td_string!(locale, email_payments_open);
    compose(to, language, Content { subject: &subject, paragraphs: &paragraphs, link: Some((link, label)) })
}

/// What an account notice says: the organisation's dispute configuration changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountNotice {
    /// `dispute_config_changed`.
    pub event: String,
    pub organisation: String,
    /// The username of who changed it.
    pub actor: String,
    /// `central` or `local`.
    pub from: String,
    pub to: String,
}

/// The email telling `to` that the organisation's dispute configuration changed; `link` opens
/// the disputes list.
pub fn account_email(to: &str, language: &str, notice: &AccountNotice, link: &str) -> Email {
    let locale = format::locale(language);
    let setting = |config: &str| match config {
        "central" => td_string!(locale, dispute_config_central),
        _ => td_string!(locale, dispute_config_local),
    };
    let values = [
        ("organisation", notice.organisation.as_str()),
        ("actor", notice.actor.as_str()),
        ("from", setting(&notice.from)),
        ("to", setting(&notice.to)),
    ];
    let subject = fill(td_string!(locale, email_config_subject), &values);
    let paragraphs =
        [fill(td_string!(locale, email_config_lead), &values), td_string!(locale, email_config_means).to_owned()];
    let label = td_string!(locale, email_config_open);
    compose(to, language, Content { subject: &subject, paragraphs: &paragraphs, link: Some((link, label)) })
}

/// What a secure-message notice says: customer service replied in a thread. Deliberately no
/// more than the thread's number: the message stays behind the sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageNotice {
    pub thread_id: i64,
}

/// The email telling `to` that a reply of customer service is waiting; `link` opens the thread.
pub fn message_email(to: &str, language: &str, notice: &MessageNotice, link: &str) -> Email {
    let locale = format::locale(language);
    let number = notice.thread_id.to_string();
    let values = [("thread", number.as_str())];
    let subject = fill(td_string!(locale, email_message_reply_subject), &values);
    let paragraphs = [
        fill(td_string!(locale, email_message_reply_lead), &values),
        td_string!(locale, email_message_reply_why).to_owned(),
    ];
    let label = td_string!(locale, email_message_reply_open);
    compose(to, language, Content { subject: &subject, paragraphs: &paragraphs, link: Some((link, label)) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(category: &str, event: &str, status: &str) -> CaseNotice {
        CaseNotice {
            category: category.into(),
            event: event.into(),
            case_number: "LIT-2026-0000042".into(),
            stage: if category == "new_inquiry" { "inquiry" } else { "chargeback" }.into(),
            status: status.into(),
            reason_code: "C08".into(),
            amount: 12_345,
            currency: "EUR".into(),
            reply_by: "2026-12-01".into(),
            card_masked: "497010******1234".into(),
            establishment: "Brasserie Opéra".into(),
            establishment_number: "9421000011".into(),
        }
    }

    const EVENTS: [(&str, &str, &str); 9] = [
        ("new_inquiry", "opened", "needs_response"),
        ("new_chargeback", "opened", "needs_response"),
        ("urgent_case", "urgent", "needs_response"),
        ("case_update", "submitted", "under_review"),
        ("case_update", "accepted", "accepted"),
        ("case_update", "decided", "won"),
        ("case_update", "decided", "lost"),
        ("case_update", "info_requested", "info_requested"),
        ("case_update", "expired", "expired"),
    ];

    /// Every event in both languages, as the recipient would read it.
    #[test]
    fn rendered_emails_match_their_snapshots() {
        let link = "https://portal.test/disputes/LIT-2026-0000042";
        for (category, event, status) in EVENTS {
            for language in ["fr", "en"] {
                let email = case_email("jean@exemple.fr", language, &notice(category, event, status), link);
                let name = format!("{category}_{event}_{status}_{language}");
                insta::assert_snapshot!(
                    name,
                    format!("Subject: {}\n\n{}\n---\n{}", email.subject, email.text, email.html)
                );
            }
        }
    }

    #[test]
    fn payment_emails_match_their_snapshots() {
        for event in ["paid", "pending"] {
            for language in ["fr", "en"] {
                let notice = PaymentNotice {
                    event: event.into(),
                    reference: "PAY-9421000011-20261120".into(),
                    payment_date: "2026-11-20".into(),
                    net_amount: 123_456,
                    currency: "EUR".into(),
                    establishment: "Brasserie Opéra".into(),
                    establishment_number: "9421000011".into(),
                };
                let email = payment_email(
                    "jean@exemple.fr",
                    language,
                    &notice,
                    "https://portal.test/payments/PAY-9421000011-20261120",
                );
                let name = format!("payments_{event}_{language}");
                insta::assert_snapshot!(
                    name,
                    format!("Subject: {}\n\n{}\n---\n{}", email.subject, email.text, email.html)
                );
            }
        }
    }

    #[test]
    fn the_dispute_configuration_email_says_who_changed_what_in_the_recipients_language() {
        let notice = AccountNotice {
            event: "dispute_config_changed".into(),
            organisation: "Maison Lemaire".into(),
            actor: "lemaire.admin".into(),
            from: "central".into(),
            to: "local".into(),
        };
        let link = "https://portal.test/disputes";
        let french = account_email("hq@lemaire.example", "fr", &notice, link);
        assert!(french.subject.contains("Maison Lemaire"), "{}", french.subject);
        assert!(french.text.contains("lemaire.admin") && french.text.contains("Local") && french.text.contains(link));
        assert!(french.text.find("Central") < french.text.find("Local"), "from, then to: {}", french.text);
        let english = account_email("hq@lemaire.example", "en", &notice, link);
        assert_ne!(english.subject, french.subject);
        assert!(english.text.contains("each establishment answers its own disputes"), "{}", english.text);
    }

    #[test]
    fn message_reply_emails_match_their_snapshots() {
        for language in ["fr", "en"] {
            let email = message_email(
                "jean@exemple.fr",
                language,
                &MessageNotice { thread_id: 42 },
                "https://portal.test/messages/42",
            );
            assert!(email.text.contains("https://portal.test/messages/42") && email.html.contains("/messages/42"));
            insta::assert_snapshot!(
                format!("message_reply_{language}"),
                format!("Subject: {}\n\n{}\n---\n{}", email.subject, email.text, email.html)
            );
        }
    }

    #[test]
    fn every_email_links_the_case_and_shows_only_the_masked_card() {
        let link = "https://portal.test/disputes/LIT-2026-0000042";
        for (category, event, status) in EVENTS {
            for language in ["fr", "en"] {
                let email = case_email("jean@exemple.fr", language, &notice(category, event, status), link);
                assert!(email.subject.contains("LIT-2026-0000042"), "{}", email.subject);
                assert!(email.text.contains(link) && email.html.contains(link), "{category}/{event}");
                assert!(email.text.contains("497010******1234"), "{category}/{event}");
            }
        }
    }

    #[test]
    fn french_and_english_differ_and_dates_follow_the_language() {
        let notice = notice("new_inquiry", "opened", "needs_response");
        let french = case_email("a@b.fr", "fr", &notice, "https://p.test/x");
        let english = case_email("a@b.fr", "en", &notice, "https://p.test/x");
        assert!(french.text.contains("avant le 01/12/2026") && french.text.contains("123,45"));
        assert!(english.text.contains("by 2026-12-01") && english.text.contains("€123.45"));
    }
}
