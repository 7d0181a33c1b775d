//! Test helpers: `spawn_app()` starts the real server on port 0 against a fresh database (SQLite
//! by default, PostgreSQL when `TEST_DATABASE=postgres`) and returns a client that keeps cookies.

pub mod browser;
pub mod events;
pub mod load;
pub mod mail;
pub mod notify;
pub mod smtp;
mod visitor;

pub use visitor::Visitor;

use app::db::Db;
use chrono::NaiveDate;
use rand::Rng;
use server::config::Config;
use server::startup::Application;
use std::collections::HashMap;
use tempfile::TempDir;
use tokio::sync::oneshot;

/// The day the demo data is generated around in tests, so that assertions are stable.
pub fn test_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("a valid date")
}

/// Which engine the tests run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestEngine {
    Sqlite,
    Postgres,
}

/// `TEST_DATABASE=postgres` selects PostgreSQL; anything else, SQLite.
pub fn engine() -> TestEngine {
    match std::env::var("TEST_DATABASE").as_deref() {
        Ok("postgres") => TestEngine::Postgres,
        _ => TestEngine::Sqlite,
    }
}

/// The PostgreSQL server the tests create their databases on.
pub fn postgres_base_url() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A new, empty database of the selected engine; SQLite files live in `folder`.
pub async fn fresh_database_url(folder: &std::path::Path) -> String {
    match engine() {
        TestEngine::Sqlite => format!("sqlite://{}/portal.db", folder.display()),
        TestEngine::Postgres => fresh_postgres_url().await,
    }
}

