//! Benchmark: the gateway API on the demo data. 16 concurrent clients send authorisations with
//! capture for 10 s (each a charge in the day's submission and its payment); prints the
//! operations per second (target at least 1,000/s on SQLite), their p99 and the server errors.
//! Then 10,000 authorisations are sent and captured by one capture file: prints the file's time.
//! Exits with 1 on any server error or a capture file that did not capture every line.
//! Runs against a server with the demo data (`serve --demo`), given the demo gateway key;
//! `scripts/bench.sh` runs it on SQLite and on PostgreSQL:
//!
//!     cargo run --release -p portal-tests --example api_load -- http://127.0.0.1:3000 mdp_…

use portal_tests::load::{ms, percentile};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENTS: usize = 16;
const DURATION: Duration = Duration::from_secs(10);
const FILE_LINES: usize = 10_000;
/// The demo establishments the operations go to (the Payment Facilitator is left out: its
/// operations need a sub-merchant).
const ESTABLISHMENTS: &[&str] = &["9421000011", "9421000029", "9421000037"];

struct Api {
    client: reqwest::Client,
    base: String,
    key: String,
}

impl Api {
    async fn post(&self, kind: &str, index: usize, idempotency: String) -> (u16, Value) {
        let body = json!({
            "type": kind,
            "establishment_number": ESTABLISHMENTS[index % ESTABLISHMENTS.len()],
            "amount": 1000 + (index % 5000) as i64,
            "currency": "EUR",
            "card": { "first_six": "374245", "last_four": "1001", "expiry": "2031-08", "token": "tok_bench" },
            "merchant_reference": format!("BENCH-{index}"),
        });
        let response = self
            .client
            .post(format!("{}/api/v1/operations", self.base))
            .bearer_auth(&self.key)
            .header("idempotency-key", idempotency)
            .json(&body)
            .send()
            .await
            .expect("the server answers");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

#[derive(Default)]
struct Tally {
    created: u64,
    latencies: Vec<Duration>,
    server_errors: u64,
    other: u64,
}

#[tokio::main]
async fn main() {
    let base = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:3000".into());
    let key = std::env::args().nth(2).expect("the demo gateway key (printed by `serve --demo`)");
    let run = rand::random::<u32>();
    let api = Arc::new(Api { client: reqwest::Client::new(), base, key });

    // Authorisations with capture from 16 clients.
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let until = start + DURATION;
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (api, next) = (api.clone(), next.clone());
            tokio::spawn(async move {
                let mut tally = Tally::default();
                while Instant::now() < until {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let sent = Instant::now();
                    let (status, _) =
                        api.post("authorization_with_capture", index, format!("bench-{run}-{index}")).await;
                    match status {
                        201 => {
                            tally.created += 1;
                            tally.latencies.push(sent.elapsed());
                        }
                        500..=599 => tally.server_errors += 1,
                        _ => tally.other += 1,
                    }
                }
                tally
            })
        })
        .collect();
    let mut total = Tally::default();
    for task in tasks {
        let tally = task.await.expect("a client finishes");
        total.created += tally.created;
        total.latencies.extend(tally.latencies);
        total.server_errors += tally.server_errors;
        total.other += tally.other;
    }
    let seconds = start.elapsed().as_secs_f64();
    total.latencies.sort();
    let p99 = if total.latencies.is_empty() { 0.0 } else { ms(percentile(&total.latencies, 0.99)) };
    println!(
        "gateway API: {:.0} authorisations with capture/s, p99 {p99:.0} ms ({} in {seconds:.1} s, {CLIENTS} clients); \
         {} server errors (5xx), {} other unexpected answers",
        total.created as f64 / seconds,
        total.created,
        total.server_errors,
        total.other
    );

    // 10,000 authorisations, then one file capturing them all.
    let next = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (api, next) = (api.clone(), next.clone());
            tokio::spawn(async move {
                let mut lines = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= FILE_LINES {
                        return lines;
                    }
                    let (status, answer) = api.post("authorization", index, format!("bench-file-{run}-{index}")).await;
                    assert_eq!(status, 201, "{answer}");
                    lines.push(format!(
                        "{},{},,FILE-{index},,",
                        answer["establishment_number"].as_str().unwrap_or_default(),
                        answer["id"]
                    ));
                }
            })
        })
        .collect();
    let mut file = String::from(
        "establishment_number,parent_operation_id,amount,merchant_reference,settlement_amount,settlement_rate\n",
    );
    for task in tasks {
        for line in task.await.expect("a client finishes") {
            file.push_str(&line);
            file.push('\n');
        }
    }
    let sent = Instant::now();
    let response = api
        .client
        .post(format!("{}/api/v1/capture-files", api.base))
        .bearer_auth(&api.key)
        .header("idempotency-key", format!("bench-file-{run}"))
        .header("content-type", "text/csv")
        .body(file)
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let result = response.text().await.unwrap_or_default();
    let elapsed = sent.elapsed();
    let accepted = result.lines().filter(|line| line.contains(",accepted,")).count();
    println!("capture file: {FILE_LINES} lines in {:.0} ms (HTTP {status}, {accepted} accepted)", ms(elapsed));
    if total.server_errors > 0 || status != 200 || accepted != FILE_LINES {
        std::process::exit(1);
    }
}
