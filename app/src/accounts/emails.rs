//! Account emails (not switchable): username reminder, password reset link, email change link,
//! lockout notice, invitation. Each in the recipient's language, with a text and an HTML body.

use crate::notifications::compose::{self, compose};
use crate::notifications::mailer::Email;

/// An account email's content before it is addressed.
struct Content {
    subject: &'static str,
    /// Paragraphs; the link, if any, follows them.
    paragraphs: Vec<String>,
    link: Option<(String, &'static str)>,
}

fn english(language: &str) -> bool {
    language == "en"
}

fn render(to: &str, language: &str, content: Content) -> Email {
    let link = content.link.as_ref().map(|(url, label)| (url.as_str(), *label));
    compose(to, language, compose::Content { subject: content.subject, paragraphs: &content.paragraphs, link })
}

/// The usernames registered with an address.
pub fn username_reminder(to: &str, language: &str, usernames: &[String]) -> Email {
    let list = usernames.join(", ");
    let content = if english(language) {
        Content {
            subject: "Your username",
            paragraphs: vec![format!("You asked for the username of your merchant portal account: {list}.")],
            link: None,
        }
    } else {
        Content {
            subject: "Votre identifiant",
            paragraphs: vec![format!(
                "Vous avez demandé l'identifiant de votre compte sur le portail commerçants : {list}."
            )],
            link: None,
        }
    };
    render(to, language, content)
}

/// The single-use link to choose a new password (valid 30 minutes).
pub fn password_reset(to: &str, language: &str, username: &str, link: String) -> Email {
    let content = if english(language) {
        Content {
            subject: "Reset your password",
            paragraphs: vec![
                format!("Someone asked to reset the password of the account {username}. The link below works once, for 30 minutes."),
                "If it was not you, ignore this email: your current password keeps working.".into(),
            ],
            link: Some((link, "Choose a new password")),
        }
    } else {
        Content {
            subject: "Réinitialiser votre mot de passe",
            paragraphs: vec![
                format!("Une réinitialisation du mot de passe du compte {username} a été demandée. Le lien ci-dessous ne sert qu'une fois, pendant 30 minutes."),
                "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe actuel reste valable.".into(),
            ],
            link: Some((link, "Choisir un nouveau mot de passe")),
        }
    };
    render(to, language, content)
}

/// Sent to the new address to confirm it.
pub fn email_change(to: &str, language: &str, username: &str, link: String) -> Email {
    let content = if english(language) {
        Content {
            subject: "Confirm your new email address",
            paragraphs: vec![format!("Confirm that this address should receive the emails of the account {username}.")],
            link: Some((link, "Confirm this address")),
        }
    } else {
        Content {
            subject: "Confirmez votre nouvelle adresse email",
            paragraphs: vec![format!("Confirmez que cette adresse doit recevoir les emails du compte {username}.")],
            link: Some((link, "Confirmer cette adresse")),
        }
    };
    render(to, language, content)
}

/// The account was locked after too many failed sign-ins.
pub fn lockout(to: &str, language: &str, username: &str, until: &str) -> Email {
    let content = if english(language) {
        Content {
            subject: "Your account is locked for 30 minutes",
            paragraphs: vec![
                format!("After 10 failed sign-ins, the account {username} is locked until {until} (Paris time)."),
                "If it was not you, reset your password from the sign-in page once the lock ends, or call customer service.".into(),
            ],
            link: None,
        }
    } else {
        Content {
            subject: "Votre compte est bloqué pendant 30 minutes",
            paragraphs: vec![
                format!("Après 10 tentatives de connexion échouées, le compte {username} est bloqué jusqu'à {until} (heure de Paris)."),
                "Si ce n'était pas vous, réinitialisez votre mot de passe depuis la page de connexion à la fin du blocage, ou appelez le service clients.".into(),
            ],
            link: None,
        }
    };
    render(to, language, content)
}

/// An organisation administrator invited this address.
pub fn invitation(to: &str, language: &str, organisation: &str, link: String) -> Email {
    let content = if english(language) {
        Content {
            subject: "You are invited to the merchant portal",
            paragraphs: vec![format!(
                "{organisation} invites you to its merchant portal account. The link below works for 7 days."
            )],
            link: Some((link, "Create your access")),
        }
    } else {
        Content {
            subject: "Invitation au portail commerçants",
            paragraphs: vec![format!("{organisation} vous invite sur son compte du portail commerçants. Le lien ci-dessous est valable 7 jours.")],
            link: Some((link, "Créer votre accès")),
        }
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
