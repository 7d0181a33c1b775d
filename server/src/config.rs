//! Configuration from environment variables, each with a default fit for a local run. A bad
//! value stops start-up with a message that names the variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use url::Url;

/// Where emails go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailConfig {
    /// Each email written as an `.eml` file in this folder (local runs and the demo).
    Files { dir: PathBuf },
    /// An SMTP server: `smtp://user:pass@host:587` (STARTTLS required; plain on a loopback
    /// host) or `smtps://host:465` (TLS).
    Smtp { url: Url },
}

/// Everything the server reads from its environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://…` or `postgres://…`; default `sqlite://<DATA_DIR>/portal.db`.
    pub database_url: String,
    /// `LISTEN_ADDR`: address and port to bind; default `127.0.0.1:3000` (port 0 picks one).
    pub listen_addr: SocketAddr,
    /// `PUBLIC_URL`: how users reach the portal (links in emails, cookie security); when unset,
    /// the address the server is bound to (see [`Config::public_url`]).
    pub public_url: Option<Url>,
    /// `DATA_DIR`: the folder for the default database, mail and documents; default `data`.
    pub data_dir: PathBuf,
    /// `DOCUMENT_DIR`: where uploaded documents are stored, outside the web root.
    pub document_dir: PathBuf,
    /// `SMTP_URL` (or `.eml` files in `MAIL_DIR`, default `<DATA_DIR>/mail`).
    pub mail: MailConfig,
    /// `MAIL_FROM`: the sender of every email.
    pub mail_from: String,
    /// `LEPTOS_SITE_ROOT`: the built front end (wasm, JS, CSS); default `target/site`.
    pub site_root: PathBuf,
    /// `SESSION_IDLE_SECONDS`: a session ends after this long without a request; default 900.
    pub session_idle_seconds: u32,
    /// `AUTH_RATE_LIMIT`: sign-in, registration and recovery requests allowed per client and
    /// minute; default 20.
    pub auth_rate_limit: u32,
    /// `TRUSTED_PROXIES`: comma-separated addresses and CIDR blocks of the reverse proxies whose
    /// `X-Forwarded-For` names the client (for rate limits); default none.
    pub trusted_proxies: app::accounts::client_address::TrustedProxies,
    /// `DEADLINE_SWEEP_SECONDS`: how often the deadline worker runs; 0 turns it off (tests
    /// call the sweep themselves); default 60.
    pub deadline_sweep_seconds: u32,
    /// `ANALYTICS_CACHE_SECONDS`: how long an instance answers the same analytics question from
    /// its last computation; 0 computes every time (the integration tests); default 60.
    pub analytics_cache_seconds: u32,
    /// `NOTIFY_INTERVAL_MS`: how often the notification worker looks for outbox rows and due
    /// emails; 0 turns it off (tests call it themselves); default 2000.
    pub notify_interval_ms: u32,
    /// `NOTIFY_LEASE_SECONDS`: how long a claimed email is left to the instance that claimed it
    /// before another may send it (after a crash); default 120.
    pub notify_lease_seconds: u32,
    /// `CHAT_HOURS` (`09:00-18:00`), `CHAT_DAYS` (`mon-fri`), `CHAT_CLOSED_DATES`
    /// (`2026-12-24,2026-12-31`) and `CHAT_HOLIDAYS` (`closed` or `open`: French public
    /// holidays): when the live chat is open, Paris time.
    pub chat_hours: app::support::chat::hours::OpeningHours,
    /// `SUPPORT_PHONE`: the phone line the chat gives when it is closed; default the footer's.
    pub support_phone: String,
    /// `CHAT_CLOCK`: an instant (RFC 3339, `2026-12-05T10:00:00+01:00`) the chat's clock reads at
    /// start-up, running on from there: the opening hours follow it (tests and demos); unset, the
    /// real clock.
    pub chat_clock: Option<i64>,
}

/// A variable whose value the server cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

