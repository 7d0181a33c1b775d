//! Sending email with lettre: through SMTP for deployments, as `.eml` files in a folder for local
//! runs and the demo, or kept in memory for unit tests. Every message has a text and an HTML body.

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Emails sent at once within a pass (and SMTP connections in the mailer's pool). Each send
/// spends most of its time waiting for the server's answers (lettre's connections do not set
/// TCP_NODELAY, so the end of a message waits for the server's delayed ACK), so many at once
/// is what makes delivery fast.
pub const PARALLEL: usize = 32;

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
    /// The server refused the message for good (a 5xx answer): trying again will not help.
    #[error("refused: {0}")]
    Refused(String),
}

impl MailError {
    /// Whether sending again cannot succeed.
    pub fn is_permanent(&self) -> bool {
        matches!(self, MailError::Address(_) | MailError::Build(_) | MailError::Refused(_))
    }
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

/// `smtp://` URLs without a `tls` parameter get `tls=required` unless the host is loopback:
/// lettre's own default for them is plain text, which would send credentials in clear.
fn with_tls_default(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.to_owned(); // lettre reports it
    };
    let loopback = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    if parsed.scheme() == "smtp" && !loopback && !parsed.query_pairs().any(|(key, _)| key == "tls") {
        parsed.query_pairs_mut().append_pair("tls", "required");
    }
    parsed.to_string()
}

fn mailbox(address: &str) -> Result<Mailbox, MailError> {
    address.parse().map_err(|_| MailError::Address(address.to_owned()))
}

impl Mailer {
    /// Writes each email as an `.eml` file in `dir`.
    pub fn files(dir: PathBuf, from: &str) -> Result<Mailer, MailError> {
        Ok(Mailer { transport: Arc::new(Transport::Files(AsyncFileTransport::new(dir))), from: mailbox(from)? })
    }

    /// Sends through the SMTP server of `url`, with a connection pool: `smtps://host:465` is
    /// TLS, `smtp://user:pass@host:587` STARTTLS (required), except on a loopback host where
    /// plain SMTP is used unless the URL says `?tls=required` or `?tls=opportunistic`.
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, MailError> {
        let url = with_tls_default(url);
        let pool = lettre::transport::smtp::PoolConfig::new().max_size(PARALLEL as u32);
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|error| MailError::Transport(error.to_string()))?
            .pool_config(pool)
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

    fn message(&self, email: &Email, message_id: Option<&str>) -> Result<Message, MailError> {
        Message::builder()
            .from(self.from.clone())
            .message_id(message_id.map(str::to_owned))
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
        self.send_message(email, None).await
    }

    /// Sends one email now with the given Message-ID (`<unique@host>`), so that every attempt
    /// at the same notification is the same message.
    pub async fn send_with_id(&self, email: Email, message_id: &str) -> Result<(), MailError> {
        self.send_message(email, Some(message_id)).await
    }

    async fn send_message(&self, email: Email, message_id: Option<&str>) -> Result<(), MailError> {
        let message = self.message(&email, message_id)?;
        match self.transport.as_ref() {
            Transport::Files(files) => {
                files.send(message).await.map(drop).map_err(|error| MailError::Transport(error.to_string()))
            }
            Transport::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|error| {
                if error.is_permanent() {
                    MailError::Refused(error.to_string())
                } else {
                    MailError::Transport(error.to_string())
                }
            }),
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
    fn smtp_requires_starttls_except_on_loopback_or_when_the_url_says() {
        assert_eq!(with_tls_default("smtp://u:p@mail.example.com:587"), "smtp://u:p@mail.example.com:587?tls=required");
        assert_eq!(
            with_tls_default("smtp://mail.example.com?tls=opportunistic"),
            "smtp://mail.example.com?tls=opportunistic"
        );
        assert_eq!(with_tls_default("smtp://127.0.0.1:2525"), "smtp://127.0.0.1:2525");
        assert_eq!(with_tls_default("smtps://mail.example.com"), "smtps://mail.example.com");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape_html("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }
}
