//! Benchmark: concurrent writers on the demo data. 16 signed-in clients (the establishment
//! users and Maison Lemaire's headquarters) for 20 s each read their queue, open a case (which
//! records the view: a write), save a draft and now and then accept a case. Prints the write
//! requests per second, their p99 latency and the count of server errors (5xx); exits with 1 if
//! there was any.
//! Runs against a server with the demo data (`serve --demo`); `scripts/bench.sh` starts one on
//! SQLite and one on PostgreSQL:
//!
//!     cargo run --release -p portal-tests --example write_load -- http://127.0.0.1:3000

use portal_tests::load::{case_numbers, form_field, ms, percentile};
use portal_tests::Visitor;
use reqwest::multipart::Form;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENTS: usize = 16;
const DURATION: Duration = Duration::from_secs(20);
/// The demo users who answer cases; clients take them in turn.
const USERS: &[&str] = &["opera", "lyon", "lemaire.hq", "rivage.nice", "rivage.biarritz"];
/// A client accepts a case every this many rounds, while its queue keeps a few more open (the
/// demo has about 15 open cases; the others stay for drafts until the end).
const ACCEPT_EVERY: usize = 40;
const KEEP_OPEN: usize = 3;

/// What one client got back.
#[derive(Default)]
struct Tally {
    /// Case pages, drafts and acceptances answered without a server error: each opens a write
    /// transaction on the server (a stale form's refusal included, it rolls back).
    writes: u64,
    write_latencies: Vec<Duration>,
    reads: u64,
    server_errors: u64,
    other: u64,
}

impl Tally {
    /// Counts an answer to a request sent at `start`; whether it was `expected`.
    fn count(&mut self, start: Instant, status: reqwest::StatusCode, expected: u16, write: bool) -> bool {
        if status.is_server_error() {
            self.server_errors += 1;
        } else if status.as_u16() != expected {
            self.other += 1;
        } else if write {
            self.writes += 1;
            self.write_latencies.push(start.elapsed());
        } else {
            self.reads += 1;
        }
        status.as_u16() == expected
    }
}

async fn client(visitor: Arc<Visitor>, index: usize, until: Instant) -> Tally {
    let mut tally = Tally::default();
    let mut round = index;
    while Instant::now() < until {
        round += 1;
        let start = Instant::now();
        let response = visitor.get("/disputes?queue=response_needed").await;
        if !tally.count(start, response.status(), 200, false) {
            continue;
        }
        let cases = case_numbers(&response.text().await.expect("a body"));
        let Some(number) = cases.get(round % cases.len().max(1)) else { continue };
        let path = format!("/disputes/{number}");
        let start = Instant::now();
        let response = visitor.get(&path).await;
        if !tally.count(start, response.status(), 200, true) {
            continue;
        }
        let page = response.text().await.expect("a body");
        let (Some(version), Some(key)) = (form_field(&page, "version"), form_field(&page, "idempotency_key")) else {
            continue;
        };
        let start = Instant::now();
        let response = if round % ACCEPT_EVERY == 0 && cases.len() > KEEP_OPEN {
            visitor.post(&format!("{path}/accept"), &[("version", &version), ("confirm", "yes")]).await
        } else {
            let form = Form::new()
                .text("version", version)
                .text("idempotency_key", key)
                .text("comments", format!("Brouillon {index}/{round}"))
                .text("ticked", "0")
                .text("intent", "draft");
            visitor.post_multipart(&format!("{path}/response"), form).await
        };
        tally.count(start, response.status(), 303, true);
    }
    tally
}

#[tokio::main]
async fn main() {
    let base = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:3000".into());
    let mut visitors = Vec::new();
    for index in 0..CLIENTS {
        let visitor = Visitor::new(&base);
        let user = USERS[index % USERS.len()];
        let response = visitor.sign_in(user, &format!("Demo-{user}-2026")).await;
        assert_eq!(response.status(), 303, "{user} signs in (is this a demo server with AUTH_RATE_LIMIT raised?)");
        visitors.push(Arc::new(visitor));
    }
    let start = Instant::now();
    let until = start + DURATION;
    let tasks: Vec<_> =
        visitors.into_iter().enumerate().map(|(index, visitor)| tokio::spawn(client(visitor, index, until))).collect();
    let mut total = Tally::default();
    for task in tasks {
        let tally = task.await.expect("a client finishes");
        total.writes += tally.writes;
        total.write_latencies.extend(tally.write_latencies);
        total.reads += tally.reads;
        total.server_errors += tally.server_errors;
        total.other += tally.other;
    }
    let seconds = start.elapsed().as_secs_f64();
    total.write_latencies.sort();
    let p99 = if total.write_latencies.is_empty() { 0.0 } else { ms(percentile(&total.write_latencies, 0.99)) };
    println!(
        "concurrent writers: {:.1} writes/s, p99 {p99:.0} ms ({} write requests, {} queue reads in {seconds:.1} s, \
         {CLIENTS} clients); {} server errors (5xx), {} other unexpected answers",
        total.writes as f64 / seconds,
        total.writes,
        total.reads,
        total.server_errors,
        total.other
    );
    if total.server_errors > 0 {
        std::process::exit(1);
    }
}
