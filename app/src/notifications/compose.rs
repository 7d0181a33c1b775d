//! The one layout every email shares: paragraphs, an optional link, the signature; a text body
//! and an HTML body with the same content, in the recipient's language.

use crate::format::{fill, locale};
use crate::notifications::mailer::{escape_html, Email};
use leptos_i18n::{td_string, Locale as _};

/// An email's content before it is laid out.
pub struct Content<'a> {
    pub subject: &'a str,
    /// Paragraphs; the link, if any, follows them.
    pub paragraphs: &'a [String],
    /// The address and its label.
    pub link: Option<(&'a str, &'a str)>,
}

/// The email to `to` with `content`, signed in `language` (`en`, else French).
pub fn compose(to: &str, language: &str, content: Content<'_>) -> Email {
    let locale = locale(language);
    let signature = td_string!(locale, email_signature);
    let mut text = content.paragraphs.join("\n\n");
    let mut html = content.paragraphs.iter().map(|p| format!("<p>{}</p>", escape_html(p))).collect::<String>();
    if let Some((url, label)) = content.link {
        // The punctuation before the address is the language's own (a space before `:` in French).
        let line = fill(td_string!(locale, email_link_line), &[("label", label), ("url", url)]);
        text.push_str(&format!("\n\n{line}"));
        html.push_str(&format!("<p><a href=\"{}\">{}</a></p>", escape_html(url), escape_html(label)));
    }
    text.push_str(&format!("\n\n{signature}\n"));
    html.push_str(&format!("<p>{}</p>", escape_html(signature)));
    let html = format!("<!DOCTYPE html><html lang=\"{}\"><body>{html}</body></html>", locale.as_str());
    Email { to: to.to_owned(), subject: content.subject.to_owned(), text, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_html_carry_the_same_content_escaped_in_html() {
        let paragraphs = ["Montant <12 €> & frais".to_owned()];
        let email = compose(
            "a@b.fr",
            "fr",
            Content { subject: "Objet", paragraphs: &paragraphs, link: Some(("https://p.test/x?a=1&b=2", "Voir")) },
        );
        assert!(email.text.starts_with("Montant <12 €> & frais\n\nVoir : https://p.test/x?a=1&b=2"));
        assert!(email.html.contains("<p>Montant &lt;12 €&gt; &amp; frais</p>"));
        assert!(email.html.contains("href=\"https://p.test/x?a=1&amp;b=2\""));
        assert!(email.html.starts_with("<!DOCTYPE html><html lang=\"fr\">"));
        assert!(email.text.ends_with("L'équipe du portail commerçants\n"));
    }
}
