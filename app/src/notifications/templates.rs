//! The notification emails, per event and language (French, English): a subject, a text body
//! and an HTML body (through [`compose`]). Dispute notifications link to the case and show the
//! card only in its masked form; payment notifications link to the payments page.

use crate::disputes::reason_codes;
use crate::format;
use crate::notifications::compose::{compose, Content};
use crate::notifications::mailer::Email;

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

/// `2026-12-01` as `01/12/2026` in French, unchanged in English.
fn date(text: &str, english: bool) -> String {
    match crate::disputes::deadline::parse(text) {
        Some(day) if !english => day.format("%d/%m/%Y").to_string(),
        _ => text.to_owned(),
    }
}

/// The email telling `to` (who reads `language`) about `notice`; `link` opens the case.
pub fn case_email(to: &str, language: &str, notice: &CaseNotice, link: &str) -> Email {
    let english = language == "en";
    let n = notice;
    let amount = format::amount(n.amount, &n.currency, if english { "en" } else { "fr" });
    let reply_by = date(&n.reply_by, english);
    let reason = reason_codes::find(&n.reason_code)
        .map(|code| format!("{} ({})", n.reason_code, if english { code.label_en } else { code.label_fr }))
        .unwrap_or_else(|| n.reason_code.clone());
    let case = &n.case_number;
    let facts = if english {
        format!(
            "Establishment: {} ({}). Card: {}. Amount: {amount}. Reason: {reason}.",
            n.establishment, n.establishment_number, n.card_masked
        )
    } else {
        format!(
            "Établissement : {} ({}). Carte : {}. Montant : {amount}. Motif : {reason}.",
            n.establishment, n.establishment_number, n.card_masked
        )
    };
    let (subject, lead) = match (english, n.event.as_str(), n.category.as_str()) {
        (true, "opened", "new_inquiry") => (
            format!("New inquiry {case}"),
            format!("The card network opened inquiry {case} on one of your transactions. Answer it by {reply_by}."),
        ),
        (false, "opened", "new_inquiry") => (
            format!("Nouvelle demande de renseignements {case}"),
            format!("Le réseau a ouvert la demande de renseignements {case} sur une de vos transactions. Répondez avant le {reply_by}."),
        ),
        (true, "opened", _) => (
            format!("New chargeback {case}"),
            format!("The card network opened chargeback {case}; its amount is debited from your next payment. You can answer it by {reply_by}."),
        ),
        (false, "opened", _) => (
            format!("Nouvel impayé {case}"),
            format!("Le réseau a ouvert l'impayé {case} ; son montant est débité de votre prochain paiement. Vous pouvez y répondre avant le {reply_by}."),
        ),
        (true, "urgent", _) => (
            format!("Urgent: {case} must be answered by {reply_by}"),
            format!("Case {case} is still waiting for your answer and its reply-by date, {reply_by}, is near. Without an answer it will be decided against you."),
        ),
        (false, "urgent", _) => (
            format!("Urgent : répondre au litige {case} avant le {reply_by}"),
            format!("Le litige {case} attend toujours votre réponse et sa date limite, le {reply_by}, approche. Sans réponse, il sera tranché en votre défaveur."),
        ),
        (true, "submitted", _) => (format!("Response submitted for {case}"), format!("A response to case {case} was submitted; the dispute team will review it.")),
        (false, "submitted", _) => (format!("Réponse soumise pour {case}"), format!("Une réponse au litige {case} a été soumise ; l'équipe litiges du réseau va l'examiner.")),
        (true, "draft_saved", _) => (format!("Draft saved for {case}"), format!("A draft response to case {case} was saved; it is not submitted yet. Answer by {reply_by}.")),
        (false, "draft_saved", _) => (format!("Brouillon enregistré pour {case}"), format!("Un brouillon de réponse au litige {case} a été enregistré ; il n'est pas encore soumis. Répondez avant le {reply_by}.")),
        (true, "accepted", _) => (format!("Case {case} accepted"), format!("Case {case} was accepted: the cardholder is refunded in full.")),
        (false, "accepted", _) => (format!("Litige {case} accepté"), format!("Le litige {case} a été accepté : le porteur est remboursé intégralement.")),
        (true, "decided", _) if n.status == "won" => (format!("Decision on {case}: in your favour"), format!("The dispute team decided case {case} in your favour; the amount is credited back.")),
        (false, "decided", _) if n.status == "won" => (format!("Décision sur {case} : en votre faveur"), format!("L'équipe litiges a tranché le litige {case} en votre faveur ; le montant vous est recrédité.")),
        (true, "decided", _) => (format!("Decision on {case}: in the cardholder's favour"), format!("The dispute team decided case {case} in the cardholder's favour.")),
        (false, "decided", _) => (format!("Décision sur {case} : en faveur du porteur"), format!("L'équipe litiges a tranché le litige {case} en faveur du porteur de carte.")),
        (true, "info_requested", _) => (format!("More information requested on {case}"), format!("The dispute team needs more information on case {case}. Answer by {reply_by}.")),
        (false, "info_requested", _) => (format!("Informations demandées sur {case}"), format!("L'équipe litiges a besoin d'informations complémentaires sur le litige {case}. Répondez avant le {reply_by}.")),
        (true, "expired", _) => (format!("Case {case} closed without an answer"), format!("Case {case} was not answered by its reply-by date and is closed in the cardholder's favour.")),
        (false, "expired", _) => (format!("Litige {case} clos sans réponse"), format!("Le litige {case} n'a pas reçu de réponse avant sa date limite ; il est clos en faveur du porteur.")),
        (true, _, _) => (format!("Case {case} changed"), format!("Case {case} changed.")),
        (false, _, _) => (format!("Le litige {case} a changé"), format!("Le litige {case} a changé.")),
    };
    let paragraphs = [lead, facts];
    let label = if english { "Open the case" } else { "Ouvrir le litige" };
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

/// The email telling `to` about a payment; `link` opens the payments page.
pub fn payment_email(to: &str, language: &str, notice: &PaymentNotice, link: &str) -> Email {
    let english = language == "en";
    let n = notice;
    let amount = format::amount(n.net_amount, &n.currency, if english { "en" } else { "fr" });
    let day = date(&n.payment_date, english);
    let (subject, lead) = match (english, n.event.as_str()) {
        (true, "paid") => (
            format!("Payment made: {amount} on {day}"),
            format!("Payment {} of {amount} was made on {day}.", n.reference),
        ),
        (false, "paid") => (
            format!("Paiement effectué : {amount} le {day}"),
            format!("Le paiement {} de {amount} a été effectué le {day}.", n.reference),
        ),
        (true, _) => (
            format!("Payment pending: {amount} due on {day}"),
            format!("Payment {} of {amount} is pending; it is due on {day}.", n.reference),
        ),
        (false, _) => (
            format!("Paiement en attente : {amount} prévu le {day}"),
            format!("Le paiement {} de {amount} est en attente ; il est prévu le {day}.", n.reference),
        ),
    };
    let facts = if english {
        format!("Establishment: {} ({}).", n.establishment, n.establishment_number)
    } else {
        format!("Établissement : {} ({}).", n.establishment, n.establishment_number)
    };
    let paragraphs = [lead, facts];
    let label = if english { "See your payments" } else { "Voir vos paiements" };
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
                let email = payment_email("jean@exemple.fr", language, &notice, "https://portal.test/payments");
                let name = format!("payments_{event}_{language}");
                insta::assert_snapshot!(
                    name,
                    format!("Subject: {}\n\n{}\n---\n{}", email.subject, email.text, email.html)
                );
            }
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
