//! Browser-test helpers: the release server as a child process with its own data folder, and
//! Debian's headless Chromium driven over the DevTools protocol, with every console error and
//! uncaught exception collected so a test can assert there were none.

use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::log::{EnableParams as LogEnable, EventEntryAdded, LogEntryLevel};
use chromiumoxide::cdp::js_protocol::runtime::{ConsoleApiCalledType, EventConsoleApiCalled, EventExceptionThrown};
use chromiumoxide::Page;
use futures::StreamExt;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The release server started with `serve --demo` on a fresh SQLite database.
pub struct ReleaseServer {
    pub address: String,
    child: Child,
    folder: tempfile::TempDir,
    variables: Vec<(String, String)>,
}

impl ReleaseServer {
    /// Starts `PORTAL_SERVER_BIN` (default `release/server` in `CARGO_TARGET_DIR`, or in the
    /// workspace's `target`) serving `target/site` (where cargo-leptos writes the site whatever
    /// the target folder) on a new SQLite database, unless the variables name a `DATABASE_URL`.
    pub async fn start() -> ReleaseServer {
        ReleaseServer::start_with(&[]).await
    }

    /// [`ReleaseServer::start`] with more environment variables.
    pub async fn start_with(variables: &[(&str, &str)]) -> ReleaseServer {
        let folder = tempfile::tempdir().unwrap();
        let variables: Vec<(String, String)> =
            variables.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect();
        let (child, address) = spawn(folder.path(), &variables).await;
        ReleaseServer { address, child, folder, variables }
    }

    /// The demo activation code the server's seed printed for this establishment (kept in its
    /// data folder, `server::seed::codes_file`).
    pub fn demo_activation_code(&self, number: &str) -> String {
        let codes = std::fs::read_to_string(server::seed::codes_file(self.folder.path())).expect("the demo codes file");
        codes
            .lines()
            .find_map(|line| {
                let mut words = line.split_whitespace();
                (words.next() == Some(number)).then(|| words.next().map(str::to_owned)).flatten()
            })
            .expect("a code for this establishment")
    }

    /// The demo gateway key the server's seed printed (kept beside the activation codes).
    pub fn demo_gateway_key(&self) -> String {
        let codes = std::fs::read_to_string(server::seed::codes_file(self.folder.path())).expect("the demo codes file");
        codes
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .find(|word| word.starts_with("mdp_") && word.len() == 68)
            .expect("the demo gateway key")
            .to_owned()
    }

    /// Kills the process at once (SIGKILL: no graceful shutdown, like a crash) and starts it
    /// again on the same data folder and database, with the same variables (the demo data is
    /// not loaded again: the database is not empty). The address changes.
    pub async fn kill_and_restart(&mut self) {
        self.child.kill().await.expect("the server is killed");
        let (child, address) = spawn(self.folder.path(), &self.variables).await;
        self.child = child;
        self.address = address;
    }

    /// Sets an environment variable for the next start.
    pub fn set_variable(&mut self, name: &str, value: &str) {
        self.variables.retain(|(existing, _)| existing != name);
        self.variables.push((name.to_owned(), value.to_owned()));
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Where the server writes its emails (`.eml` files).
    pub fn mail_dir(&self) -> PathBuf {
        self.folder.path().join("mail")
    }

    /// The server's database (`DATABASE_URL`: SQLite in its data folder unless a variable named
    /// another), for a test to read or fill while it runs.
    pub fn database_url(&self) -> String {
        match self.variables.iter().find(|(name, _)| name == "DATABASE_URL") {
            Some((_, url)) => url.clone(),
            None => format!("sqlite://{}/portal.db", self.folder.path().display()),
        }
    }

    /// The server's data folder (`DATA_DIR`: its documents, mail and SQLite database).
    pub fn data_dir(&self) -> &std::path::Path {
        self.folder.path()
    }
}

/// Starts the server on `folder`; returns it once it listens, with its address.
async fn spawn(folder: &std::path::Path, variables: &[(String, String)]) -> (Child, String) {
    let target = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| workspace().join("target"));
    let binary =
        std::env::var("PORTAL_SERVER_BIN").map(PathBuf::from).unwrap_or_else(|_| target.join("release/server"));
    let site = std::env::var("PORTAL_SITE_ROOT").map(PathBuf::from).unwrap_or_else(|_| workspace().join("target/site"));
    assert!(binary.exists(), "{} is missing: build the release first (scripts/test.sh does)", binary.display());
    assert!(
        site.join("pkg/portal.wasm").exists() || site.join("pkg/portal_bg.wasm").exists(),
        "{} has no wasm: run cargo leptos build --release",
        site.display()
    );
    let mut child = Command::new(&binary)
        .args(["serve", "--demo"])
        .env("DATA_DIR", folder)
        .env("LISTEN_ADDR", "127.0.0.1:0")
        .env("LEPTOS_SITE_ROOT", &site)
        .envs(variables.iter().map(|(name, value)| (name, value)))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("the release server starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = tokio::time::timeout(Duration::from_secs(120), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(address) = line.strip_prefix("listening on ") {
                return address.trim().to_owned();
            }
        }
        panic!("the server stopped before listening");
    })
    .await
    .expect("the server listens within two minutes");
    // Keep draining its output so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, address)
}

