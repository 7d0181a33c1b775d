//! Load generation for the benchmarks: signed-in clients each loading one page many times at
//! once, and the percentiles of what they measured; or loading it for a fixed time, and how many
//! answers came back per second.

use crate::Visitor;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The `p` percentile (0 to 1) of sorted latencies.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Every visitor loads `path` `requests` times, all visitors at once; each answer must be 200
/// and pass `check`. Returns the latencies, sorted.
pub async fn load(visitors: &Arc<Vec<Visitor>>, path: &str, requests: usize, check: fn(&str) -> bool) -> Vec<Duration> {
    let mut tasks = Vec::new();
    for client in 0..visitors.len() {
        let (visitors, path) = (visitors.clone(), path.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(requests);
            for _ in 0..requests {
                let start = Instant::now();
                let response = visitors[client].get(&path).await;
                assert_eq!(response.status(), 200);
                let body = response.text().await.expect("a body");
                latencies.push(start.elapsed());
                assert!(check(&body), "{path} answered something else");
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("a client finishes"));
    }
    all.sort();
    all
}

/// Every visitor loads `path` over and over, all at once (one request in flight each), until
/// `duration` has passed; each answer must be 200 and pass `check`. Returns answers per second.
pub async fn throughput(visitors: &Arc<Vec<Visitor>>, path: &str, duration: Duration, check: fn(&str) -> bool) -> f64 {
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::new();
    for client in 0..visitors.len() {
        let (visitors, path) = (visitors.clone(), path.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut answers = 0u64;
            while Instant::now() < deadline {
                let response = visitors[client].get(&path).await;
                assert_eq!(response.status(), 200, "{path}");
                let body = response.text().await.expect("a body");
                assert!(check(&body), "{path} answered something else");
                answers += 1;
            }
            answers
        }));
    }
    let mut answers = 0;
    for task in tasks {
        answers += task.await.expect("a client finishes");
    }
    // Divided by the time the last answer arrived, not by `duration`: the requests in flight at
    // the deadline are counted, so their time must be too.
    answers as f64 / start.elapsed().as_secs_f64()
}
