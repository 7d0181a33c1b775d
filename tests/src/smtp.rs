//! A real SMTP server for the notification tests: aiosmtpd (from PyPI, installed by
//! `scripts/tools.sh` into its own venv; `PORTAL_PYTHON` names that venv's python), started as
//! its own process on a free loopback port, writing each message it accepts as a file
//! (`tests/python/portal_smtp_sink.py`). It can be stopped and started again on the same port.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// One message the server accepted, decoded.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
}

/// The aiosmtpd process and its maildir.
pub struct SmtpServer {
    port: u16,
    maildir: PathBuf,
    /// Milliseconds the server takes over each message before accepting it.
    delay_ms: u64,
    process: Option<Child>,
    _folder: tempfile::TempDir,
}

fn python() -> String {
    std::env::var("PORTAL_PYTHON").unwrap_or_else(|_| {
        let home = std::env::var("HOME").unwrap_or_default();
        let venv = format!("{home}/.local/share/portal-tools/python/bin/python");
        if std::path::Path::new(&venv).exists() {
            venv
        } else {
            "python3".to_owned()
        }
    })
}

impl SmtpServer {
    /// Starts the server on a free port.
    pub async fn start() -> SmtpServer {
        SmtpServer::start_slow(0).await
    }

    /// A server that takes `delay_ms` over each message before accepting (and storing) it.
    pub async fn start_slow(delay_ms: u64) -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let folder = tempfile::tempdir().expect("a temporary folder");
        let maildir = folder.path().join("maildir");
        let mut server = SmtpServer { port, maildir, delay_ms, process: None, _folder: folder };
        server.start_again().await;
        server
    }

    /// The `SMTP_URL` the portal sends through (plain SMTP: loopback needs no TLS).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Starts the process (again), on the same port and maildir; waits until it accepts.
    pub async fn start_again(&mut self) {
        assert!(self.process.is_none(), "the SMTP server is already running");
        let child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{}", self.port)])
            .args(["-c", "portal_smtp_sink.Folder"])
            .arg(&self.maildir)
            .env("PYTHONPATH", concat!(env!("CARGO_MANIFEST_DIR"), "/python"))
            .env("PORTAL_SMTP_DELAY_MS", self.delay_ms.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts (scripts/tools.sh installs it; PORTAL_PYTHON names its python)");
        self.process = Some(child);
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("aiosmtpd did not listen on port {} within 5 s", self.port);
    }

    /// Stops the process; connections are refused until [`SmtpServer::start_again`].
    pub fn stop(&mut self) {
        if let Some(mut child) = self.process.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every message accepted so far (in no particular order).
    pub fn messages(&self) -> Vec<Received> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter_map(|entry| std::fs::read(entry.path()).ok())
            .map(|bytes| parse(&bytes))
            .collect()
    }

    /// Waits (up to 30 s) until at least `count` messages have arrived; returns them all.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..600 {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{} messages arrived, {count} expected", self.messages().len());
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn parse(bytes: &[u8]) -> Received {
    use mailparse::MailHeaderMap;
    let mail = mailparse::parse_mail(bytes).expect("a well-formed message");
    let header = |name: &str| mail.headers.get_first_value(name).unwrap_or_default();
    let part = |mime: &str| {
        mail.subparts
            .iter()
            .find(|part| part.ctype.mimetype == mime)
            .and_then(|part| part.get_body().ok())
            .unwrap_or_default()
    };
    Received {
        to: header("To"),
        subject: header("Subject"),
        message_id: header("Message-ID"),
        text: part("text/plain"),
        html: part("text/html"),
    }
}