/// A new, empty PostgreSQL database on [`postgres_base_url`] (`scripts/test.sh` drops them).
pub async fn fresh_postgres_url() -> String {
    let name = format!("portal_test_{:016x}", rand::rng().random::<u64>());
    let admin = Db::connect(&format!("{}/postgres", postgres_base_url())).await.expect("PostgreSQL for tests");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin.pool).await.expect("create test database");
    admin.pool.close().await;
    format!("{}/{name}", postgres_base_url())
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`
    pub address: String,
    pub client: reqwest::Client,
    pub db: Db,
    pub config: Config,
    pub folder: TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// A client that keeps cookies and does not follow redirects (tests look at them).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        // A request that hangs fails the test instead of stalling the run (see Visitor).
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("an HTTP client")
}

/// The server's configuration for a test: port 0, everything under `folder`.
pub fn test_config(folder: &std::path::Path, database_url: &str) -> Config {
    test_config_with(folder, database_url, &[])
}

/// [`test_config`] with more variables set (or defaults replaced).
pub fn test_config_with(folder: &std::path::Path, database_url: &str, extra: &[(&str, &str)]) -> Config {
    let mut variables = HashMap::new();
    variables.insert("DATABASE_URL", database_url.to_owned());
    variables.insert("LISTEN_ADDR", "127.0.0.1:0".to_owned());
    variables.insert("DATA_DIR", folder.display().to_string());
    variables.insert("LEPTOS_SITE_ROOT", folder.join("site").display().to_string());
    // Tests run the deadline sweep themselves, for the day they choose.
    variables.insert("DEADLINE_SWEEP_SECONDS", "0".to_owned());
    // Notifications are delivered only where a test asks (NOTIFY_INTERVAL_MS), so other tests'
    // mail folders hold only the emails they caused directly.
    variables.insert("NOTIFY_INTERVAL_MS", "0".to_owned());
    // Analytics are checked against the database right after each change.
    variables.insert("ANALYTICS_CACHE_SECONDS", "0".to_owned());
    for (name, value) in extra {
        variables.insert(name, (*value).to_owned());
    }
    Config::from_lookup(|name| variables.get(name).cloned()).expect("a valid test configuration")
}

/// Starts the server on port 0 with a fresh, migrated, empty database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// [`spawn_app`] with more configuration variables.
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    server::telemetry::init();
    let folder = tempfile::tempdir().expect("a temporary folder");
    let database_url = fresh_database_url(folder.path()).await;
    let mut config = test_config_with(folder.path(), &database_url, extra);
    let application = Application::build(&config).await.expect("the server starts");
    let address = application.local_addr();
    config.listen_addr = address;
    let db = application.db.clone();
    let (shutdown, stopped) = oneshot::channel();
    let server = tokio::spawn(application.run_until(async {
        let _ = stopped.await;
    }));
    TestApp {
        address: format!("http://{address}"),
        client: client(),
        db,
        config,
        folder,
        shutdown: Some(shutdown),
        server: Some(server),
    }
}

/// Starts the server with the demo data loaded for [`test_today`].
pub async fn spawn_app_with_demo() -> TestApp {
    spawn_app_with_demo_and(&[]).await
}

/// The demo data loaded for the real today: for pages whose windows follow the server's clock
/// (the last 35 days, the last 16 months).
pub async fn spawn_app_with_demo_today() -> TestApp {
    let app = spawn_app_with(&[]).await;
    server::seed::run(&app.db, server::seed::SeedSize::Demo, app::clock::paris_today())
        .await
        .expect("the demo data loads");
    app
}

/// [`spawn_app_with_demo`] with more configuration variables.
pub async fn spawn_app_with_demo_and(extra: &[(&str, &str)]) -> TestApp {
    let app = spawn_app_with(extra).await;
    server::seed::run(&app.db, server::seed::SeedSize::Demo, test_today()).await.expect("the demo data loads");
    app
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("the server answers")
    }

    /// Issues a new activation code for the establishment with this number (the previous one
    /// stops working) and returns it, as the platform admin would be shown it.
    pub async fn issue_activation_code(&self, number: &str) -> String {
        app::accounts::store::activation::issue_for_number(&self.db, number, app::clock::now())
            .await
            .expect("the code is stored")
            .expect("the establishment exists")
            .code
    }

    /// A new browser-like visitor with its own cookies.
    pub fn visitor(&self) -> Visitor {
        Visitor::new(&self.address)
    }

    /// The emails written to the mail folder for `to`, oldest first, decoded.
    pub fn emails_to(&self, to: &str) -> Vec<String> {
        mail::emails_to(&self.folder.path().join("mail"), to)
    }

    /// Waits (up to 10 s) until `count` emails have reached `to`, and returns them.
    pub async fn wait_for_emails(&self, to: &str, count: usize) -> Vec<String> {
        for _ in 0..100 {
            let emails = self.emails_to(to);
            if emails.len() >= count {
                return emails;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("{count} email(s) to {to} expected, found {}", self.emails_to(to).len());
    }

    /// A second server on the same database and folders (another instance behind the same load
    /// balancer, say): its address; it stops when the returned sender is dropped.
    pub async fn another_instance(&self) -> (String, oneshot::Sender<()>) {
        let mut config = self.config.clone();
        config.listen_addr = "127.0.0.1:0".parse().expect("an address");
        let application = Application::build(&config).await.expect("the second server starts");
        let address = format!("http://{}", application.local_addr());
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(application.run_until(async {
            let _ = stopped.await;
        }));
        (address, shutdown)
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("the server task ends").expect("the server stops cleanly");
        }
    }
}

/// The value of the first `<input name="{name}" value="…">` on a page.
pub fn hidden_value(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no field {name} on the page")) + marker.len();
    page[start..start + page[start..].find('"').expect("a closing quote")].to_owned()
}

/// One text from a query, for assertions.
pub async fn text(db: &Db, sql: &str) -> String {
    sqlx::query_scalar::<_, String>(sql).fetch_one(&db.pool).await.unwrap_or_else(|error| panic!("{sql}: {error}"))
}

/// One number from a query, for assertions.
pub async fn scalar(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql).fetch_one(&db.pool).await.unwrap_or_else(|error| panic!("{sql}: {error}"))
}
