//! Load generation for the benchmarks: signed-in clients each loading one page many times at
//! once, and the percentiles of what they measured; or loading it for a fixed time, and how many
//! answers came back per second. Also what the mixed workloads share: many visitors signed in a
//! few at a time, and the form fields and case numbers read from a page.

use crate::Visitor;
use futures::StreamExt;
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

/// One visitor per username, each signed in with its demo password (`Demo-<username>-2026`),
/// `at_once` sign-ins in flight at a time; in the order of `usernames`. Panics if one is refused
/// (the server must run the demo data with `AUTH_RATE_LIMIT` raised).
pub async fn sign_in_all(base: &str, usernames: &[&str], at_once: usize) -> Vec<Visitor> {
    futures::stream::iter(usernames.iter().map(|username| async move {
        let visitor = Visitor::new(base);
        let response = visitor.sign_in(username, &format!("Demo-{username}-2026")).await;
        assert_eq!(response.status(), 303, "{username} signs in (is this a demo server with AUTH_RATE_LIMIT raised?)");
        assert_eq!(response.headers()["location"], "/", "{username} signs in");
        visitor
    }))
    .buffered(at_once)
    .collect()
    .await
}

/// The value of a form's hidden field, if the page has the form (a case answered meanwhile has
/// no response form).
pub fn form_field(page: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker)? + marker.len();
    Some(page[start..start + page[start..].find('"')?].to_owned())
}

/// The case numbers listed on a queue page (the merchants' or the dispute team's).
pub fn case_numbers(page: &str) -> Vec<String> {
    page.split("data-case=\"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_owned).collect()
}