fn bad(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError { variable, message: message.into() }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads variables through `get` (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let var = |name: &str| get(name).map(|value| value.trim().to_owned()).filter(|value| !value.is_empty());

        let data_dir = PathBuf::from(var("DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = var("DATABASE_URL").unwrap_or_else(|| format!("sqlite://{}/portal.db", data_dir.display()));
        app::db::Engine::from_url(&database_url)
            .map_err(|error| bad("DATABASE_URL", strip_variable(&error.to_string())))?;

        let listen_addr = match var("LISTEN_ADDR") {
            Some(value) => value.parse::<SocketAddr>().map_err(|_| {
                bad("LISTEN_ADDR", format!("{value:?} is not an address and port such as 127.0.0.1:3000"))
            })?,
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
        };

        let public_url = match var("PUBLIC_URL") {
            Some(value) => {
                let url = Url::parse(&value)
                    .map_err(|error| bad("PUBLIC_URL", format!("{value:?} is not a URL ({error})")))?;
                if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
                    return Err(bad("PUBLIC_URL", format!("{value:?} must be an http:// or https:// URL with a host")));
                }
                Some(url)
            }
            None => None,
        };

        let mail = match var("SMTP_URL") {
            Some(value) => {
                let url = Url::parse(&value).map_err(|error| bad("SMTP_URL", format!("not a URL ({error})")))?;
                if !matches!(url.scheme(), "smtp" | "smtps") || url.host().is_none() {
                    return Err(bad("SMTP_URL", "must look like smtp://user:password@host:587 or smtps://host:465"));
                }
                MailConfig::Smtp { url }
            }
            None => {
                MailConfig::Files { dir: var("MAIL_DIR").map(PathBuf::from).unwrap_or_else(|| data_dir.join("mail")) }
            }
        };

        let mail_from = var("MAIL_FROM").unwrap_or_else(|| "Portail litiges <no-reply@portal.localhost>".into());
        if !mail_from.contains('@') {
            return Err(bad("MAIL_FROM", format!("{mail_from:?} is not an email address")));
        }

        let number = |variable: &'static str, default: u32, range: std::ops::RangeInclusive<u32>| match var(variable) {
            Some(value) => value.parse::<u32>().ok().filter(|number| range.contains(number)).ok_or_else(|| {
                bad(variable, format!("{value:?} is not a whole number from {} to {}", range.start(), range.end()))
            }),
            None => Ok(default),
        };
        let session_idle_seconds = number("SESSION_IDLE_SECONDS", 900, 1..=86_400)?;
        let auth_rate_limit = number("AUTH_RATE_LIMIT", 20, 1..=1_000_000)?;
        let trusted_proxies =
            app::accounts::client_address::TrustedProxies::parse(&var("TRUSTED_PROXIES").unwrap_or_default())
                .map_err(|message| bad("TRUSTED_PROXIES", message))?;
        let deadline_sweep_seconds = number("DEADLINE_SWEEP_SECONDS", 60, 0..=86_400)?;
        let analytics_cache_seconds = number("ANALYTICS_CACHE_SECONDS", 60, 0..=3600)?;
        let notify_interval_ms = number("NOTIFY_INTERVAL_MS", 2000, 0..=3_600_000)?;
        let notify_lease_seconds = number("NOTIFY_LEASE_SECONDS", 120, 1..=3600)?;

        let chat_hours = chat_hours(&var)?;
        let support_phone =
            var("SUPPORT_PHONE").unwrap_or_else(|| app::support::chat::settings::DEFAULT_PHONE.to_owned());
        let chat_clock = match var("CHAT_CLOCK") {
            Some(value) => Some(
                chrono::DateTime::parse_from_rfc3339(&value)
                    .map_err(|_| {
                        bad("CHAT_CLOCK", format!("{value:?} is not an instant such as 2026-12-05T10:00:00+01:00"))
                    })?
                    .timestamp(),
            ),
            None => None,
        };

        Ok(Config {
            chat_hours,
            support_phone,
            chat_clock,
            session_idle_seconds,
            auth_rate_limit,
            trusted_proxies,
            deadline_sweep_seconds,
            analytics_cache_seconds,
            notify_interval_ms,
            notify_lease_seconds,
            database_url,
            listen_addr,
            public_url,
            document_dir: var("DOCUMENT_DIR").map(PathBuf::from).unwrap_or_else(|| data_dir.join("documents")),
            data_dir,
            mail,
            mail_from,
            site_root: PathBuf::from(var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into())),
        })
    }

    /// How users reach the portal: `PUBLIC_URL`, or the address the server is bound to.
    pub fn public_url(&self, bound: SocketAddr) -> Url {
        self.public_url
            .clone()
            .unwrap_or_else(|| Url::parse(&format!("http://{bound}")).expect("an address makes a URL"))
    }

    /// The folders the server writes to, each with the variable that sets it.
    pub fn writable_folders(&self) -> Vec<(&'static str, PathBuf)> {
        let mut folders = vec![("DATA_DIR", self.data_dir.clone()), ("DOCUMENT_DIR", self.document_dir.clone())];
        if let MailConfig::Files { dir } = &self.mail {
            folders.push(("MAIL_DIR", dir.clone()));
        }
        folders
    }
}

