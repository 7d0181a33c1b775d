//! Benchmark: a mixed workload on the demo data. 200 simulated users (each its own signed-in
//! session: 120 establishment users, 60 headquarters users, 20 dispute analysts, sharing the
//! demo's logins) work for 60 s, pausing 50 to 200 ms before each request as a person would:
//! - merchants load their queues and case pages, save drafts, submit responses, search their
//!   transactions, download the 35-day transactions CSV, and now and then sign out and in again;
//!   a case answered by someone else meanwhile is refused (its form is gone or stale): counted
//!   as "other", not as an error;
//! - analysts load the review queue and its cases and ask for more information on submitted
//!   responses (the one decision that puts a case back in the merchants' queue, so the demo's
//!   few open cases last the whole run).
//!
//! A form's redirect is followed (a case page, counted as one). Prints the requests per second
//! overall, p50 and p99 per kind of request, and the server errors (5xx). Exits with 1 if there
//! was any server error or failed request, or if a page's p99 (queue, case, transaction search,
//! review queue) reached 100 ms. Runs against a server with the demo data and `AUTH_RATE_LIMIT`
//! raised (`scripts/bench.sh` starts one on SQLite and one on PostgreSQL):
//!
//!     cargo run --release -p portal-tests --example mixed_load -- http://127.0.0.1:3000

use chrono::Duration as Days;
use portal_tests::load::{case_numbers, form_field, ms, percentile, sign_in_all};
use portal_tests::Visitor;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::multipart::Form;
use std::time::{Duration, Instant};

const USERS: usize = 200;
const DURATION: Duration = Duration::from_secs(60);
/// A person's pause before each request, in milliseconds.
const THINK_MS: std::ops::RangeInclusive<u64> = 50..=200;
const SIGN_INS_AT_ONCE: usize = 8;
const TARGET_P99_MS: f64 = 100.0;
/// Logins: of every 10 simulated users, 6 establishment users, 3 headquarters users (Rivage's
/// local configuration only reads), 1 analyst.
const ESTABLISHMENT_USERS: [&str; 4] = ["opera", "lyon", "rivage.nice", "rivage.biarritz"];
const HEADQUARTERS_USERS: [&str; 3] = ["lemaire.hq", "lemaire.admin", "rivage.hq"];
const QUEUES: [&str; 3] = ["response_needed", "under_review", "closed"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    QueuePage,
    CasePage,
    SearchPage,
    ReviewPage,
    Draft,
    Submit,
    Decide,
    Export,
    SignOut,
    SignIn,
}

impl Kind {
    const ALL: [Kind; 10] = [
        Kind::QueuePage,
        Kind::CasePage,
        Kind::SearchPage,
        Kind::ReviewPage,
        Kind::Draft,
        Kind::Submit,
        Kind::Decide,
        Kind::Export,
        Kind::SignOut,
        Kind::SignIn,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::QueuePage => "queue page",
            Kind::CasePage => "case page",
            Kind::SearchPage => "transaction search",
            Kind::ReviewPage => "review queue",
            Kind::Draft => "save draft",
            Kind::Submit => "submit response",
            Kind::Decide => "ask for information",
            Kind::Export => "35-day CSV",
            Kind::SignOut => "sign out",
            Kind::SignIn => "sign in",
        }
    }

    /// The pages a person waits for (the target's kinds); forms, the file and sign-ins are
    /// shown without one.
    fn is_page(self) -> bool {
        matches!(self, Kind::QueuePage | Kind::CasePage | Kind::SearchPage | Kind::ReviewPage)
    }
}

/// What came back for one kind of request.
#[derive(Default, Clone)]
struct Measured {
    latencies: Vec<Duration>,
    server_errors: u64,
    /// No answer at all (connection refused or reset, timeout).
    failed: u64,
    /// An answer other than the expected one, or a form refused (the case was answered or
    /// changed by someone else meanwhile).
    other: u64,
}

/// One simulated user: a signed-in session and what it saw last.
struct User {
    visitor: Visitor,
    username: &'static str,
    rng: StdRng,
    /// Cases of the last "response needed" queue, and of any queue.
    open: Vec<String>,
    seen: Vec<String>,
    measured: Vec<Measured>,
}

impl User {
    fn record(&mut self, kind: Kind) -> &mut Measured {
        &mut self.measured[kind as usize]
    }

    async fn think(&mut self) {
        let pause = self.rng.random_range(THINK_MS);
        tokio::time::sleep(Duration::from_millis(pause)).await;
    }

    fn pick(&mut self, cases: &[String]) -> Option<String> {
        (!cases.is_empty()).then(|| cases[self.rng.random_range(0..cases.len())].clone())
    }

