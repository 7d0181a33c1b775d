//! Demo data: a deterministic generator (the same day gives the same data) that loads into an
//! empty database, and the benchmark establishment (1,000,000 transactions, 100,000 disputes).
//!
//! Everything is written in one database transaction with explicit ids (see `ids`), so a failed
//! seed leaves nothing behind.

mod bench;
mod cases;
pub mod demo;
mod gateway;
mod ids;
pub mod ledger;
mod rows;

use app::db::Db;
use app::disputes::reason_codes;
use chrono::NaiveDate;
use ids::Ids;
use rows::{row, Batch};
use sqlx::AnyConnection;
use std::fmt;
use std::path::{Path, PathBuf};

/// How much data `server seed` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SeedSize {
    /// The demo organisations, users, money and cases.
    Demo,
    /// The demo, plus one establishment with 1,000,000 transactions and 100,000 disputes.
    Bench,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the database already holds the benchmark establishment")]
    BenchPresent,
    #[error("the database already holds organisations: demo data loads only into an empty database")]
    NotEmpty,
    #[error("cannot write demo data: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot hash a demo password")]
    Password,
}

/// What a seed wrote, and the logins and activation codes to print.
#[derive(Debug, Default)]
pub struct SeedReport {
    pub organisations: u64,
    pub establishments: u64,
    pub transactions: u64,
    pub disputes: u64,
    /// (username, password, what the user is)
    pub users: Vec<(String, String, String)>,
    /// (establishment number, trading name, activation code)
    pub activation_codes: Vec<(String, String, String)>,
    /// The demo gateway's API key (every establishment, both scopes).
    pub gateway_key: Option<String>,
}

impl SeedReport {
    fn add(&mut self, other: SeedReport) {
        self.organisations += other.organisations;
        self.establishments += other.establishments;
        self.transactions += other.transactions;
        self.disputes += other.disputes;
        self.users.extend(other.users);
        self.activation_codes.extend(other.activation_codes);
        self.gateway_key = self.gateway_key.take().or(other.gateway_key);
    }
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.organisations > 0 {
            writeln!(
                f,
                "demo data: {} organisations, {} establishments, {} transactions, {} disputes",
                self.organisations, self.establishments, self.transactions, self.disputes
            )?;
        }
        write_logins(f, &self.users)?;
        if !self.activation_codes.is_empty() {
            write!(f, "{}", self.codes_text())?;
        }
        Ok(())
    }
}

fn write_logins(f: &mut fmt::Formatter<'_>, users: &[(String, String, String)]) -> fmt::Result {
    writeln!(f, "demo logins (username / password):")?;
    for (username, password, what) in users {
        writeln!(f, "  {username:<16} {password:<26} {what}")?;
    }
    Ok(())
}

/// The demo logins, for a start on a database that already holds the demo. The activation codes
/// are random and stored hashed: see [`codes_file`].
pub fn demo_credentials() -> SeedReport {
    SeedReport { users: demo::users_described(), ..SeedReport::default() }
}

/// Where the command line keeps the plain activation codes a seed issued
/// (`<DATA_DIR>/demo-activation-codes.txt`, readable by its owner only), to print them again on
/// later starts: the database holds only their hashes.
pub fn codes_file(data_dir: &Path) -> PathBuf {
    data_dir.join("demo-activation-codes.txt")
}

impl SeedReport {
    /// The activation codes as printed: one line per establishment.
    pub fn codes_text(&self) -> String {
        let mut text = String::from("activation codes (registration, step 1; valid 30 days, once each):\n");
        for (number, name, code) in &self.activation_codes {
            text.push_str(&format!("  {number}  {code}  {name}\n"));
        }
        if let Some(key) = &self.gateway_key {
            text.push_str(&gateway_text(key));
        }
        text
    }

    /// Adds the codes to [`codes_file`] (created with mode 0600 on Unix).
    pub fn save_codes(&self, data_dir: &Path) -> std::io::Result<()> {
        use std::io::Write;
        if self.activation_codes.is_empty() {
            return Ok(());
        }
        let mut options = std::fs::OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(codes_file(data_dir))?.write_all(self.codes_text().as_bytes())
    }
}