/// The chat's opening hours from `CHAT_HOURS`, `CHAT_DAYS`, `CHAT_CLOSED_DATES` and
/// `CHAT_HOLIDAYS`; a bad value names its variable.
fn chat_hours(var: &dyn Fn(&str) -> Option<String>) -> Result<app::support::chat::hours::OpeningHours, ConfigError> {
    use app::support::chat::hours::OpeningHours;
    let values = [
        ("CHAT_HOURS", var("CHAT_HOURS").unwrap_or_else(|| "09:00-18:00".into())),
        ("CHAT_DAYS", var("CHAT_DAYS").unwrap_or_else(|| "mon-fri".into())),
        ("CHAT_CLOSED_DATES", var("CHAT_CLOSED_DATES").unwrap_or_default()),
        ("CHAT_HOLIDAYS", var("CHAT_HOLIDAYS").unwrap_or_default()),
    ];
    // Each value checked alone against the defaults, so that the error names the one that is wrong.
    for (index, (variable, _)) in values.iter().enumerate() {
        let mut alone = ["09:00-18:00", "mon-fri", "", ""];
        alone[index] = &values[index].1;
        OpeningHours::parse(alone[0], alone[1], alone[2], alone[3]).map_err(|message| bad(variable, message))?;
    }
    OpeningHours::parse(&values[0].1, &values[1].1, &values[2].1, &values[3].1)
        .map_err(|message| bad("CHAT_HOURS", message))
}

/// `DbError` messages already start with the variable's name; the config error adds it again.
fn strip_variable(message: &str) -> String {
    message.strip_prefix("DATABASE_URL ").unwrap_or(message).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_run_locally_on_sqlite() {
        let config = config(&[]).unwrap();
        assert_eq!(config.database_url, "sqlite://data/portal.db");
        assert_eq!(config.listen_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.public_url(config.listen_addr).as_str(), "http://127.0.0.1:3000/");
        assert_eq!(config.public_url(SocketAddr::from(([127, 0, 0, 1], 4100))).as_str(), "http://127.0.0.1:4100/");
        assert_eq!(config.mail, MailConfig::Files { dir: "data/mail".into() });
        assert_eq!(config.document_dir, PathBuf::from("data/documents"));
        assert_eq!((config.session_idle_seconds, config.auth_rate_limit), (900, 20));
        assert_eq!(config.chat_hours, app::support::chat::hours::OpeningHours::default());
        assert_eq!((config.support_phone.as_str(), config.chat_clock), ("01 47 77 75 75", None));
    }

    #[test]
    fn every_bad_value_names_its_variable() {
        for (variable, value) in [
            ("DATABASE_URL", "mysql://root@localhost/portal"),
            ("LISTEN_ADDR", "localhost"),
            ("PUBLIC_URL", "portal.example"),
            ("PUBLIC_URL", "ftp://portal.example"),
            ("SMTP_URL", "mail.example:25"),
            ("MAIL_FROM", "nobody"),
            ("SESSION_IDLE_SECONDS", "0"),
            ("AUTH_RATE_LIMIT", "many"),
            ("TRUSTED_PROXIES", "10.0.0.0/40"),
            ("CHAT_HOURS", "9h-18h"),
            ("CHAT_DAYS", "lundi"),
            ("CHAT_CLOSED_DATES", "24/12/2026"),
            ("CHAT_HOLIDAYS", "sometimes"),
            ("CHAT_CLOCK", "tomorrow"),
        ] {
            let error = config(&[(variable, value)]).unwrap_err();
            assert_eq!(error.variable, variable, "{value}");
            assert!(error.to_string().starts_with(variable), "{error}");
        }
    }

    #[test]
    fn smtp_replaces_files_when_set() {
        let config = config(&[("SMTP_URL", "smtp://mailer:pw@127.0.0.1:2525")]).unwrap();
        assert!(matches!(config.mail, MailConfig::Smtp { ref url } if url.port() == Some(2525)));
        assert_eq!(config.writable_folders().len(), 2);
    }
}