    /// Sends `request` and reads the whole answer; the body if its status is `expected`, the
    /// redirect's location for a 303.
    async fn send(&mut self, kind: Kind, request: reqwest::RequestBuilder, expected: u16) -> Option<String> {
        let start = Instant::now();
        let answer = async {
            let response = request.send().await?;
            let status = response.status();
            let location = response.headers().get("location").and_then(|value| value.to_str().ok()).map(str::to_owned);
            let body = response.text().await?;
            Ok::<_, reqwest::Error>((status, location, body))
        }
        .await;
        let elapsed = start.elapsed();
        let measured = self.record(kind);
        match answer {
            Err(_) => {
                measured.failed += 1;
                None
            }
            Ok((status, location, body)) => {
                measured.latencies.push(elapsed);
                if status.is_server_error() {
                    measured.server_errors += 1;
                    None
                } else if status.as_u16() != expected {
                    measured.other += 1;
                    None
                } else if expected == 303 {
                    location
                } else {
                    Some(body)
                }
            }
        }
    }

    async fn page(&mut self, kind: Kind, path: &str) -> Option<String> {
        let request = self.visitor.client.get(self.visitor.url(path));
        self.send(kind, request, 200).await
    }

    /// Posts a form and follows its redirect (as a browser does, without a pause); the page it
    /// led to. A refused form (the page shows a problem) counts as "other".
    async fn form(&mut self, kind: Kind, request: reqwest::RequestBuilder) -> Option<String> {
        let location = self.send(kind, request, 303).await?;
        let page = self.page(Kind::CasePage, &location).await?;
        if page.contains("data-testid=\"form-problem\"") {
            self.record(kind).other += 1;
        }
        Some(page)
    }

    async fn queue(&mut self) {
        let queue = QUEUES[[0, 0, 0, 1, 2][self.rng.random_range(0..5)]];
        if let Some(page) = self.page(Kind::QueuePage, &format!("/disputes?queue={queue}")).await {
            let cases = case_numbers(&page);
            if queue == "response_needed" {
                self.open = cases.clone();
            }
            self.seen = cases;
        }
    }

    async fn case(&mut self) {
        let known = if self.seen.is_empty() { self.open.clone() } else { self.seen.clone() };
        match self.pick(&known) {
            Some(number) => {
                self.page(Kind::CasePage, &format!("/disputes/{number}")).await;
            }
            None => self.queue().await,
        }
    }

    /// Opens an open case and, if its response form is there, saves or submits it.
    async fn answer(&mut self, submit: bool) {
        let open = self.open.clone();
        let Some(number) = self.pick(&open) else { return self.queue().await };
        let path = format!("/disputes/{number}");
        let Some(page) = self.page(Kind::CasePage, &path).await else { return };
        let (Some(version), Some(key)) = (form_field(&page, "version"), form_field(&page, "idempotency_key")) else {
            // Answered meanwhile, or not the user's to answer (a local configuration's HQ).
            self.open.retain(|open| *open != number);
            return;
        };
        self.think().await;
        let (kind, intent) = if submit { (Kind::Submit, "submit") } else { (Kind::Draft, "draft") };
        let form = Form::new()
            .text("version", version)
            .text("idempotency_key", key)
            .text("comments", format!("Réponse de {} : livraison attestée, voir pièces.", self.username))
            .text("ticked", "0")
            .text("intent", intent);
        let request = self.visitor.client.post(self.visitor.url(&format!("{path}/response"))).multipart(form);
        self.form(kind, request).await;
    }

    async fn search(&mut self) {
        let filter = ["", "?kind=charge", "?amount_min=50", "?kind=refund"][self.rng.random_range(0..4)];
        self.page(Kind::SearchPage, &format!("/transactions{filter}")).await;
    }

    async fn export(&mut self) {
        let today = app::clock::paris_today();
        let path = format!("/transactions/export?from={}&to={today}", today - Days::days(34));
        self.page(Kind::Export, &path).await;
    }

    async fn sign_out_and_in(&mut self) {
        let request = self.visitor.client.post(self.visitor.url("/logout"));
        if self.send(Kind::SignOut, request, 303).await.is_none() {
            return;
        }
        self.think().await;
        let password = format!("Demo-{}-2026", self.username);
        let request = self
            .visitor
            .client
            .post(self.visitor.url("/login"))
            .form(&[("username", self.username), ("password", password.as_str())]);
        // A refused sign-in goes back to the sign-in page.
        if self.send(Kind::SignIn, request, 303).await.is_some_and(|location| location != "/") {
            self.record(Kind::SignIn).other += 1;
        }
    }

    /// One merchant's action, drawn by weight (out of 1,000).
    async fn merchant_step(&mut self) {
        match self.rng.random_range(0..1000) {
            0..300 => self.queue().await,
            300..550 => self.case().await,
            550..670 => self.answer(false).await,
            670..720 => self.answer(true).await,
            720..965 => self.search().await,
            965..995 => self.export().await,
            _ => self.sign_out_and_in().await,
        }
    }

