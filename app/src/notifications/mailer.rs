//! Sending email with lettre: through SMTP for deployments, as `.eml` files in a folder for local
//! runs and the demo, or kept in memory for unit tests. Every message has a text and an HTML body.

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// One email, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Why an email could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address {0:?}")]
    Address(String),
    #[error("cannot build the message: {0}")]
    Build(String),
    #[error("cannot send: {0}")]
    Transport(String),
}

enum Transport {
    Files(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Memory(Mutex<Vec<Email>>),
}

/// Sends emails from the configured sender; cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    transport: Arc<Transport>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

fn mailbox(address: &str) -> Result<Mailbox, MailError> {
    address.parse().map_err(|_| MailError::Address(address.to_owned()))
}

impl Mailer {
    /// Writes each email as an `.eml` file in `dir`.
    pub fn files(dir: PathBuf, from: &str) -> Result<Mailer, MailError> {
        Ok(Mailer { transport: Arc::new(Transport::Files(AsyncFileTransport::new(dir))), from: mailbox(from)? })
    }

    /// Sends through the SMTP server of `url` (`smtp://user:pass@host:587` uses STARTTLS,
    /// `smtps://` TLS; `?tls=none` for a local test server), with a connection pool.
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|error| MailError::Transport(error.to_string()))?
            .build();
        Ok(Mailer { transport: Arc::new(Transport::Smtp(transport)), from: mailbox(from)? })
    }

    /// Keeps emails in memory (see [`Mailer::sent`]).
    pub fn memory(from: &str) -> Result<Mailer, MailError> {
        Ok(Mailer { transport: Arc::new(Transport::Memory(Mutex::new(Vec::new()))), from: mailbox(from)? })
    }

    /// The emails an in-memory mailer has kept.
    pub fn sent(&self) -> Vec<Email> {
        match self.transport.as_ref() {
            Transport::Memory(sent) => sent.lock().map(|sent| sent.clone()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    fn message(&self, email: &Email) -> Result<Message, MailError> {
        Message::builder()
            .from(self.from.clone())
            .to(mailbox(&email.to)?)
            .subject(email.subject.clone())
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(email.text.clone()))
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(email.html.clone())),
            )
            .map_err(|error| MailError::Build(error.to_string()))
    }

    /// Sends one email now.
    pub async fn send(&self, email: Email) -> Result<(), MailError> {
        let message = self.message(&email)?;
        match self.transport.as_ref() {
            Transport::Files(files) => {
                files.send(message).await.map(drop).map_err(|error| MailError::Transport(error.to_string()))
            }
            Transport::Smtp(smtp) => {
                smtp.send(message).await.map(drop).map_err(|error| MailError::Transport(error.to_string()))
            }
            Transport::Memory(sent) => {
                sent.lock().map_err(|_| MailError::Transport("poisoned".into()))?.push(email);
                Ok(())
            }
        }
    }

    /// Sends without making the request wait (and so without telling, by its timing, whether
    /// an account exists); a failure is logged.
    pub fn send_in_background(&self, email: Email) {
        let mailer = self.clone();
        tokio::spawn(async move {
            let to = email.to.clone();
            if let Err(error) = mailer.send(email).await {
                tracing::error!(%error, %to, "account email not sent");
            }
        });
    }
}

/// Escapes text for an HTML body.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> Email {
        Email {
            to: "jean@exemple.fr".into(),
            subject: "Bonjour".into(),
            text: "Texte".into(),
            html: "<p>Texte</p>".into(),
        }
    }

    #[tokio::test]
    async fn memory_mailer_keeps_what_it_sends() {
        let mailer = Mailer::memory("Portail <no-reply@portal.test>").unwrap();
        mailer.send(email()).await.unwrap();
        assert_eq!(mailer.sent(), vec![email()]);
    }

    #[tokio::test]
    async fn file_mailer_writes_a_multipart_eml() {
        let dir = std::env::temp_dir().join(format!("portal-mail-{}", crate::accounts::tokens::new_secret()));
        std::fs::create_dir_all(&dir).unwrap();
        Mailer::files(dir.clone(), "Portail <no-reply@portal.test>").unwrap().send(email()).await.unwrap();
        let file = std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap().path();
        let content = std::fs::read_to_string(file).unwrap();
        assert!(content.contains("To: jean@exemple.fr"), "{content}");
        assert!(content.contains("multipart/alternative") && content.contains("text/html"), "{content}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn a_bad_address_is_refused() {
        let mailer = Mailer::memory("no-reply@portal.test").unwrap();
        let error = mailer.send(Email { to: "not an address".into(), ..email() }).await.unwrap_err();
        assert!(matches!(error, MailError::Address(_)));
        assert!(Mailer::memory("nobody").is_err());
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape_html("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }
}
