//! Benchmark: the merchant's dispute list page (server-rendered, whole) on the benchmark-size
//! seed (100,000 disputes in one establishment), 16 concurrent clients. Prints the p50 and p99
//! of each queue, first page and a deep page (target: p99 under 20 ms); exits with 1 above it.
//! Runs against a release server on the benchmark database (scripts/bench.sh starts it):
//!
//!     cargo run --release -p portal-tests --example queue_load -- http://127.0.0.1:3000

use portal_tests::load::{load, ms, percentile};
use portal_tests::Visitor;
use std::sync::Arc;

const CLIENTS: usize = 16;
const REQUESTS_PER_CLIENT: usize = 100;
const TARGET_P99_MS: f64 = 20.0;

/// The address of the "next page" link, followed `depth` times from `path`.
async fn deep_page(visitor: &Visitor, path: &str, depth: usize) -> String {
    let mut current = path.to_owned();
    for _ in 0..depth {
        let page = visitor.page(&current).await;
        let Some(start) = page.find("data-testid=\"next-page\"") else { break };
        let before = &page[..start];
        let href = &before[before.rfind("href=\"").expect("a link") + 6..];
        current = href[..href.find('"').expect("a closing quote")].replace("&amp;", "&");
    }
    current
}

fn is_queue(body: &str) -> bool {
    body.contains("data-testid=\"case-row\"")
}

#[tokio::main]
async fn main() {
    let base = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:3000".into());
    let mut visitors = Vec::new();
    for _ in 0..CLIENTS {
        let visitor = Visitor::new(&base);
        let response = visitor.sign_in("bench", "Demo-bench-2026").await;
        assert_eq!(response.status(), 303, "the benchmark user signs in (is this the benchmark database?)");
        visitors.push(visitor);
    }
    let visitors = Arc::new(visitors);
    let mut worst: f64 = 0.0;
    for queue in ["response_needed", "under_review", "closed"] {
        let first = format!("/disputes?queue={queue}");
        let deep = deep_page(&visitors[0], &first, 20).await;
        for (label, path) in [("first page", first.clone()), ("21st page", deep)] {
            load(&visitors, &path, REQUESTS_PER_CLIENT, is_queue).await; // warm-up
            let latencies = load(&visitors, &path, REQUESTS_PER_CLIENT, is_queue).await;
            let (p50, p99) = (ms(percentile(&latencies, 0.50)), ms(percentile(&latencies, 0.99)));
            worst = worst.max(p99);
            println!(
                "dispute list {queue:<16} {label:<10}: p50 {p50:6.1} ms, p99 {p99:6.1} ms ({} requests, {CLIENTS} concurrent)",
                latencies.len()
            );
        }
    }
    println!("dispute list p99, worst queue: {worst:.1} ms (target: under {TARGET_P99_MS:.0} ms)");
    if worst >= TARGET_P99_MS {
        std::process::exit(1);
    }
}
