//! Benchmark: the transaction search on the benchmark-size seed (1,000,000 transactions in one
//! establishment). Prints the first page of a 35-day search's p50 and p99 with 16 concurrent
//! clients (target: p99 under 50 ms), and the CSV export of the whole 35-day window: rows per
//! second (target: 200,000 or more) and how much the server's resident memory grew meanwhile
//! (target: under 50 MB). Exits with 1 when a target is missed. Runs against a release server
//! on the benchmark database; `scripts/bench.sh` starts it and passes its process id:
//!
//!     cargo run --release -p portal-tests --example money_load -- http://127.0.0.1:3000 PID

use futures::StreamExt;
use portal_tests::load::{load, ms, percentile};
use portal_tests::Visitor;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENTS: usize = 16;
const REQUESTS_PER_CLIENT: usize = 100;
const TARGET_P99_MS: f64 = 50.0;
const TARGET_ROWS_PER_SECOND: f64 = 200_000.0;
const TARGET_RSS_GROWTH_MB: f64 = 50.0;

/// The process's resident memory in kB (`VmRSS`).
fn resident_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("the server's /proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a VmRSS line")
}

/// A full first page: 50 rows and a link to the next.
fn is_full_page(body: &str) -> bool {
    body.matches("data-testid=\"transaction-row\"").count() == 50 && body.contains("data-testid=\"next-page\"")
}

#[tokio::main]
async fn main() {
    let base = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:3000".into());
    let pid: u32 = std::env::args().nth(2).and_then(|pid| pid.parse().ok()).expect("the server's process id");
    let mut visitors = Vec::new();
    for _ in 0..CLIENTS {
        let visitor = Visitor::new(&base);
        let response = visitor.sign_in("bench", "Demo-bench-2026").await;
        assert_eq!(response.status(), 303, "the benchmark user signs in (is this the benchmark database?)");
        visitors.push(visitor);
    }
    let visitors = Arc::new(visitors);
    load(&visitors, "/transactions", REQUESTS_PER_CLIENT, is_full_page).await; // warm-up
    let latencies = load(&visitors, "/transactions", REQUESTS_PER_CLIENT, is_full_page).await;
    let (p50, p99) = (ms(percentile(&latencies, 0.50)), ms(percentile(&latencies, 0.99)));
    println!(
        "transaction search, first page of 35 days: p50 {p50:.1} ms, p99 {p99:.1} ms ({} requests, {CLIENTS} concurrent; target: p99 under {TARGET_P99_MS:.0} ms)",
        latencies.len()
    );

    // The export, while a sampler watches the server's resident memory.
    let before = resident_kb(pid);
    let peak = Arc::new(AtomicU64::new(before));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(resident_kb(pid), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let start = Instant::now();
    let response = visitors[0].get("/transactions/export").await;
    assert_eq!(response.status(), 200);
    let mut body = response.bytes_stream();
    let (mut lines, mut bytes) = (0u64, 0u64);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.expect("the file arrives whole");
        bytes += chunk.len() as u64;
        lines += chunk.iter().filter(|byte| **byte == b'\n').count() as u64;
    }
    let elapsed = start.elapsed();
    done.store(true, Ordering::Relaxed);
    sampler.await.unwrap();
    let rows = lines - 1;
    let rate = rows as f64 / elapsed.as_secs_f64();
    let growth_mb = (peak.load(Ordering::Relaxed).saturating_sub(before)) as f64 / 1024.0;
    println!(
        "transactions CSV, 35 days: {rows} rows ({:.0} MB) in {:.2} s, {rate:.0} rows/s (target: at least {TARGET_ROWS_PER_SECOND:.0}); \
         server memory grew by {growth_mb:.1} MB (target: under {TARGET_RSS_GROWTH_MB:.0} MB)",
        bytes as f64 / 1e6,
        elapsed.as_secs_f64()
    );
    assert!(rows > 400_000, "the 35-day window of the benchmark establishment");
    if p99 >= TARGET_P99_MS || rate < TARGET_ROWS_PER_SECOND || growth_mb >= TARGET_RSS_GROWTH_MB {
        std::process::exit(1);
    }
}