/// Types `value` into the input matching `selector` (as a user would, the value replaces what
/// was there).
pub async fn fill(page: &Page, selector: &str, value: &str) {
    let script = format!(
        "(() => {{ const e = document.querySelector({}); if (!e) return false; e.focus(); e.value = {}; e.dispatchEvent(new Event('input', {{ bubbles: true }})); return true; }})()",
        serde_json::to_string(selector).unwrap(),
        serde_json::to_string(value).unwrap()
    );
    assert!(eval::<bool>(page, &script).await, "no {selector} to fill");
}

/// Clicks the element matching `selector`.
pub async fn click(page: &Page, selector: &str) {
    let script = format!(
        "(() => {{ const e = document.querySelector({}); if (!e) return false; e.click(); return true; }})()",
        serde_json::to_string(selector).unwrap()
    );
    assert!(eval::<bool>(page, &script).await, "no {selector} to click");
}

impl Drop for ReleaseServer {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// A headless Chromium and the errors its pages reported.
pub struct Chromium {
    pub browser: Browser,
    pub errors: Arc<Mutex<Vec<String>>>,
    _profile: tempfile::TempDir,
}

impl Chromium {
    /// Starts Debian's Chromium (`CHROMIUM_BIN`, default `/usr/bin/chromium`): headless, no
    /// sandbox (root in CI), no network beyond what the page asks for.
    pub async fn launch() -> Chromium {
        let executable = std::env::var("CHROMIUM_BIN").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let profile = tempfile::tempdir().unwrap();
        let config = BrowserConfig::builder()
            .chrome_executable(executable)
            .no_sandbox()
            .user_data_dir(profile.path())
            .args([
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                "--lang=fr-FR",
            ])
            .build()
            .expect("a browser configuration");
        let (browser, mut handler) = Browser::launch(config).await.expect("Chromium starts");
        tokio::spawn(async move { while handler.next().await.is_some() {} });
        Chromium { browser, errors: Arc::new(Mutex::new(Vec::new())), _profile: profile }
    }

    /// A new tab whose console errors, failed loads and uncaught exceptions are recorded.
    pub async fn page(&self) -> Page {
        let page = self.browser.new_page("about:blank").await.expect("a new tab");
        page.execute(LogEnable::default()).await.expect("log domain");
        let mut console = page.event_listener::<EventConsoleApiCalled>().await.unwrap();
        let mut exceptions = page.event_listener::<EventExceptionThrown>().await.unwrap();
        let mut log = page.event_listener::<EventEntryAdded>().await.unwrap();
        let errors = self.errors.clone();
        tokio::spawn(async move {
            loop {
                let message = tokio::select! {
                    Some(event) = console.next() => (event.r#type == ConsoleApiCalledType::Error)
                        .then(|| format!("console.error: {:?}", event.args.iter().map(|a| a.value.clone()).collect::<Vec<_>>())),
                    Some(event) = exceptions.next() => Some(format!("exception: {}", event.exception_details.text)),
                    Some(event) = log.next() => (event.entry.level == LogEntryLevel::Error)
                        .then(|| format!("log: {} {}", event.entry.text, event.entry.url.clone().unwrap_or_default())),
                    else => break,
                };
                if let Some(message) = message {
                    errors.lock().unwrap().push(message);
                }
            }
        });
        page
    }

    /// What the pages reported as errors so far.
    pub fn errors(&self) -> Vec<String> {
        self.errors.lock().unwrap().clone()
    }
}

/// axe-core's script: `AXE_CORE_JS` (scripts/tools.sh installs it from npm), read once.
fn axe_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = std::env::var("AXE_CORE_JS").unwrap_or_else(|_| {
            let home = std::env::var("HOME").unwrap_or_default();
            format!("{home}/.local/share/portal-tools/node_modules/axe-core/axe.min.js")
        });
        std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("axe-core at {path}: {error} (scripts/tools.sh)"))
    })
}

/// Runs axe-core's WCAG 2 A/AA rules and best practices on the page as it is now, and fails
/// listing every serious or critical violation (rule, help, elements).
pub async fn assert_accessible(page: &Page) {
    use chromiumoxide::cdp::js_protocol::runtime::EvaluateParams;
    let inject = EvaluateParams::builder().expression(axe_source()).build().expect("an expression");
    page.evaluate_expression(inject).await.expect("axe-core loads in the page");
    let violations: Vec<String> = eval(
        page,
        "axe.run(document, { resultTypes: ['violations'] }).then(result => result.violations \
           .filter(v => v.impact === 'serious' || v.impact === 'critical') \
           .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map(n => n.target.join(' ')).join(', ')}`))",
    )
    .await;
    let url: String = eval(page, "location.href").await;
    assert!(violations.is_empty(), "accessibility violations on {url}:\n{}", violations.join("\n"));
}

/// Evaluates `expression` until it is true, or fails after `seconds`.
pub async fn wait_until(page: &Page, expression: &str, seconds: u64) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    loop {
        let value: bool =
            page.evaluate(expression).await.ok().and_then(|result| result.into_value().ok()).unwrap_or(false);
        if value {
            return;
        }
        assert!(Instant::now() < deadline, "still false after {seconds} s: {expression}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Evaluates `expression` and returns its value.
pub async fn eval<T: serde::de::DeserializeOwned>(page: &Page, expression: &str) -> T {
    page.evaluate(expression)
        .await
        .unwrap_or_else(|error| panic!("{expression}: {error}"))
        .into_value()
        .unwrap_or_else(|error| panic!("{expression}: {error}"))
}