    /// One analyst's action: the review queue, a case from it, or asking for more information
    /// on one.
    async fn analyst_step(&mut self) {
        let roll = self.rng.random_range(0..100);
        if roll < 40 || self.seen.is_empty() {
            if let Some(page) = self.page(Kind::ReviewPage, "/review").await {
                self.seen = case_numbers(&page);
            }
            return;
        }
        let seen = self.seen.clone();
        let Some(number) = self.pick(&seen) else { return };
        let path = format!("/disputes/{number}");
        let Some(page) = self.page(Kind::CasePage, &path).await else { return };
        if roll < 70 {
            return;
        }
        let Some(version) = form_field(&page, "version").filter(|_| page.contains("data-testid=\"decision-form\""))
        else {
            // Decided by another analyst meanwhile.
            self.seen.retain(|seen| *seen != number);
            return;
        };
        self.think().await;
        let reply_by = (app::clock::paris_today() + Days::days(20)).to_string();
        let fields = [
            ("version", version.as_str()),
            ("outcome", "info"),
            ("reply_by", reply_by.as_str()),
            ("note", "Merci de joindre la preuve de livraison signée."),
        ];
        let request = self.visitor.client.post(self.visitor.url(&format!("/review/{number}/decide"))).form(&fields);
        self.form(Kind::Decide, request).await;
    }
}

async fn work(mut user: User, until: Instant) -> Vec<Measured> {
    let analyst = user.username == "analyst";
    while Instant::now() < until {
        user.think().await;
        if analyst {
            user.analyst_step().await;
        } else {
            user.merchant_step().await;
        }
    }
    user.measured
}

fn login(index: usize) -> &'static str {
    match index % 10 {
        0..=5 => ESTABLISHMENT_USERS[index % ESTABLISHMENT_USERS.len()],
        6..=8 => HEADQUARTERS_USERS[index % HEADQUARTERS_USERS.len()],
        _ => "analyst",
    }
}

#[tokio::main]
async fn main() {
    let base = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:3000".into());
    let logins: Vec<&'static str> = (0..USERS).map(login).collect();
    let signing_in = Instant::now();
    let visitors = sign_in_all(&base, &logins, SIGN_INS_AT_ONCE).await;
    println!(
        "mixed load: {USERS} users signed in in {:.1} s ({SIGN_INS_AT_ONCE} at a time); {} s of work, {}-{} ms pauses",
        signing_in.elapsed().as_secs_f64(),
        DURATION.as_secs(),
        THINK_MS.start(),
        THINK_MS.end()
    );

    let start = Instant::now();
    let until = start + DURATION;
    let tasks: Vec<_> = visitors
        .into_iter()
        .zip(logins)
        .enumerate()
        .map(|(index, (visitor, username))| {
            let user = User {
                visitor,
                username,
                rng: StdRng::seed_from_u64(index as u64),
                open: Vec::new(),
                seen: Vec::new(),
                measured: vec![Measured::default(); Kind::ALL.len()],
            };
            tokio::spawn(work(user, until))
        })
        .collect();
    let mut total = vec![Measured::default(); Kind::ALL.len()];
    for task in tasks {
        for (sum, measured) in total.iter_mut().zip(task.await.expect("a user finishes")) {
            sum.latencies.extend(measured.latencies);
            sum.server_errors += measured.server_errors;
            sum.failed += measured.failed;
            sum.other += measured.other;
        }
    }
    let seconds = start.elapsed().as_secs_f64();

    println!(
        "  {:<20} {:>8} {:>8} {:>8} {:>6} {:>5} {:>6}",
        "kind", "requests", "p50 ms", "p99 ms", "other", "5xx", "failed"
    );
    let mut worst: Option<(Kind, f64)> = None;
    for kind in Kind::ALL {
        let measured = &mut total[kind as usize];
        measured.latencies.sort();
        let (p50, p99) = if measured.latencies.is_empty() {
            (f64::NAN, f64::NAN)
        } else {
            (ms(percentile(&measured.latencies, 0.5)), ms(percentile(&measured.latencies, 0.99)))
        };
        if kind.is_page() && worst.is_none_or(|(_, highest)| p99 > highest || p99.is_nan()) {
            worst = Some((kind, p99));
        }
        println!(
            "  {:<20} {:>8} {p50:>8.1} {p99:>8.1} {:>6} {:>5} {:>6}{}",
            kind.name(),
            measured.latencies.len(),
            measured.other,
            measured.server_errors,
            measured.failed,
            if kind.is_page() { "  (page)" } else { "" }
        );
    }
    let requests: usize = total.iter().map(|measured| measured.latencies.len()).sum();
    let server_errors: u64 = total.iter().map(|measured| measured.server_errors).sum();
    let failed: u64 = total.iter().map(|measured| measured.failed).sum();
    let other: u64 = total.iter().map(|measured| measured.other).sum();
    let (worst_kind, worst_p99) = worst.expect("page kinds");
    println!(
        "mixed load: {:.1} requests/s ({requests} answered in {seconds:.1} s, {USERS} users); {server_errors} server errors (5xx), \
         {failed} failed requests, {other} other answers; worst page p99 {worst_p99:.1} ms, {} (target: no 5xx, pages' p99 under {TARGET_P99_MS:.0} ms)",
        requests as f64 / seconds,
        worst_kind.name()
    );
    // A page kind never measured (NaN) counts as missed.
    if server_errors > 0 || failed > 0 || !(worst_p99 < TARGET_P99_MS) {
        std::process::exit(1);
    }
}
