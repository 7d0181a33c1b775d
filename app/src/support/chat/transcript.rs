//! An ended chat's transcript by email, at its merchant's request: every message with its time
//! (Paris) and its author (customer service by the agent's first name), in the merchant's
//! language, text and HTML, with the link to the chat's page. Card numbers were masked before the
//! messages were stored, so none reaches the email. Counted against the account's allowance of
//! emails (5 an hour) and audited.

use super::conversations::{messages, open_for_merchant};
use super::model::ChatMessage;
use super::state::Status;
use super::store;
use crate::accounts::caller::Caller;
use crate::accounts::model::Problem;
use crate::format::{fill, locale};
use crate::notifications::compose::{self, compose};
use crate::notifications::mailer::Email;
use crate::services::Services;
use crate::support::rules::{self, sender_name, SenderName};
use crate::support::threads::Refused;
use crate::AppError;
use leptos_i18n::td_string;

/// One line of the transcript: `14:05 · Yanis (customer service): text`.
fn line(message: &ChatMessage, language: &str) -> String {
    let locale = locale(language);
    let who = match sender_name(&message.sender) {
        SenderName::CustomerService(Some(first)) => format!("{first} ({})", td_string!(locale, customer_service)),
        SenderName::CustomerService(None) => td_string!(locale, customer_service).to_owned(),
        SenderName::Merchant(name) => name,
    };
    let time = chrono::DateTime::from_timestamp(message.sent_at, 0)
        .unwrap_or_default()
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%H:%M");
    format!("{time} · {who}{}{}", td_string!(locale, label_separator), message.body)
}

/// The email of a chat of `started_at` with its messages, to `to` in `language`.
pub fn email(to: &str, language: &str, started_at: i64, messages: &[ChatMessage], link: &str) -> Email {
    let locale = locale(language);
    let when = crate::format::instant(started_at, language);
    let subject = fill(td_string!(locale, chat_email_subject), &[("when", &when)]);
    let mut paragraphs = vec![fill(td_string!(locale, chat_email_intro), &[("when", &when)])];
    paragraphs.extend(messages.iter().map(|message| line(message, language)));
    let label = td_string!(locale, chat_email_link);
    compose(to, language, compose::Content { subject: &subject, paragraphs: &paragraphs, link: Some((link, label)) })
}

/// Sends the caller the transcript of their ended chat `id`.
pub async fn send(services: &Services, caller: &Caller, id: i64) -> Result<(), Refused> {
    let chat = open_for_merchant(&services.db, caller, id).await?;
    if chat.status != Status::Ended || caller.email.trim().is_empty() {
        return Err(Refused::Error(AppError::NotFound));
    }
    if services.limits.check_email(&caller.user_id.to_string()).is_err() {
        return Err(Refused::Problem(Problem::ChatEmailLimit, "form".into()));
    }
    let messages = messages(&services.db, &chat).await?;
    let link = services.link(&format!("/chat/{id}"));
    let email = email(&caller.email, &caller.language, chat.created_at, &messages, &link);
    services.mailer.send(email).await.map_err(|error| {
        tracing::error!(%error, conversation = id, "chat transcript not sent");
        Refused::Error(AppError::Internal)
    })?;
    let number = chat.establishment.as_ref().map(|(number, _)| number.as_str());
    let actor = rules::actor(caller, chat.establishment_id.zip(number));
    let mut transaction = services.db.write().await?;
    store::insert_event(&mut transaction, id, &actor, crate::clock::now(), "transcript_emailed", "").await?;
    transaction.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::model::Sender;

    #[test]
    fn the_transcript_lists_each_message_with_its_time_and_author() {
        let message = |kind: &str, full_name: &str, body: &str| ChatMessage {
            id: 1,
            sender: Sender { user_id: 1, username: "u".into(), full_name: full_name.into(), kind: kind.into() },
            body: body.into(),
            sent_at: 1_796_216_700,
        };
        let messages =
            [message("merchant", "Camille Martin", "Bonjour"), message("support_agent", "Yanis Roux", "Oui ?")];
        let french = email("c@m.fr", "fr", 1_796_216_700, &messages, "http://p.test/chat/3");
        assert!(french.text.contains("14:05 · Camille Martin : Bonjour"), "{}", french.text);
        assert!(french.text.contains("14:05 · Yanis (Service clients) : Oui ?"), "{}", french.text);
        assert!(french.text.contains("http://p.test/chat/3"));
        let english = email("c@m.fr", "en", 1_796_216_700, &messages, "http://p.test/chat/3");
        assert!(english.text.contains("14:05 · Yanis (Customer service): Oui ?"), "{}", english.text);
        assert_ne!(french.subject, english.subject);
    }
}