/// The demo gateway key and a curl line that authorises and captures a charge at Paris Opéra,
/// which then appears in `/transactions` for `opera` and `lemaire.hq`.
fn gateway_text(key: &str) -> String {
    format!(
        "gateway API key (every establishment; reference at /developers/api):\n  {key}\n\
         authorise and capture 42.00 EUR at Paris Opéra (then see /transactions as opera):\n  \
         curl -s http://127.0.0.1:3000/api/v1/operations -H 'Authorization: Bearer {key}' \\\n    \
         -H \"Idempotency-Key: demo-$(date +%s)\" -H 'Content-Type: application/json' \\\n    \
         -d '{{\"type\":\"authorization_with_capture\",\"establishment_number\":\"9421000011\",\"amount\":4200,\
         \"currency\":\"EUR\",\"merchant_reference\":\"DEMO-CURL\",\"card\":{{\"first_six\":\"374245\",\
         \"last_four\":\"1001\",\"expiry\":\"2030-12\",\"token\":\"tok_demo\"}}}}'\n"
    )
}

/// Loads the demo (into an empty database) and, for `Bench`, the benchmark establishment.
pub async fn run(db: &Db, size: SeedSize, today: NaiveDate) -> Result<SeedReport, SeedError> {
    let empty = db.is_empty().await?;
    if size == SeedSize::Demo && !empty {
        return Err(SeedError::NotEmpty);
    }
    let now = app::clock::now();
    let mut transaction = db.write().await?;
    let connection: &mut AnyConnection = &mut transaction;
    let mut ids = Ids::load(connection).await?;
    let mut report = SeedReport::default();
    if empty {
        reason_codes::store(connection).await?;
        report.add(demo::load(connection, &mut ids, today, now).await?);
    }
    if size == SeedSize::Bench {
        report.add(bench::load(connection, &mut ids, today, now).await?);
    }
    ids::sync_sequences(db, connection).await?;
    transaction.commit().await?;
    Ok(report)
}

pub use app::accounts::tokens::sha256_hex;

/// Writes users with hashed passwords, their membership (organisation, and establishment when
/// `scope_of` names one) and their notification preferences. Returns (username, id) pairs.
async fn write_users(
    connection: &mut AnyConnection,
    ids: &mut Ids,
    users: &[demo::DemoUser],
    now: i64,
    scope_of: impl Fn(&demo::DemoUser) -> Option<(i64, Option<i64>)>,
) -> Result<Vec<(&'static str, i64)>, SeedError> {
    let mut user_rows = Vec::new();
    let mut memberships = Vec::new();
    let mut preferences = Vec::new();
    let mut created = Vec::new();
    for user in users {
        let id = ids.next("users");
        let hash = app::accounts::password::hash(user.password()).await.map_err(|_| SeedError::Password)?;
        let email = format!("{}@demo.example", user.username);
        user_rows.push(row![id, user.username, email, user.full_name, hash, user.language, user.kind, now, now]);
        if let (Some(role), Some((organisation_id, establishment_id))) = (user.role, scope_of(user)) {
            memberships.push(row![ids.next("memberships"), id, organisation_id, establishment_id, role, now]);
            preferences.extend(demo::default_preferences(id));
        }
        created.push((user.username, id));
    }
    Batch::new(
        "users",
        &[
            "id",
            "username",
            "email",
            "full_name",
            "password_hash",
            "language",
            "kind",
            "password_changed_at",
            "created_at",
        ],
    )
    .write_all(connection, user_rows)
    .await?;
    Batch::new("memberships", &["id", "user_id", "organisation_id", "establishment_id", "role", "created_at"])
        .write_all(connection, memberships)
        .await?;
    Batch::new("notification_preferences", &["user_id", "category", "enabled", "daily_digest"])
        .write_all(connection, preferences)
        .await?;
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_passwords_meet_the_password_rules() {
        for user in demo::USERS {
            let password = user.password();
            assert!((12..=128).contains(&password.len()), "{password}");
            assert!(password.chars().any(|c| c.is_ascii_alphabetic()) && password.chars().any(|c| c.is_ascii_digit()));
        }
    }
}
