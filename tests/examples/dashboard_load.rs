//! Benchmark: the dashboard (`/`) and the 16-month analytics page (`/analytics`), whole
//! server-rendered pages, on the benchmark-size seed (100,000 disputes and 1,000,000
//! transactions in one establishment), 16 concurrent clients. Prints each page's p50 and p99
//! (targets: dashboard under 30 ms, analytics under 150 ms); exits with 1 above either.
//! Runs against a release server on the benchmark database (scripts/bench.sh starts it):
//!
//!     cargo run --release -p portal-tests --example dashboard_load -- http://127.0.0.1:3000

use portal_tests::load::{load, ms, percentile, sign_in_all};
use std::sync::Arc;

const CLIENTS: usize = 16;
const REQUESTS_PER_CLIENT: usize = 50;

fn is_dashboard(body: &str) -> bool {
    body.contains("data-testid=\"figure-open\"")
}

fn is_analytics(body: &str) -> bool {
    body.contains("data-testid=\"trend-chart\"")
}

#[tokio::main]
async fn main() {
    let base = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:3000".into());
    let visitors = Arc::new(sign_in_all(&base, &["bench"; CLIENTS], 4).await);
    let mut missed = false;
    let pages: [(&str, &str, fn(&str) -> bool, f64); 2] =
        [("dashboard", "/", is_dashboard, 30.0), ("analytics, 16 months", "/analytics", is_analytics, 150.0)];
    for (label, path, check, target) in pages {
        load(&visitors, path, REQUESTS_PER_CLIENT / 5, check).await; // warm-up
        let latencies = load(&visitors, path, REQUESTS_PER_CLIENT, check).await;
        let (p50, p99) = (ms(percentile(&latencies, 0.50)), ms(percentile(&latencies, 0.99)));
        println!(
            "{label:<22}: p50 {p50:7.1} ms, p99 {p99:7.1} ms ({} requests, {CLIENTS} concurrent; target p99 under {target:.0} ms)",
            latencies.len()
        );
        missed |= p99 >= target;
    }
    if missed {
        std::process::exit(1);
    }
}
