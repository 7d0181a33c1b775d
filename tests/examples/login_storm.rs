//! Benchmark: the p99 latency of an authenticated page (the account summary) alone, then while
//! 50 clients sign in concurrently and continuously. Prints both and their ratio (target: under
//! 3); exits with 1 above it. Runs against a server started with the demo data and a high
//! `AUTH_RATE_LIMIT` (scripts/bench.sh does both):
//!
//!     cargo run --release -p portal-tests --example login_storm -- http://127.0.0.1:3000

use portal_tests::Visitor;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PAGE_REQUESTS: usize = 2000;
const STORM_CLIENTS: usize = 50;
const USERS: [&str; 8] =
    ["opera", "lyon", "lemaire.hq", "lemaire.admin", "rivage.hq", "rivage.nice", "rivage.biarritz", "librairie"];

/// Latencies of `PAGE_REQUESTS` sequential requests to the page, sorted.
async fn measure(visitor: &Visitor, path: &str) -> Vec<Duration> {
    let mut latencies = Vec::with_capacity(PAGE_REQUESTS);
    for _ in 0..PAGE_REQUESTS {
        let start = Instant::now();
        let response = visitor.get(path).await;
        assert_eq!(response.status(), 200);
        let body = response.text().await.expect("a body");
        latencies.push(start.elapsed());
        assert!(body.contains("data-testid=\"welcome-user\""), "still signed in");
    }
    latencies.sort();
    latencies
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let base = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:3000".into());
    let reader = Visitor::new(&base);
    reader.sign_in_demo("opera").await;
    measure(&reader, "/").await; // warm-up
    let quiet = measure(&reader, "/").await;

    let stop = Arc::new(AtomicBool::new(false));
    let signed_in = Arc::new(AtomicU64::new(0));
    let mut storm = Vec::new();
    for client in 0..STORM_CLIENTS {
        let (stop, signed_in, base) = (stop.clone(), signed_in.clone(), base.clone());
        storm.push(tokio::spawn(async move {
            let username = USERS[client % USERS.len()];
            while !stop.load(Ordering::Relaxed) {
                let visitor = Visitor::new(&base);
                let response = visitor.sign_in(username, &format!("Demo-{username}-2026")).await;
                assert_eq!(response.headers()["location"], "/", "{username} signs in (raise AUTH_RATE_LIMIT?)");
                signed_in.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = Instant::now();
    let stormy = measure(&reader, "/").await;
    let elapsed = started.elapsed();
    let logins = signed_in.load(Ordering::Relaxed);
    stop.store(true, Ordering::Relaxed);
    for task in storm {
        task.await.expect("a storm client");
    }

    let (quiet_p99, stormy_p99) = (percentile(&quiet, 0.99), percentile(&stormy, 0.99));
    let ratio = ms(stormy_p99) / ms(quiet_p99);
    println!("account summary page, {PAGE_REQUESTS} requests each:");
    println!("  without sign-ins: p50 {:.1} ms, p99 {:.1} ms", ms(percentile(&quiet, 0.5)), ms(quiet_p99));
    println!(
        "  during {STORM_CLIENTS} concurrent sign-ins: p50 {:.1} ms, p99 {:.1} ms ({logins} sign-ins, {:.0}/s)",
        ms(percentile(&stormy, 0.5)),
        ms(stormy_p99),
        logins as f64 / elapsed.as_secs_f64()
    );
    println!("  p99 ratio: {ratio:.2} (target: under 3)");
    if ratio >= 3.0 {
        std::process::exit(1);
    }
}
