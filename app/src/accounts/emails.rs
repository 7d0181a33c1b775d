//! Account emails (not switchable): username reminder, password reset link, email change link
//! and the notice of it to the old address, lockout notice, invitation. Each in the recipient's
//! language (texts from `locales/{fr,en}.json`), with a text and an HTML body.

use crate::format::{fill, locale};
use crate::notifications::compose::{self, compose};
use crate::notifications::mailer::Email;
use leptos_i18n::td_string;

/// An account email's content before it is addressed.
struct Content {
    subject: &'static str,
    /// Paragraphs; the link, if any, follows them.
    paragraphs: Vec<String>,
    link: Option<(String, &'static str)>,
}

fn render(to: &str, language: &str, content: Content) -> Email {
    let link = content.link.as_ref().map(|(url, label)| (url.as_str(), *label));
    compose(to, language, compose::Content { subject: content.subject, paragraphs: &content.paragraphs, link })
}

/// The usernames registered with an address.
pub fn username_reminder(to: &str, language: &str, usernames: &[String]) -> Email {
    let locale = locale(language);
    let list = usernames.join(", ");
    let content = Content {
        subject: td_string!(locale, email_username_subject),
        paragraphs: vec![fill(td_string!(locale, email_username_body), &[("list", &list)])],
        link: None,
    };
    render(to, language, content)
}

/// The single-use link to choose a new password (valid 30 minutes).
pub fn password_reset(to: &str, language: &str, username: &str, link: String) -> Email {
    let locale = locale(language);
    let content = Content {
        subject: td_string!(locale, email_reset_subject),
        paragraphs: vec![
            fill(td_string!(locale, email_reset_body), &[("username", username)]),
            td_string!(locale, email_reset_not_you).into(),
        ],
        link: Some((link, td_string!(locale, email_reset_open))),
    };
    render(to, language, content)
}

/// Sent to the new address to confirm it.
pub fn email_change(to: &str, language: &str, username: &str, link: String) -> Email {
    let locale = locale(language);
    let content = Content {
        subject: td_string!(locale, email_change_subject),
        paragraphs: vec![fill(td_string!(locale, email_change_body), &[("username", username)])],
        link: Some((link, td_string!(locale, email_change_open))),
    };
    render(to, language, content)
}

/// Sent to the old address when a change to `new_email` is asked for.
pub fn email_change_notice(to: &str, language: &str, username: &str, new_email: &str) -> Email {
    let locale = locale(language);
    let content = Content {
        subject: td_string!(locale, email_change_notice_subject),
        paragraphs: vec![
            fill(td_string!(locale, email_change_notice_body), &[("username", username), ("new_email", new_email)]),
            td_string!(locale, email_change_notice_not_you).into(),
        ],
        link: None,
    };
    render(to, language, content)
}

/// The account was locked after too many failed sign-ins.
pub fn lockout(to: &str, language: &str, username: &str, until: &str) -> Email {
    let locale = locale(language);
    let content = Content {
        subject: td_string!(locale, email_lockout_subject),
        paragraphs: vec![
            fill(td_string!(locale, email_lockout_body), &[("username", username), ("until", until)]),
            td_string!(locale, email_lockout_not_you).into(),
        ],
        link: None,
    };
    render(to, language, content)
}

/// An organisation administrator invited this address.
pub fn invitation(to: &str, language: &str, organisation: &str, link: String) -> Email {
    let locale = locale(language);
    let content = Content {
        subject: td_string!(locale, email_invitation_subject),
        paragraphs: vec![fill(td_string!(locale, email_invitation_body), &[("organisation", organisation)])],
        link: Some((link, td_string!(locale, email_invitation_open))),
    };
    render(to, language, content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_email_has_the_link_in_both_bodies_and_the_recipients_language() {
        let email =
            password_reset("jean@exemple.fr", "fr", "jean", "https://portal.test/reset-password?token=abc".into());
        assert_eq!(email.subject, "Réinitialiser votre mot de passe");
        assert!(email.text.contains("https://portal.test/reset-password?token=abc"));
        assert!(email.html.contains("href=\"https://portal.test/reset-password?token=abc\""));
        assert!(email.html.starts_with("<!DOCTYPE html><html lang=\"fr\">"));
        let english = password_reset("jean@exemple.fr", "en", "jean", "https://x.test/r".into());
        assert_eq!(english.subject, "Reset your password");
    }

    #[test]
    fn names_are_escaped_in_html() {
        let email = invitation("a@b.fr", "fr", "<Lemaire & fils>", "https://x.test/i".into());
        assert!(email.html.contains("&lt;Lemaire &amp; fils&gt;"));
        assert!(email.text.contains("<Lemaire & fils>"));
    }
}
